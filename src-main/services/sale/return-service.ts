// A return at the till (docs/returns.md): a receipt of its own (kind 'return') against a sale found by its
// receipt number, ФД, ФП or date, here or at the head office. Starting one takes 'sale.return' (a cashier
// needs a supervisor's PIN). The cashier fills it from the sale's lines, each capped at sold minus already
// returned; a marked item comes back only with its own code, checked as a return (the "sold" rule
// inverted). It can be parked, resumed and cancelled like any receipt, keeping its lines and codes.
// Every change is one transaction with its audit record; closing is ReturnClosing's.
import type { MarkingLineCheck, Product, ReceiptLine, ReturnLine, ReturnReceipt } from '../../contract';
import { MAX_LINES_PER_RECEIPT, receiptTotals } from '../../domain/receipt';
import { returnAmountKopecks, returnQuantityProblem } from '../../domain/return-caps';
import { vatIncludedKopecks } from '../../domain/vat';
import type { CallContext } from '../../app/dispatcher';
import type { EventBus } from '../../app/event-bus';
import { errors } from '../../app/errors';
import type { CatalogRepository } from '../../store/catalog-repository';
import { newId } from '../../store/ids';
import type { ReceiptHeader } from '../../store/receipt-repository';
import type { ReturnOrigin } from '../../store/return-repository';
import type { SalesStore } from '../../store/sales-store';
import type { Clock } from '../clock';
import type { MarkingService } from '../marking/marking-service';
import { narrowToProduct, readMarkingScan } from '../marking/read-code';
import { posActor, posLine } from '../pos-events/pos-event';
import { noPosEvents, type PosEventPublisher } from '../pos-events/pos-event-stream';
import type { ShiftService } from '../shift/shift-service';
import { returnErrors } from './return-errors';
import { returnableLines, type ReturnLookup } from './return-lookup';
import type { ReturnRefunds } from './return-refunds';
import { MAX_ACTIVE_RECEIPTS } from './sale-service';

export interface ReturnServiceDeps {
  store: SalesStore;
  catalog: Pick<CatalogRepository, 'byId'>;
  shifts: Pick<ShiftService, 'requireOpen'>;
  lookup: ReturnLookup;
  refunds: ReturnRefunds;
  /** Null only in tests of the bare return path: marked lines then come back unchecked. */
  marking: MarkingService | null;
  events: EventBus;
  clock: Clock;
  posEvents?: PosEventPublisher;
}

/** A return receipt with what it returns against: what every operation on a return starts from. */
export interface OpenReturn {
  header: ReceiptHeader;
  origin: ReturnOrigin;
  lines: ReturnLine[];
}

export class ReturnService {
  private readonly posEvents: PosEventPublisher;

  constructor(private readonly deps: ReturnServiceDeps) {
    this.posEvents = deps.posEvents ?? noPosEvents;
  }

  /** Opens a return against a found sale; the receipt on screen steps aside (parked with lines, dropped when empty). */
  start(ctx: CallContext, saleId: string, reason: string): ReturnReceipt {
    const { store } = this.deps;
    const shift = this.deps.shifts.requireOpen();
    const actor = ctx.actor!;
    const found = this.deps.lookup.forReturn(saleId);
    const refusal = this.deps.lookup.describe(found).refusal;
    if (refusal) throw returnErrors.notReturnable(refusal, { saleId });
    if (store.receipts.active().length >= MAX_ACTIVE_RECEIPTS) {
      throw errors.limit('Слишком много отложенных чеков', 'Too many parked receipts', { max: MAX_ACTIVE_RECEIPTS });
    }
    // The dispatcher checked 'sale.return' for this call; a supervisor's PIN, if it took one, is recorded.
    const authorisedBy = ctx.authorisedBy && ctx.authorisedBy.id !== actor.id ? ctx.authorisedBy : null;
    const at = this.deps.clock.nowIso();
    const header: ReceiptHeader = { id: newId(), shiftId: shift.id, cashierId: actor.id, status: 'open', openedAt: at, kind: 'return' };
    const sale = found.snapshot.sale;
    store.transaction(() => {
      const current = store.receipts.currentOpen();
      if (current) store.receipts.setStatus(current.id, store.receipts.lines(current.id).some((l) => !l.voided) ? 'parked' : 'cancelled', at);
      store.receipts.insert(header, at);
      store.returns.addOrigin({ receiptId: header.id, saleId: sale.id, source: found.source, snapshot: found.snapshot, reason,
        authorisedBy: authorisedBy?.id ?? null, createdAt: at });
      store.audit.append({ at, actorId: actor.id, authorisedBy: authorisedBy?.id ?? null, action: 'return.start', subjectId: header.id,
        details: { saleId: sale.id, saleNumber: sale.number, source: found.source, laneName: found.snapshot.laneName, reason } });
    });
    const cashier = posActor(actor);
    if (authorisedBy) this.posEvents.publish({ kind: 'supervisor.override', at, cashier, supervisor: posActor(authorisedBy), permission: 'sale.return', receiptId: header.id });
    this.posEvents.publish({ kind: 'return.opened', at, cashier, receiptId: header.id, originalSaleNumber: sale.number });
    return this.view(header.id);
  }

