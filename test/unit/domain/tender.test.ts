import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cashTender } from '../../../src-main/domain/tender';

describe('cashTender', () => {
  it('gives no change when the exact amount is tendered', () => {
    expect(cashTender(12_345, 12_345)).toEqual({ ok: true, changeKopecks: 0 });
  });

  it('gives the difference back as change when more is tendered', () => {
    expect(cashTender(12_345, 20_000)).toEqual({ ok: true, changeKopecks: 7_655 });
  });

  it('reports how much is missing when too little is tendered', () => {
    expect(cashTender(12_345, 10_000)).toEqual({ ok: false, shortKopecks: 2_345 });
  });

  it('accepts a zero total with nothing tendered', () => {
    expect(cashTender(0, 0)).toEqual({ ok: true, changeKopecks: 0 });
  });

  it('always balances: total + change = tendered, or tendered + short = total', () => {
    const amount = fc.integer({ min: 0, max: 100_000_000_000 });
    fc.assert(
      fc.property(amount, amount, (total, tendered) => {
        const result = cashTender(total, tendered);
        if (result.ok) expect(total + result.changeKopecks).toBe(tendered);
        else {
          expect(result.shortKopecks).toBeGreaterThan(0);
          expect(tendered + result.shortKopecks).toBe(total);
        }
      }),
    );
  });

  it('refuses negative or fractional amounts', () => {
    expect(() => cashTender(-1, 0)).toThrow(RangeError);
    expect(() => cashTender(100, -5)).toThrow(RangeError);
    expect(() => cashTender(100, 10.5)).toThrow(RangeError);
  });
});
