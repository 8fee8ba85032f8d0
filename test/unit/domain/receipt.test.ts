import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { VAT_RATES, ReceiptLine, type VatRate } from '../../../src-main/contract';
import { lineAmountKopecks } from '../../../src-main/domain/money';
import { vatIncludedKopecks } from '../../../src-main/domain/vat';
import {
  MAX_AMOUNT_KOPECKS,
  MAX_LINES_PER_RECEIPT,
  MAX_QUANTITY_MILLI,
  lineLimitProblem,
  mergeTarget,
  priceLine,
  receiptTotals,
  voided,
  withQuantity,
  type LineInput,
} from '../../../src-main/domain/receipt';

function input(overrides: Partial<LineInput> = {}): LineInput {
  return {
    productId: 'p-milk',
    name: 'Молоко 3,2% 1 л',
    barcode: '4607009780184',
    unit: 'piece',
    weighed: false,
    marking: null,
    ageLimit: null,
    priceKopecks: 8_990,
    vat: 'vat10',
    quantityMilli: 1000,
    ...overrides,
  };
}

const lineArb = fc
  .record({
    priceKopecks: fc.integer({ min: 0, max: 10_000_000 }),
    quantityMilli: fc.integer({ min: 1, max: 100_000 }),
    vat: fc.constantFrom(...VAT_RATES),
    voided: fc.boolean(),
  })
  .map(({ voided: isVoided, ...rest }) => ({ rest, isVoided }));

const receiptArb = fc.array(lineArb, { maxLength: 60 }).map((specs) =>
  specs.map(({ rest, isVoided }, i) => {
    const line = priceLine(`l-${i}`, input({ ...rest, productId: `p-${i}` }));
    return isVoided ? voided(line) : line;
  }),
);

describe('priceLine', () => {
  it('builds an active line with amount and VAT computed', () => {
    const line = priceLine('l-1', input({ priceKopecks: 12_200, vat: 'vat22', quantityMilli: 2000 }));
    expect(line).toMatchObject({ id: 'l-1', productId: 'p-milk', amountKopecks: 24_400, vatKopecks: 4_400, voided: false, quantityMilli: 2000 });
  });

  it('produces lines that the contract schema accepts', () => {
    fc.assert(
      fc.property(receiptArb, (lines) => {
        for (const line of lines) expect(ReceiptLine.safeParse(line).success).toBe(true);
      }),
    );
  });

  it('prices a weighed line from its weight in grams', () => {
    const line = priceLine('l-2', input({ unit: 'kg', weighed: true, priceKopecks: 49_990, quantityMilli: 347, vat: 'vat10' }));
    expect(line.amountKopecks).toBe(17_347);
    expect(line.vatKopecks).toBe(1_577); // 17347 / 11 = 1577.0
  });

  it('refuses a quantity outside 1 … 99 999 units', () => {
    expect(() => priceLine('l', input({ quantityMilli: 0 }))).toThrow(RangeError);
    expect(() => priceLine('l', input({ quantityMilli: MAX_QUANTITY_MILLI + 1 }))).toThrow(RangeError);
    expect(() => priceLine('l', input({ quantityMilli: 1.5 }))).toThrow(RangeError);
    expect(priceLine('l', input({ quantityMilli: MAX_QUANTITY_MILLI, priceKopecks: 1 })).amountKopecks).toBe(99_999);
  });

  it('refuses a line whose amount would pass the contract limit of one billion roubles', () => {
    expect(() => priceLine('l', input({ priceKopecks: MAX_AMOUNT_KOPECKS, quantityMilli: 2000 }))).toThrow(RangeError);
  });
});

describe('lineLimitProblem', () => {
  it('names the broken limit, or null when a line can be priced', () => {
    expect(lineLimitProblem(100, 1000)).toBeNull();
    expect(lineLimitProblem(100, 0)).toBe('quantity');
    expect(lineLimitProblem(100, MAX_QUANTITY_MILLI + 1000)).toBe('quantity');
    expect(lineLimitProblem(-1, 1000)).toBe('price');
    expect(lineLimitProblem(MAX_AMOUNT_KOPECKS + 1, 1000)).toBe('price');
    expect(lineLimitProblem(MAX_AMOUNT_KOPECKS, 1001)).toBe('amount');
  });

  it('never throws, even at the largest price and quantity', () => {
    expect(lineLimitProblem(MAX_AMOUNT_KOPECKS, MAX_QUANTITY_MILLI)).toBe('amount');
  });
});