  get(receiptId: string): ReturnReceipt {
    return this.view(receiptId);
  }

  /** How much of an unmarked sale line comes back: 0 takes it off the return; weighed goods by weight. */
  setQuantity(ctx: CallContext, receiptId: string, saleLineId: string, quantityMilli: number): ReturnReceipt {
    const r = this.editable(receiptId);
    const saleLine = this.saleLine(r, saleLineId);
    const returnedMilli = this.returnedElsewhere(r, saleLineId);
    const problem = returnQuantityProblem(saleLine, returnedMilli, quantityMilli);
    if (problem) throw returnErrors.quantity(problem, Math.max(0, saleLine.quantityMilli - returnedMilli));
    const existing = r.lines.find((l) => l.saleLineId === saleLineId && !l.voided) ?? null;
    if (quantityMilli === 0 && existing === null) return this.view(receiptId);
    const updated: ReturnLine = quantityMilli === 0
      ? { ...existing!, voided: true }
      : returnLineOf(saleLine, existing?.id ?? newId(), quantityMilli, returnAmountKopecks(saleLine, returnedMilli, quantityMilli));
    return this.commitLine(ctx, r, updated, existing === null, 'return.setQuantity',
      { saleLineId, from: existing?.quantityMilli ?? 0, to: quantityMilli, amountKopecks: quantityMilli === 0 ? 0 : updated.amountKopecks });
  }

  /**
   * A marked item comes back only with its own code: one sold on this sale's line, not returned yet,
   * and allowed by the permissive-mode rules for a return (the national system must know it as sold).
   */
  async scanCode(ctx: CallContext, receiptId: string, code: string): Promise<ReturnReceipt> {
    const r = this.editable(receiptId);
    const read = readMarkingScan(code);
    if (read.kind === 'invalid') throw errors.invalidState(`Код маркировки не читается: ${read.message.ru}`, `The marking code cannot be read: ${read.message.en}`, { rule: 'unreadable' });
    const saleLine = r.origin.snapshot.sale.lines.find((l) => !l.voided && l.markingCode && cisOf(l.markingCode) === read.cis);
    if (!saleLine) throw returnErrors.codeNotSold();
    this.assertCodeNotReturned(r, saleLine);
    const product = this.deps.catalog.byId(saleLine.productId) ?? productOf(saleLine);
    const check = this.deps.marking
      ? await this.deps.marking.check({ actor: ctx.actor!, receiptId, scan: narrowToProduct(read, product), product, priceKopecks: saleLine.priceKopecks, operation: 'return' })
      : null;
    try {
      // The return may have changed while the check ran: look again before adding.
      const now = this.editable(receiptId);
      this.assertCodeNotReturned(now, saleLine);
      // The code the sale carried goes to the fiscal document (2000); the return's own check gives its 1260.
      const line: ReturnLine = { ...returnLineOf(saleLine, newId(), saleLine.quantityMilli, returnAmountKopecks(saleLine, 0, saleLine.quantityMilli)),
        markingCode: saleLine.markingCode!, markingCheck: check?.line ?? unchecked() };
      return this.commitLine(ctx, now, line, true, 'return.scanCode',
        { saleLineId: saleLine.id, checkId: line.markingCheck?.checkId ?? null, checkedBy: line.markingCheck?.checkedBy ?? null }, check?.journal);
    } catch (error) {
      if (check) this.deps.store.transaction(check.journal); // the decision is journalled whether or not the line landed
      throw error;
    }
  }

