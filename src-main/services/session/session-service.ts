// Login by PIN, lock screen, logout; and the AccessControl the dispatcher asks. Every attempt is audited.
import type { Permission, User } from '../../contract';
import { roleCan } from '../../domain/roles';
import type { AccessControl, Session } from '../../app/dispatcher';
import type { EventBus } from '../../app/event-bus';
import { errors } from '../../app/errors';
import type { SalesStore } from '../../store/sales-store';
import type { Clock } from '../clock';
import { posActor } from '../pos-events/pos-event';
import { noPosEvents, type PosEventPublisher } from '../pos-events/pos-event-stream';
import { hashPin } from './pin-hash';

/** After this many wrong PINs in a row, logins pause (brute-forcing a 4-digit PIN must not be quick). */
const MAX_FAILURES = 5;
const LOCKOUT_MS = 30_000;

export class SessionService implements AccessControl {
  private failures = 0;
  private lockedUntilMs = 0;

  constructor(
    private readonly store: SalesStore,
    private readonly laneSaltHex: string,
    private readonly events: EventBus,
    private readonly clock: Clock,
    /** Loss-prevention event stream: published after each commit. */
    private readonly posEvents: PosEventPublisher = noPosEvents,
  ) {}

  verifyPin(pin: string): User | null {
    const now = this.clock.nowMs();
    if (now < this.lockedUntilMs) {
      throw errors.limit('Слишком много неверных PIN-кодов, подождите', 'Too many wrong PINs; please wait',
        { retryAfterMs: this.lockedUntilMs - now });
    }
    const user = this.store.users.byPinHash(hashPin(pin, this.laneSaltHex));
    if (user) {
      this.failures = 0;
      return user;
    }
    this.failures += 1;
    this.store.transaction(() => this.store.audit.append({
      at: this.clock.nowIso(), actorId: null, authorisedBy: null, action: 'session.pinRejected', subjectId: null, details: { failures: this.failures },
    }));
    if (this.failures >= MAX_FAILURES) {
      this.lockedUntilMs = now + LOCKOUT_MS;
      this.failures = 0;
    }
    return null;
  }

  can(user: User, permission: Permission): boolean {
    return roleCan(user.role, permission);
  }

  login(session: Session, pin: string): User {
    const user = this.verifyPin(pin);
    if (!user) throw errors.badPin();
    const previous = session.user;
    session.user = user;
    session.locked = false;
    const at = this.clock.nowIso();
    this.store.transaction(() => this.store.audit.append({
      at, actorId: user.id, authorisedBy: null, action: 'session.login', subjectId: session.id,
      details: previous && previous.id !== user.id ? { replaced: previous.id } : {},
    }));
    this.posEvents.publish({ kind: 'user.loggedIn', at, cashier: posActor(user), user: posActor(user) });
    this.events.emit('session.changed', { user, locked: false });
    return user;
  }

  lock(session: Session): void {
    session.locked = true;
    this.store.transaction(() => this.store.audit.append({
      at: this.clock.nowIso(), actorId: session.user?.id ?? null, authorisedBy: null, action: 'session.lock', subjectId: session.id, details: {},
    }));
    this.events.emit('session.changed', { user: session.user, locked: true });
  }

  logout(session: Session): void {
    const user = session.user;
    session.user = null;
    session.locked = false;
    if (user) {
      const at = this.clock.nowIso();
      this.store.transaction(() => this.store.audit.append({
        at, actorId: user.id, authorisedBy: null, action: 'session.logout', subjectId: session.id, details: {},
      }));
      this.posEvents.publish({ kind: 'user.loggedOut', at, cashier: posActor(user), user: posActor(user) });
    }
    this.events.emit('session.changed', { user: null, locked: false });
  }
}
