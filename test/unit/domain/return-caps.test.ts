import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { otherLanesReturnedMilli, returnAmountKopecks, returnQuantityProblem, returnableMilli, type SoldLine } from '../../../src-main/domain/return-caps';
import { lineAmountKopecks } from '../../../src-main/domain/money';

const bread: SoldLine = { unit: 'piece', weighed: false, marking: null, quantityMilli: 3000, amountKopecks: 16_200 };
const apples: SoldLine = { unit: 'kg', weighed: true, marking: null, quantityMilli: 1234, amountKopecks: lineAmountKopecks(14_990, 1234) };
const milk: SoldLine = { unit: 'piece', weighed: false, marking: 'dairy', quantityMilli: 1000, amountKopecks: 8_990 };

describe('what may still come back of a line', () => {
  it('is sold minus already returned, never below zero', () => {
    expect(returnableMilli(3000, 0)).toBe(3000);
    expect(returnableMilli(3000, 2000)).toBe(1000);
    expect(returnableMilli(3000, 3000)).toBe(0);
    expect(returnableMilli(3000, 4000)).toBe(0);
  });

  it('counts what other lanes returned as the head office reports it, without this lane\'s own it already received', () => {
    expect(otherLanesReturnedMilli(2000, 0)).toBe(2000);
    expect(otherLanesReturnedMilli(2000, 1000)).toBe(1000);
    // The head office has not seen this lane's return yet: nothing of it is another lane's.
    expect(otherLanesReturnedMilli(0, 1000)).toBe(0);
  });

  it('refuses more than is left, half a piece, and a marked item by quantity', () => {
    expect(returnQuantityProblem(bread, 0, 3000)).toBeNull();
    expect(returnQuantityProblem(bread, 2000, 1000)).toBeNull();
    expect(returnQuantityProblem(bread, 2000, 2000)).toBe('exceedsReturnable');
    expect(returnQuantityProblem(bread, 0, 1500)).toBe('notWhole');
    expect(returnQuantityProblem(bread, 3000, 0)).toBeNull(); // nothing asked, nothing wrong
    expect(returnQuantityProblem(apples, 600, 634)).toBeNull(); // weighed goods by the gram
    expect(returnQuantityProblem(apples, 600, 635)).toBe('exceedsReturnable');
    expect(returnQuantityProblem(milk, 0, 1000)).toBe('markedNeedsCode');
  });
});

describe('the money for part of a line', () => {
  it('is the line\'s own amount for the whole line and the price for whole pieces', () => {
    expect(returnAmountKopecks(bread, 0, 3000)).toBe(16_200);
    expect(returnAmountKopecks(bread, 0, 1000)).toBe(5_400);
    expect(returnAmountKopecks(bread, 1000, 2000)).toBe(10_800);
    expect(returnAmountKopecks(apples, 0, 1234)).toBe(apples.amountKopecks);
  });

  it('refuses to give back more than was sold', () => {
    expect(() => returnAmountKopecks(bread, 2000, 2000)).toThrow(RangeError);
    expect(() => returnAmountKopecks(bread, -1, 1000)).toThrow(RangeError);
  });

  it('returned in any number of parts, a line adds up to exactly what the buyer paid for it', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 5_000_000 }), fc.integer({ min: 1, max: 99_999 }),
      fc.array(fc.integer({ min: 1, max: 1_000 }), { minLength: 1, maxLength: 12 }),
      (price, soldMilli, weights) => {
        const line = { quantityMilli: soldMilli, amountKopecks: lineAmountKopecks(price, soldMilli) };
        // Cut the sold quantity into parts proportional to the weights (the last part takes the rest).
        const total = weights.reduce((a, b) => a + b, 0);
        let returned = 0;
        let paidBack = 0;
        weights.forEach((w, i) => {
          const part = i === weights.length - 1 ? soldMilli - returned : Math.floor((soldMilli * w) / total);
          const amount = returnAmountKopecks(line, returned, part);
          expect(amount).toBeGreaterThanOrEqual(0);
          paidBack += amount;
          returned += part;
        });
        expect(returned).toBe(soldMilli);
        expect(paidBack).toBe(line.amountKopecks);
      }), { numRuns: 500 });
  });
});
