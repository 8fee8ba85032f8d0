// Payments beyond cash (issue 6): bank terminals, card operations, internal payment types, bonus
// points, mixed tenders, and the FFD payment sums a sale carries. calls.ts spreads `paymentCalls`;
// events.ts spreads `paymentEvents`; Sale.payments holds SalePayment.
import { z } from 'zod';
import type { Access } from './permissions';
import { Id, IsoTime, NonNegativeKopecks } from './primitives';
import { BuyerContact } from './buyer-contact';

export const TENDER_KINDS = ['cash', 'card', 'internal', 'bonus'] as const;
export const TenderKind = z.enum(TENDER_KINDS);

export const FFD_PAYMENT_KINDS = ['cash', 'electronic', 'prepayment', 'postpayment', 'counterProvision'] as const;
export const FfdPaymentKind = z.enum(FFD_PAYMENT_KINDS);
/** An internal type or bonus may land anywhere but cash: cash only ever comes through the drawer. */
export const NonCashFfdKind = z.enum(['electronic', 'prepayment', 'postpayment', 'counterProvision']);

const PositiveKopecks = NonNegativeKopecks.min(1);
const Label = z.string().min(1).max(80);

/** How a terminal is chosen when the cashier does not pick one. Absent rules accept everything. */
export const TerminalRouting = z.object({
  /** Lower goes first among terminals that accept the payment. */
  priority: z.number().int().min(-1000).max(1000).optional(),
  /** Card schemes this terminal takes ("MIR", "VISA", "UNIONPAY" …), as the terminal names them. */
  cardTypes: z.array(z.string().min(1).max(20)).max(20).optional(),
  /** Payment methods this terminal serves ('card', 'sbp' …). */
  methods: z.array(z.string().min(1).max(20)).max(10).optional(),
  minAmountKopecks: NonNegativeKopecks.optional(),
  maxAmountKopecks: NonNegativeKopecks.optional(),
}).strict();
export type TerminalRouting = z.infer<typeof TerminalRouting>;

export const PaymentTerminalConfig = z.object({
  id: Id,
  name: Label,
  protocol: z.string().min(1).max(20),
  /** Driver-specific: serial port, host:port, exchange directory … */
  connection: z.record(z.string(), z.unknown()),
  role: z.string().max(80),
  routing: TerminalRouting,
  enabled: z.boolean(),
}).strict();
export type PaymentTerminalConfig = z.infer<typeof PaymentTerminalConfig>;

export const InternalPaymentType = z.object({ id: Id, name: Label, ffdKind: NonCashFfdKind, enabled: z.boolean() }).strict();
export type InternalPaymentType = z.infer<typeof InternalPaymentType>;

export const CARD_OPERATION_KINDS = ['purchase', 'refund', 'cancel'] as const;
export const CARD_OPERATION_STATES = ['journalled', 'sent', 'approved', 'declined', 'unknown', 'cancelled', 'needs_supervisor'] as const;
export const CardOperationState = z.enum(CARD_OPERATION_STATES);
export type CardOperationState = z.infer<typeof CardOperationState>;

export const ApprovedCardFields = z.object({
  amountKopecks: NonNegativeKopecks,
  rrn: z.string().nullable(),
  authCode: z.string().nullable(),
  receiptNumber: z.string().nullable(),
  terminalId: z.string().nullable(),
  cardMasked: z.string().nullable(),
  cardType: z.string().nullable(),
});
export type ApprovedCardFields = z.infer<typeof ApprovedCardFields>;

/** One card operation as the journal knows it. */
export const CardOperation = z.object({
  id: Id,
  receiptId: Id,
  saleId: Id.nullable(),
  terminalId: Id,
  kind: z.enum(CARD_OPERATION_KINDS),
  amountKopecks: PositiveKopecks,
  state: CardOperationState,
  originalId: Id.nullable(),
  approved: ApprovedCardFields.nullable(),
  slip: z.array(z.string()).nullable(),
  /** Decline code and message, or why the outcome is unknown. */
  outcome: z.object({ code: z.string(), message: z.string() }).nullable(),
  /** Why a supervisor must look. */
  attention: z.string().nullable(),
  createdAt: IsoTime,
  updatedAt: IsoTime,
});
export type CardOperation = z.infer<typeof CardOperation>;

export const TerminalStatus = z.object({
  id: Id, name: z.string(), role: z.string(), protocol: z.string(), enabled: z.boolean(),
  up: z.boolean(), message: z.string(),
  /** Operations on this terminal whose outcome is still being found out: no new operation until they are. */
  unresolved: z.number().int(),
});
export type TerminalStatus = z.infer<typeof TerminalStatus>;

export const TerminalSettlement = z.object({
  id: Id, terminalId: Id, shiftId: Id.nullable(), at: IsoTime, ok: z.boolean(), message: z.string(), slip: z.array(z.string()),
});
export type TerminalSettlement = z.infer<typeof TerminalSettlement>;

