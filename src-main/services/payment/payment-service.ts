// Card payments exactly once (issue 6). Every card operation is a journal row committed before the
// terminal hears of it (journalled), moved to 'sent' in its own commit right before the driver is
// called, and given the outcome the terminal reported. An answer that never came ('unknown', a crash, a
// power cut) is found out from the terminal's last-operation report before anything else happens on that
// terminal; a purchase is never re-run to find out. What cannot be decided waits for a supervisor.
// Cancels and refunds go to the terminal that took the payment; settlement runs on every terminal.
import { TerminalError, type CardOperationRequest, type CardOutcome, type PaymentTerminal } from '../../../drivers/payment/payment-terminal';
import type { CardOperation, TerminalSettlement, TerminalStatus } from '../../contract/payment-model';
import type { AuditEntry } from '../../store/audit-log';
import { newId } from '../../store/ids';
import type { PaymentJournal } from '../../store/payment-journal';
import type { Clock } from '../clock';
import { matchLastOperation, type JournalledOperation, type MatchDecision } from './last-operation-match';
import { NEVER_REACHED, NEVER_REACHED_CODES, paymentErrors } from './payment-errors';
import { routeCardPayment } from './routing';
import type { TerminalRegistry } from './terminal-registry';

export type PaymentEvent =
  | { type: 'payment.progress'; operationId: string; terminalId: string; message: string }
  | { type: 'payment.changed'; operation: CardOperation }
  | { type: 'payment.attention'; operation: CardOperation; reason: string }
  | { type: 'payment.settled'; settlement: TerminalSettlement };

export interface PaymentServiceDeps {
  journal: PaymentJournal;
  terminals: TerminalRegistry;
  clock: Clock;
  /** On the journal's connection, so that a state change and its audit record commit together. */
  audit?: { append(entry: AuditEntry): void };
}

export interface PaymentServiceOptions {
  /** Right after an unknown outcome: how often, and how far apart, the terminal is asked what happened. */
  enquiryAttempts: number;
  enquiryDelayMs: number;
  /** Ask readiness() before journalling, so that a terminal that is down is skipped before anything starts. */
  checkReadiness: boolean;
  /** Our reference as the terminal gets it (some protocols limit its length). Must be unique. */
  referenceOf: (operationId: string) => string;
}

export const DEFAULT_PAYMENT_OPTIONS: PaymentServiceOptions = {
  enquiryAttempts: 3, enquiryDelayMs: 2_000, checkReadiness: true, referenceOf: (id) => id,
};

export interface CardPaymentOptions {
  method?: string;
  cardType?: string;
  actorId?: string | null;
}

export interface RecoveryReport {
  resolved: CardOperation[];
  /** Still unknown: the terminal could not be asked (unreachable) or does not know yet. */
  pending: CardOperation[];
  needsSupervisor: CardOperation[];
  /** Abandoned approvals handled (cancelled, or sent to a supervisor). */
  abandoned: CardOperation[];
}

type JournalRow = CardOperation & { reference: string };

export class PaymentService {
  private readonly options: PaymentServiceOptions;
  private readonly listeners = new Set<(e: PaymentEvent) => void>();
  /** Terminals with an operation running in this process: one at a time per terminal. */
  private readonly busy = new Set<string>();
  private startup: Promise<RecoveryReport> | null = null;

  constructor(private readonly deps: PaymentServiceDeps, options: Partial<PaymentServiceOptions> = {}) {
    this.options = { ...DEFAULT_PAYMENT_OPTIONS, ...options };
  }

