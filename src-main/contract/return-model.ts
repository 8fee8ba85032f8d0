// Returns of goods against a sale (docs/returns.md): finding the sale, the return receipt the cashier
// fills from its lines, the refund by the sale's own tenders, and the closed return document.
// calls.ts spreads `returnCalls`.
import { z } from 'zod';
import type { Access } from './permissions';
import { LocalizedText } from './errors';
import { Id, IsoTime, NonNegativeKopecks, QuantityMilli } from './primitives';
import { MarkingGroup, ReceiptLine, ReceiptStatus, ReceiptTotals, Unit, User } from './model';
import { FfdPaymentSums } from './payment-model';

/** Where the original sale was found: this lane's database, or the head office's receipt lookup. */
export const RETURN_SALE_SOURCES = ['lane', 'headOffice'] as const;
export const ReturnSaleSource = z.enum(RETURN_SALE_SOURCES);
export type ReturnSaleSource = z.infer<typeof ReturnSaleSource>;

/** A line of the original sale as a return sees it: what was sold, what is already back, what may still come back. */
export const ReturnableLine = z.object({
  lineId: Id,
  productId: Id,
  name: z.string(),
  unit: Unit,
  weighed: z.boolean(),
  marking: MarkingGroup.nullable(),
  priceKopecks: NonNegativeKopecks,
  quantityMilli: QuantityMilli,
  amountKopecks: NonNegativeKopecks,
  /** Returned by earlier returns (this lane's and, as the head office reports, other lanes') and held by other open returns. */
  returnedMilli: z.number().int().min(0),
  returnableMilli: z.number().int().min(0),
});
export type ReturnableLine = z.infer<typeof ReturnableLine>;

/** A sale the search found. refusal: why it cannot be returned at this lane (the cashier reads it), else null. */
export const FoundSale = z.object({
  saleId: Id,
  number: z.number().int(),
  closedAt: IsoTime,
  totalKopecks: NonNegativeKopecks,
  cashierName: z.string(),
  source: ReturnSaleSource,
  /** The lane that sold it when the head office found it; null for this lane's own sales. */
  laneName: z.string().nullable(),
  fiscalDocument: z.object({ fdNumber: z.number().int(), fiscalSign: z.string() }).nullable(),
  paidBy: z.array(z.enum(['cash', 'card', 'internal', 'bonus'])),
  lines: z.array(ReturnableLine),
  refusal: LocalizedText.nullable(),
});
export type FoundSale = z.infer<typeof FoundSale>;

const Digits = (max: number) => z.string().regex(new RegExp(`^[0-9]{1,${max}}$`), `1 to ${max} digits`);

/** At least one criterion: the receipt number, the fiscal document number (ФД), the fiscal sign (ФП) or a time range. */
export const ReturnSearch = z.object({
  saleNumber: z.number().int().min(1).max(999_999_999).optional(),
  fdNumber: z.number().int().min(1).max(0xffff_ffff).optional(),
  fiscalSign: Digits(10).optional(),
  closedFrom: IsoTime.optional(),
  closedTo: IsoTime.optional(),
}).strict().refine((s) => s.saleNumber !== undefined || s.fdNumber !== undefined || s.fiscalSign !== undefined
  || s.closedFrom !== undefined || s.closedTo !== undefined, { message: 'give a receipt number, an FD number, a fiscal sign or a date' });
export type ReturnSearch = z.infer<typeof ReturnSearch>;

/** What the head office lookup did: not configured, asked, or could not be reached. */
export const HEAD_OFFICE_LOOKUP = ['notConfigured', 'asked', 'unreachable'] as const;

/** A return line: a line of the return receipt and the sale line it gives back. */
export const ReturnLine = ReceiptLine.extend({ saleLineId: Id });
export type ReturnLine = z.infer<typeof ReturnLine>;

/**
 * One part of the refund, by the sale's own tenders: each card part goes back to the terminal that took
 * it, the rest is cash. state: pending (not refunded yet), refunded, inDoubt (the terminal's answer is
 * being found out), failed (refused or unreachable: the cashier may pay it in cash with a supervisor),
 * foreign (the card was taken at another lane's terminal: cash with a supervisor).
 */
export const RefundPart = z.object({
  method: z.enum(['cash', 'card']),
  amountKopecks: NonNegativeKopecks,
  purchaseOperationId: Id.nullable(),
  terminalId: z.string().nullable(),
  cardMasked: z.string().nullable(),
  state: z.enum(['pending', 'refunded', 'inDoubt', 'failed', 'foreign']),
  /** The terminal's refusal or why it could not be reached, for the cashier. */
  message: z.string().nullable(),
});
export type RefundPart = z.infer<typeof RefundPart>;