/** The FFD payment sums (1031, 1081, 1215, 1216, 1217); they add up to the sale total. */
export const FfdPaymentSums = z.object({
  cashKopecks: NonNegativeKopecks,
  electronicKopecks: NonNegativeKopecks,
  prepaymentKopecks: NonNegativeKopecks,
  postpaymentKopecks: NonNegativeKopecks,
  considerationKopecks: NonNegativeKopecks,
});
export type FfdPaymentSums = z.infer<typeof FfdPaymentSums>;

/** A payment as the sale document keeps it (proposed replacement of model.ts Payment). */
export const SalePayment = z.discriminatedUnion('method', [
  z.object({ method: z.literal('cash'), amountKopecks: NonNegativeKopecks, tenderedKopecks: NonNegativeKopecks, changeKopecks: NonNegativeKopecks }),
  z.object({
    method: z.literal('card'), amountKopecks: PositiveKopecks, terminalId: Id, operationId: Id,
    rrn: z.string().nullable(), authCode: z.string().nullable(), cardMasked: z.string().nullable(), cardType: z.string().nullable(),
    slip: z.array(z.string()),
  }),
  z.object({ method: z.literal('internal'), amountKopecks: PositiveKopecks, typeId: Id, typeName: z.string(), ffdKind: NonCashFfdKind, reference: z.string().nullable() }),
  z.object({ method: z.literal('bonus'), amountKopecks: PositiveKopecks, ffdKind: NonCashFfdKind, holdId: z.string().nullable() }),
]);
export type SalePayment = z.infer<typeof SalePayment>;

/** What the cashier hands in to close a mixed receipt; card tenders are operations already approved. */
export const TenderRequest = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('cash'), tenderedKopecks: PositiveKopecks }).strict(),
  z.object({ kind: z.literal('card'), operationId: Id }).strict(),
  z.object({ kind: z.literal('internal'), typeId: Id, amountKopecks: PositiveKopecks, reference: z.string().max(64).nullable().optional() }).strict(),
  /** holdId: what the loyalty service reserved for this receipt (issue to come). */
  z.object({ kind: z.literal('bonus'), amountKopecks: PositiveKopecks, holdId: z.string().min(1).max(64) }).strict(),
]);
export type TenderRequest = z.infer<typeof TenderRequest>;

export const PaymentProgress = z.object({ operationId: Id, terminalId: Id, message: z.string() });
export type PaymentProgress = z.infer<typeof PaymentProgress>;

/** Proposed event (events.ts): the terminal's prompts while an operation runs ("Вставьте карту"). */
export const paymentEvents = {
  'payment.progress': PaymentProgress,
  'payment.changed': z.object({ operation: CardOperation }),
} as const;

function call<Req extends z.ZodType, Res extends z.ZodType>(access: Access, request: Req, response: Res) {
  return { access, request, response };
}

/** Proposed calls (calls.ts). 'sale.sell' for the cashier's path; supervisor decisions need 'fiscal.reports'-level rights. */
export const paymentCalls = {
  'payment.terminals': call('sale.sell', z.object({}).strict(), z.object({ terminals: z.array(TerminalStatus) })),
  'payment.internalTypes': call('sale.sell', z.object({}).strict(), z.object({ types: z.array(InternalPaymentType) })),
  /** Charges a card for part or all of the receipt; terminalId when the cashier picks one, else routing does. */
  'payment.card': call('sale.sell', z.object({
    receiptId: Id, amountKopecks: PositiveKopecks, terminalId: Id.optional(), method: z.string().max(20).optional(), cardType: z.string().max(20).optional(),
  }).strict(), z.object({ operation: CardOperation })),
  'payment.forReceipt': call('sale.sell', z.object({ receiptId: Id }).strict(), z.object({ operations: z.array(CardOperation) })),
  /** Reversal before settlement, on the terminal that took the payment. */
  'payment.cancel': call('sale.cancelReceipt', z.object({ operationId: Id }).strict(), z.object({ operation: CardOperation })),
  'payment.refund': call('sale.cancelReceipt', z.object({ operationId: Id, amountKopecks: PositiveKopecks }).strict(), z.object({ operation: CardOperation })),
  'payment.attention': call('fiscal.reports', z.object({}).strict(), z.object({ operations: z.array(CardOperation) })),
  'payment.resolve': call('fiscal.reports', z.object({ operationId: Id, decision: z.enum(['approved', 'declined']), note: z.string().max(500).optional() }).strict(),
    z.object({ operation: CardOperation })),
  'payment.settleAll': call('shift.manage', z.object({}).strict(), z.object({ settlements: z.array(TerminalSettlement) })),
  /** Closes the receipt with a mixed split (replaces receipt.payCash for everything but plain cash). */
  'receipt.payMixed': call('sale.sell', z.object({ receiptId: Id, tenders: z.array(TenderRequest).min(1).max(20), buyerContact: BuyerContact.optional() }).strict(),
    z.object({ saleId: Id, changeKopecks: NonNegativeKopecks, payments: z.array(SalePayment), ffd: FfdPaymentSums })),
};
