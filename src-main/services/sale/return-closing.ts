// Closing a return: the card parts are refunded already (ReturnRefunds) or, when the terminal refused or is
// another lane's, paid in cash with a supervisor's approval; the rest is paid out in cash (the drawer opens
// as for a cash sale). One transaction writes the closed return document with its lane-wide number, the
// receipt's 'closed' status, a pending fiscal job with 1054 = 2 (the fiscal service runs it exactly once,
// journal first, reconciled after any failure), the receipt.returned outbox row and the audit record.
import type { CallContext } from '../../app/dispatcher';
import type { ReturnRefund, SaleReturn, User } from '../../contract';
import type { FiscalSettings } from '../../domain/fiscal-receipt';
import { receiptTotals } from '../../domain/receipt';
import { returnQuantityProblem } from '../../domain/return-caps';
import { returnFfdPayments } from '../../domain/return-refund-plan';
import type { DocumentPayload } from '../../upstream/document-schemas';
import { errors } from '../../app/errors';
import { newId } from '../../store/ids';
import type { SalesStore } from '../../store/sales-store';
import type { Clock } from '../clock';
import { posActor } from '../pos-events/pos-event';
import { noPosEvents, type PosEventPublisher } from '../pos-events/pos-event-stream';
import type { ShiftService } from '../shift/shift-service';
import { returnErrors } from './return-errors';
import { returnReceiptRequest } from './return-fiscal-request';
import type { ReturnRefunds } from './return-refunds';
import type { ReturnService } from './return-service';

export interface ReturnClosingDeps {
  store: SalesStore;
  returns: ReturnService;
  refunds: ReturnRefunds;
  shifts: Pick<ShiftService, 'requireOpen' | 'summary'>;
  /** The tax system and cashier INN the fiscal document carries (the fiscal service's settings). */
  fiscalSettings: () => FiscalSettings;
  clock: Clock;
  posEvents?: PosEventPublisher;
}

export class ReturnClosing {
  private readonly posEvents: PosEventPublisher;

  constructor(private readonly deps: ReturnClosingDeps) {
    this.posEvents = deps.posEvents ?? noPosEvents;
  }