describe('withQuantity', () => {
  it('recomputes amount and VAT and keeps everything else', () => {
    const line = priceLine('l-1', input({ priceKopecks: 12_200, vat: 'vat22' }));
    const three = withQuantity(line, 3000);
    expect(three).toEqual({ ...line, quantityMilli: 3000, amountKopecks: 36_600, vatKopecks: 6_600 });
  });

  it('does not change the line it was given', () => {
    const line = priceLine('l-1', input());
    const copy = { ...line };
    withQuantity(line, 5000);
    expect(line).toEqual(copy);
  });

  it('gives the same line as pricing that quantity from scratch', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 1, max: MAX_QUANTITY_MILLI }), fc.constantFrom(...VAT_RATES), (price, q, vat) => {
        const original = priceLine('l', input({ priceKopecks: price, vat }));
        expect(withQuantity(original, q)).toEqual(priceLine('l', input({ priceKopecks: price, vat, quantityMilli: q })));
      }),
    );
  });

  it('refuses a zero quantity', () => {
    expect(() => withQuantity(priceLine('l', input()), 0)).toThrow(RangeError);
  });
});

describe('voided', () => {
  it('marks the line void and keeps its amount for the journal', () => {
    const line = priceLine('l-1', input());
    const v = voided(line);
    expect(v).toEqual({ ...line, voided: true });
    expect(line.voided).toBe(false);
  });
});

describe('receiptTotals', () => {
  it('is zero with no vatTotals for an empty receipt', () => {
    expect(receiptTotals([])).toEqual({ totalKopecks: 0, lineCount: 0, vatTotals: [] });
  });

  it('adds active lines, skips voided ones and groups VAT by rate in contract order', () => {
    const lines = [
      priceLine('a', input({ priceKopecks: 11_000, vat: 'vat10' })),
      priceLine('b', input({ priceKopecks: 12_200, vat: 'vat22' })),
      voided(priceLine('c', input({ priceKopecks: 99_900, vat: 'vat22' }))),
      priceLine('d', input({ priceKopecks: 5_000, vat: 'none' })),
      priceLine('e', input({ priceKopecks: 24_400, vat: 'vat22' })),
      voided(priceLine('f', input({ priceKopecks: 1_000, vat: 'vat5' }))),
    ];
    expect(receiptTotals(lines)).toEqual({
      totalKopecks: 11_000 + 12_200 + 5_000 + 24_400,
      lineCount: 4,
      vatTotals: [
        { vat: 'vat22', amountKopecks: 36_600, vatKopecks: 6_600 },
        { vat: 'vat10', amountKopecks: 11_000, vatKopecks: 1_000 },
        { vat: 'none', amountKopecks: 5_000, vatKopecks: 0 },
      ],
    });
  });

  it('sums per-line VAT rather than recomputing it on the total, as the register does', () => {
    // Three lines of 0.03 ₽ at 22 %: each line holds 3 × 22 / 122 = 0.54 → 1 kop, so 3 kop in all,
    // whereas VAT on the rate total would be 9 × 22 / 122 = 1.62 → 2 kop.
    const lines = [0, 1, 2].map((i) => priceLine(`l-${i}`, input({ priceKopecks: 3, vat: 'vat22' })));
    expect(receiptTotals(lines).vatTotals).toEqual([{ vat: 'vat22', amountKopecks: 9, vatKopecks: 3 }]);
  });

  it('total equals the sum of active line amounts and counts only active lines', () => {
    fc.assert(
      fc.property(receiptArb, (lines) => {
        const active = lines.filter((l) => !l.voided);
        const totals = receiptTotals(lines);
        expect(totals.totalKopecks).toBe(active.reduce((s, l) => s + l.amountKopecks, 0));
        expect(totals.lineCount).toBe(active.length);
        expect(totals).toEqual(receiptTotals(active));
      }),
    );
  });

  it('VAT per rate equals the sum of per-line VAT of that rate, and rate amounts add up to the total', () => {
    fc.assert(
      fc.property(receiptArb, (lines) => {
        const active = lines.filter((l) => !l.voided);
        const totals = receiptTotals(lines);
        const present = VAT_RATES.filter((rate) => active.some((l) => l.vat === rate));
        expect(totals.vatTotals.map((t) => t.vat)).toEqual(present);
        for (const t of totals.vatTotals) {
          const ofRate = active.filter((l) => l.vat === t.vat);
          expect(t.amountKopecks).toBe(ofRate.reduce((s, l) => s + lineAmountKopecks(l.priceKopecks, l.quantityMilli), 0));
          expect(t.vatKopecks).toBe(ofRate.reduce((s, l) => s + vatIncludedKopecks(l.amountKopecks, t.vat), 0));
          expect(t.vatKopecks).toBeLessThanOrEqual(t.amountKopecks);
        }
        expect(totals.vatTotals.reduce((s, t) => s + t.amountKopecks, 0)).toBe(totals.totalKopecks);
      }),
    );
  });

  it('stays within one kopeck per line of VAT computed on each rate total', () => {
    fc.assert(
      fc.property(receiptArb, (lines) => {
        const totals = receiptTotals(lines);
        for (const t of totals.vatTotals) {
          const count = lines.filter((l) => !l.voided && l.vat === t.vat).length;
          expect(Math.abs(t.vatKopecks - vatIncludedKopecks(t.amountKopecks, t.vat as VatRate))).toBeLessThanOrEqual(count);
        }
      }),
    );
  });
});

