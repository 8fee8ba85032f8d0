// The receipt at the checkout: open, scan, change quantity, void, park, resume, cancel, pay cash.
// Every change is one transaction with its audit record (and outbox row where the head office cares),
// and nothing is kept only in memory: a crash at any moment leaves the receipt as last committed.
import { PosError, type Product, type Receipt, type ReceiptLine, type ReceiptSummary, type Sale, type User } from '../../contract';
import { classifyCode, type ScaleLabelRule } from '../../domain/barcode';
import { MAX_AMOUNT_KOPECKS, MAX_LINES_PER_RECEIPT, lineLimitProblem, mergeTarget, priceLine, receiptTotals, voided, withQuantity, type LineInput } from '../../domain/receipt';
import { lineAmountKopecks } from '../../domain/money';
import { cashTender } from '../../domain/tender';
import type { CallContext } from '../../app/dispatcher';
import type { EventBus } from '../../app/event-bus';
import { errors } from '../../app/errors';
import type { CatalogRepository } from '../../store/catalog-repository';
import type { ReceiptHeader } from '../../store/receipt-repository';
import type { SalesStore } from '../../store/sales-store';
import { newId } from '../../store/ids';
import type { Clock } from '../clock';
import { posActor, posLine, type PosActor, type PosEventInput } from '../pos-events/pos-event';
import { noPosEvents, type PosEventPublisher } from '../pos-events/pos-event-stream';
import type { ShiftService } from '../shift/shift-service';
import type { MarkingService } from '../marking/marking-service';
import { salePayments, type SalePayments, type SalePaymentsConfig } from '../payment/sale-payments';
import type { TenderRequest } from '../../contract/payment-model';
import { looksLikeMarkingCode, narrowToProduct, readMarkingScan, type MarkedScan } from '../marking/read-code';
import { returnErrors } from './return-errors';

/** The reason a weighed product's own code (not a scale label) was refused: the caller may weigh it. */
export const NEEDS_WEIGHT = 'needsWeight';

/** Open plus parked receipts a lane may hold at once: beyond this something is wrong at the till. */
export const MAX_ACTIVE_RECEIPTS = 20;

export class SaleService {
  constructor(
    private readonly store: SalesStore,
    private readonly catalog: CatalogRepository,
    private readonly shifts: ShiftService,
    private readonly events: EventBus,
    private readonly clock: Clock,
    private readonly scaleLabelRules: () => readonly ScaleLabelRule[],
    /** Loss-prevention event stream: published after each commit, never inside a transaction. */
    private readonly posEvents: PosEventPublisher = noPosEvents,
    /** The permissive-mode check of marked goods; null only in tests of the bare sale path. */
    private readonly marking: MarkingService | null = null,
    /** How bonus points are backed and fiscalised (the loyalty service plugs in here). */
    private readonly paymentConfig: SalePaymentsConfig = {},
  ) {}

  /** The receipt on screen; creates one when there is none. Never piles up empty receipts. */
  open(actor: User): Receipt {
    const shift = this.shifts.requireOpen();
    const current = this.store.receipts.currentOpen();
    // A return on screen is not a receipt to sell on: it is closed, parked or cancelled first.
    if (current?.kind === 'return') throw returnErrors.openReturnOnScreen();
    if (current) return this.load(current);
    if (this.store.receipts.active().length >= MAX_ACTIVE_RECEIPTS) {
      throw errors.limit('Слишком много отложенных чеков', 'Too many parked receipts', { max: MAX_ACTIVE_RECEIPTS });
    }
    const at = this.clock.nowIso();
    const header: ReceiptHeader = { id: newId(), shiftId: shift.id, cashierId: actor.id, status: 'open', openedAt: at };
    this.store.transaction(() => {
      this.store.receipts.insert(header, at);
      this.store.audit.append({ at, actorId: actor.id, authorisedBy: null, action: 'receipt.open', subjectId: header.id, details: {} });
    });
    this.posEvents.publish({ kind: 'receipt.opened', at, cashier: posActor(actor), receiptId: header.id });
    return this.load(header);
  }

  get(receiptId: string): Receipt {
    return this.load(this.header(receiptId));
  }

