// VAT rates in force from 1 January 2026 (the federal law that raised the base rate from 20 % to 22 %),
// with the 5 % and 7 % rates of simplified-tax payers and the calculated rates (22/122 …) used for
// advances and some agent sales. Prices in Russian retail are gross, so the register and the receipt
// show the VAT *included* in each amount: included VAT = amount × numerator / denominator.
import type { VatRate } from '../contract';
import { roundDiv, toSafeNumber } from './money';

export interface VatRateInfo {
  /** Included VAT = amount × numerator / denominator. */
  numerator: number;
  denominator: number;
  /** Short label as printed on the receipt and shown on screen. */
  label: string;
}

export const VAT_RATE_INFO: Record<VatRate, VatRateInfo> = {
  vat22: { numerator: 22, denominator: 122, label: '22%' },
  vat10: { numerator: 10, denominator: 110, label: '10%' },
  vat0: { numerator: 0, denominator: 1, label: '0%' },
  none: { numerator: 0, denominator: 1, label: 'Без НДС' },
  vat5: { numerator: 5, denominator: 105, label: '5%' },
  vat7: { numerator: 7, denominator: 107, label: '7%' },
  // A calculated rate is the same fraction; it differs from its plain rate only in the tag value sent
  // to the register, so the arithmetic must be identical.
  vat22_122: { numerator: 22, denominator: 122, label: '22/122' },
  vat10_110: { numerator: 10, denominator: 110, label: '10/110' },
  vat5_105: { numerator: 5, denominator: 105, label: '5/105' },
  vat7_107: { numerator: 7, denominator: 107, label: '7/107' },
};

/**
 * The VAT contained in one line's gross amount, rounded to the kopeck, halves away from zero.
 *
 * A documented choice: VAT is computed PER LINE, and a receipt's VAT for a rate is the sum of its
 * lines' VAT. That is how the fiscal register computes and reports it (tag 1200 per item, summed into
 * the receipt's per-rate totals), so our totals match the fiscal document exactly. Computing VAT once
 * on each rate's total could differ by a kopeck per line and would then disagree with the register.
 */
export function vatIncludedKopecks(amountKopecks: number, rate: VatRate): number {
  if (!Number.isSafeInteger(amountKopecks)) throw new RangeError(`amount must be an integer number of kopecks: ${amountKopecks}`);
  const info = VAT_RATE_INFO[rate];
  if (info === undefined) throw new RangeError(`unknown VAT rate: ${String(rate)}`);
  if (info.numerator === 0) return 0;
  return toSafeNumber(roundDiv(BigInt(amountKopecks) * BigInt(info.numerator), BigInt(info.denominator)), 'VAT');
}
