import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { lineAmountKopecks, roundDiv, sumKopecks } from '../../../src-main/domain/money';

const price = fc.integer({ min: 0, max: 1_000_000_000 });
const quantity = fc.integer({ min: 1, max: 99_999_000 });

/** Reference: round half away from zero done with exact rational comparison in BigInt. */
function reference(p: number, q: number): number {
  const product = BigInt(p) * BigInt(q);
  const whole = product / 1000n;
  const rest = product % 1000n;
  return Number(rest >= 500n ? whole + 1n : whole);
}

describe('roundDiv', () => {
  it('rounds halves away from zero in both directions', () => {
    expect(roundDiv(5n, 2n)).toBe(3n);
    expect(roundDiv(-5n, 2n)).toBe(-3n);
    expect(roundDiv(5n, -2n)).toBe(-3n);
    expect(roundDiv(-5n, -2n)).toBe(3n);
    expect(roundDiv(7n, 2n)).toBe(4n);
  });

  it('rounds below a half toward zero and above a half away from zero', () => {
    expect(roundDiv(499n, 1000n)).toBe(0n);
    expect(roundDiv(-499n, 1000n)).toBe(0n);
    expect(roundDiv(501n, 1000n)).toBe(1n);
    expect(roundDiv(-1501n, 1000n)).toBe(-2n);
  });

  it('divides exactly when there is no remainder', () => {
    expect(roundDiv(0n, 7n)).toBe(0n);
    expect(roundDiv(12200n * 22n, 122n)).toBe(2200n);
  });

  it('refuses a zero denominator', () => {
    expect(() => roundDiv(1n, 0n)).toThrow(RangeError);
  });

  it('is symmetric: rounding a negated numerator negates the result', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.bigInt({ min: 1n, max: 10n ** 6n }), (n, d) => {
        expect(roundDiv(-n, d)).toBe(-roundDiv(n, d));
      }),
    );
  });

  it('is never more than half a unit away from the exact quotient', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.bigInt({ min: 1n, max: 10n ** 6n }), (n, d) => {
        const error = roundDiv(n, d) * d - n; // (result − exact) · d
        expect(2n * (error < 0n ? -error : error) <= d).toBe(true);
      }),
    );
  });
});

describe('lineAmountKopecks', () => {
  it('rounds half a kopeck up: 1 kop × 0.500 = 1 kop, 1 kop × 0.499 = 0 kop', () => {
    expect(lineAmountKopecks(1, 500)).toBe(1);
    expect(lineAmountKopecks(1, 499)).toBe(0);
    expect(lineAmountKopecks(1, 1500)).toBe(2);
    expect(lineAmountKopecks(3, 500)).toBe(2);
    expect(lineAmountKopecks(1, 2500)).toBe(3);
  });

  it('prices a weighed line: 0.347 kg at 499.90 ₽/kg is 173.47 ₽', () => {
    // 49990 × 347 / 1000 = 17346.53 → 17347
    expect(lineAmountKopecks(49_990, 347)).toBe(17_347);
  });

  it('rounds negative amounts away from zero too (returns use the same rule)', () => {
    expect(lineAmountKopecks(-1, 500)).toBe(-1);
    expect(lineAmountKopecks(1, -500)).toBe(-1);
  });

  it('is exact for whole pieces', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000_000_000 }), fc.integer({ min: 1, max: 90_000 }), (p, pieces) => {
        expect(lineAmountKopecks(p, pieces * 1000)).toBe(p * pieces);
      }),
    );
  });

  it('equals the exact product rounded half away from zero', () => {
    fc.assert(
      fc.property(price, quantity, (p, q) => {
        expect(lineAmountKopecks(p, q)).toBe(reference(p, q));
      }),
    );
  });

  it('is exact with the largest price at a large quantity, where a float product would lose digits', () => {
    // 10^11 × 90 000 001 / 1000 = 9 000 000 100 000 000 — below 2^53, but the product is 9·10^18.
    expect(lineAmountKopecks(100_000_000_000, 90_000_001)).toBe(9_000_000_100_000_000);
    expect(lineAmountKopecks(99_999_999_999, 99_999)).toBe(reference(99_999_999_999, 99_999));
  });

  it('never grows when the quantity shrinks', () => {
    fc.assert(
      fc.property(price, quantity, quantity, (p, a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        expect(lineAmountKopecks(p, low)).toBeLessThanOrEqual(lineAmountKopecks(p, high));
      }),
    );
  });

  it('never grows when the price falls', () => {
    fc.assert(
      fc.property(price, price, quantity, (a, b, q) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        expect(lineAmountKopecks(low, q)).toBeLessThanOrEqual(lineAmountKopecks(high, q));
      }),
    );
  });

  it('refuses fractional arguments instead of rounding them silently', () => {
    expect(() => lineAmountKopecks(10.5, 1000)).toThrow(RangeError);
    expect(() => lineAmountKopecks(10, 0.5)).toThrow(RangeError);
    expect(() => lineAmountKopecks(Number.NaN, 1000)).toThrow(RangeError);
  });

  it('refuses a result past 2^53 instead of returning a wrong number', () => {
    expect(() => lineAmountKopecks(100_000_000_000, 99_999_000)).toThrow(RangeError);
  });
});

describe('sumKopecks', () => {
  it('adds integers and gives 0 for no values', () => {
    expect(sumKopecks([])).toBe(0);
    expect(sumKopecks([1, 2, 3])).toBe(6);
    expect(sumKopecks([100, -40])).toBe(60);
  });

  it('equals the BigInt sum for any list of contract-sized amounts', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 100_000_000_000 }), { maxLength: 500 }), (values) => {
        expect(BigInt(sumKopecks(values))).toBe(values.reduce((a, v) => a + BigInt(v), 0n));
      }),
    );
  });

  it('refuses fractions and sums past 2^53', () => {
    expect(() => sumKopecks([1, 0.5])).toThrow(RangeError);
    expect(() => sumKopecks([Number.MAX_SAFE_INTEGER, 1])).toThrow(RangeError);
  });
});
