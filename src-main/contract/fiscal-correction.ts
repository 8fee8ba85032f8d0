// A correction receipt (FFD "чек коррекции", document type 31) as a supervisor asks for it: what is
// corrected (sign, own initiative or a tax authority's order), the basis (1174: date and order number),
// the total split by payment kind and the VAT sums. The tax system comes from the lane's fiscal settings.
import { z } from 'zod';
import { NonNegativeKopecks } from './primitives';

const Sum = NonNegativeKopecks.max(1_000_000_00 * 100);

export const CorrectionPayments = z.object({
  cashKopecks: Sum.default(0),
  electronicKopecks: Sum.default(0),
  prepaymentKopecks: Sum.default(0),
  postpaymentKopecks: Sum.default(0),
  counterProvisionKopecks: Sum.default(0),
}).strict();

export const CorrectionVat = z.object({
  vat22: Sum.optional(), vat10: Sum.optional(), vat0: Sum.optional(), none: Sum.optional(),
  vat22_122: Sum.optional(), vat10_110: Sum.optional(),
}).strict();

/** Local calendar date YYYY-MM-DD that exists (2026-02-30 does not). */
const CalendarDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date: YYYY-MM-DD').refine((d) => {
  const t = Date.parse(`${d}T00:00:00Z`);
  return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === d;
}, 'date: no such day');

export const FiscalCorrectionRequest = z.object({
  /** 1054: 1 приход (sale) or 3 расход (purchase) — what the FF4A command allows. */
  sign: z.enum(['sale', 'purchase']),
  /** 1173: 0 own initiative (self), 1 by order of the tax authority (ordered). */
  correctionType: z.enum(['self', 'ordered']),
  /** 1178: the date of the event corrected. */
  basisDate: CalendarDate,
  /** 1179: the number of the tax authority's order (required for 'ordered') or of the own act. */
  orderNumber: z.string().trim().max(32).optional(),
  totalKopecks: Sum.min(1),
  payments: CorrectionPayments,
  vat: CorrectionVat.default({}),
}).strict().superRefine((r, ctx) => {
  const p = r.payments;
  const paid = p.cashKopecks + p.electronicKopecks + p.prepaymentKopecks + p.postpaymentKopecks + p.counterProvisionKopecks;
  if (paid !== r.totalKopecks) {
    ctx.addIssue({ code: 'custom', path: ['payments'], message: `the payments (${paid}) must equal the total (${r.totalKopecks})` });
  }
  if (r.correctionType === 'ordered' && !r.orderNumber) {
    ctx.addIssue({ code: 'custom', path: ['orderNumber'], message: 'an order number is required for a correction by order' });
  }
  const vatSum = Object.values(r.vat).reduce<number>((n, v) => n + (v ?? 0), 0);
  if (vatSum > r.totalKopecks) {
    ctx.addIssue({ code: 'custom', path: ['vat'], message: 'the VAT sums exceed the total' });
  }
});
export type FiscalCorrectionRequest = z.output<typeof FiscalCorrectionRequest>;
export type FiscalCorrectionRequestInput = z.input<typeof FiscalCorrectionRequest>;
