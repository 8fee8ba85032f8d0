// One handler registry for every transport (Electron IPC, the WebSocket bridge, direct calls in
// tests). It validates each message, checks access in the main process, runs the handler and turns
// every failure into a typed error. An invalid request reaches no handler and so changes nothing.
import {
  calls, isCallName, PosError, CallMessage, MAX_MESSAGE_BYTES,
  type CallName, type CallOutcome, type CallRequestParsed, type CallResponse, type Permission, type User, type Override,
} from '../contract';
import { errors } from './errors';

/** One connected UI (a window or a browser tab). The login belongs to it, not to the process. */
export interface Session {
  readonly id: string;
  user: User | null;
  locked: boolean;
}

export interface CallContext {
  readonly session: Session;
  /** The logged-in user making the call (null only for public calls). */
  readonly actor: User | null;
  /** The supervisor whose PIN authorised this call, when the actor could not alone. */
  readonly authorisedBy: User | null;
  /**
   * Checks a permission a handler needs beyond the call's own (e.g. lowering a quantity);
   * honours the override that came with the call. Returns who authorised it.
   */
  require(permission: Permission): User;
}

export type Handler<N extends CallName> = (ctx: CallContext, request: CallRequestParsed<N>) => CallResponse<N> | Promise<CallResponse<N>>;
export type Handlers = { [N in CallName]: Handler<N> };

export interface AccessControl {
  /** The active user with this PIN, or null. Slow by design (KDF). */
  verifyPin(pin: string): User | null;
  can(user: User, permission: Permission): boolean;
}

export interface DispatchLog {
  error(call: string, error: unknown): void;
}

export class Dispatcher {
  constructor(
    private readonly handlers: Handlers,
    private readonly access: AccessControl,
    private readonly log: DispatchLog = { error: (call, e) => console.error(`[dispatch] ${call}:`, e) },
  ) {}

  /** Entry point for transports: the raw message as it arrived (already JSON-decoded). */
  async dispatch(session: Session, raw: unknown): Promise<CallOutcome> {
    const message = CallMessage.safeParse(raw);
    if (!message.success) return fail(errors.badRequest(message.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)));
    const { call: name, payload, override } = message.data;
    return this.run(session, name, payload, override);
  }

  /** Same as dispatch, for a transport that received a string: enforces the size cap first. */
  async dispatchText(session: Session, text: string): Promise<{ id: number | null; outcome: CallOutcome }> {
    if (Buffer.byteLength(text, 'utf8') > MAX_MESSAGE_BYTES) return { id: null, outcome: fail(errors.tooLarge(MAX_MESSAGE_BYTES)) };
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      return { id: null, outcome: fail(errors.badRequest(['message is not JSON'])) };
    }
    const id = typeof raw === 'object' && raw !== null && Number.isInteger((raw as { id?: unknown }).id) ? (raw as { id: number }).id : null;
    return { id, outcome: await this.dispatch(session, raw) };
  }

  async run(session: Session, name: string, payload: unknown, override?: Override): Promise<CallOutcome> {
    if (!isCallName(name)) return fail(errors.unknownCall(name));
    const spec = calls[name];
    const parsed = spec.request.safeParse(payload ?? {});
    if (!parsed.success) return fail(errors.badRequest(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)));

    try {
      const ctx = this.context(session, spec.access, override);
      const handler = this.handlers[name] as Handler<CallName>;
      const result = await handler(ctx, parsed.data as never);
      return { ok: true, result };
    } catch (error) {
      if (error instanceof PosError) return fail(error);
      this.log.error(name, error);
      return fail(errors.internal());
    }
  }

  private context(session: Session, access: (typeof calls)[CallName]['access'], override: Override | undefined): CallContext {
    let overrideUser: User | null | undefined; // resolved lazily: the KDF is slow
    const resolveOverride = (): User | null => {
      if (overrideUser === undefined) overrideUser = override ? this.access.verifyPin(override.pin) : null;
      return overrideUser;
    };
    let authorisedBy: User | null = null;
    const require = (permission: Permission): User => {
      const actor = session.user;
      if (!actor || session.locked) throw errors.unauthenticated();
      if (this.access.can(actor, permission)) return actor;
      if (override) {
        const supervisor = resolveOverride();
        if (!supervisor) throw errors.badPin();
        if (this.access.can(supervisor, permission)) {
          authorisedBy = supervisor;
          return supervisor;
        }
      }
      throw errors.forbidden(permission);
    };

    if (access !== 'public') {
      if (!session.user || session.locked) throw errors.unauthenticated();
      if (access !== 'session') require(access);
    }
    return {
      session,
      actor: session.user,
      get authorisedBy() { return authorisedBy; },
      require,
    };
  }
}

function fail(error: PosError): CallOutcome {
  return { ok: false, error: error.toShape() };
}