  on(listener: (e: PaymentEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  operation(operationId: string): CardOperation | null { return this.deps.journal.operation(operationId); }
  operationsFor(receiptId: string): CardOperation[] { return this.deps.journal.forReceipt(receiptId); }
  attention(): CardOperation[] { return this.deps.journal.needingSupervisor(); }

  terminalStatus(): TerminalStatus[] {
    return this.deps.terminals.configs().map((t) => {
      const h = this.deps.terminals.healthOf(t.id);
      return { id: t.id, name: t.name, role: t.role, protocol: t.protocol, enabled: t.enabled, up: h?.up ?? true,
        message: h?.message ?? '', unresolved: this.deps.journal.unresolvedCount(t.id) };
    });
  }

  // ---- a card payment ---------------------------------------------------------------------------------------

  /**
   * Charges amountKopecks of the receipt to a card: on terminalId when the cashier chose it, else on the
   * terminal routing picks (falling back to the next only when an attempt certainly did not start).
   * Resolves with the operation as it ended: approved, declined, unknown (asked about again by recover())
   * or needs_supervisor. Throws a PosError when no operation could be journalled at all.
   */
  async startCardPayment(receiptId: string, amountKopecks: number, terminalId?: string, options: CardPaymentOptions = {}): Promise<CardOperation> {
    await this.ready();
    const { journal, terminals } = this.deps;
    const receipt = journal.receipt(receiptId);
    if (!receipt) throw paymentErrors.receiptNotOpen('missing');
    if (receipt.status !== 'open') throw paymentErrors.receiptNotOpen(receipt.status);
    // Card tenders never exceed what is left; approved and in-doubt purchases both use up the total.
    const left = receipt.totalKopecks - journal.cardCommittedKopecks(receiptId);
    if (!Number.isSafeInteger(amountKopecks) || amountKopecks <= 0 || amountKopecks > left) throw paymentErrors.exceedsRemainder(Math.max(0, left));

    const route = routeCardPayment(terminals.configs(),
      { amountKopecks, ...(options.method ? { method: options.method } : {}), ...(options.cardType ? { cardType: options.cardType } : {}),
        ...(terminalId ? { terminalId } : {}) },
      (id) => terminals.isAvailable(id) && !this.busy.has(id) && journal.unresolvedCount(id) === 0);
    if (!route.ok) throw paymentErrors.noTerminal(route.code, route.terminalId);

    let last: CardOperation | null = null;
    let lastReason = '';
    for (const config of route.candidates) {
      if (this.busy.has(config.id)) continue;
      this.busy.add(config.id);
      try {
        const terminal = await this.openForNew(config.id);
        if (!terminal.ok) { lastReason = terminal.reason; continue; }
        // Checked again inside the journal's transaction: two payments racing for one receipt cannot both pass.
        const op = this.journalOperation({ receiptId, terminalId: config.id, kind: 'purchase', amountKopecks, originalId: null }, options.actorId ?? null, () => {
          const now = journal.receipt(receiptId);
          const remainder = (now?.totalKopecks ?? 0) - journal.cardCommittedKopecks(receiptId);
          if (now?.status !== 'open') throw paymentErrors.receiptNotOpen(now?.status ?? 'missing');
          if (amountKopecks > remainder) throw paymentErrors.exceedsRemainder(Math.max(0, remainder));
        });
        const result = await this.execute(op, terminal.terminal, { kind: 'purchase', amountKopecks, reference: op.reference }, options.actorId ?? null);
        last = result.operation;
        if (!result.notStarted) return result.operation;
        lastReason = result.operation.outcome?.message ?? '';
      } finally {
        this.busy.delete(config.id);
      }
    }
    if (last) return last;
    throw paymentErrors.noTerminal('allUnavailable', terminalId ?? lastReason);
  }

  /** The cashier gives up waiting: asks the terminal to abort; the running operation still ends with its outcome. */
  async abort(terminalId: string): Promise<void> {
    if (!this.busy.has(terminalId)) return;
    const terminal = await this.deps.terminals.get(terminalId, 'existing');
    await terminal.abort();
  }

  // ---- cancel and refund ------------------------------------------------------------------------------------

  /** Reversal of an approved purchase before its terminal settled, on the terminal that took it. */
  async cancel(operationId: string, actorId: string | null = null): Promise<CardOperation> {
    await this.ready();
    return this.cancelNow(operationId, actorId);
  }

  private async cancelNow(operationId: string, actorId: string | null): Promise<CardOperation> {
    const { journal } = this.deps;
    const purchase = journal.operation(operationId);
    if (!purchase) throw paymentErrors.notCancellable('not found');
    if (purchase.kind !== 'purchase' || (purchase.state !== 'approved' && !(purchase.state === 'needs_supervisor' && purchase.approved))) {
      throw paymentErrors.notCancellable(`${purchase.kind} in state ${purchase.state}`);
    }
    if (journal.refundedKopecks(purchase.id) > 0) throw paymentErrors.notCancellable('partly refunded: refund the rest instead');
    // A reversal done, or in doubt, is never sent a second time: it is found out or decided by a supervisor.
    if (journal.undoneBy(purchase.id).some((o) => o.kind === 'cancel' && o.state !== 'declined')) throw paymentErrors.notCancellable('a reversal is done or in doubt');
    const settledAt = journal.lastSettledAt(purchase.terminalId);
    if (settledAt !== null && settledAt >= purchase.createdAt) throw paymentErrors.settledUseRefund();
    return this.undo(purchase, 'cancel', purchase.amountKopecks, actorId);
  }

  /** A refund (after settlement, or partial) on the terminal that took the purchase; refunds never exceed it. */
  async refund(operationId: string, amountKopecks: number, actorId: string | null = null): Promise<CardOperation> {
    await this.ready();
    const { journal } = this.deps;
    const purchase = journal.operation(operationId);
    if (!purchase) throw paymentErrors.notRefundable('not found');
    if (purchase.kind !== 'purchase' || purchase.state !== 'approved') throw paymentErrors.notRefundable(`${purchase.kind} in state ${purchase.state}`);
    const left = purchase.amountKopecks - journal.refundedKopecks(purchase.id);
    if (!Number.isSafeInteger(amountKopecks) || amountKopecks <= 0 || amountKopecks > left) throw paymentErrors.refundTooLarge(Math.max(0, left));
    return this.undo(purchase, 'refund', amountKopecks, actorId);
  }

  private async undo(purchase: CardOperation, kind: 'cancel' | 'refund', amountKopecks: number, actorId: string | null): Promise<CardOperation> {
    const { journal, terminals } = this.deps;
    const terminalId = purchase.terminalId;
    if (this.busy.has(terminalId)) throw paymentErrors.terminalBusy(terminalId);
    if (journal.unresolvedCount(terminalId) > 0) throw paymentErrors.unresolved(terminalId);
    this.busy.add(terminalId);
    try {
      let terminal: PaymentTerminal;
      try {
        terminal = await terminals.get(terminalId, 'existing');
      } catch (error) {
        throw paymentErrors.terminalUnreachable(terminalId, (error as Error).message);
      }
      const op = this.journalOperation({ receiptId: purchase.receiptId, terminalId, kind, amountKopecks, originalId: purchase.id }, actorId);
      const original = purchase.approved ?? { amountKopecks: purchase.amountKopecks, rrn: null, authCode: null, receiptNumber: null,
        terminalId: null, cardMasked: null, cardType: null };
      const result = await this.execute(op, terminal, { kind, amountKopecks, reference: op.reference, original }, actorId);
      return result.operation;
    } finally {
      this.busy.delete(terminalId);
    }
  }

  // ---- recovery ---------------------------------------------------------------------------------------------

  /**
   * Finds out every operation left 'journalled', 'sent' or 'unknown' (crash, power cut, lost answer) from
   * its terminal's last-operation report, then deals with approvals whose receipt was abandoned.
   * Nothing is ever re-run to find out. Safe to call again at any time.
   */
  recover(actorId: string | null = null): Promise<RecoveryReport> {
    const run = this.runRecovery(actorId);
    this.startup ??= run;
    return run;
  }

  private async runRecovery(actorId: string | null): Promise<RecoveryReport> {
    const { journal } = this.deps;
    const report: RecoveryReport = { resolved: [], pending: [], needsSupervisor: [], abandoned: [] };
    const byTerminal = new Map<string, JournalRow[]>();
    for (const op of journal.unresolved()) {
      if (this.busy.has(op.terminalId)) continue; // running right now in this process: its own call resolves it
      const list = byTerminal.get(op.terminalId) ?? [];
      list.push(op);
      byTerminal.set(op.terminalId, list);
    }
    for (const [terminalId, ops] of byTerminal) {
      this.busy.add(terminalId);
      try {
        for (const [i, op] of ops.entries()) {
          let result: CardOperation;
          if (op.state === 'journalled') {
            // Written, never handed to the driver: certainly not performed.
            result = this.record(op, { state: 'declined', outcome: { code: NEVER_REACHED.notSent, message: 'the lane stopped before the terminal was called' } },
              'payment.card.notSent', actorId);
          } else if (ops.slice(i + 1).some((o) => o.state !== 'journalled')) {
            // A later operation reached the terminal: its last-operation report can no longer speak of this one.
            result = this.attentionFor(op, 'a later operation on the terminal hides this one\'s outcome', null, actorId);
          } else {
            result = await this.enquire(op, actorId, 1);
          }
          if (result.state === 'needs_supervisor') report.needsSupervisor.push(result);
          else if (result.state === 'unknown' || result.state === 'sent') report.pending.push(result);
          else report.resolved.push(result);
        }
      } finally {
        this.busy.delete(terminalId);
      }
    }
    report.abandoned = await this.abandonedApprovals(actorId);
    return report;
  }

  /**
   * Approved card purchases no sale owns whose receipt was cancelled, closed without them, is gone, or
   * whose shift closed: reversed on the same terminal, or — when that cannot be done (settled, declined,
   * unreachable, in doubt) — put before a supervisor. Never forgotten.
   */
  async abandonedApprovals(actorId: string | null = null): Promise<CardOperation[]> {
    const out: CardOperation[] = [];
    for (const u of this.deps.journal.unattachedApprovals()) {
      const abandoned = u.receiptStatus === null || u.receiptStatus === 'cancelled' || u.receiptStatus === 'closed' || u.shiftClosed;
      // A terminal still finding out an earlier operation is left for the next round, not reported.
      if (!abandoned || this.busy.has(u.operation.terminalId) || this.deps.journal.unresolvedCount(u.operation.terminalId) > 0) continue;
      // The list was read before the awaits of this loop: another round (a cancelled receipt's, recovery's)
      // may have reversed this approval meanwhile. Acting on the stale row put a purchase already cancelled
      // on its terminal before a supervisor.
      const now = this.deps.journal.operation(u.operation.id);
      if (now?.state !== 'approved' || now.saleId !== null) continue;
      let reason: string;
      try {
        let cancel = await this.cancelNow(u.operation.id, actorId);
        // A reversal that certainly never reached the terminal (its command lost, found out from the
        // terminal) reversed nothing and is safe to send again: once, at once, before a supervisor is asked.
        if (cancel.state === 'declined' && cancel.outcome && NEVER_REACHED_CODES.has(cancel.outcome.code)) cancel = await this.cancelNow(u.operation.id, actorId);
        if (cancel.state === 'approved') { out.push(this.deps.journal.operation(u.operation.id)!); continue; }
        reason = `abandoned approval: the reversal ended ${cancel.state}${cancel.outcome ? ` (${cancel.outcome.message})` : ''}`;
      } catch (error) {
        reason = `abandoned approval: the reversal could not be made (${(error as Error).message})`;
      }
      out.push(this.attentionFor(this.deps.journal.row(u.operation.id)!, reason, { receiptStatus: u.receiptStatus, shiftClosed: u.shiftClosed }, actorId));
    }
    return out;
  }

  /**
   * A supervisor decides an operation in doubt (needs_supervisor, or unknown with the terminal out of
   * reach), with the facts: the decision, who made it, and everything recovery knew go in the journal.
   */
  supervisorResolve(operationId: string, decision: 'approved' | 'declined', by: string, note?: string): CardOperation {
    const { journal } = this.deps;
    const op = journal.row(operationId);
    if (!op) throw paymentErrors.notInDoubt('missing');
    if (op.state !== 'needs_supervisor' && op.state !== 'unknown') throw paymentErrors.notInDoubt(op.state);
    const at = this.deps.clock.nowIso();
    const resolution = { by, decision, note: note ?? null, at, before: { state: op.state, attention: op.attention, resolution: op.resolution } };
    journal.transaction(() => {
      journal.recordOutcome(op.id, {
        state: decision, resolution, at,
        outcome: decision === 'declined' ? { code: 'SUPERVISOR', message: note ?? 'declined by a supervisor' } : op.outcome,
      });
      if (decision === 'approved' && op.kind === 'cancel' && op.originalId) journal.markCancelled(op.originalId, at);
      this.audit({ at, actorId: by, authorisedBy: null, action: 'payment.resolve', subjectId: op.receiptId,
        details: { operationId: op.id, kind: op.kind, terminalId: op.terminalId, amountKopecks: op.amountKopecks, decision, note: note ?? null } });
    });
    return this.changed(journal.operation(op.id)!);
  }

  // ---- settlement -------------------------------------------------------------------------------------------

  /**
   * Settlement (сверка итогов) on every enabled terminal, each report stored. A terminal with an operation
   * still in doubt is not settled: after settlement its last-operation report would no longer tell.
   */
  async settleAll(shiftId: string | null, actorId: string | null = null): Promise<TerminalSettlement[]> {
    await this.recover(actorId);
    const out: TerminalSettlement[] = [];
    for (const config of this.deps.terminals.configs().filter((t) => t.enabled)) {
      const base = { id: newId(this.deps.clock.nowMs()), terminalId: config.id, shiftId };
      let result: { ok: boolean; message: string; slip: string[] };
      if (this.busy.has(config.id)) {
        result = { ok: false, message: 'the terminal is busy with an operation', slip: [] };
      } else if (this.deps.journal.unresolvedCount(config.id) > 0) {
        result = { ok: false, message: 'an operation on this terminal is still in doubt: resolve it first', slip: [] };
      } else {
        this.busy.add(config.id);
        try {
          const terminal = await this.deps.terminals.get(config.id);
          result = await terminal.settlement();
          this.deps.terminals.markUp(config.id);
        } catch (error) {
          result = { ok: false, message: (error as Error).message, slip: [] };
          if (error instanceof TerminalError && error.kind === 'unavailable') this.deps.terminals.markDown(config.id, error.message);
        } finally {
          this.busy.delete(config.id);
        }
      }
      const settlement: TerminalSettlement = { ...base, at: this.deps.clock.nowIso(), ok: result.ok, message: result.message, slip: result.slip };
      this.deps.journal.transaction(() => {
        this.deps.journal.addSettlement(settlement);
        this.audit({ at: settlement.at, actorId, authorisedBy: null, action: 'payment.settlement', subjectId: shiftId,
          details: { terminalId: config.id, ok: result.ok, message: result.message } });
      });
      this.emit({ type: 'payment.settled', settlement });
      out.push(settlement);
    }
    return out;
  }

  // ---- internals --------------------------------------------------------------------------------------------

  /** Recovery runs once before the first operation of this process: nothing new starts before it. */
  private async ready(): Promise<void> {
    this.startup ??= this.recover();
    await this.startup;
  }

  private async openForNew(terminalId: string): Promise<{ ok: true; terminal: PaymentTerminal } | { ok: false; reason: string }> {
    const { terminals } = this.deps;
    try {
      const terminal = await terminals.get(terminalId);
      if (this.options.checkReadiness) {
        const readiness = await terminal.readiness();
        if (!readiness.ready) {
          terminals.markDown(terminalId, readiness.message);
          return { ok: false, reason: readiness.message };
        }
      }
      return { ok: true, terminal };
    } catch (error) {
      terminals.markDown(terminalId, (error as Error).message);
      await terminals.reset(terminalId);
      return { ok: false, reason: (error as Error).message };
    }
  }

  /** The journal row, committed before anything goes to the terminal. */
  private journalOperation(o: { receiptId: string; terminalId: string; kind: CardOperation['kind']; amountKopecks: number; originalId: string | null },
    actorId: string | null, guard: () => void = () => undefined): JournalRow {
    const { journal, clock } = this.deps;
    const id = newId(clock.nowMs());
    const at = clock.nowIso();
    const reference = this.options.referenceOf(id);
    const op = journal.transaction(() => {
      guard();
      const row = journal.journal({ id, ...o, reference, at });
      this.audit({ at, actorId, authorisedBy: null, action: `payment.${o.kind}.journal`, subjectId: o.receiptId,
        details: { operationId: id, terminalId: o.terminalId, amountKopecks: o.amountKopecks, originalId: o.originalId } });
      return row;
    });
    this.changed(op);
    return { ...op, reference };
  }

  /** sent (own commit) → the terminal → the outcome; an unknown outcome is enquired about at once. */
  private async execute(op: JournalRow, terminal: PaymentTerminal, request: CardOperationRequest, actorId: string | null):
    Promise<{ operation: CardOperation; notStarted: boolean }> {
    const { journal, clock, terminals } = this.deps;
    if (!journal.markSent(op.id, clock.nowIso())) throw new Error(`operation ${op.id} was not journalled`);
    let outcome: CardOutcome;
    try {
      outcome = await terminal.run(request, (message) => this.emit({ type: 'payment.progress', operationId: op.id, terminalId: op.terminalId, message }));
    } catch (error) {
      if (error instanceof TerminalError) {
        // The driver's promise: a TerminalError means the operation certainly did not start.
        if (error.kind === 'unavailable') { terminals.markDown(op.terminalId, error.message); await terminals.reset(op.terminalId); }
        const operation = this.record(op, { state: 'declined', outcome: { code: NEVER_REACHED.notStarted, message: `${error.kind}: ${error.message}` } },
          `payment.${op.kind}.notStarted`, actorId);
        return { operation, notStarted: true };
      }
      // Anything else may have happened after the request reached the terminal: find out, never assume.
      outcome = { state: 'unknown', reason: (error as Error).message ?? String(error) };
    }
    terminals.markUp(op.terminalId);
    if (outcome.state !== 'unknown') return { operation: this.apply(op, outcomeDecision(outcome), actorId), notStarted: false };
    this.record(op, { state: 'unknown', outcome: { code: 'UNKNOWN', message: outcome.reason } }, `payment.${op.kind}.unknown`, actorId);
    return { operation: await this.enquire({ ...op, state: 'unknown' }, actorId, this.options.enquiryAttempts), notStarted: false };
  }

  /** Asks the terminal about its last operation, up to `attempts` times, and applies what it says. */
  private async enquire(op: JournalRow, actorId: string | null, attempts: number): Promise<CardOperation> {
    const { journal, terminals } = this.deps;
    const previous = journal.earlierOnTerminal(op.terminalId, op.id).find((o) => !(o.outcome && NEVER_REACHED_CODES.has(o.outcome.code))) ?? null;
    const ours: JournalledOperation = { reference: op.reference, kind: op.kind, amountKopecks: op.amountKopecks, approved: null };
    const prev: JournalledOperation | null = previous
      ? { reference: previous.reference, kind: previous.kind, amountKopecks: previous.amountKopecks, approved: previous.approved, declined: previous.state === 'declined' } : null;
    let lastReason = 'the terminal could not be asked';
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) await delay(this.options.enquiryDelayMs);
      try {
        const terminal = await terminals.get(op.terminalId, 'existing');
        const report = await terminal.lastOperation();
        const decision = matchLastOperation(ours, prev, report);
        if (decision.decision !== 'unknown') return this.apply(op, decision, actorId, report);
        lastReason = decision.reason;
      } catch (error) {
        lastReason = (error as Error).message;
        await terminals.reset(op.terminalId);
      }
    }
    // Still in doubt: it stays 'unknown', blocks its terminal, and recover() (or a supervisor) finishes it.
    return this.record(op, { state: 'unknown', outcome: { code: 'UNKNOWN', message: lastReason } }, `payment.${op.kind}.unknown`, actorId);
  }

