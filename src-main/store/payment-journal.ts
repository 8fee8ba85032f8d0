// The card payment journal (issue 6, migration 4): one row per card operation, written before the
// terminal hears of it, with the state the terminal (or recovery, or a supervisor) gave it; the terminal
// configuration and internal payment types; and the stored settlement reports. Each call here is one
// committed write, so that a crash leaves the journal exactly as far as the last thing that happened.
// An operation that reaches its outcome (approved or declined) is also a payment.operation outbox row,
// written with the outcome.
import type { Database, Statement } from 'better-sqlite3';
import type {
  ApprovedCardFields, CardOperation, CardOperationState, InternalPaymentType, PaymentTerminalConfig, TerminalRouting, TerminalSettlement,
} from '../contract/payment-model';
import { Outbox } from './outbox';
import { paymentOperationDocument } from './payment-operation-document';

export type CardOperationKind = CardOperation['kind'];

/** An approved purchase no sale owns, with what became of its receipt. */
export interface UnattachedApproval {
  operation: CardOperation;
  /** null when the receipt row does not exist (a return document, or something went very wrong). */
  receiptStatus: 'open' | 'parked' | 'closed' | 'cancelled' | null;
  /** The receipt's shift is closed: nobody will finish this receipt any more. */
  shiftClosed: boolean;
}

interface OpRow {
  id: string; receipt_id: string; sale_id: string | null; terminal_id: string; kind: CardOperationKind; amount_kopecks: number;
  state: CardOperationState; reference: string; original_id: string | null; approved: string | null; slip: string | null;
  outcome: string | null; attention: string | null; resolution: string | null; created_at: string; updated_at: string;
}
interface TerminalRow { id: string; name: string; protocol: string; connection: string; role: string; routing: string; enabled: number }
interface TypeRow { id: string; name: string; ffd_kind: InternalPaymentType['ffdKind']; enabled: number }
interface SettlementRow { id: string; terminal_id: string; shift_id: string | null; at: string; ok: number; message: string; slip: string }

const UNRESOLVED = `('journalled','sent','unknown')`;
/** States an operation ends in: its document goes upstream when it first reaches one. */
const FINAL_STATES: ReadonlySet<CardOperationState> = new Set(['approved', 'declined', 'cancelled']);
/** Refunds that count against the purchase: done, or possibly done. */
const REFUND_COUNTS = `('journalled','sent','unknown','needs_supervisor','approved')`;

export class PaymentJournal {
  private readonly s: {
    insert: Statement<[string, string, string, CardOperationKind, number, string, string | null, string, string]>;
    byId: Statement<[string], OpRow>;
    byReceipt: Statement<[string], OpRow>;
    byOriginal: Statement<[string], OpRow>;
    setState: Statement<[CardOperationState, string, string, CardOperationState]>;
    outcome: Statement<[CardOperationState, string | null, string | null, string | null, string | null, string, string]>;
    attention: Statement<[string, string | null, string, string]>;
    unresolved: Statement<[], OpRow>;
    attentionList: Statement<[number], OpRow>;
    unresolvedOn: Statement<[string], { n: number }>;
    latestOn: Statement<[string, string], OpRow>;
    unattached: Statement<[], OpRow & { receipt_status: UnattachedApproval['receiptStatus']; shift_closed: number | null }>;
    refunded: Statement<[string], { total: number }>;
    inFlightForReceipt: Statement<[string], { total: number }>;
    receipt: Statement<[string], { status: string; total_kopecks: number }>;
    attach: Statement<[string, string, string, string]>;
    terminals: Statement<[], TerminalRow>;
    upsertTerminal: Statement<[string, string, string, string, string, string, number]>;
    types: Statement<[], TypeRow>;
    upsertType: Statement<[string, string, string, number]>;
    addSettlement: Statement<[string, string, string | null, string, number, string, string]>;
    settlements: Statement<[string], SettlementRow>;
    lastSettlementOk: Statement<[string], { at: string }>;
  };

  private readonly outbox: Outbox;
  private readonly recordOutcomeAtomically: (id: string, o: Parameters<PaymentJournal['recordOutcome']>[1]) => void;