  removeLine(ctx: CallContext, receiptId: string, lineId: string): ReturnReceipt {
    const r = this.editable(receiptId);
    const line = r.lines.find((l) => l.id === lineId && !l.voided);
    if (!line) throw errors.notFound('line', lineId);
    return this.commitLine(ctx, r, { ...line, voided: true }, false, 'return.removeLine',
      { lineId, saleLineId: line.saleLineId, quantityMilli: line.quantityMilli, amountKopecks: line.amountKopecks });
  }

  /** Cancels a return not closed yet; it keeps its lines and codes as a record. Not once a card has been refunded. */
  cancel(ctx: CallContext, receiptId: string): void {
    const r = this.returnReceipt(receiptId);
    if (r.header.status !== 'open' && r.header.status !== 'parked') {
      throw errors.invalidState('Возврат нельзя отменить', 'This return cannot be cancelled', { status: r.header.status });
    }
    const totals = receiptTotals(r.lines);
    if (this.deps.refunds.standing(receiptId, r.origin.snapshot.sale, r.origin.source, totals.totalKopecks).cardMoneyMoved) {
      throw returnErrors.cancelAfterCardRefund();
    }
    const at = this.deps.clock.nowIso();
    this.deps.store.transaction(() => {
      this.deps.store.receipts.setStatus(receiptId, 'cancelled', at);
      this.deps.store.audit.append({ at, actorId: ctx.actor!.id, authorisedBy: null, action: 'return.cancel', subjectId: receiptId,
        details: { saleId: r.origin.saleId, totalKopecks: totals.totalKopecks, lineCount: totals.lineCount } });
    });
    this.posEvents.publish({ kind: 'receipt.cancelled', at, cashier: posActor(ctx.actor!), receiptId, totalKopecks: totals.totalKopecks,
      lineCount: totals.lineCount, authorisedBy: null });
  }

  /** Refunds one card part of the return on the terminal that took that payment. */
  async refundCard(ctx: CallContext, receiptId: string, purchaseOperationId: string): Promise<ReturnReceipt> {
    const view = this.view(receiptId);
    if (view.status !== 'open') throw returnErrors.notOpen(view.status);
    if (view.totals.lineCount === 0) throw returnErrors.empty();
    const part = view.refund.find((p) => p.method === 'card' && p.purchaseOperationId === purchaseOperationId);
    if (!part) throw returnErrors.noSuchCardPart(purchaseOperationId);
    await this.deps.refunds.refundCard(receiptId, part, ctx.actor!);
    return this.view(receiptId);
  }

  // --- shared with closing ---

  /** The return receipt and what it returns against; NOT_FOUND / INVALID_STATE when it is not a return. */
  returnReceipt(receiptId: string): OpenReturn {
    const header = this.deps.store.receipts.header(receiptId);
    if (!header) throw errors.notFound('receipt', receiptId);
    if (header.kind !== 'return') throw returnErrors.notAReturn(receiptId);
    const origin = this.deps.store.returns.origin(receiptId);
    if (!origin) throw returnErrors.notAReturn(receiptId);
    return { header, origin, lines: this.deps.store.receipts.lines(receiptId) as ReturnLine[] };
  }

  /** Already returned of a sale line, without this return: this lane's other returns and other lanes'. */
  returnedElsewhere(r: OpenReturn, saleLineId: string): number {
    return (this.deps.store.returns.returnedMilli(r.origin.saleId, r.header.id).get(saleLineId) ?? 0)
      + (r.origin.snapshot.otherLanesReturnedMilli[saleLineId] ?? 0);
  }

  view(receiptId: string): ReturnReceipt {
    const r = this.returnReceipt(receiptId);
    const { sale } = r.origin.snapshot;
    const totals = receiptTotals(r.lines);
    const standing = this.deps.refunds.standing(receiptId, sale, r.origin.source, totals.totalKopecks);
    return {
      id: r.header.id, status: r.header.status, openedAt: r.header.openedAt, cashierId: r.header.cashierId, shiftId: r.header.shiftId,
      sale: { id: sale.id, number: sale.number, closedAt: sale.closedAt, source: r.origin.source, laneName: r.origin.snapshot.laneName, totalKopecks: sale.totals.totalKopecks },
      saleLines: returnableLines(sale, this.deps.store.returns.returnedMilli(sale.id, receiptId), r.origin.snapshot.otherLanesReturnedMilli),
      lines: r.lines, totals, reason: r.origin.reason, authorisedBy: r.origin.authorisedBy,
      refund: standing.parts, linesLocked: standing.cardMoneyMoved,
    };
  }