  list(): ReceiptSummary[] {
    return this.store.receipts.active();
  }

  /**
   * Adds what the scanner (or the cashier's keyboard, or a quick key) delivered. A marking code is read
   * (separators restored, layout checked) and checked by the permissive-mode rules before its line is
   * added: that is the one asynchronous path; everything else answers synchronously.
   */
  scan(ctx: CallContext, receiptId: string, code: string, source: string): Receipt | Promise<Receipt> {
    if (looksLikeMarkingCode(code)) {
      const read = readMarkingScan(code);
      if (read.kind === 'invalid') throw markingUnreadable(read.message);
      const product = (read.gtin13 ? this.catalog.byBarcode(read.gtin13) : null) ?? this.catalog.byBarcode(read.gtin14);
      if (!product) throw errors.productNotFound(read.gtin14);
      if (product.marking === null) {
        // A code on goods the catalog does not call marked: sold by its GTIN, the code is not needed.
        return this.addLine(ctx, receiptId, product, read.gtin13 ?? read.gtin14, undefined, source);
      }
      return this.addMarked(ctx, receiptId, product, narrowToProduct(read, product), source);
    }
    const scanned = classifyCode(code, this.scaleLabelRules());
    let product: Product | null = null;
    let quantityMilli: number | undefined;
    switch (scanned.kind) {
      case 'invalid':
        throw errors.invalidBarcode(scanned.reason);
      case 'gtin':
        product = this.catalog.byBarcode(scanned.gtin) ?? this.catalog.byBarcode(code.trim());
        break;
      case 'marking':
        product = this.catalog.byBarcode(scanned.gtin);
        break;
      case 'internal':
        product = this.catalog.byBarcode(scanned.code) ?? this.catalog.byId(scanned.code);
        break;
      case 'scaleLabel':
        product = this.catalog.byPlu(scanned.plu);
        if (product) quantityMilli = scaleLabelQuantity(product, scanned.weightGrams, scanned.priceKopecks);
        break;
    }
    if (!product) throw errors.productNotFound(code);
    if (product.marking !== null && this.marking !== null) throw markingCodeRequired(product.name);
    return this.addLine(ctx, receiptId, product, scanned.kind === 'scaleLabel' ? code.trim() : barcodeOf(scanned, code), quantityMilli, source);
  }

  addProduct(ctx: CallContext, receiptId: string, productId: string, quantityMilli?: number): Receipt {
    const product = this.catalog.byId(productId);
    if (!product) throw errors.notFound('product', productId);
    // Picking a marked item from search would sell it unchecked: its code must be scanned.
    if (product.marking !== null && this.marking !== null) throw markingCodeRequired(product.name);
    return this.addLine(ctx, receiptId, product, product.barcodes[0] ?? null, quantityMilli, 'search');
  }

  setQuantity(ctx: CallContext, receiptId: string, lineId: string, quantityMilli: number): Receipt {
    const header = this.linesEditable(receiptId);
    const line = this.line(header.id, lineId);
    if (line.voided) throw errors.invalidState('Строка сторнирована', 'The line is voided');
    if (line.marking && line.unit === 'piece' && quantityMilli !== 1000) {
      throw errors.invalidState('Маркированный товар — по одной единице на строку', 'Marked goods: one item per line');
    }
    if (line.unit === 'piece' && quantityMilli % 1000 !== 0) {
      throw errors.invalidState('Штучный товар продаётся целыми единицами', 'Piece goods are sold in whole units');
    }
    // Lowering a quantity takes goods off the receipt: the same authority as voiding.
    const authorisedBy = quantityMilli < line.quantityMilli ? ctx.require('sale.voidLine') : ctx.actor!;
    checkLineLimits(line.priceKopecks, quantityMilli);
    const updated = withQuantity(line, quantityMilli);
    return this.commitLineChange(ctx, header, updated, 'receipt.setQuantity',
      { lineId, from: line.quantityMilli, to: quantityMilli }, authorisedBy,
      (at, position, by) => ({ kind: 'line.quantityChanged', at, cashier: posActor(ctx.actor!), receiptId: header.id,
        line: posLine(updated, position), fromQuantityMilli: line.quantityMilli, authorisedBy: by }));
  }

