// The money side of a return: the refund plan by the sale's own tenders (domain/return-refund-plan.ts) and
// the card refunds, each on the terminal that took the payment, through the payment service (journal
// before the terminal, found out after any failure, never sent twice). Each refund this return asks for
// is recorded before the payment service is called and tied to the payment journal's operation once it
// exists, so that a lane that died in between finds the operation again instead of refunding twice.
import { PosError, type CardOperation, type RefundPart, type ReturnRefund, type ReturnSaleSource, type Sale, type User } from '../../contract';
import { planRefund, type CardPaid } from '../../domain/return-refund-plan';
import type { PaymentJournal } from '../../store/payment-journal';
import type { CardRefundRecord, CardRefundState, ReturnRepository } from '../../store/return-repository';
import type { AuditLog } from '../../store/audit-log';
import { newId } from '../../store/ids';
import type { Clock } from '../clock';
import type { PaymentService } from '../payment/payment-service';
import { returnErrors } from './return-errors';

export interface ReturnRefundsDeps {
  returns: Pick<ReturnRepository, 'startRefund' | 'settleRefund' | 'refunds' | 'refundsOfPurchase'>;
  journal: Pick<PaymentJournal, 'operation' | 'refundedKopecks' | 'forReceipt'>;
  audit: Pick<AuditLog, 'append'>;
  payments: Pick<PaymentService, 'refund'>;
  transaction: <T>(fn: () => T) => T;
  clock: Clock;
}

/** The refund as it stands: each card part with its state, then the cash part. */
export interface RefundStanding {
  parts: RefundPart[];
  /** Card parts whose money has gone back (or may have): the lines can no longer change. */
  cardMoneyMoved: boolean;
}

/** What a closed return records of its card refunds, and what is left for cash. */
export interface RefundSettlement {
  cards: Extract<ReturnRefund, { method: 'card' }>[];
  /** Card parts not refunded (refused, unreachable, another lane's terminal): cash instead, with a supervisor. */
  unrefundedCardKopecks: number;
  inDoubt: boolean;
}

const IN_DOUBT_STATES = new Set<CardOperation['state']>(['journalled', 'sent', 'unknown', 'needs_supervisor']);

export class ReturnRefunds {
  /** Return receipts with a card refund running in this process right now. */
  private readonly running = new Set<string>();

  constructor(private readonly deps: ReturnRefundsDeps) {}

  standing(receiptId: string, sale: Sale, source: ReturnSaleSource, totalKopecks: number): RefundStanding {
    const records = this.sync(receiptId);
    const plan = planRefund(totalKopecks, this.cardsOf(sale, source, records));
    const parts: RefundPart[] = plan.cards.map(({ card, amountKopecks }) => {
      const own = records.filter((r) => r.purchaseOperationId === card.purchaseOperationId);
      const refunded = sum(own.filter((r) => r.state === 'approved'));
      const last = own.at(-1);
      const foreign = source !== 'lane' || this.deps.journal.operation(card.purchaseOperationId) === null;
      const state: RefundPart['state'] = refunded >= amountKopecks ? 'refunded'
        : own.some((r) => r.state === 'unknown' || r.state === 'started') ? 'inDoubt'
          : foreign ? 'foreign' : last?.state === 'declined' ? 'failed' : 'pending';
      return { method: 'card', amountKopecks, purchaseOperationId: card.purchaseOperationId, terminalId: card.terminalId, cardMasked: card.cardMasked,
        state, message: state === 'failed' ? last?.message ?? null : null };
    });
    parts.push({ method: 'cash', amountKopecks: plan.cashKopecks, purchaseOperationId: null, terminalId: null, cardMasked: null, state: 'pending', message: null });
    return { parts, cardMoneyMoved: records.some((r) => r.state === 'approved' || r.state === 'unknown' || r.state === 'started') };
  }

  /** Refunds what is left of one card part on the terminal that took the payment; the answer is recorded whatever it is. */
  async refundCard(receiptId: string, part: RefundPart, actor: User): Promise<void> {
    if (part.method !== 'card' || part.purchaseOperationId === null) throw returnErrors.noSuchCardPart('cash');
    if (part.state !== 'pending' && part.state !== 'failed') throw returnErrors.cardPartNotRefundable(part.state);
    if (this.running.has(receiptId)) throw returnErrors.refundInDoubt();
    const purchaseId = part.purchaseOperationId;
    const done = sum(this.deps.returns.refunds(receiptId).filter((r) => r.purchaseOperationId === purchaseId && r.state === 'approved'));
    const amountKopecks = part.amountKopecks - done;
    if (amountKopecks <= 0) return;
    const id = newId(this.deps.clock.nowMs());
    const at = this.deps.clock.nowIso();
    this.deps.transaction(() => {
      this.deps.returns.startRefund({ id, receiptId, purchaseOperationId: purchaseId, amountKopecks, at });
      this.deps.audit.append({ at, actorId: actor.id, authorisedBy: null, action: 'return.cardRefund.start', subjectId: receiptId,
        details: { refundId: id, purchaseOperationId: purchaseId, terminalId: part.terminalId, amountKopecks } });
    });
    this.running.add(receiptId);
    let outcome: { operationId: string | null; state: CardRefundState; message: string | null };
    try {
      const op = await this.deps.payments.refund(purchaseId, amountKopecks, actor.id);
      outcome = { operationId: op.id, state: stateOf(op), message: op.outcome?.message ?? op.attention ?? null };
    } catch (error) {
      // The payment service refused before anything reached the terminal (unreachable, busy, an earlier operation in doubt).
      if (!(error instanceof PosError)) throw error;
      const reason = typeof error.details?.['reason'] === 'string' ? `: ${error.details['reason']}` : '';
      outcome = { operationId: null, state: 'declined', message: `${error.text.ru}${reason}` };
    } finally {
      this.running.delete(receiptId);
    }
    const settledAt = this.deps.clock.nowIso();
    this.deps.transaction(() => {
      this.deps.returns.settleRefund(id, { ...outcome, at: settledAt });
      this.deps.audit.append({ at: settledAt, actorId: actor.id, authorisedBy: null, action: `return.cardRefund.${outcome.state}`, subjectId: receiptId,
        details: { refundId: id, operationId: outcome.operationId, amountKopecks, message: outcome.message } });
    });
  }