  close(ctx: CallContext, receiptId: string, cardInCash: boolean): SaleReturn {
    const { store } = this.deps;
    const actor = ctx.actor!;
    const shift = this.deps.shifts.requireOpen();
    const r = this.deps.returns.returnReceipt(receiptId);
    if (r.header.status !== 'open') throw returnErrors.notOpen(r.header.status);
    const lines = r.lines;
    const totals = receiptTotals(lines);
    if (totals.lineCount === 0) throw returnErrors.empty();
    // Another return of the same sale may have closed since these lines were set: the caps are checked again.
    for (const line of lines.filter((l) => !l.voided)) {
      const saleLine = r.origin.snapshot.sale.lines.find((l) => l.id === line.saleLineId)!;
      const problem = line.markingCode ? null : returnQuantityProblem(saleLine, this.deps.returns.returnedElsewhere(r, line.saleLineId), line.quantityMilli);
      if (problem) throw returnErrors.quantity(problem, 0);
    }

    const standing = this.deps.refunds.standing(receiptId, r.origin.snapshot.sale, r.origin.source, totals.totalKopecks);
    const settled = this.deps.refunds.settlement(receiptId, standing);
    if (settled.inDoubt) throw returnErrors.refundInDoubt();
    let cashInsteadOfCardBy: User | null = null;
    if (settled.unrefundedCardKopecks > 0) {
      if (!cardInCash) throw returnErrors.cardRefundsPending(standing.parts.filter((p) => p.method === 'card' && p.state !== 'refunded').length);
      // A card purchase paid back in cash is the cash-out fraud the card-first rule is there to stop: a supervisor decides.
      cashInsteadOfCardBy = ctx.require('sale.refundCardInCash');
    }
    const cardKopecks = settled.cards.reduce((n, c) => n + c.amountKopecks, 0);
    const cashKopecks = totals.totalKopecks - cardKopecks;
    const at = this.deps.clock.nowIso();
    const refunds: ReturnRefund[] = [...settled.cards, ...(cashKopecks > 0 || settled.cards.length === 0 ? [{ method: 'cash' as const, amountKopecks: cashKopecks }] : [])];
    const { sale } = r.origin.snapshot;
    const authorisedBy = r.origin.authorisedBy ?? (cashInsteadOfCardBy && cashInsteadOfCardBy.id !== actor.id ? cashInsteadOfCardBy.id : null);

    const document = store.transaction(() => {
      if (cashKopecks > 0) {
        const inDrawer = this.deps.shifts.summary(shift).cashInDrawerKopecks;
        if (cashKopecks > inDrawer) throw returnErrors.notEnoughCash(inDrawer, cashKopecks);
      }
      const doc: SaleReturn = {
        id: newId(), receiptId, number: store.counters.next('return'),
        sale: { id: sale.id, number: sale.number, closedAt: sale.closedAt, source: r.origin.source, laneName: r.origin.snapshot.laneName, totalKopecks: sale.totals.totalKopecks },
        shiftId: shift.id, closedAt: at, cashier: actor, authorisedBy,
        cashInsteadOfCardBy: cashInsteadOfCardBy?.id ?? null,
        reason: r.origin.reason, lines, totals, refunds, ffdPayments: returnFfdPayments(cashKopecks, cardKopecks),
        fiscalState: 'pending', fiscalDocument: null,
      };
      const fiscalJobId = newId();
      store.receipts.setStatus(receiptId, 'closed', at);
      store.fiscalJournal.addJob({ id: fiscalJobId, kind: 'receipt', payload: { request: returnReceiptRequest(doc, this.deps.fiscalSettings()), returnId: doc.id }, at });
      const outboxId = store.outbox.add({ type: 'receipt.returned', aggregateId: doc.id, payload: upstreamPayload(doc), at });
      store.returns.insertReturn(doc, cashKopecks, fiscalJobId, outboxId);
      store.audit.append({ at, actorId: actor.id, authorisedBy: cashInsteadOfCardBy && cashInsteadOfCardBy.id !== actor.id ? cashInsteadOfCardBy.id : null,
        action: 'return.close', subjectId: receiptId, details: {
          returnId: doc.id, number: doc.number, saleId: sale.id, saleNumber: sale.number, totalKopecks: totals.totalKopecks, cashKopecks, cardKopecks,
          cardInCash: cashInsteadOfCardBy !== null, fiscalJobId,
        } });
      return doc;
    });

    const cashier = posActor(actor);
    if (cashInsteadOfCardBy && cashInsteadOfCardBy.id !== actor.id) {
      this.posEvents.publish({ kind: 'supervisor.override', at, cashier, supervisor: posActor(cashInsteadOfCardBy), permission: 'sale.refundCardInCash', receiptId });
    }
    const supervisor = authorisedBy ? store.users.byId(authorisedBy) : null;
    this.posEvents.publish({ kind: 'return.closed', at, cashier, receiptId, returnNumber: document.number, totalKopecks: totals.totalKopecks,
      method: cardKopecks > 0 ? 'card' : 'cash', authorisedBy: supervisor ? posActor(supervisor) : null });
    // Cash goes out of the drawer the way a cash sale's comes in: the drawer opens on the existing device path.
    if (cashKopecks > 0) this.posEvents.publish({ kind: 'drawer.opened', at, cashier, reason: 'payment' });
    return store.returns.byId(document.id)!;
  }

  document(id: string): SaleReturn {
    const doc = this.deps.store.returns.byId(id) ?? this.deps.store.returns.byReceipt(id);
    if (!doc) throw errors.notFound('return', id);
    return doc;
  }
}

/** The receipt.returned document the head office ingests (src-main/upstream/document-schemas.ts). */
function upstreamPayload(doc: SaleReturn): DocumentPayload<'receipt.returned'> {
  return {
    id: doc.id, saleId: doc.sale.id, saleNumber: doc.sale.number, shiftId: doc.shiftId, returnedAt: doc.closedAt,
    cashier: { id: doc.cashier.id, name: doc.cashier.name, role: doc.cashier.role }, authorisedBy: doc.authorisedBy, reason: doc.reason,
    lines: doc.lines.filter((l) => !l.voided).map((l) => ({ lineId: l.saleLineId, productId: l.productId, quantityMilli: l.quantityMilli, amountKopecks: l.amountKopecks })),
    totalKopecks: doc.totals.totalKopecks,
    refunds: doc.refunds.map((p) => ({ method: p.method, amountKopecks: p.amountKopecks })),
    fiscalState: 'pending',
  };
}