  voidLine(ctx: CallContext, receiptId: string, lineId: string): Receipt {
    const header = this.linesEditable(receiptId);
    const line = this.line(header.id, lineId);
    if (line.voided) throw errors.invalidState('Строка уже сторнирована', 'The line is already voided');
    return this.commitLineChange(ctx, header, voided(line), 'receipt.voidLine',
      { lineId, name: line.name, quantityMilli: line.quantityMilli, amountKopecks: line.amountKopecks }, ctx.authorisedBy ?? ctx.actor!,
      (at, position, by) => ({ kind: 'line.voided', at, cashier: posActor(ctx.actor!), receiptId: header.id, line: posLine(line, position), authorisedBy: by }));
  }

  park(ctx: CallContext, receiptId: string): ReceiptSummary[] {
    const header = this.header(receiptId);
    if (header.status !== 'open') throw errors.invalidState('Чек нельзя отложить', 'This receipt cannot be parked', { status: header.status });
    const at = this.clock.nowIso();
    const lines = this.store.receipts.lines(header.id);
    const empty = receiptTotals(lines).lineCount === 0;
    this.store.transaction(() => {
      if (empty) {
        this.store.receipts.setStatus(header.id, 'cancelled', at); // an empty receipt is not worth parking
      } else {
        this.store.receipts.setStatus(header.id, 'parked', at);
      }
      this.store.audit.append({ at, actorId: ctx.actor!.id, authorisedBy: null, action: 'receipt.park', subjectId: header.id, details: {} });
    });
    if (!empty) this.posEvents.publish({ kind: 'receipt.parked', at, cashier: posActor(ctx.actor!), receiptId: header.id });
    return this.store.receipts.active();
  }

  resume(ctx: CallContext, receiptId: string): Receipt {
    const header = this.header(receiptId);
    if (header.status === 'open') return this.load(header);
    if (header.status !== 'parked') throw errors.invalidState('Чек нельзя возобновить', 'This receipt cannot be resumed', { status: header.status });
    const at = this.clock.nowIso();
    this.store.transaction(() => {
      // The receipt on screen steps aside: parked if it has lines, dropped if empty.
      const current = this.store.receipts.currentOpen();
      if (current) {
        const empty = receiptTotals(this.store.receipts.lines(current.id)).lineCount === 0;
        this.store.receipts.setStatus(current.id, empty ? 'cancelled' : 'parked', at);
      }
      this.store.receipts.setStatus(header.id, 'open', at);
      this.store.audit.append({ at, actorId: ctx.actor!.id, authorisedBy: null, action: 'receipt.resume', subjectId: header.id, details: {} });
    });
    this.posEvents.publish({ kind: 'receipt.resumed', at, cashier: posActor(ctx.actor!), receiptId: header.id });
    return this.changed(this.load({ ...header, status: 'open' }));
  }

  cancel(ctx: CallContext, receiptId: string): void {
    const header = this.header(receiptId);
    if (header.kind === 'return') throw returnErrors.useReturnCancel();
    if (header.status !== 'open' && header.status !== 'parked') {
      throw errors.invalidState('Чек нельзя отменить', 'This receipt cannot be cancelled', { status: header.status });
    }
    const lines = this.store.receipts.lines(header.id);
    const totals = receiptTotals(lines);
    const authorisedBy = totals.lineCount > 0 ? ctx.require('sale.cancelReceipt') : ctx.actor!;
    const at = this.clock.nowIso();
    this.store.transaction(() => {
      this.store.receipts.setStatus(header.id, 'cancelled', at);
      if (totals.lineCount > 0) {
        // Loss prevention wants every cancelled receipt with goods on it.
        this.store.outbox.add({ type: 'receipt.cancelled', aggregateId: header.id, at,
          payload: { receipt: this.store.receipts.assemble({ ...header, status: 'cancelled' }, lines, totals), cancelledBy: ctx.actor!.id, authorisedBy: authorisedBy.id } });
      }
      this.store.audit.append({ at, actorId: ctx.actor!.id, authorisedBy: authorisedBy.id === ctx.actor!.id ? null : authorisedBy.id,
        action: 'receipt.cancel', subjectId: header.id, details: { totalKopecks: totals.totalKopecks, lineCount: totals.lineCount } });
    });
    const cashier = posActor(ctx.actor!);
    const supervisor = authorisedBy.id === ctx.actor!.id ? null : posActor(authorisedBy);
    if (supervisor) this.posEvents.publish({ kind: 'supervisor.override', at, cashier, supervisor, permission: 'sale.cancelReceipt', receiptId: header.id });
    this.posEvents.publish({ kind: 'receipt.cancelled', at, cashier, receiptId: header.id, totalKopecks: totals.totalKopecks, lineCount: totals.lineCount, authorisedBy: supervisor });
  }

