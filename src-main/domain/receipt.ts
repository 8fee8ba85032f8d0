// Receipt lines and totals as pure values: every function returns a new line or a new total and never
// mutates its input, so the sale service can compute the next state, write it in one transaction and
// only then let anyone see it.
import { VAT_RATES } from '../contract';
import type { MarkingGroup, ReceiptLine, ReceiptTotals, Unit, VatRate, VatTotal } from '../contract';
import { lineAmountKopecks, roundDiv, sumKopecks } from './money';
import { vatIncludedKopecks } from './vat';

/** A receipt longer than this is a mistake or abuse, and registers refuse very long documents. */
export const MAX_LINES_PER_RECEIPT = 500;
/** 99 999 units: the contract's QuantityMilli upper bound. */
export const MAX_QUANTITY_MILLI = 99_999_000;
/** The contract's upper bound for any kopeck amount (one billion roubles). */
export const MAX_AMOUNT_KOPECKS = 1_000_000_000_00;

export interface LineInput {
  productId: string;
  name: string;
  barcode: string | null;
  unit: Unit;
  weighed: boolean;
  marking: MarkingGroup | null;
  ageLimit: number | null;
  priceKopecks: number;
  vat: VatRate;
  quantityMilli: number;
}

export type LineLimitProblem = 'quantity' | 'price' | 'amount';

/**
 * Which business limit a price and quantity would break, or null when a line can be priced.
 * Services call this first so that the cashier gets an error value, not an exception.
 */
export function lineLimitProblem(priceKopecks: number, quantityMilli: number): LineLimitProblem | null {
  if (!Number.isSafeInteger(quantityMilli) || quantityMilli < 1 || quantityMilli > MAX_QUANTITY_MILLI) return 'quantity';
  if (!Number.isSafeInteger(priceKopecks) || priceKopecks < 0 || priceKopecks > MAX_AMOUNT_KOPECKS) return 'price';
  // Compared in BigInt: the largest price times the largest quantity is past 2^53.
  if (roundDiv(BigInt(priceKopecks) * BigInt(quantityMilli), 1000n) > BigInt(MAX_AMOUNT_KOPECKS)) return 'amount';
  return null;
}

function assertWithinLimits(priceKopecks: number, quantityMilli: number): void {
  const problem = lineLimitProblem(priceKopecks, quantityMilli);
  if (problem !== null) {
    throw new RangeError(`receipt line ${problem} out of range: price ${priceKopecks} kop, quantity ${quantityMilli}/1000`);
  }
}

/**
 * A new, active line with its amount and included VAT computed. Throws RangeError when the quantity,
 * price or amount breaks a limit (check with lineLimitProblem first): a line that the contract would
 * reject must never be built.
 */
export function priceLine(id: string, input: LineInput): ReceiptLine {
  assertWithinLimits(input.priceKopecks, input.quantityMilli);
  const amountKopecks = lineAmountKopecks(input.priceKopecks, input.quantityMilli);
  return {
    id,
    productId: input.productId,
    name: input.name,
    barcode: input.barcode,
    unit: input.unit,
    weighed: input.weighed,
    marking: input.marking,
    ageLimit: input.ageLimit,
    quantityMilli: input.quantityMilli,
    priceKopecks: input.priceKopecks,
    amountKopecks,
    vat: input.vat,
    vatKopecks: vatIncludedKopecks(amountKopecks, input.vat),
    voided: false,
  };
}

/** The same line with another quantity; amount and VAT recomputed from the line's price. Same limits as priceLine. */
export function withQuantity(line: ReceiptLine, quantityMilli: number): ReceiptLine {
  assertWithinLimits(line.priceKopecks, quantityMilli);
  const amountKopecks = lineAmountKopecks(line.priceKopecks, quantityMilli);
  return { ...line, quantityMilli, amountKopecks, vatKopecks: vatIncludedKopecks(amountKopecks, line.vat) };
}

/** The line marked void. It keeps its amount so the journal shows what was voided; totals skip it. */
export function voided(line: ReceiptLine): ReceiptLine {
  return { ...line, voided: true };
}

/**
 * Total, active line count and per-rate VAT of a receipt. Voided lines count for nothing.
 * Per-rate VAT is the sum of the lines' VAT (see vat.ts for why it is not recomputed on the sum).
 * vatTotals holds one entry per rate present among active lines, in VAT_RATES order, so the
 * receipt preview and the fiscal document list rates in the same stable order.
 */
export function receiptTotals(lines: readonly ReceiptLine[]): ReceiptTotals {
  const active = lines.filter((line) => !line.voided);
  const byRate = new Map<VatRate, { amounts: number[]; vats: number[] }>();
  for (const line of active) {
    let bucket = byRate.get(line.vat);
    if (bucket === undefined) {
      bucket = { amounts: [], vats: [] };
      byRate.set(line.vat, bucket);
    }
    bucket.amounts.push(line.amountKopecks);
    bucket.vats.push(line.vatKopecks);
  }
  const vatTotals: VatTotal[] = [];
  for (const vat of VAT_RATES) {
    const bucket = byRate.get(vat);
    if (bucket !== undefined) {
      vatTotals.push({ vat, amountKopecks: sumKopecks(bucket.amounts), vatKopecks: sumKopecks(bucket.vats) });
    }
  }
  return {
    totalKopecks: sumKopecks(active.map((line) => line.amountKopecks)),
    lineCount: active.length,
    vatTotals,
  };
}

function isCountedPiece(item: { unit: Unit; weighed: boolean; marking: MarkingGroup | null }): boolean {
  return item.unit === 'piece' && !item.weighed && item.marking === null;
}

/**
 * The line a repeated scan should add one piece to, or null for a new line.
 * Only the LAST active line is a candidate: scanning A, B, A gives three lines, because the cashier
 * and the customer read the screen bottom-up and expect the newest scan at the bottom. Weighed goods
 * always get their own line (each has its own weight), and so do marked goods: every marked item
 * carries its own code, which the register reports per line.
 */
export function mergeTarget(
  lines: readonly ReceiptLine[],
  input: Pick<LineInput, 'productId' | 'weighed' | 'marking' | 'unit'>,
): ReceiptLine | null {
  if (!isCountedPiece(input)) return null;
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i];
    if (line === undefined || line.voided) continue;
    return line.productId === input.productId && isCountedPiece(line) ? line : null;
  }
  return null;
}