describe('mergeTarget', () => {
  const milk = input();
  const bread = input({ productId: 'p-bread', name: 'Хлеб', priceKopecks: 4_500 });

  it('finds the last line when the same piece product is scanned again', () => {
    const lines = [priceLine('a', bread), priceLine('b', milk)];
    expect(mergeTarget(lines, milk)?.id).toBe('b');
  });

  it('starts a new line when another product was scanned in between', () => {
    const lines = [priceLine('a', milk), priceLine('b', bread)];
    expect(mergeTarget(lines, milk)).toBeNull();
  });

  it('looks past voided lines to the last active one', () => {
    const lines = [priceLine('a', milk), voided(priceLine('b', bread))];
    expect(mergeTarget(lines, milk)?.id).toBe('a');
  });

  it('never merges into a voided line', () => {
    const lines = [priceLine('a', bread), voided(priceLine('b', milk))];
    expect(mergeTarget(lines, milk)).toBeNull();
  });

  it('starts a new line on an empty receipt', () => {
    expect(mergeTarget([], milk)).toBeNull();
  });

  it('gives weighed goods their own line every time', () => {
    const apples = input({ productId: 'p-apple', unit: 'kg', weighed: true, quantityMilli: 1234 });
    expect(mergeTarget([priceLine('a', apples)], apples)).toBeNull();
  });

  it('gives each marked item its own line, because each carries its own code', () => {
    const markedMilk = input({ marking: 'dairy' });
    expect(mergeTarget([priceLine('a', markedMilk)], markedMilk)).toBeNull();
  });

  it('does not merge goods sold by the litre or metre even when not weighed', () => {
    const cable = input({ productId: 'p-cable', unit: 'metre' });
    expect(mergeTarget([priceLine('a', cable)], cable)).toBeNull();
  });

  it('does not merge a piece scan into a line of the same product that was weighed', () => {
    const weighedLine = priceLine('a', input({ weighed: true, unit: 'kg' }));
    expect(mergeTarget([weighedLine], milk)).toBeNull();
  });
});

describe('limits', () => {
  it('are the agreed numbers', () => {
    expect(MAX_LINES_PER_RECEIPT).toBe(500);
    expect(MAX_QUANTITY_MILLI).toBe(99_999_000);
  });
});