  /** Closes the receipt with cash only: the mixed path with one cash tender. */
  payCash(ctx: CallContext, receiptId: string, tenderedKopecks: number, buyerContact: string | null = null): { sale: Sale; changeKopecks: number } {
    const header = this.editable(receiptId);
    const totals = receiptTotals(this.store.receipts.lines(header.id));
    if (totals.lineCount === 0) throw errors.invalidState('Чек пуст', 'The receipt is empty');
    // Checked here so that a short cash payment keeps its own error (the cashier's most common slip).
    if (this.store.payments.cardCommittedKopecks(header.id) === 0 && !cashTender(totals.totalKopecks, tenderedKopecks).ok) {
      throw errors.insufficientTender(totals.totalKopecks, tenderedKopecks);
    }
    const { sale } = this.payMixed(ctx, receiptId, tenderedKopecks > 0 ? [{ kind: 'cash', tenderedKopecks }] : [], buyerContact);
    return { sale, changeKopecks: sale.changeKopecks };
  }

  /**
   * Closes the receipt with any mix of tenders (cash last, with change; card payments already approved on
   * their terminals; internal types; bonus points). The sale document, its pending fiscal job with the FFD
   * payment sums, the card operations claimed by the sale, its outbox row and audit record are one
   * transaction: an approved card payment is either in this sale or still the receipt's, never lost.
   */
  payMixed(ctx: CallContext, receiptId: string, tenders: readonly TenderRequest[], buyerContact: string | null = null): { sale: Sale; split: SalePayments } {
    const header = this.editable(receiptId);
    const lines = this.store.receipts.lines(header.id);
    const totals = receiptTotals(lines);
    if (totals.lineCount === 0) throw errors.invalidState('Чек пуст', 'The receipt is empty');
    const actor = ctx.actor!;
    const at = this.clock.nowIso();
    const { sale, split } = this.store.transaction(() => {
      const split = salePayments(this.store.payments, header.id, totals.totalKopecks, tenders, this.paymentConfig);
      const document: Sale = {
        id: newId(), receiptId: header.id, number: this.store.counters.next('sale'), shiftId: header.shiftId, closedAt: at,
        cashier: actor, lines, totals, payments: split.payments, ffdPayments: split.ffd,
        tenderedKopecks: split.tenderedKopecks, changeKopecks: split.changeKopecks, fiscalState: 'pending',
        // FFD 1008 for an electronic receipt (validated by the contract); the fiscal job carries it to the register.
        ...(buyerContact ? { buyerContact } : {}),
      };
      this.store.receipts.setStatus(header.id, 'closed', at);
      // The shift's cash counts only what came in as cash (1031, net of change), not the card or other tenders.
      this.store.sales.insert(document, split.ffd.cashKopecks);
      this.store.payments.attachToSale(header.id, document.id, split.cardOperationIds, at);
      this.store.sales.addFiscalJob({ id: newId(), saleId: document.id, kind: 'sale', payload: document, at });
      this.store.outbox.add({ type: 'sale.closed', aggregateId: document.id, payload: document, at });
      this.store.audit.append({ at, actorId: actor.id, authorisedBy: null, action: 'receipt.pay', subjectId: header.id,
        details: { saleId: document.id, number: document.number, totalKopecks: totals.totalKopecks, tenders: split.payments.map((p) => ({ method: p.method, amountKopecks: p.amountKopecks })),
          tenderedKopecks: split.tenderedKopecks, changeKopecks: split.changeKopecks } });
      return { sale: document, split };
    });
    const cashier = posActor(actor);
    for (const p of split.payments) {
      this.posEvents.publish({ kind: 'payment', at, cashier, receiptId: header.id, method: p.method === 'internal' || p.method === 'bonus' ? 'other' : p.method,
        amountKopecks: p.amountKopecks, tenderedKopecks: p.method === 'cash' ? split.tenderedKopecks : p.amountKopecks, changeKopecks: p.method === 'cash' ? split.changeKopecks : 0 });
    }
    // No drawer driver is wired to the sale yet: a cash tender is where the drawer opens.
    if (split.payments.some((p) => p.method === 'cash')) this.posEvents.publish({ kind: 'drawer.opened', at, cashier, reason: 'payment' });
    this.posEvents.publish({ kind: 'receipt.closed', at, cashier, receiptId: header.id, saleNumber: sale.number, totalKopecks: totals.totalKopecks, lineCount: totals.lineCount });
    return { sale, split };
  }