  private apply(op: JournalRow, d: MatchDecision, actorId: string | null, report?: unknown): CardOperation {
    const facts = report === undefined ? undefined : { report, decision: d.decision, basis: 'basis' in d ? d.basis : null };
    switch (d.decision) {
      case 'approved':
        return this.record(op, { state: 'approved', approved: d.operation, slip: d.slip, outcome: null, resolution: facts }, `payment.${op.kind}.approved`, actorId);
      case 'declined':
        return this.record(op, { state: 'declined', slip: d.slip, outcome: { code: d.code, message: d.message }, resolution: facts },
          `payment.${op.kind}.declined`, actorId);
      case 'notPerformed':
        return this.record(op, { state: 'declined', outcome: { code: NEVER_REACHED.notPerformed, message: 'the terminal never performed it' }, resolution: facts },
          `payment.${op.kind}.notPerformed`, actorId);
      case 'unknown':
        return this.record(op, { state: 'unknown', outcome: { code: 'UNKNOWN', message: d.reason } }, `payment.${op.kind}.unknown`, actorId);
      case 'supervisor':
        return this.attentionFor(op, d.reason, facts ?? null, actorId);
    }
  }

  private record(op: JournalRow | CardOperation, o: Omit<Parameters<PaymentJournal['recordOutcome']>[1], 'at'>, action: string, actorId: string | null): CardOperation {
    const { journal, clock } = this.deps;
    const at = clock.nowIso();
    journal.transaction(() => {
      journal.recordOutcome(op.id, { ...o, at });
      if (o.state === 'approved' && op.kind === 'cancel' && op.originalId) journal.markCancelled(op.originalId, at);
      this.audit({ at, actorId, authorisedBy: null, action, subjectId: op.receiptId,
        details: { operationId: op.id, terminalId: op.terminalId, amountKopecks: op.amountKopecks, state: o.state,
          rrn: o.approved?.rrn ?? null, authCode: o.approved?.authCode ?? null, outcome: o.outcome ?? null } });
    });
    if (o.state === 'approved' && op.kind === 'cancel' && op.originalId) this.changed(journal.operation(op.originalId)!);
    return this.changed(journal.operation(op.id)!);
  }