  constructor(private readonly db: Database) {
    this.outbox = new Outbox(db);
    this.s = {
      insert: db.prepare(`INSERT INTO payment_operations (id, receipt_id, terminal_id, kind, amount_kopecks, state, reference, original_id, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, 'journalled', ?, ?, ?, ?)`),
      byId: db.prepare('SELECT * FROM payment_operations WHERE id = ?'),
      byReceipt: db.prepare('SELECT * FROM payment_operations WHERE receipt_id = ? ORDER BY created_at, rowid'),
      byOriginal: db.prepare('SELECT * FROM payment_operations WHERE original_id = ? ORDER BY created_at, rowid'),
      setState: db.prepare('UPDATE payment_operations SET state = ?, updated_at = ? WHERE id = ? AND state = ?'),
      outcome: db.prepare(`UPDATE payment_operations SET state = ?, approved = coalesce(?, approved), slip = coalesce(?, slip),
        outcome = ?, resolution = coalesce(?, resolution), updated_at = ? WHERE id = ?`),
      attention: db.prepare(`UPDATE payment_operations SET state = 'needs_supervisor', attention = ?, resolution = coalesce(?, resolution), updated_at = ?
        WHERE id = ?`),
      unresolved: db.prepare(`SELECT * FROM payment_operations WHERE state IN ${UNRESOLVED} ORDER BY created_at, rowid`),
      attentionList: db.prepare(`SELECT * FROM payment_operations WHERE state = 'needs_supervisor' ORDER BY created_at, rowid LIMIT ?`),
      unresolvedOn: db.prepare(`SELECT count(*) AS n FROM payment_operations WHERE terminal_id = ? AND state IN ${UNRESOLVED}`),
      latestOn: db.prepare(`SELECT * FROM payment_operations WHERE terminal_id = ? AND state <> 'journalled'
        AND rowid < (SELECT rowid FROM payment_operations WHERE id = ?) ORDER BY rowid DESC LIMIT 20`),
      unattached: db.prepare(`SELECT o.*, r.status AS receipt_status, (s.closed_at IS NOT NULL) AS shift_closed
        FROM payment_operations o LEFT JOIN receipts r ON r.id = o.receipt_id LEFT JOIN shifts s ON s.id = r.shift_id
        WHERE o.kind = 'purchase' AND o.state = 'approved' AND o.sale_id IS NULL ORDER BY o.created_at, o.rowid`),
      refunded: db.prepare(`SELECT coalesce(sum(amount_kopecks), 0) AS total FROM payment_operations
        WHERE original_id = ? AND kind = 'refund' AND state IN ${REFUND_COUNTS}`),
      inFlightForReceipt: db.prepare(`SELECT coalesce(sum(amount_kopecks), 0) AS total FROM payment_operations
        WHERE receipt_id = ? AND kind = 'purchase' AND state IN ('journalled','sent','unknown','needs_supervisor','approved')`),
      receipt: db.prepare('SELECT status, total_kopecks FROM receipts WHERE id = ?'),
      attach: db.prepare(`UPDATE payment_operations SET sale_id = ?, updated_at = ? WHERE id = ? AND receipt_id = ?
        AND kind = 'purchase' AND state = 'approved' AND sale_id IS NULL`),
      terminals: db.prepare('SELECT * FROM payment_terminals ORDER BY id'),
      upsertTerminal: db.prepare(`INSERT INTO payment_terminals (id, name, protocol, connection, role, routing, enabled) VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(id) DO UPDATE SET name = excluded.name, protocol = excluded.protocol, connection = excluded.connection,
        role = excluded.role, routing = excluded.routing, enabled = excluded.enabled`),
      types: db.prepare('SELECT * FROM internal_payment_types ORDER BY name, id'),
      upsertType: db.prepare(`INSERT INTO internal_payment_types (id, name, ffd_kind, enabled) VALUES (?, ?, ?, ?)
        ON CONFLICT(id) DO UPDATE SET name = excluded.name, ffd_kind = excluded.ffd_kind, enabled = excluded.enabled`),
      addSettlement: db.prepare('INSERT INTO terminal_settlements (id, terminal_id, shift_id, at, ok, message, slip) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      settlements: db.prepare('SELECT * FROM terminal_settlements WHERE shift_id = ? ORDER BY at, rowid'),
      lastSettlementOk: db.prepare('SELECT at FROM terminal_settlements WHERE terminal_id = ? AND ok = 1 ORDER BY at DESC LIMIT 1'),
    };
    this.recordOutcomeAtomically = db.transaction((id: string, o: Parameters<PaymentJournal['recordOutcome']>[1]) => {
      const before = this.s.byId.get(id);
      this.s.outcome.run(o.state, o.approved ? JSON.stringify(o.approved) : null, o.slip ? o.slip.join('\n') : null,
        o.outcome ? JSON.stringify(o.outcome) : null, o.resolution === undefined ? null : JSON.stringify(o.resolution), o.at, id);
      if (!before || FINAL_STATES.has(before.state) || (o.state !== 'approved' && o.state !== 'declined')) return;
      const op = { ...toOperation(this.s.byId.get(id)!), state: o.state };
      this.outbox.add({ type: 'payment.operation', aggregateId: id, payload: paymentOperationDocument(op, o.at), at: o.at });
    });
  }

  /** Runs fn in one IMMEDIATE transaction (with an audit record on the same connection, say). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  // ---- operations -------------------------------------------------------------------------------------------

  /** The row is written, and committed, before the terminal hears of the operation. */
  journal(op: { id: string; receiptId: string; terminalId: string; kind: CardOperationKind; amountKopecks: number;
    reference: string; originalId: string | null; at: string }): CardOperation {
    this.s.insert.run(op.id, op.receiptId, op.terminalId, op.kind, op.amountKopecks, op.reference, op.originalId, op.at, op.at);
    return this.operation(op.id)!;
  }

  /** journalled → sent, right before the request goes to the driver. False when the row was not journalled. */
  markSent(id: string, at: string): boolean {
    return this.s.setState.run('sent', at, id, 'journalled').changes === 1;
  }

  /**
   * What the terminal (or recovery, or a supervisor) said. Approved fields and slip are kept when given.
   * The first approved or declined outcome also writes the operation's payment.operation outbox row, in
   * the same transaction (the caller's, or its own).
   */
  recordOutcome(id: string, o: { state: CardOperationState; approved?: ApprovedCardFields | null; slip?: string[] | null;
    outcome?: { code: string; message: string } | null; resolution?: unknown; at: string }): void {
    this.recordOutcomeAtomically(id, o);
  }

  /** A cancel was approved: the purchase it undid is cancelled. */
  markCancelled(purchaseId: string, at: string): void {
    // From needs_supervisor too: an abandoned approval whose cancel was in doubt, found done later.
    if (this.s.setState.run('cancelled', at, purchaseId, 'approved').changes === 0) this.s.setState.run('cancelled', at, purchaseId, 'needs_supervisor');
  }

  /** A supervisor must look; the facts go with it. */
  needsSupervisor(id: string, reason: string, facts: unknown, at: string): void {
    this.s.attention.run(reason, facts === undefined ? null : JSON.stringify(facts), at, id);
  }

  operation(id: string): CardOperation | null {
    const row = this.s.byId.get(id);
    return row ? toOperation(row) : null;
  }

  /** The journal row with its reference and resolution (for recovery and the audit). */
  row(id: string): (CardOperation & { reference: string; resolution: unknown }) | null {
    const row = this.s.byId.get(id);
    return row ? { ...toOperation(row), reference: row.reference, resolution: parse(row.resolution) } : null;
  }

  forReceipt(receiptId: string): CardOperation[] { return this.s.byReceipt.all(receiptId).map(toOperation); }

  /** The cancels and refunds of a purchase. */
  undoneBy(purchaseId: string): CardOperation[] { return this.s.byOriginal.all(purchaseId).map(toOperation); }

  /** Operations whose outcome must be found out, oldest first. */
  unresolved(): Array<CardOperation & { reference: string }> {
    return this.s.unresolved.all().map((r) => ({ ...toOperation(r), reference: r.reference }));
  }

  needingSupervisor(limit = 100): CardOperation[] { return this.s.attentionList.all(limit).map(toOperation); }

  /** Operations on this terminal whose outcome is not known yet: while any exist, nothing new goes to it. */
  unresolvedCount(terminalId: string): number { return this.s.unresolvedOn.get(terminalId)!.n; }

  /** The operations sent to this terminal before this one, newest first (to tell a last-operation report apart). */
  earlierOnTerminal(terminalId: string, exceptId: string): Array<CardOperation & { reference: string }> {
    return this.s.latestOn.all(terminalId, exceptId).map((r) => ({ ...toOperation(r), reference: r.reference }));
  }

  unattachedApprovals(): UnattachedApproval[] {
    return this.s.unattached.all().map((r) => ({ operation: toOperation(r), receiptStatus: r.receipt_status, shiftClosed: r.shift_closed === 1 }));
  }

  /** Refunds of this purchase that are done or may be done (in flight, unknown, awaiting a supervisor). */
  refundedKopecks(purchaseId: string): number { return this.s.refunded.get(purchaseId)!.total; }

  /** Card purchases on this receipt approved or possibly approved: they use up its total. */
  cardCommittedKopecks(receiptId: string): number { return this.s.inFlightForReceipt.get(receiptId)!.total; }

  receipt(receiptId: string): { status: string; totalKopecks: number } | null {
    const r = this.s.receipt.get(receiptId);
    return r ? { status: r.status, totalKopecks: r.total_kopecks } : null;
  }

  /** In the sale's transaction: these approved purchases belong to the sale. Throws if one does not qualify. */
  attachToSale(receiptId: string, saleId: string, operationIds: readonly string[], at: string): void {
    for (const id of operationIds) {
      if (this.s.attach.run(saleId, at, id, receiptId).changes !== 1) throw new Error(`card operation ${id} is not an unattached approved purchase of receipt ${receiptId}`);
    }
  }

  // ---- configuration ----------------------------------------------------------------------------------------

  terminals(): PaymentTerminalConfig[] {
    return this.s.terminals.all().map((r) => ({
      id: r.id, name: r.name, protocol: r.protocol, connection: JSON.parse(r.connection) as Record<string, unknown>, role: r.role,
      routing: JSON.parse(r.routing) as TerminalRouting, enabled: r.enabled === 1,
    }));
  }

  saveTerminal(t: PaymentTerminalConfig): void {
    this.s.upsertTerminal.run(t.id, t.name, t.protocol, JSON.stringify(t.connection), t.role, JSON.stringify(t.routing), t.enabled ? 1 : 0);
  }

  internalTypes(): InternalPaymentType[] {
    return this.s.types.all().map((r) => ({ id: r.id, name: r.name, ffdKind: r.ffd_kind, enabled: r.enabled === 1 }));
  }

  saveInternalType(t: InternalPaymentType): void {
    this.s.upsertType.run(t.id, t.name, t.ffdKind, t.enabled ? 1 : 0);
  }

  // ---- settlements ------------------------------------------------------------------------------------------

  addSettlement(s: TerminalSettlement): void {
    this.s.addSettlement.run(s.id, s.terminalId, s.shiftId, s.at, s.ok ? 1 : 0, s.message, s.slip.join('\n'));
  }

  settlements(shiftId: string): TerminalSettlement[] {
    return this.s.settlements.all(shiftId).map((r) => ({
      id: r.id, terminalId: r.terminal_id, shiftId: r.shift_id, at: r.at, ok: r.ok === 1, message: r.message, slip: r.slip === '' ? [] : r.slip.split('\n'),
    }));
  }

  /** When this terminal last settled successfully: operations before it can no longer be reversed, only refunded. */
  lastSettledAt(terminalId: string): string | null { return this.s.lastSettlementOk.get(terminalId)?.at ?? null; }
}

function parse(text: string | null): unknown {
  return text === null ? null : JSON.parse(text);
}

function toOperation(r: OpRow): CardOperation {
  return {
    id: r.id, receiptId: r.receipt_id, saleId: r.sale_id, terminalId: r.terminal_id, kind: r.kind, amountKopecks: r.amount_kopecks,
    state: r.state, originalId: r.original_id, approved: parse(r.approved) as ApprovedCardFields | null,
    slip: r.slip === null ? null : r.slip === '' ? [] : r.slip.split('\n'),
    outcome: parse(r.outcome) as CardOperation['outcome'], attention: r.attention, createdAt: r.created_at, updatedAt: r.updated_at,
  };
}