  journal(limit: number, beforeNumber?: number) {
    return this.store.sales.journal(limit, beforeNumber);
  }

  saleById(saleId: string): Sale {
    const sale = this.store.sales.byId(saleId);
    if (!sale) throw errors.notFound('sale', saleId);
    return sale;
  }

  // --- internals ---

  private async addMarked(ctx: CallContext, receiptId: string, product: Product, scan: MarkedScan, source: string): Promise<Receipt> {
    this.linesEditable(receiptId);
    this.assertCodeFree(scan.code);
    if (product.weighed && scan.weightGrams === null) {
      throw errors.invalidState('Весовой маркированный товар: в коде нет веса', 'Weighed marked item: the code carries no weight', { productId: product.id });
    }
    const check = await this.marking!.check({ actor: ctx.actor!, receiptId, scan, product, priceKopecks: product.priceKopecks, operation: 'sale' });
    try {
      // The receipt and the other receipts may have changed while the check ran: look again before adding.
      this.assertCodeFree(scan.code);
      return this.addLine(ctx, receiptId, product, scan.gtin13 ?? scan.gtin14, scan.weightGrams ?? undefined, source,
        { markingCode: scan.code, markingCheck: check.line }, check.journal);
    } catch (error) {
      // The line did not land (duplicate, limits, receipt closed meanwhile): the decision is journalled all the same.
      this.store.transaction(check.journal);
      throw error;
    }
  }

  private assertCodeFree(code: string): void {
    const holder = this.store.receipts.holderOfMarkingCode(code);
    if (holder !== null) {
      throw new PosError('MARKING_REFUSED', {
        ru: 'Этот код маркировки уже в чеке. Один код — один товар: отсканируйте марку на другой упаковке.',
        en: 'This marking code is already on a receipt. One code, one item: scan the code on another pack.',
      }, { rule: 'duplicate', receiptId: holder });
    }
  }

