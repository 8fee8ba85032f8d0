import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ScaleCodecError, decimalToGrams, gramsToKgText } from '../../../../drivers/scales/codec-error';
import { WeighingModel } from '../../../../drivers/scales/emulator-model';
import { watchScale } from '../../../../drivers/scales/live-weight';
import { ScaleError, scaleErrors, stateOf, weightForSale, type ScaleReading, type WeightEvent } from '../../../../drivers/scales/scale';

const reading = (state: ScaleReading['state'], weightGrams: number | null): ScaleReading => ({ state, weightGrams, tareGrams: null, unit: 'kg' });

describe('weights as whole grams', () => {
  it('parses decimal kg and g texts without floating point', () => {
    expect(decimalToGrams('t', ' 1.234', 1000)).toBe(1_234);
    expect(decimalToGrams('t', '-0.5', 1000)).toBe(-500);
    expect(decimalToGrams('t', '1.2345', 1000)).toBe(1_235);
    expect(decimalToGrams('t', '12', 1000)).toBe(12_000);
    expect(decimalToGrams('t', '  250', 1)).toBe(250);
    expect(decimalToGrams('t', '-0.000', 1000)).toBe(0);
    expect(() => decimalToGrams('t', '1.2.3', 1000)).toThrow(ScaleCodecError);
    expect(() => decimalToGrams('t', '   ', 1000)).toThrow(ScaleCodecError);
  });

  it('prints and parses back any gram count', () => {
    fc.assert(fc.property(fc.integer({ min: -9_999_999, max: 9_999_999 }), (g) => {
      expect(decimalToGrams('t', (g < 0 ? '-' : '') + gramsToKgText(g, 0), 1000)).toBe(g);
    }));
  });
});

describe('the weight a sale may take', () => {
  it('takes a stable weight at or above the minimum', () => {
    expect(weightForSale(reading('stable', 1_234), 20)).toBe(1_234);
  });

  it.each([
    ['unstable', 500, 'SCALE_NOT_STABLE'], ['overload', null, 'SCALE_OVERLOAD'], ['underload', -3, 'SCALE_UNDERLOAD'],
    ['zero', 0, 'SCALE_BELOW_MINIMUM'], ['stable', 19, 'SCALE_BELOW_MINIMUM'], ['error', null, 'SCALE_DEVICE_FAULT'],
  ] as const)('refuses a %s reading of %s g with %s', (state, grams, code) => {
    expect(() => weightForSale(reading(state, grams), 20)).toThrow(expect.objectContaining({ code }));
  });

  it('derives states from a weight and a stability flag', () => {
    expect(stateOf(-1, true)).toBe('underload');
    expect(stateOf(0, true)).toBe('zero');
    expect(stateOf(0, false)).toBe('unstable');
    expect(stateOf(5, true)).toBe('stable');
  });

  it('gives every error words in Russian and English', () => {
    for (const make of Object.values(scaleErrors)) {
      const e = (make as (a?: unknown) => ScaleError)(1 as never);
      expect(e).toBeInstanceOf(ScaleError);
      expect(e.text.ru.length).toBeGreaterThan(5);
      expect(e.text.en.length).toBeGreaterThan(5);
    }
  });
});

describe('the live weight watcher', () => {
  it('reports only changes and each new error once, and stops when the scale is closed', async () => {
    const script: Array<ScaleReading | ScaleError> = [
      reading('stable', 100), reading('stable', 100), reading('unstable', 150), scaleErrors.noLink(), scaleErrors.noLink(),
      reading('unstable', 150), scaleErrors.closed(),
    ];
    let reads = 0;
    const events: WeightEvent[] = [];
    await new Promise<void>((resolve) => {
      watchScale({
        read: async () => {
          const next = script[reads++];
          if (reads >= script.length) setTimeout(resolve, 20);
          if (next instanceof ScaleError || next === undefined) throw next ?? scaleErrors.closed();
          return next;
        },
      }, (e) => events.push(e), { intervalMs: 1 });
    });
    expect(reads).toBe(script.length);
    expect(events.map((e) => (e.kind === 'reading' ? `${e.reading.state}:${e.reading.weightGrams}` : e.error.code)))
      .toEqual(['stable:100', 'unstable:150', 'SCALE_NO_LINK', 'unstable:150']);
  });
});

describe('the emulated weighing model', () => {
  it('settles, overloads, zeroes within range and tares', async () => {
    const m = new WeighingModel({ capacityGrams: 1_000, zeroRangeGrams: 20 });
    m.place(500, 30);
    expect(m.snapshot().stable).toBe(false);
    expect(m.tareNow()).toBe('unstable');
    await new Promise((r) => setTimeout(r, 60));
    expect(m.snapshot().stable).toBe(true);
    expect(m.zero()).toBe('out-of-range');
    expect(m.tareNow()).toBeNull();
    m.place(700);
    expect(m.snapshot()).toMatchObject({ netGrams: 200, tareGrams: 500 });
    m.place(1_001);
    expect(m.snapshot().overload).toBe(true);
    m.place(10);
    expect(m.zero()).toBeNull();
    expect(m.snapshot()).toMatchObject({ netGrams: 0, tareGrams: 0 });
    m.place(0);
    expect(m.snapshot()).toMatchObject({ netGrams: -10, negative: true });
  });
});