  // --- internals ---

  /** Only the return on screen changes, and not once money has gone back to a card. */
  private editable(receiptId: string): OpenReturn {
    const r = this.returnReceipt(receiptId);
    if (r.header.status !== 'open') throw returnErrors.notOpen(r.header.status);
    const totals = receiptTotals(r.lines);
    if (this.deps.refunds.standing(receiptId, r.origin.snapshot.sale, r.origin.source, totals.totalKopecks).cardMoneyMoved) throw returnErrors.linesLocked();
    return r;
  }

  private saleLine(r: OpenReturn, saleLineId: string): ReceiptLine {
    const line = r.origin.snapshot.sale.lines.find((l) => l.id === saleLineId && !l.voided);
    if (!line) throw returnErrors.lineNotOnSale(saleLineId);
    return line;
  }

  /** One code, one item: not on an earlier or another open return of this sale, nor on this one. */
  private assertCodeNotReturned(r: OpenReturn, saleLine: ReceiptLine): void {
    const cis = cisOf(saleLine.markingCode!);
    const elsewhere = this.deps.store.returns.returnedCodes(r.origin.saleId, r.header.id).some((c) => cisOf(c) === cis);
    const here = r.lines.some((l) => !l.voided && l.saleLineId === saleLine.id);
    const otherLanes = (r.origin.snapshot.otherLanesReturnedMilli[saleLine.id] ?? 0) >= saleLine.quantityMilli;
    if (elsewhere || here || otherLanes) throw returnErrors.codeAlreadyReturned();
  }

  private commitLine(ctx: CallContext, r: OpenReturn, line: ReturnLine, added: boolean, action: string, details: Record<string, unknown>,
    alsoInTransaction?: () => void): ReturnReceipt {
    const { store } = this.deps;
    const lines = added ? [...r.lines, line] : r.lines.map((l) => (l.id === line.id ? line : l));
    if (added && lines.length > MAX_LINES_PER_RECEIPT) throw errors.limit('В возврате слишком много строк', 'Too many lines on the return', { max: MAX_LINES_PER_RECEIPT });
    const totals = receiptTotals(lines);
    const at = this.deps.clock.nowIso();
    store.transaction(() => {
      alsoInTransaction?.();
      if (added) store.receipts.addLine(r.header.id, line); else store.receipts.updateLine(r.header.id, line);
      store.receipts.setTotal(r.header.id, totals, at);
      store.audit.append({ at, actorId: ctx.actor!.id, authorisedBy: null, action, subjectId: r.header.id, details: { lineId: line.id, ...details } });
    });
    if (!line.voided) {
      this.posEvents.publish({ kind: 'return.lineAdded', at, cashier: posActor(ctx.actor!), receiptId: r.header.id,
        line: posLine(line, lines.findIndex((l) => l.id === line.id) + 1) });
    }
    return this.view(r.header.id);
  }
}

/** A return line giving back quantityMilli of a sale line for amountKopecks (its own VAT), marking fields cleared. */
function returnLineOf(saleLine: ReceiptLine, id: string, quantityMilli: number, amountKopecks: number): ReturnLine {
  const { markingCode: _code, markingCheck: _check, ...plain } = saleLine;
  return { ...plain, id, quantityMilli, amountKopecks, vatKopecks: vatIncludedKopecks(amountKopecks, saleLine.vat), voided: false, saleLineId: saleLine.id };
}

/** The code's identifier (01 GTIN 21 serial): the same item whatever became of its separators and tail. */
function cisOf(code: string): string {
  const read = readMarkingScan(code);
  return read.kind === 'ok' ? read.cis : code;
}

/** A sale line's product as it was sold, when the catalog no longer has it (another store's item, a delisted one). */
function productOf(line: ReceiptLine): Product {
  return { id: line.productId, name: line.name, priceKopecks: line.priceKopecks, vat: line.vat, unit: line.unit, weighed: line.weighed,
    plu: null, marking: line.marking, ageLimit: line.ageLimit, barcodes: line.barcode ? [line.barcode] : [] };
}

/** No checking service on this lane: the line says so (no 1260), as a sale's would. */
function unchecked(): MarkingLineCheck {
  return { checkedBy: 'unavailable', requisite1260: null, skippedRules: [], checkId: newId() };
}