  private addLine(ctx: CallContext, receiptId: string, product: Product, barcode: string | null, quantityMilli: number | undefined, source: string,
    marking?: Pick<ReceiptLine, 'markingCode' | 'markingCheck'>, alsoInTransaction?: () => void): Receipt {
    const header = this.linesEditable(receiptId);
    if (product.weighed && quantityMilli === undefined) {
      throw errors.invalidState('Весовой товар: положите на весы или отсканируйте этикетку весов',
        'Weighed item: put it on the scale or scan the scale label', { productId: product.id, reason: NEEDS_WEIGHT });
    }
    const quantity = quantityMilli ?? 1000;
    if (!product.weighed && quantity % 1000 !== 0) {
      throw errors.invalidState('Штучный товар продаётся целыми единицами', 'Piece goods are sold in whole units');
    }
    const lines = this.store.receipts.lines(header.id);
    const input: LineInput = {
      productId: product.id, name: product.name, barcode, unit: product.unit, weighed: product.weighed, marking: product.marking,
      ageLimit: product.ageLimit, priceKopecks: product.priceKopecks, vat: product.vat, quantityMilli: quantity,
    };
    const target = mergeTarget(lines, input);
    const at = this.clock.nowIso();
    const actor = ctx.actor!;
    if (target) {
      const merged = target.quantityMilli + quantity;
      checkLineLimits(target.priceKopecks, merged);
      const updated = withQuantity(target, merged);
      return this.commitLineChange(ctx, header, updated, 'receipt.addLine', { productId: product.id, barcode, quantityMilli: quantity, source, merged: true }, actor,
        (at, position) => ({ kind: 'line.added', at, cashier: posActor(actor), receiptId: header.id, line: posLine(updated, position), addedQuantityMilli: quantity }));
    }
    if (lines.length >= MAX_LINES_PER_RECEIPT) {
      throw errors.limit('В чеке слишком много строк', 'Too many lines on the receipt', { max: MAX_LINES_PER_RECEIPT });
    }
    checkLineLimits(product.priceKopecks, quantity);
    const line = marking ? { ...priceLine(newId(), input), ...marking } : priceLine(newId(), input);
    const all = [...lines, line];
    const totals = checkedTotals(all);
    this.store.transaction(() => {
      alsoInTransaction?.();
      this.store.receipts.addLine(header.id, line);
      this.store.receipts.setTotal(header.id, totals, at);
      this.store.audit.append({ at, actorId: actor.id, authorisedBy: null, action: 'receipt.addLine', subjectId: header.id,
        details: { lineId: line.id, productId: product.id, barcode, quantityMilli: quantity, amountKopecks: line.amountKopecks, source,
          ...(marking?.markingCheck ? { markingCheckId: marking.markingCheck.checkId, checkedBy: marking.markingCheck.checkedBy } : {}) } });
    });
    this.posEvents.publish({ kind: 'line.added', at, cashier: posActor(actor), receiptId: header.id, line: posLine(line, all.length), addedQuantityMilli: quantity });
    return this.changed(this.store.receipts.assemble(header, all, totals));
  }

  private commitLineChange(ctx: CallContext, header: ReceiptHeader, updated: ReceiptLine, action: string,
    details: Record<string, unknown>, authorisedBy: User,
    posEvent: (at: string, position: number, supervisor: PosActor | null) => PosEventInput): Receipt {
    const actor = ctx.actor!;
    const at = this.clock.nowIso();
    const lines = this.store.receipts.lines(header.id).map((l) => (l.id === updated.id ? updated : l));
    const totals = checkedTotals(lines);
    this.store.transaction(() => {
      this.store.receipts.updateLine(header.id, updated);
      this.store.receipts.setTotal(header.id, totals, at);
      this.store.audit.append({ at, actorId: actor.id, authorisedBy: authorisedBy.id === actor.id ? null : authorisedBy.id,
        action, subjectId: header.id, details });
    });
    const supervisor = authorisedBy.id === actor.id ? null : posActor(authorisedBy);
    if (supervisor) {
      const permission = action === 'receipt.voidLine' || action === 'receipt.setQuantity' ? 'sale.voidLine' : action;
      this.posEvents.publish({ kind: 'supervisor.override', at, cashier: posActor(actor), supervisor, permission, receiptId: header.id });
    }
    this.posEvents.publish(posEvent(at, lines.findIndex((l) => l.id === updated.id) + 1, supervisor));
    return this.changed(this.store.receipts.assemble(header, lines, totals));
  }

  /** Every window (a customer display, a second screen) follows the receipt through this event. */
  private changed(receipt: Receipt): Receipt {
    this.events.emit('receipt.changed', { receipt });
    return receipt;
  }

  private header(receiptId: string): ReceiptHeader {
    const header = this.store.receipts.header(receiptId);
    if (!header) throw errors.notFound('receipt', receiptId);
    return header;
  }

  /** A card is charged only for a sale: a return's money goes the other way (return.refundCard). */
  assertSaleReceipt(receiptId: string): void {
    if (this.header(receiptId).kind === 'return') throw notASale(receiptId);
  }

  /** Only the receipt on screen can change; a parked one must be resumed first. A return changes through the return service. */
  private editable(receiptId: string): ReceiptHeader {
    const header = this.header(receiptId);
    if (header.kind === 'return') throw notASale(receiptId);
    if (header.status !== 'open') {
      throw errors.invalidState('Чек не открыт: возобновите его', 'The receipt is not open: resume it first', { status: header.status });
    }
    return header;
  }

