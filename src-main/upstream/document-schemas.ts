// The documents a lane sends upstream, one zod schema per outbox type. This one module is read by
// both ends: the lane's relay checks a row before it sends it (a row that does not match is parked on
// the lane with the reason, no request wasted) and the head office checks every document it ingests
// (hq/src/documents.ts). A type missing here is refused on both sides with "unknown document type".
import { z } from 'zod';
import { Id, IsoTime, Kopecks, NonNegativeKopecks, QuantityMilli, Receipt, Sale, ShiftSummary, User } from '../contract/model';

const Time = IsoTime.refine((s) => !Number.isNaN(Date.parse(s)), 'an ISO 8601 time');
const Digits = (max: number) => z.string().regex(new RegExp(`^\\d{1,${max}}$`), `1 to ${max} digits`);

/** The register's wall-clock time of a document (no zone: the register has none), as a fiscal.document carries it. */
export const REGISTER_DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2})?/;

/**
 * A fiscal document the register made, as the lane's fiscal journal keeps it: written to the outbox when
 * the job that made it is done (in that transaction), so the head office can find a sale by its ФП or ФД.
 */
const FiscalDocument = z.object({
  /** The lane's fiscal job that made it and the job's step (a sale's job may open the shift first). */
  jobId: Id,
  step: z.number().int().min(0).max(100),
  /** What the document is: a receipt (a sale's or a return's), a shift opening or closing, a cash move, a correction. */
  kind: z.enum(['receipt', 'openShift', 'closeShift', 'cashIn', 'cashOut', 'correction']),
  /** The sale this document fiscalised (Sale.id); null for documents of no sale. */
  saleId: Id.nullable(),
  /** The return this document fiscalised (its receipt.returned id); null otherwise. */
  returnId: Id.nullable(),
  fnSerial: Digits(16),
  fdNumber: z.number().int().min(1).max(0xffff_ffff),
  /** ФПД: a 32-bit number written in decimal. */
  fiscalSign: Digits(10),
  /** The register's own wall-clock time of the document (no zone: the register has none); null when it did not say. */
  dateTime: z.string().regex(REGISTER_DATE_TIME, 'the register\'s date and time').max(40).nullable(),
  /** The document's TLV tree as JSON, tag numbers as keys (what the register's FN read-back gave); null when it gave none
   *  or the document is not the job's own (a shift the job had to open first). */
  tlv: z.union([z.record(z.string(), z.unknown()), z.array(z.unknown())]).nullable(),
}).strict();

/**
 * A return of goods against a sale (the lane's returns feature is not built yet; this is the shape
 * it must send). saleId is the Sale's id (the aggregate id of its sale.closed document), so a return
 * made at another lane or store names the sale the head office's receipt lookup found.
 */
const ReceiptReturned = z.object({
  id: Id,
  saleId: Id,
  /** The receipt number of the sale, as printed, for people reading the document. */
  saleNumber: z.number().int().min(1),
  shiftId: Id,
  returnedAt: Time,
  cashier: User,
  /** A supervisor's id where the return needed one. */
  authorisedBy: Id.nullable(),
  reason: z.string().max(500),
  lines: z.array(z.object({
    /** The sale line returned (ReceiptLine.id). */
    lineId: Id,
    productId: Id,
    quantityMilli: QuantityMilli,
    amountKopecks: NonNegativeKopecks,
  }).strict()).min(1).max(1000),
  totalKopecks: NonNegativeKopecks,
  refunds: z.array(z.object({ method: z.enum(['cash', 'card', 'sbp']), amountKopecks: NonNegativeKopecks }).strict()).min(1),
  fiscalState: z.enum(['pending', 'done', 'failed']),
}).strict();

/** One audit log record with its place in the hash chain (src-main/store/audit-log.ts). */
const AuditRecord = z.object({
  seq: z.number().int().min(1),
  id: Id,
  at: Time,
  actorId: Id.nullable(),
  authorisedBy: Id.nullable(),
  action: z.string().min(1).max(100),
  subjectId: z.string().max(200).nullable(),
  details: z.record(z.string(), z.unknown()),
  prevHash: z.string().regex(/^[0-9a-f]{64}$/),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
}).strict();

