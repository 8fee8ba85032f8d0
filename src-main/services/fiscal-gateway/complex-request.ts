// The Starrys `Complex` request (reference §4.1; protocol 3.2.0) as the gateway accepts it, validated with
// zod, and its translation to the device-neutral receipt request. Amounts are kopecks, Qty thousandths.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { VatRate } from '../../contract';
import { VAT_RATES } from '../../contract/model';
import type { CalculationSign, ReceiptRequest, TaxSystem } from '../../../drivers/fiscal/fiscal-register';

const kopecks = z.number().int().min(0).max(100_000_000_000); // 1 bn roubles: far above any receipt, well inside 2^53

export const ComplexLine = z.object({
  /** Quantity × 1000. */
  Qty: z.number().int().min(1).max(99_999_999),
  /** Unit price, kopecks. */
  Price: z.number().int().min(0).max(10_000_000_000),
  /** FFD 1214 способ расчёта: 1 full prepayment … 7 credit payment; 4 = full payment. */
  PayAttribute: z.number().int().min(1).max(7).default(4),
  /** Starrys VAT numbering (see TAX_IDS). */
  TaxId: z.number().int().min(1).max(99),
  Description: z.string().trim().min(1).max(128),
  /** FFD 1212 предмет расчёта (Starrys `SubjectAttribute`?): optional here, 1 = goods. */
  LineAttribute: z.number().int().min(1).max(33).optional(),
});

const CallbackSchema = z.object({
  Host: z.string().url().max(2048),
  Headers: z.record(z.string().max(64), z.string().max(1024)).optional(),
});

export const ComplexRequest = z.object({
  RequestId: z.string().trim().min(1).max(64),
  ClientId: z.string().trim().min(1).max(64).optional(),
  Password: z.union([z.number().int().min(0), z.string().max(128)]),
  Group: z.string().max(64).optional(),
  Lines: z.array(ComplexLine).min(1).max(100),
  Cash: kopecks.default(0),
  /** Three electronic payment sums (Starrys keeps three terminals); the FFD knows one: 1081. */
  NonCash: z.array(kopecks).max(3).default([]),
  AdvancePayment: kopecks.default(0),
  Credit: kopecks.default(0),
  Consideration: kopecks.default(0),
  /** 1055 СНО bit: exactly one system per receipt. */
  TaxMode: z.union([z.literal(1), z.literal(2), z.literal(4), z.literal(16), z.literal(32)]).optional(),
  /** 0 приход, 1 расход, 2 возврат прихода, 3 возврат расхода (Starrys numbering). */
  DocumentType: z.number().int().min(0).max(3),
  PhoneOrEmail: z.string().trim().max(64).refine((v) => /^\+?[0-9]{10,15}$/.test(v) || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v),
    { message: 'must be a phone number (+7…) or an e-mail address' }).optional(),
  /** Accepted for compatibility and ignored: shifts are the fiscal service's business. */
  MaxDocumentsInTurn: z.number().int().optional(),
  FullResponse: z.boolean().optional(),
  Callback: CallbackSchema.optional(),
});
export type ComplexRequest = z.infer<typeof ComplexRequest>;

/**
 * Starrys TaxId → VAT rate. The 20 % codes (1 = 20 %, 5 = 20/120) name a rate that no longer exists in
 * 2026, and the code Starrys uses for 22 % is UNCONFIRMED (reference §4.1): the gateway's configuration
 * (`taxIds`) must say which TaxId means 22 % and 22/122; until it does, such lines are refused.
 */
export const STARRYS_TAX_IDS: Readonly<Record<number, VatRate>> = {
  2: 'vat10', 3: 'vat0', 4: 'none', 6: 'vat10_110', 7: 'vat5', 8: 'vat7', 9: 'vat5_105', 10: 'vat7_107',
};

export const TaxIdOverrides = z.record(z.string().regex(/^[0-9]{1,2}$/), z.enum(VAT_RATES));

