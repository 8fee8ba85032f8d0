import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reuseEqual } from '../../../src-renderer/state/share-equal';

const line = (id: string, quantityMilli = 1000) => ({ id, name: 'Молоко', quantityMilli, voided: false, markingCode: null });

describe('reuseEqual: keeps the objects of what did not change', () => {
  it('returns the previous receipt itself when the new one is equal to it (an answer repeating an event)', () => {
    const before = { id: 'r1', lines: [line('a'), line('b')], totals: { totalKopecks: 200, vatTotals: [{ vat: 'vat20', amountKopecks: 200 }] } };
    expect(reuseEqual(before, structuredClone(before))).toBe(before);
  });

  it('gives a new line only its own new object and keeps the rest', () => {
    const before = { id: 'r1', lines: [line('a'), line('b')], totals: { totalKopecks: 200 } };
    const after = { id: 'r1', lines: [line('a'), line('b'), line('c')], totals: { totalKopecks: 300 } };
    const shared = reuseEqual(before, after);
    expect(shared).not.toBe(before);
    expect(shared).toEqual(after);
    expect(shared.lines[0]).toBe(before.lines[0]);
    expect(shared.lines[1]).toBe(before.lines[1]);
    expect(shared.lines[2]).toBe(after.lines[2]);
    expect(shared.totals).not.toBe(before.totals);
  });

  it('notices a changed field, a removed key, an added key and a shorter array', () => {
    const before = { id: 'r1', lines: [line('a'), line('b')], note: 'x' as string | undefined };
    const changed = reuseEqual(before, { ...structuredClone(before), lines: [line('a'), line('b', 2000)] });
    expect(changed.lines[0]).toBe(before.lines[0]);
    expect(changed.lines[1]).not.toBe(before.lines[1]);
    expect(changed.lines[1]!.quantityMilli).toBe(2000);
    const { note: _dropped, ...withoutNote } = structuredClone(before);
    expect(reuseEqual(before, withoutNote as typeof before)).not.toBe(before);
    expect(reuseEqual(before, { ...structuredClone(before), extra: 1 } as typeof before)).not.toBe(before);
    const shorter = reuseEqual(before, { ...structuredClone(before), lines: [line('a')] });
    expect(shorter.lines).toHaveLength(1);
    expect(shorter.lines[0]).toBe(before.lines[0]);
  });

  it('tells null, arrays and objects apart', () => {
    expect(reuseEqual<unknown>({ a: null }, { a: {} })).toEqual({ a: {} });
    expect(reuseEqual<unknown>({ a: [] }, { a: {} })).toEqual({ a: {} });
    expect(reuseEqual<unknown>({ a: {} }, { a: [] })).toEqual({ a: [] });
    expect(reuseEqual<unknown>(null, { a: 1 })).toEqual({ a: 1 });
  });

  it('always gives a value deep-equal to the new one, sharing only equal parts (property)', () => {
    fc.assert(fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
      const shared = reuseEqual<unknown>(a, b);
      expect(shared).toEqual(b);
      if (JSON.stringify(a) === JSON.stringify(b) && typeof a === 'object' && a !== null) expect(shared).toBe(a);
    }), { numRuns: 500 });
  });
});
