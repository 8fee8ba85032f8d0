// Every call the renderer may make: name → request schema, response schema, access.
// The dispatcher validates requests against these and rejects anything that does not parse.
import { z } from 'zod';
import type { Access } from './permissions';
import {
  Id, LaneInfo, LayoutConfig, NonNegativeKopecks, Product, QuantityMilli, Receipt, ReceiptSummary,
  FiscalStatus, MarkingCheckEntry, MarkingRuleSwitch, UpstreamStatus, Sale, SaleSummary, Shift, ShiftSummary, User, VideoSinkConfig, VideoSinkDraft, VideoSinkStatus,
} from './model';
import { paymentCalls } from './payment-model';
import { FiscalCorrectionRequest } from './fiscal-correction';
import { BuyerContact } from './buyer-contact';
import { deviceCalls } from './device-model';
import { scaleControlCalls } from './scale-controls';
import { drawerCalls } from './drawer-model';
import { returnCalls } from './return-model';

const Empty = z.object({}).strict();
/** Scanner / keyboard input. Marking codes are long (up to ~150 chars with GS), so 256 is the cap. */
const ScanCode = z.string().min(1).max(256);
const Pin = z.string().regex(/^[0-9]{4,8}$/, 'PIN: 4 to 8 digits');

function call<Req extends z.ZodType, Res extends z.ZodType>(access: Access, request: Req, response: Res) {
  return { access, request, response };
}

