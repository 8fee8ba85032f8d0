// Money arithmetic for the sale. Money is an integer number of kopecks and quantities are integer
// thousandths of a unit (1000 = one piece, 1 kg or 1 litre), so every amount here is computed with
// integers. A price (≤ 10^11 kopecks) times a quantity (≤ 99 999 000 thousandths) can reach 10^19,
// far past 2^53, so products are formed in BigInt and only the rounded result comes back as a number.

/**
 * numerator / denominator rounded to the nearest integer, halves away from zero (2.5 → 3, −2.5 → −3).
 * BigInt division truncates toward zero, so the remainder tells us whether to step one further out.
 * Throws RangeError on a zero denominator: that is a bug in the caller, never a shop situation.
 */
export function roundDiv(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new RangeError('roundDiv: division by zero');
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  let quotient = n / d;
  // 2·remainder ≥ divisor means the fraction is at least one half: round the magnitude up.
  if ((n % d) * 2n >= d) quotient += 1n;
  return negative ? -quotient : quotient;
}

/**
 * The amount of one receipt line: price × quantity / 1000, rounded to the kopeck, halves away from zero
 * (0.5 kop becomes 1 kop). This is the rounding the fiscal register applies to each line (tag 1043,
 * "стоимость предмета расчёта"), so the lane and the register agree to the kopeck on every receipt.
 *
 * Throws RangeError when an argument is not a safe integer or the result does not fit a safe integer;
 * callers check business limits (see receipt.ts) before they get here.
 */
export function lineAmountKopecks(priceKopecks: number, quantityMilli: number): number {
  if (!Number.isSafeInteger(priceKopecks)) throw new RangeError(`price must be an integer number of kopecks: ${priceKopecks}`);
  if (!Number.isSafeInteger(quantityMilli)) throw new RangeError(`quantity must be an integer number of thousandths: ${quantityMilli}`);
  return toSafeNumber(roundDiv(BigInt(priceKopecks) * BigInt(quantityMilli), 1000n), 'line amount');
}

/** Sum of kopeck amounts. Throws RangeError on a non-integer value or a sum past 2^53 (never silently wrong). */
export function sumKopecks(values: readonly number[]): number {
  let total = 0;
  for (const value of values) {
    if (!Number.isSafeInteger(value)) throw new RangeError(`not an integer number of kopecks: ${value}`);
    total += value;
    // Checked on every step: once a float sum leaves the safe range it can no longer be trusted.
    if (!Number.isSafeInteger(total)) throw new RangeError('sum of kopecks exceeds the safe integer range');
  }
  return total;
}

/** Converts a BigInt result back to number, refusing to lose precision. */
export function toSafeNumber(value: bigint, what: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError(`${what} exceeds the safe integer range: ${value}`);
  }
  return Number(value);
}
