// The logical shift: open, close (only with no unfinished receipts), cash in / out, the summary.
import type { Shift, ShiftSummary, User } from '../../contract';
import type { EventBus } from '../../app/event-bus';
import { errors } from '../../app/errors';
import type { SalesStore } from '../../store/sales-store';
import { newId } from '../../store/ids';
import type { Clock } from '../clock';
import { posActor } from '../pos-events/pos-event';
import { noPosEvents, type PosEventPublisher } from '../pos-events/pos-event-stream';

export class ShiftService {
  constructor(private readonly store: SalesStore, private readonly events: EventBus, private readonly clock: Clock,
    /** Loss-prevention event stream: published after each commit. */
    private readonly posEvents: PosEventPublisher = noPosEvents) {}

  current(): Shift | null {
    return this.store.shifts.current();
  }

  /** The open shift, or NO_OPEN_SHIFT: selling needs one. */
  requireOpen(): Shift {
    const shift = this.store.shifts.current();
    if (!shift) throw errors.noOpenShift();
    return shift;
  }

  summary(shift: Shift): ShiftSummary {
    const t = this.store.shifts.totals(shift.id);
    return { shift, ...t, cashInDrawerKopecks: t.cashSalesKopecks + t.cashInKopecks - t.cashOutKopecks - t.cashRefundsKopecks };
  }

  open(actor: User): Shift {
    if (this.store.shifts.current()) throw errors.invalidState('Смена уже открыта', 'The shift is already open');
    const at = this.clock.nowIso();
    const shift = this.store.transaction(() => {
      const opened = { id: newId(), number: this.store.counters.next('shift'), openedAt: at, openedBy: actor.id };
      this.store.shifts.open(opened);
      this.store.outbox.add({ type: 'shift.opened', aggregateId: opened.id, payload: opened, at });
      this.store.audit.append({ at, actorId: actor.id, authorisedBy: null, action: 'shift.open', subjectId: opened.id, details: { number: opened.number } });
      return this.store.shifts.byId(opened.id)!;
    });
    this.events.emit('shift.changed', { shift });
    this.posEvents.publish({ kind: 'shift.opened', at, cashier: posActor(actor), shiftNumber: shift.number });
    return shift;
  }

  close(actor: User): ShiftSummary {
    const shift = this.requireOpen();
    const at = this.clock.nowIso();
    const summary = this.store.transaction(() => {
      const before = this.summary(shift);
      if (before.openReceipts > 0) {
        throw errors.invalidState('Есть незакрытые чеки: оплатите или отмените их', 'There are unfinished receipts: pay or cancel them first',
          { openReceipts: before.openReceipts });
      }
      // Empty receipts left open or parked are abandoned with the shift.
      for (const r of this.store.receipts.active()) this.store.receipts.setStatus(r.id, 'cancelled', at);
      this.store.shifts.close(shift.id, at, actor.id);
      const closed = this.summary(this.store.shifts.byId(shift.id)!);
      this.store.outbox.add({ type: 'shift.closed', aggregateId: shift.id, payload: closed, at });
      this.store.audit.append({ at, actorId: actor.id, authorisedBy: null, action: 'shift.close', subjectId: shift.id,
        details: { salesCount: closed.salesCount, salesTotalKopecks: closed.salesTotalKopecks, cashInDrawerKopecks: closed.cashInDrawerKopecks } });
      return closed;
    });
    this.events.emit('shift.changed', { shift: null });
    this.posEvents.publish({ kind: 'shift.closed', at, cashier: posActor(actor), salesCount: summary.salesCount,
      salesTotalKopecks: summary.salesTotalKopecks, cashInDrawerKopecks: summary.cashInDrawerKopecks });
    return summary;
  }

  moveCash(actor: User, direction: 'in' | 'out', amountKopecks: number, comment: string): ShiftSummary {
    const shift = this.requireOpen();
    const at = this.clock.nowIso();
    const summary = this.store.transaction(() => {
      const current = this.summary(shift);
      if (direction === 'out' && amountKopecks > current.cashInDrawerKopecks) {
        throw errors.invalidState('В кассе нет такой суммы', 'There is not that much cash in the drawer',
          { cashInDrawerKopecks: current.cashInDrawerKopecks });
      }
      const move = { id: newId(), shiftId: shift.id, direction, amountKopecks, comment, userId: actor.id, at };
      this.store.shifts.addCashMove(move);
      this.store.outbox.add({ type: direction === 'in' ? 'cash.in' : 'cash.out', aggregateId: move.id, payload: move, at });
      this.store.audit.append({ at, actorId: actor.id, authorisedBy: null, action: `cash.${direction}`, subjectId: move.id, details: { amountKopecks, comment } });
      return this.summary(shift);
    });
    this.posEvents.publish({ kind: 'cash.moved', at, cashier: posActor(actor), direction, amountKopecks, comment });
    this.posEvents.publish({ kind: 'drawer.opened', at, cashier: posActor(actor), reason: 'cashMove' });
    return summary;
  }
}
