// The shapes that cross the contract. Money is integer kopecks, quantities are integer thousandths
// (grams for kg, millilitres for litres, 1000 per piece). Ids are UUIDv7 strings.
import { z } from 'zod';
import { LocalizedText } from './errors';

import { Id, IsoTime, Kopecks, NonNegativeKopecks, QuantityMilli } from './primitives';
import { FfdPaymentSums, SalePayment } from './payment-model';

export { Id, IsoTime, Kopecks, NonNegativeKopecks, QuantityMilli };

export const ROLES = ['cashier', 'supervisor', 'administrator'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

export const User = z.object({ id: Id, name: z.string(), role: Role });
export type User = z.infer<typeof User>;

/**
 * VAT rates of 2026 (tag 1199 values in FFD 1.2 terms): 22 %, 10 %, 0 %, without VAT, 5 %, 7 %,
 * and the calculated rates used for advances and some agent sales.
 */
export const VAT_RATES = ['vat22', 'vat10', 'vat0', 'none', 'vat5', 'vat7', 'vat22_122', 'vat10_110', 'vat5_105', 'vat7_107'] as const;
export const VatRate = z.enum(VAT_RATES);
export type VatRate = z.infer<typeof VatRate>;

/** Measure units (FFD 1.2 tag 2108): piece = 0, gram = 10, kg = 11, ml = 40, litre = 41, metre = 22. */
export const UNITS = ['piece', 'kg', 'litre', 'metre'] as const;
export const Unit = z.enum(UNITS);
export type Unit = z.infer<typeof Unit>;

/** Product groups that carry marking codes (Chestny Znak). `null` = not marked. */
export const MARKING_GROUPS = ['tobacco', 'dairy', 'shoes', 'water', 'beer', 'clothes', 'perfume', 'tires', 'other'] as const;
export const MarkingGroup = z.enum(MARKING_GROUPS);
export type MarkingGroup = z.infer<typeof MarkingGroup>;

export const Product = z.object({
  id: Id,
  name: z.string(),
  priceKopecks: NonNegativeKopecks,
  vat: VatRate,
  unit: Unit,
  /** Weighed goods are sold by a scale reading or a scale-label barcode. */
  weighed: z.boolean(),
  plu: z.number().int().nullable(),
  marking: MarkingGroup.nullable(),
  /** Minimum buyer age (18 for alcohol and tobacco), or null. */
  ageLimit: z.number().int().nullable(),
  barcodes: z.array(z.string()),
});
export type Product = z.infer<typeof Product>;

/** How a marked item's code was checked (permissive mode) and what the fiscal document must carry. */
export const MarkingLineCheck = z.object({
  /** online (True API), offline (local module), tspiot, emergency (HTTP 203: no 1260), unavailable (nothing answered: no 1260). */
  checkedBy: z.enum(['online', 'offline', 'tspiot', 'emergency', 'unavailable']),
  /** Tag 1260 values (1262–1265) when an answer allows it, else null. */
  requisite1260: z.object({ t1262: z.string(), t1263: z.string(), t1264: z.string(), t1265: z.string() }).nullable(),
  /** Rules that would have refused but the administrator had switched off (recorded for the audit). */
  skippedRules: z.array(z.string()),
  checkId: z.string(),
});
export type MarkingLineCheck = z.infer<typeof MarkingLineCheck>;

export const ReceiptLine = z.object({
  id: Id,
  productId: Id,
  name: z.string(),
  barcode: z.string().nullable(),
  unit: Unit,
  weighed: z.boolean(),
  marking: MarkingGroup.nullable(),
  ageLimit: z.number().int().nullable(),
  quantityMilli: QuantityMilli,
  priceKopecks: NonNegativeKopecks,
  /** price × quantity, rounded to the kopeck (half away from zero). */
  amountKopecks: NonNegativeKopecks,
  vat: VatRate,
  /** VAT included in amountKopecks, computed per line. */
  vatKopecks: NonNegativeKopecks,
  /** A voided line stays on the receipt (loss prevention wants to see it) but counts for nothing. */
  voided: z.boolean(),
  /** The full marking code (tag 2000, GS as \u001d) of a marked item, and how it was checked. */
  markingCode: z.string().max(256).nullable().optional(),
  markingCheck: MarkingLineCheck.nullable().optional(),
});
export type ReceiptLine = z.infer<typeof ReceiptLine>;

export const VatTotal = z.object({ vat: VatRate, amountKopecks: NonNegativeKopecks, vatKopecks: NonNegativeKopecks });
export type VatTotal = z.infer<typeof VatTotal>;

export const ReceiptTotals = z.object({
  totalKopecks: NonNegativeKopecks,
  /** Number of active (not voided) lines. */
  lineCount: z.number().int(),
  vatTotals: z.array(VatTotal),
});
export type ReceiptTotals = z.infer<typeof ReceiptTotals>;

export const RECEIPT_STATUSES = ['open', 'parked', 'closed', 'cancelled'] as const;
export const ReceiptStatus = z.enum(RECEIPT_STATUSES);
export type ReceiptStatus = z.infer<typeof ReceiptStatus>;

export const Receipt = z.object({
  id: Id,
  status: ReceiptStatus,
  openedAt: IsoTime,
  cashierId: Id,
  shiftId: Id,
  lines: z.array(ReceiptLine),
  totals: ReceiptTotals,
});
export type Receipt = z.infer<typeof Receipt>;

export const ReceiptSummary = z.object({
  id: Id,
  status: ReceiptStatus,
  /** A sale, or a return against a sale (docs/returns.md); absent means a sale. */
  kind: z.enum(['sale', 'return']).optional(),
  openedAt: IsoTime,
  totalKopecks: NonNegativeKopecks,
  lineCount: z.number().int(),
  /** The first line's name, so the cashier recognises a parked receipt. */
  firstLineName: z.string().nullable(),
});
export type ReceiptSummary = z.infer<typeof ReceiptSummary>;

export const PAYMENT_METHODS = ['cash'] as const;
export const Payment = z.object({ method: z.enum(PAYMENT_METHODS), amountKopecks: NonNegativeKopecks });
export type Payment = z.infer<typeof Payment>;

export const FISCAL_STATES = ['pending', 'done', 'failed'] as const;

export const Sale = z.object({
  id: Id,
  receiptId: Id,
  /** Lane-wide sequence number of the sale, printed on the receipt preview and shown in the journal. */
  number: z.number().int(),
  shiftId: Id,
  closedAt: IsoTime,
  cashier: User,
  lines: z.array(ReceiptLine),
  totals: ReceiptTotals,
  /** Every tender that paid the sale: cash (with what was handed over), cards, internal types, bonus points. */
  payments: z.array(z.union([SalePayment, Payment])),
  /** The FFD payment sums (1031, 1081, 1215, 1216, 1217) the fiscal document carries; absent on sales from before mixed payments (all cash). */
  ffdPayments: FfdPaymentSums.optional(),
  tenderedKopecks: NonNegativeKopecks,
  changeKopecks: NonNegativeKopecks,
  /** Fiscalisation is done by the fiscal service from a pending job; nothing fiscal is invented here. */
  fiscalState: z.enum(FISCAL_STATES),
  /** The fiscal document the register made for this sale, once it exists (read back from the FN). */
  fiscalDocument: z.object({ fnSerial: z.string(), fdNumber: z.number().int(), fiscalSign: z.string(), dateTime: z.string().nullable() }).nullable().optional(),
  /** FFD 1008: the buyer's phone (+7…) or e-mail for an electronic receipt, when the cashier took one. */
  buyerContact: z.string().nullable().optional(),
});
export type Sale = z.infer<typeof Sale>;

/** What the fiscal register and its job queue look like, for the shift screen and warnings. */
export const FiscalStatus = z.object({
  configured: z.boolean(),
  connected: z.boolean(),
  queueLength: z.number().int(),
  oldestQueuedAt: IsoTime.nullable(),
  manualJobs: z.array(z.object({ id: Id, kind: z.string(), saleId: Id.nullable(), reason: z.string(), createdAt: IsoTime })),
  lastError: LocalizedText.nullable(),
  shift: z.object({ open: z.boolean(), expired: z.boolean(), openedAt: z.string().nullable(), closesBy: z.string().nullable() }).nullable(),
  paperOut: z.boolean().nullable(),
  ofd: z.object({ unsentCount: z.number().int(), oldestUnsentAt: z.string().nullable(), oldestUnsentAgeMs: z.number().nullable() }).nullable(),
  fn: z.object({ serial: z.string(), lastFd: z.number().int(), warnings: z.array(z.string()) }).nullable(),
});
export type FiscalStatus = z.infer<typeof FiscalStatus>;

export const SaleSummary = z.object({
  id: Id,
  number: z.number().int(),
  closedAt: IsoTime,
  cashierName: z.string(),
  totalKopecks: NonNegativeKopecks,
  lineCount: z.number().int(),
  fiscalState: z.enum(FISCAL_STATES),
});
export type SaleSummary = z.infer<typeof SaleSummary>;

export const Shift = z.object({
  id: Id,
  number: z.number().int(),
  openedAt: IsoTime,
  openedBy: Id,
  closedAt: IsoTime.nullable(),
  status: z.enum(['open', 'closed']),
});
export type Shift = z.infer<typeof Shift>;

export const ShiftSummary = z.object({
  shift: Shift,
  salesCount: z.number().int(),
  salesTotalKopecks: NonNegativeKopecks,
  cashSalesKopecks: NonNegativeKopecks,
  cashInKopecks: NonNegativeKopecks,
  cashOutKopecks: NonNegativeKopecks,
  /** Returns closed in the shift (docs/returns.md); absent in summaries from before returns. */
  returnsCount: z.number().int().optional(),
  returnsTotalKopecks: NonNegativeKopecks.optional(),
  /** Cash paid out for returns. */
  cashRefundsKopecks: NonNegativeKopecks.optional(),
  /** Cash that should be in the drawer: cash sales + cash in − cash out − cash refunds. */
  cashInDrawerKopecks: Kopecks,
  openReceipts: z.number().int(),
});
export type ShiftSummary = z.infer<typeof ShiftSummary>;

/** Sale-screen layout: data, not code, so the head office can publish layouts later. */
export const PANELS = ['lines', 'totals', 'quickKeys', 'search', 'parked', 'keypad'] as const;
export const LayoutConfig = z.object({
  /** Panels shown in the left and right columns, in order. */
  left: z.array(z.enum(PANELS)),
  right: z.array(z.enum(PANELS)),
  quickKeys: z.array(z.object({ label: LocalizedText, barcode: z.string(), color: z.string().optional() })).max(60),
  /** Action → key (KeyboardEvent.key, with optional "Ctrl+" / "Alt+" / "Shift+" prefixes). */
  hotkeys: z.record(z.string(), z.string()),
  fontScale: z.number().min(0.75).max(2),
});
export type LayoutConfig = z.infer<typeof LayoutConfig>;

export const LaneInfo = z.object({
  laneId: Id,
  laneName: z.string(),
  storeName: z.string(),
  demo: z.boolean(),
  kiosk: z.boolean(),
  locale: z.enum(['ru', 'en']),
  version: z.string(),
  /** Keyboard-wedge detection: a burst of keys faster than this per key is a scan. */
  wedge: z.object({
    maxInterKeyMs: z.number().int(), minLength: z.number().int(), suffix: z.string(), prefix: z.string(),
    /** A key or character the scanner sends for GS (F8, '~'…); '' = none (Ctrl+] and Alt+0029 always work). */
    gsSubstitute: z.string().max(8).optional(),
  }),
});
export type LaneInfo = z.infer<typeof LaneInfo>;

/** Video-surveillance export (docs/video-export.md): one sink = one video system receiving this lane's events. */
export const VIDEO_PROTOCOLS = ['trassir', 'axxon', 'textfeed'] as const;
export const VIDEO_ENCODINGS = ['utf-8', 'windows-1251', 'cp866'] as const;
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$|^[0-9A-Fa-f:.]{2,45}$/;
const VideoSinkFields = z.object({
  id: Id,
  name: z.string().trim().min(1).max(60),
  protocol: z.enum(VIDEO_PROTOCOLS),
  transport: z.enum(['tcp', 'udp']),
  host: z.string().min(1).max(253).regex(HOST, 'host: a name or an IP address'),
  port: z.number().int().min(1).max(65535),
  enabled: z.boolean(),
  /** How the video system knows this lane: TRASSIR location, Axxon cash_number/TerminalId, text feed КАССА. */
  terminalId: z.string().min(1).max(32).regex(/^[0-9A-Za-z_.-]+$/, 'terminal: letters, digits, _ . -'),
  /** The camera channel of this lane, sent where the format carries it (Axxon, text feed). */
  camera: z.number().int().min(0).max(999).nullable(),
  /** IANA time zone of the store (captions in local time). */
  timeZone: z.string().min(1).max(64).regex(/^[A-Za-z_]+(?:\/[A-Za-z0-9_+-]+)*$/, 'time zone: e.g. Europe/Moscow'),
  /** Axxon and text feed only; TRASSIR is always UTF-8. */
  encoding: z.enum(VIDEO_ENCODINGS),
}).strict();
const udpOnlyForTrassir = (s: { transport: string; protocol: string }) => s.transport === 'tcp' || s.protocol === 'trassir';
const UDP_MESSAGE = { message: 'UDP is offered by TRASSIR only', path: ['transport'] };
export const VideoSinkConfig = VideoSinkFields.refine(udpOnlyForTrassir, UDP_MESSAGE);
export type VideoSinkConfig = z.infer<typeof VideoSinkConfig>;
/** A sink as the settings screen sends it: without id when it is new. */
export const VideoSinkDraft = VideoSinkFields.extend({ id: Id.optional() }).refine(udpOnlyForTrassir, UDP_MESSAGE);
export type VideoSinkDraft = z.infer<typeof VideoSinkDraft>;

export const VideoSinkStatus = z.object({
  sinkId: Id,
  state: z.enum(['disabled', 'stopped', 'connecting', 'connected', 'waiting']),
  lastError: z.string().nullable(),
  lastDeliveredAt: IsoTime.nullable(),
  retryAt: IsoTime.nullable(),
  pending: z.number().int(),
  evicted: z.number().int(),
  lastEvictedAt: IsoTime.nullable(),
  sentEvents: z.number().int(),
});
export type VideoSinkStatus = z.infer<typeof VideoSinkStatus>;

/** The lane's link to the head office: what the cashier sees in the status bar. */
export const UpstreamStatus = z.object({
  configured: z.boolean(),
  link: z.enum(['unknown', 'up', 'down']),
  /** Documents waiting to be sent, and those parked for the operator. */
  backlog: z.number().int(),
  parked: z.number().int(),
  lastError: z.string().nullable(),
  lastSentAt: z.string().nullable(),
});
export type UpstreamStatus = z.infer<typeof UpstreamStatus>;

/** One permissive-mode decision, as the violation journal shows it. */
export const MarkingCheckEntry = z.object({
  id: Id,
  at: IsoTime,
  receiptId: Id.nullable(),
  code: z.string(),
  gtin: z.string().nullable(),
  productGroup: z.string().nullable(),
  operation: z.enum(['sale', 'return']),
  allowed: z.boolean(),
  rule: z.string().nullable(),
  checkedBy: z.string(),
  message: LocalizedText,
});
export type MarkingCheckEntry = z.infer<typeof MarkingCheckEntry>;

/** A permissive-mode rule switched off for a product group ('*' = all) until a moment, with a reason. */
export const MarkingRuleSwitch = z.object({
  productGroup: z.string().min(1).max(20).regex(/^(\*|[a-z]+)$/, 'group: a short name such as milk, or *'),
  rule: z.string().min(1).max(40).regex(/^[A-Za-z]+$/),
  offUntil: IsoTime,
  reason: z.string().trim().min(3).max(200),
  setBy: z.string().optional(),
  setAt: IsoTime.optional(),
});
export type MarkingRuleSwitch = z.infer<typeof MarkingRuleSwitch>;