  /** Lines cannot change once a card has paid part of the receipt: the amounts would no longer match. */
  private linesEditable(receiptId: string): ReceiptHeader {
    const header = this.editable(receiptId);
    if (this.store.payments.cardCommittedKopecks(header.id) > 0) {
      throw errors.invalidState('По чеку есть оплата картой: чтобы изменить товары, сначала отмените её',
        'A card has paid part of this receipt: cancel that payment before changing the goods');
    }
    return header;
  }

  private line(receiptId: string, lineId: string): ReceiptLine {
    const line = this.store.receipts.lines(receiptId).find((l) => l.id === lineId);
    if (!line) throw errors.notFound('line', lineId);
    return line;
  }

  private load(header: ReceiptHeader): Receipt {
    const lines = this.store.receipts.lines(header.id);
    return this.store.receipts.assemble(header, lines, receiptTotals(lines));
  }
}

function notASale(receiptId: string): PosError {
  return errors.invalidState('Это возврат, а не продажа: товары и оплата — в окне возврата', 'This is a return, not a sale: its goods and money are on the return screen', { receiptId });
}

function markingUnreadable(reason: { ru: string; en: string }): PosError {
  return new PosError('MARKING_REFUSED', {
    ru: `Код маркировки не читается: ${reason.ru}. Отсканируйте марку ещё раз.`,
    en: `The marking code cannot be read: ${reason.en}. Scan the code again.`,
  }, { rule: 'unreadable' });
}

function markingCodeRequired(name: string): PosError {
  return new PosError('MARKING_REFUSED', {
    ru: `«${name.slice(0, 60)}» — маркированный товар. Отсканируйте код маркировки (квадратный DataMatrix) на упаковке.`,
    en: `"${name.slice(0, 60)}" is a marked item. Scan the marking code (the square DataMatrix) on the pack.`,
  }, { rule: 'codeRequired' });
}

/** The domain refuses lines past the contract's limits; here that becomes a cashier's error, not a crash. */
function checkLineLimits(priceKopecks: number, quantityMilli: number): void {
  const problem = lineLimitProblem(priceKopecks, quantityMilli);
  if (problem) throw errors.limit('Слишком большое количество или сумма строки', 'Line quantity or amount too large', { problem, quantityMilli });
}

function checkedTotals(lines: ReceiptLine[]) {
  const totals = receiptTotals(lines);
  if (totals.totalKopecks > MAX_AMOUNT_KOPECKS) throw errors.limit('Слишком большая сумма чека', 'Receipt total too large', { max: MAX_AMOUNT_KOPECKS });
  return totals;
}

function barcodeOf(scanned: ReturnType<typeof classifyCode>, raw: string): string {
  switch (scanned.kind) {
    case 'gtin': return scanned.gtin;
    case 'internal': return scanned.code;
    case 'marking': return scanned.gtin;
    default: return raw.trim();
  }
}

/**
 * A scale label carries the weight (grams) or the price (kopecks). Price labels are turned into the
 * quantity that price buys at the catalog price, so the line amount matches the label to the kopeck
 * whenever the label was printed at the current price.
 */
function scaleLabelQuantity(product: Product, weightGrams: number | null, priceKopecks: number | null): number {
  if (weightGrams !== null) {
    if (weightGrams <= 0) throw errors.invalidBarcode('zero weight on the scale label');
    return weightGrams;
  }
  if (priceKopecks === null || priceKopecks <= 0 || product.priceKopecks <= 0) throw errors.invalidBarcode('no weight or price on the scale label');
  let quantity = Math.round((priceKopecks * 1000) / product.priceKopecks);
  // Nudge to the nearest quantity whose amount equals the label's price, if there is one within a gram.
  for (const q of [quantity, quantity - 1, quantity + 1]) {
    if (q > 0 && lineAmountKopecks(product.priceKopecks, q) === priceKopecks) { quantity = q; break; }
  }
  return Math.max(1, quantity);
}
