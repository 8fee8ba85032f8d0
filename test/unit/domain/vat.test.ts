import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { VAT_RATES, type VatRate } from '../../../src-main/contract';
import { VAT_RATE_INFO, vatIncludedKopecks } from '../../../src-main/domain/vat';

describe('VAT_RATE_INFO', () => {
  it('describes every contract rate', () => {
    expect(Object.keys(VAT_RATE_INFO).sort()).toEqual([...VAT_RATES].sort());
  });

  it('gives each calculated rate the same fraction as its plain rate', () => {
    const pairs: [VatRate, VatRate][] = [['vat22', 'vat22_122'], ['vat10', 'vat10_110'], ['vat5', 'vat5_105'], ['vat7', 'vat7_107']];
    for (const [plain, calculated] of pairs) {
      expect(VAT_RATE_INFO[calculated].numerator).toBe(VAT_RATE_INFO[plain].numerator);
      expect(VAT_RATE_INFO[calculated].denominator).toBe(VAT_RATE_INFO[plain].denominator);
    }
  });

  it('labels rates as the receipt prints them', () => {
    expect(VAT_RATE_INFO.vat22.label).toBe('22%');
    expect(VAT_RATE_INFO.vat22_122.label).toBe('22/122');
    expect(VAT_RATE_INFO.none.label).toBe('Без НДС');
  });
});

describe('vatIncludedKopecks', () => {
  it('finds 22.00 ₽ of VAT in 122.00 ₽ at 22 %', () => {
    expect(vatIncludedKopecks(12_200, 'vat22')).toBe(2_200);
    expect(vatIncludedKopecks(12_200, 'vat22_122')).toBe(2_200);
  });

  it('finds 10.00 ₽ of VAT in 110.00 ₽ at 10 %', () => {
    expect(vatIncludedKopecks(11_000, 'vat10')).toBe(1_000);
    expect(vatIncludedKopecks(11_000, 'vat10_110')).toBe(1_000);
  });

  it('finds 5.00 ₽ in 105.00 ₽ at 5 % and 7.00 ₽ in 107.00 ₽ at 7 %', () => {
    expect(vatIncludedKopecks(10_500, 'vat5')).toBe(500);
    expect(vatIncludedKopecks(10_700, 'vat7')).toBe(700);
    expect(vatIncludedKopecks(10_500, 'vat5_105')).toBe(500);
    expect(vatIncludedKopecks(10_700, 'vat7_107')).toBe(700);
  });

  it('rounds to the nearest kopeck: 100.00 ₽ at 22 % holds 18.03 ₽', () => {
    // 10000 × 22 / 122 = 1803.28…
    expect(vatIncludedKopecks(10_000, 'vat22')).toBe(1_803);
    // 99.99 ₽ at 10 %: 9999 / 11 = 909.0 → 909; 1.00 ₽ at 10 %: 100 / 11 = 9.09 → 9
    expect(vatIncludedKopecks(9_999, 'vat10')).toBe(909);
    expect(vatIncludedKopecks(100, 'vat10')).toBe(9);
    // 0.06 ₽ at 10 %: 6 / 11 = 0.545 → 1
    expect(vatIncludedKopecks(6, 'vat10')).toBe(1);
  });

  it('is zero at 0 % and without VAT', () => {
    expect(vatIncludedKopecks(12_345, 'vat0')).toBe(0);
    expect(vatIncludedKopecks(12_345, 'none')).toBe(0);
  });

  it('never exceeds the amount and is never negative for a sale', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000_000_000 }), fc.constantFrom(...VAT_RATES), (amount, rate) => {
        const vat = vatIncludedKopecks(amount, rate);
        expect(vat).toBeGreaterThanOrEqual(0);
        expect(vat).toBeLessThanOrEqual(amount);
      }),
    );
  });

  it('is the exact fraction of the amount rounded half away from zero', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000_000_000 }), fc.constantFrom(...VAT_RATES), (amount, rate) => {
        const { numerator, denominator } = VAT_RATE_INFO[rate];
        const vat = BigInt(vatIncludedKopecks(amount, rate));
        const exactTimesDen = BigInt(amount) * BigInt(numerator);
        const error = vat * BigInt(denominator) - exactTimesDen;
        expect(2n * (error < 0n ? -error : error) <= BigInt(denominator)).toBe(true);
      }),
    );
  });

  it('is symmetric for returns: negating the amount negates the VAT', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000_000_000 }), fc.constantFrom(...VAT_RATES), (amount, rate) => {
        expect(vatIncludedKopecks(-amount, rate)).toBe(-vatIncludedKopecks(amount, rate) || 0);
      }),
    );
  });

  it('refuses a fractional amount', () => {
    expect(() => vatIncludedKopecks(100.5, 'vat22')).toThrow(RangeError);
  });
});