export const calls = {
  'system.hello': call('public', Empty, z.object({ lane: LaneInfo, layout: LayoutConfig })),

  'session.login': call('public', z.object({ pin: Pin }).strict(), z.object({ user: User })),
  'session.logout': call('public', Empty, Empty),
  'session.lock': call('session', Empty, Empty),
  'session.current': call('public', Empty, z.object({ user: User.nullable(), locked: z.boolean() })),

  'catalog.lookup': call('session', z.object({ code: ScanCode }).strict(), z.object({ product: Product.nullable() })),
  'catalog.search': call('session', z.object({ query: z.string().max(100), limit: z.number().int().min(1).max(50).default(20) }).strict(),
    z.object({ items: z.array(Product) })),

  'receipt.open': call('sale.sell', Empty, Receipt),
  'receipt.list': call('sale.sell', Empty, z.object({ receipts: z.array(ReceiptSummary) })),
  'receipt.get': call('sale.sell', z.object({ receiptId: Id }).strict(), Receipt),
  'receipt.scan': call('sale.sell', z.object({
    receiptId: Id, code: ScanCode, source: z.enum(['wedge', 'manual', 'scanner', 'quickKey']),
  }).strict(), Receipt),
  'receipt.addProduct': call('sale.sell', z.object({ receiptId: Id, productId: Id, quantityMilli: QuantityMilli.optional() }).strict(), Receipt),
  'receipt.setQuantity': call('sale.sell', z.object({ receiptId: Id, lineId: Id, quantityMilli: QuantityMilli }).strict(), Receipt),
  'receipt.voidLine': call('sale.voidLine', z.object({ receiptId: Id, lineId: Id }).strict(), Receipt),
  'receipt.park': call('sale.sell', z.object({ receiptId: Id }).strict(), z.object({ receipts: z.array(ReceiptSummary) })),
  'receipt.resume': call('sale.sell', z.object({ receiptId: Id }).strict(), Receipt),
  'receipt.cancel': call('sale.sell', z.object({ receiptId: Id }).strict(), Empty),
  'receipt.payCash': call('sale.sell', z.object({ receiptId: Id, tenderedKopecks: NonNegativeKopecks, buyerContact: BuyerContact.optional() }).strict(),
    z.object({ sale: Sale, changeKopecks: NonNegativeKopecks })),

  'sales.journal': call('journal.view', z.object({
    limit: z.number().int().min(1).max(200).default(50),
    beforeNumber: z.number().int().optional(),
  }).strict(), z.object({ sales: z.array(SaleSummary) })),
  'sales.get': call('journal.view', z.object({ saleId: Id }).strict(), Sale),

  'shift.current': call('session', Empty, z.object({ shift: Shift.nullable(), summary: ShiftSummary.nullable() })),
  'shift.open': call('shift.manage', Empty, Shift),
  'shift.close': call('shift.manage', Empty, ShiftSummary),
  'cash.move': call('cash.move', z.object({
    direction: z.enum(['in', 'out']), amountKopecks: NonNegativeKopecks.min(1), comment: z.string().max(200).default(''),
  }).strict(), ShiftSummary),

  // The fiscal register: status for everyone at the lane; reports and releasing parked jobs for a supervisor.
  // Reports are queued as fiscal jobs (they run after the receipts before them); the answer is the job id.
  'fiscal.status': call('session', Empty, FiscalStatus),
  'fiscal.xReport': call('fiscal.reports', Empty, z.object({ jobId: Id })),
  'fiscal.zReport': call('fiscal.reports', Empty, z.object({ jobId: Id })),
  'fiscal.retryJob': call('fiscal.reports', z.object({ jobId: Id }).strict(), z.object({ released: z.boolean() })),
  /** A correction receipt (FFD type 31): queued like a report; the answer is the job id (docs/fiscal-service.md). */
  'fiscal.correction': call('fiscal.reports', FiscalCorrectionRequest, z.object({ jobId: Id })),

  'upstream.status': call('session', Empty, UpstreamStatus),

  // Bank terminals, card operations, mixed payments (docs/payments.md).
  ...paymentCalls,
  ...deviceCalls,
  ...scaleControlCalls,
  ...drawerCalls,
  // Returns against a sale (docs/returns.md).
  ...returnCalls,

  // Marking codes (permissive mode): the violation journal for supervisors, rule switches for the administrator.
  'marking.journal': call('marking.journal', z.object({
    from: z.string().max(40).optional(), to: z.string().max(40).optional(), refusedOnly: z.boolean().default(true),
    rule: z.string().max(40).optional(), productGroup: z.string().max(20).optional(), limit: z.number().int().min(1).max(1000).default(200),
  }).strict(), z.object({ entries: z.array(MarkingCheckEntry) })),
  'marking.exportJournal': call('marking.journal', z.object({
    from: z.string().max(40).optional(), to: z.string().max(40).optional(), refusedOnly: z.boolean().default(true),
  }).strict(), z.object({ fileName: z.string(), csv: z.string() })),
  'marking.listSwitches': call('catalog.manage', Empty, z.object({ switches: z.array(MarkingRuleSwitch), rules: z.array(z.string()) })),
  'marking.setSwitch': call('catalog.manage', z.object({ switch: MarkingRuleSwitch }).strict(), z.object({ switches: z.array(MarkingRuleSwitch) })),
  'marking.clearSwitch': call('catalog.manage', z.object({ productGroup: z.string().max(20), rule: z.string().max(40) }).strict(),
    z.object({ switches: z.array(MarkingRuleSwitch) })),

  // Video-surveillance export: configuration is the administrator's (catalog.manage = lane configuration).
  'video.listSinks': call('catalog.manage', Empty, z.object({ sinks: z.array(VideoSinkConfig), status: z.array(VideoSinkStatus) })),
  /** Adds (id absent) or replaces a sink; the sink restarts with the new settings. */
  'video.saveSink': call('catalog.manage', z.object({ sink: VideoSinkDraft }).strict(), z.object({ sink: VideoSinkConfig })),
  'video.removeSink': call('catalog.manage', z.object({ sinkId: Id }).strict(), Empty),
  /** Sends a sample receipt's events straight to the sink (not through the queue) and says how it went. */
  'video.testSink': call('catalog.manage', z.object({ sinkId: Id }).strict(), z.object({ sentEvents: z.number().int() })),
} as const;

export type Calls = typeof calls;
export type CallName = keyof Calls;
export type CallRequest<N extends CallName> = z.input<Calls[N]['request']>;
export type CallRequestParsed<N extends CallName> = z.output<Calls[N]['request']>;
export type CallResponse<N extends CallName> = z.output<Calls[N]['response']>;

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(calls, name);
}