export const ReturnSaleRef = z.object({
  id: Id,
  number: z.number().int(),
  closedAt: IsoTime,
  source: ReturnSaleSource,
  laneName: z.string().nullable(),
  totalKopecks: NonNegativeKopecks,
});
export type ReturnSaleRef = z.infer<typeof ReturnSaleRef>;

/** A return in progress (open or parked): the original sale's lines and the lines being returned. */
export const ReturnReceipt = z.object({
  id: Id,
  status: ReceiptStatus,
  openedAt: IsoTime,
  cashierId: Id,
  shiftId: Id,
  sale: ReturnSaleRef,
  /** The sale's lines with what may still be returned (this return's own lines not counted as returned). */
  saleLines: z.array(ReturnableLine),
  lines: z.array(ReturnLine),
  totals: ReceiptTotals,
  reason: z.string(),
  /** The supervisor who unlocked the return, when the cashier could not alone. */
  authorisedBy: Id.nullable(),
  refund: z.array(RefundPart),
  /** A card has been refunded: the lines can no longer change (the amounts would not match). */
  linesLocked: z.boolean(),
});
export type ReturnReceipt = z.infer<typeof ReturnReceipt>;

/** How a closed return was refunded. */
export const ReturnRefund = z.discriminatedUnion('method', [
  z.object({ method: z.literal('cash'), amountKopecks: NonNegativeKopecks }),
  z.object({
    method: z.literal('card'), amountKopecks: NonNegativeKopecks, terminalId: Id, purchaseOperationId: Id, refundOperationId: Id,
    rrn: z.string().nullable(), cardMasked: z.string().nullable(),
  }),
]);
export type ReturnRefund = z.infer<typeof ReturnRefund>;

/** A closed return: an append-only document of its own that points at the sale (возврат прихода, 1054 = 2). */
export const SaleReturn = z.object({
  id: Id,
  receiptId: Id,
  /** Lane-wide sequence number of returns. */
  number: z.number().int(),
  sale: ReturnSaleRef,
  shiftId: Id,
  closedAt: IsoTime,
  cashier: User,
  authorisedBy: Id.nullable(),
  /** The supervisor who let card parts be paid in cash (terminal refused or unreachable), else null. */
  cashInsteadOfCardBy: Id.nullable(),
  reason: z.string(),
  lines: z.array(ReturnLine),
  totals: ReceiptTotals,
  refunds: z.array(ReturnRefund),
  /** 1031 cash and 1081 electronic sums of the return's fiscal document. */
  ffdPayments: FfdPaymentSums,
  fiscalState: z.enum(['pending', 'done', 'failed']),
  fiscalDocument: z.object({ fnSerial: z.string(), fdNumber: z.number().int(), fiscalSign: z.string(), dateTime: z.string().nullable() }).nullable(),
});
export type SaleReturn = z.infer<typeof SaleReturn>;

function call<Req extends z.ZodType, Res extends z.ZodType>(access: Access, request: Req, response: Res) {
  return { access, request, response };
}

const ReturnRef = z.object({ returnId: Id }).strict();

export const returnCalls = {
  /** Finds the sale: this lane first, then the head office when the link is up. */
  'return.search': call('sale.sell', ReturnSearch,
    z.object({ sales: z.array(FoundSale), headOffice: z.enum(HEAD_OFFICE_LOOKUP) })),
  /** Opens a return receipt against a found sale; a cashier needs a supervisor's override. */
  'return.start': call('sale.return', z.object({ saleId: Id, reason: z.string().trim().max(200).default('') }).strict(), ReturnReceipt),
  'return.get': call('sale.sell', ReturnRef, ReturnReceipt),
  /** Sets how much of an unmarked sale line comes back (0 takes it off the return); weighed lines by weight. */
  'return.setQuantity': call('sale.sell', z.object({ returnId: Id, saleLineId: Id, quantityMilli: z.number().int().min(0).max(99_999_000) }).strict(), ReturnReceipt),
  /** A marked item comes back only with its own code, scanned and checked as a return. */
  'return.scanCode': call('sale.sell', z.object({ returnId: Id, code: z.string().min(1).max(256) }).strict(), ReturnReceipt),
  'return.removeLine': call('sale.sell', z.object({ returnId: Id, lineId: Id }).strict(), ReturnReceipt),
  /** Refunds one card part on the terminal that took the payment. */
  'return.refundCard': call('sale.sell', z.object({ returnId: Id, purchaseOperationId: Id }).strict(), ReturnReceipt),
  /**
   * Closes the return: every card part refunded, the rest paid out in cash. cardInCash pays the card parts
   * that could not be refunded in cash instead; it needs a supervisor.
   */
  'return.close': call('sale.sell', z.object({ returnId: Id, cardInCash: z.boolean().default(false) }).strict(), SaleReturn),
  'return.cancel': call('sale.sell', ReturnRef, z.object({}).strict()),
  'returns.get': call('journal.view', z.object({ id: Id }).strict(), SaleReturn),
};