const DOCUMENT_SIGN: Record<number, CalculationSign> = { 0: 'sale', 1: 'purchase', 2: 'saleReturn', 3: 'purchaseReturn' };
const TAX_SYSTEM: Record<number, TaxSystem> = { 1: 'osn', 2: 'usnIncome', 4: 'usnIncomeMinusExpense', 16: 'eshn', 32: 'patent' };

export interface ReceiptMapping {
  taxIds: Readonly<Record<number, VatRate>>;
  /** Used when the request gives no TaxMode. */
  defaultTaxMode: 1 | 2 | 4 | 16 | 32;
  cashier: { name: string; inn?: string } | null;
}

export type MappingResult = { ok: true; receipt: ReceiptRequest; totalKopecks: number } | { ok: false; problems: string[] };

/** Qty × Price / 1000 rounded half up, in integers (no floating point in money paths). */
export function lineAmountKopecks(qtyMilli: number, priceKopecks: number): number {
  const p = BigInt(qtyMilli) * BigInt(priceKopecks);
  return Number((p + 500n) / 1000n);
}

export function receiptFromComplex(req: ComplexRequest, mapping: ReceiptMapping): MappingResult {
  const problems: string[] = [];
  const items: ReceiptRequest['items'] = [];
  let totalKopecks = 0;
  req.Lines.forEach((line, i) => {
    const vat = mapping.taxIds[line.TaxId];
    if (!vat) {
      problems.push(`Lines[${i}].TaxId ${line.TaxId} is not a VAT rate this gateway knows${line.TaxId === 1 || line.TaxId === 5
        ? ' (20 % no longer exists; configure which TaxId means 22 % in "taxIds")' : ''}`);
      return;
    }
    const amountKopecks = lineAmountKopecks(line.Qty, line.Price);
    totalKopecks += amountKopecks;
    items.push({
      name: line.Description, quantityMilli: line.Qty, priceKopecks: line.Price, amountKopecks, vat,
      paymentMethod: line.PayAttribute, itemType: line.LineAttribute ?? 1, unit: 'piece',
    });
  });
  const electronicKopecks = req.NonCash.reduce((a, b) => a + b, 0);
  const paid = req.Cash + electronicKopecks + req.AdvancePayment + req.Credit + req.Consideration;
  if (problems.length === 0 && paid !== totalKopecks) {
    problems.push(`the payments (Cash + NonCash + AdvancePayment + Credit + Consideration = ${paid}) must equal the sum of the lines (${totalKopecks})`);
  }
  if (problems.length > 0) return { ok: false, problems };
  const receipt: ReceiptRequest = {
    sign: DOCUMENT_SIGN[req.DocumentType]!,
    taxSystem: TAX_SYSTEM[req.TaxMode ?? mapping.defaultTaxMode]!,
    items,
    payments: {
      cashKopecks: req.Cash, electronicKopecks, prepaymentKopecks: req.AdvancePayment, postpaymentKopecks: req.Credit,
      counterProvisionKopecks: req.Consideration,
    },
    ...(mapping.cashier ? { cashier: mapping.cashier } : {}),
    ...(req.PhoneOrEmail ? { buyerContact: req.PhoneOrEmail } : {}),
  };
  return { ok: true, receipt, totalKopecks };
}

/**
 * What makes two requests "the same": everything but the password, in the schema's key order (zod
 * output is deterministic), defaults filled in — so `"Cash": 0` and no Cash are the same request.
 */
export function requestHash(req: ComplexRequest): string {
  const { Password: _password, ...rest } = req;
  return createHash('sha256').update(JSON.stringify(rest)).digest('hex');
}

/** zod issues as short sentences with the field path, for the error answer. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.slice(0, 20).map((i) => `${i.path.length > 0 ? i.path.map(String).join('.') : 'request'}: ${i.message}`);
}