  private attentionFor(op: CardOperation, reason: string, facts: unknown, actorId: string | null): CardOperation {
    const { journal, clock } = this.deps;
    const at = clock.nowIso();
    journal.transaction(() => {
      journal.needsSupervisor(op.id, reason, facts ?? undefined, at);
      this.audit({ at, actorId, authorisedBy: null, action: `payment.${op.kind}.needsSupervisor`, subjectId: op.receiptId,
        details: { operationId: op.id, terminalId: op.terminalId, amountKopecks: op.amountKopecks, reason } });
    });
    const updated = journal.operation(op.id)!;
    this.emit({ type: 'payment.attention', operation: updated, reason });
    return this.changed(updated);
  }

  private audit(entry: AuditEntry): void {
    this.deps.audit?.append(entry);
  }

  private changed(operation: CardOperation): CardOperation {
    this.emit({ type: 'payment.changed', operation });
    return operation;
  }

  private emit(event: PaymentEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        console.error('[payment] listener failed:', error); // a broken window must not break a payment
      }
    }
  }
}

function outcomeDecision(outcome: Exclude<CardOutcome, { state: 'unknown' }>): MatchDecision {
  if (outcome.state === 'declined') return { decision: 'declined', code: outcome.code, message: outcome.message, slip: outcome.slip, basis: 'reference' };
  const { state: _state, slip, ...operation } = outcome;
  return { decision: 'approved', operation, slip, basis: 'reference' };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