  /** The card refunds a closing return records; throws nothing (the caller decides on in-doubt and unrefunded parts). */
  settlement(receiptId: string, standing: RefundStanding): RefundSettlement {
    const records = this.sync(receiptId);
    const cards: RefundSettlement['cards'] = [];
    let unrefunded = 0;
    for (const part of standing.parts) {
      if (part.method !== 'card') continue;
      let refunded = 0;
      for (const r of records.filter((x) => x.purchaseOperationId === part.purchaseOperationId && x.state === 'approved')) {
        const op = this.deps.journal.operation(r.operationId!);
        refunded += r.amountKopecks;
        cards.push({ method: 'card', amountKopecks: r.amountKopecks, terminalId: part.terminalId!, purchaseOperationId: part.purchaseOperationId!,
          refundOperationId: r.operationId!, rrn: op?.approved?.rrn ?? null, cardMasked: op?.approved?.cardMasked ?? part.cardMasked });
      }
      unrefunded += Math.max(0, part.amountKopecks - refunded);
    }
    return { cards, unrefundedCardKopecks: unrefunded, inDoubt: standing.parts.some((p) => p.state === 'inDoubt') };
  }

  /**
   * This return's refund records brought up to date with the payment journal: a record the lane left
   * 'started' (it died while the terminal worked) is tied to the refund operation the journal holds for
   * it; one with no operation, and no refund running, never reached the terminal.
   */
  private sync(receiptId: string): CardRefundRecord[] {
    const records = this.deps.returns.refunds(receiptId);
    let changed = false;
    for (const r of records) {
      if (r.state === 'approved' || r.state === 'declined') continue;
      if (r.operationId === null && this.running.has(receiptId)) continue;
      const op = r.operationId !== null ? this.deps.journal.operation(r.operationId) : this.unclaimedRefund(r);
      const at = this.deps.clock.nowIso();
      if (op === null) {
        if (r.operationId === null) this.deps.returns.settleRefund(r.id, { operationId: null, state: 'declined', message: 'the lane stopped before the terminal was called', at });
        changed = r.operationId === null || changed;
        continue;
      }
      const state = stateOf(op);
      if (state !== r.state || r.operationId === null) {
        this.deps.returns.settleRefund(r.id, { operationId: op.id, state, message: op.outcome?.message ?? op.attention ?? null, at });
        changed = true;
      }
    }
    return changed ? this.deps.returns.refunds(receiptId) : records;
  }

  /** The journal's refund of this purchase made for this record: the first one after it that no other record holds. */
  private unclaimedRefund(record: CardRefundRecord): CardOperation | null {
    const purchase = this.deps.journal.operation(record.purchaseOperationId);
    if (!purchase) return null;
    const claimed = new Set(this.deps.returns.refundsOfPurchase(record.purchaseOperationId).map((r) => r.operationId).filter((id) => id !== null));
    return this.deps.journal.forReceipt(purchase.receiptId).find((o) => o.kind === 'refund' && o.originalId === purchase.id
      && o.amountKopecks === record.amountKopecks && o.createdAt >= record.createdAt && !claimed.has(o.id)) ?? null;
  }

  private cardsOf(sale: Sale, source: ReturnSaleSource, records: readonly CardRefundRecord[]): CardPaid[] {
    const out: CardPaid[] = [];
    for (const p of sale.payments) {
      if (p.method !== 'card') continue;
      // What other returns refunded to this card: the payment journal's refunds of it, less this return's own.
      const own = sum(records.filter((r) => r.purchaseOperationId === p.operationId && r.operationId !== null && r.state !== 'declined'));
      const elsewhere = source === 'lane' ? Math.max(0, this.deps.journal.refundedKopecks(p.operationId) - own) : 0;
      out.push({ purchaseOperationId: p.operationId, terminalId: p.terminalId, cardMasked: p.cardMasked, paidKopecks: p.amountKopecks, refundedElsewhereKopecks: elsewhere });
    }
    return out;
  }
}

function stateOf(op: CardOperation): CardRefundState {
  if (op.state === 'approved') return 'approved';
  if (IN_DOUBT_STATES.has(op.state)) return 'unknown';
  return 'declined';
}

function sum(records: readonly CardRefundRecord[]): number {
  return records.reduce((n, r) => n + r.amountKopecks, 0);
}