/** What the permissive-mode rules decided for one scanned marking code. */
const MarkingCheck = z.object({
  /** The code as scanned (GS1 DataMatrix text with GS as \u001d). */
  code: z.string().min(1).max(512),
  gtin: z.string().regex(/^\d{14}$/).nullable(),
  decision: z.enum(['allow', 'block', 'allowOffline', 'ask']),
  /** The rule that decided (for the supervisor and the auditor). */
  rule: z.string().min(1).max(100),
  checkedBy: z.enum(['online', 'offline', 'tspiot', 'none']),
  /** The check's request id (tag 1265); null when no service answered. */
  reqId: z.string().max(64).nullable(),
  at: Time,
}).strict();

/** A card or SBP operation on a payment terminal, whatever its outcome. */
const PaymentOperation = z.object({
  id: Id,
  /** The receipt being paid; null for terminal operations of no receipt (settlement). */
  receiptId: Id.nullable(),
  /** The purchase a cancel or refund undoes; null for a purchase. */
  originalId: Id.nullable(),
  kind: z.enum(['purchase', 'refund', 'cancel', 'settlement']),
  method: z.enum(['card', 'sbp']),
  amountKopecks: NonNegativeKopecks,
  outcome: z.enum(['approved', 'declined', 'unknown']),
  rrn: z.string().max(32).nullable(),
  authCode: z.string().max(16).nullable(),
  /** The lane's payment terminal (its configured id). */
  terminalId: Id.nullable(),
  /** Never the full PAN: the terminal's masked form only (at least one mask character). */
  cardMasked: z.string().regex(/^(?=.*[*Xx])[0-9*Xx ]{4,23}$/, 'a masked card number').nullable(),
  declineCode: z.string().max(32).nullable(),
  at: Time,
}).strict();

/** Payload shapes per outbox type, as the lane writes them. */
export const DOCUMENT_PAYLOADS = {
  'sale.closed': Sale.extend({ closedAt: Time }),
  'receipt.cancelled': z.object({ receipt: Receipt, cancelledBy: Id, authorisedBy: Id }),
  'receipt.returned': ReceiptReturned,
  'shift.opened': z.object({ id: Id, number: z.number().int(), openedAt: Time, openedBy: Id }),
  'shift.closed': ShiftSummary,
  'cash.in': z.object({ id: Id, shiftId: Id, direction: z.literal('in'), amountKopecks: NonNegativeKopecks, comment: z.string(), userId: Id, at: Time }),
  'cash.out': z.object({ id: Id, shiftId: Id, direction: z.literal('out'), amountKopecks: Kopecks.min(1), comment: z.string(), userId: Id, at: Time }),
  'fiscal.document': FiscalDocument,
  'audit.record': AuditRecord,
  'marking.check': MarkingCheck,
  'payment.operation': PaymentOperation,
} satisfies Record<string, z.ZodType>;

export type DocumentType = keyof typeof DOCUMENT_PAYLOADS;
export type DocumentPayload<T extends DocumentType> = z.infer<(typeof DOCUMENT_PAYLOADS)[T]>;
export const DOCUMENT_TYPES = Object.keys(DOCUMENT_PAYLOADS) as DocumentType[];

export function isDocumentType(type: string): type is DocumentType {
  return Object.prototype.hasOwnProperty.call(DOCUMENT_PAYLOADS, type);
}

/** Why a payload does not match its type's schema, or null when it does. */
export function documentPayloadProblem(type: string, payload: unknown): string | null {
  if (!isDocumentType(type)) return `unknown document type "${type.slice(0, 64)}"`;
  const r = (DOCUMENT_PAYLOADS[type] as z.ZodType).safeParse(payload);
  return r.success ? null : `payload of ${type}: ${describeZodError(r.error)}`;
}

export function describeZodError(error: z.ZodError): string {
  return error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(document)'}: ${i.message}`).join('; ');
}
