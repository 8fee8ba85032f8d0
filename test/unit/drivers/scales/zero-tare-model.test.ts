// What every scale emulator weighs when told to zero or tare (WeighingModel), and the emulator CLI's
// `zero` / `tare` lines: the scale's own keys, the only way to zero a CAS ENQ/DC1 scale.
import { describe, expect, it } from 'vitest';
import { WeighingModel } from '../../../../drivers/scales/emulator-model';
import { control } from '../../../../drivers/scales/emulator-cli';
import type { ScaleEmulatorHost } from '../../../../drivers/scales/emulator-host';

const keys = (model: WeighingModel) => ({ model, host: {} as ScaleEmulatorHost });

describe('zero and tare in the weighing model', () => {
  it('zero moves the reading\'s origin to the load within the zero range and drops the tare', () => {
    const m = new WeighingModel({ capacityGrams: 10_000, initialGrams: 150 });
    m.place(400);
    expect(m.tareNow()).toBeNull();
    m.place(150);
    expect(m.zero()).toBeNull();
    expect(m.snapshot()).toMatchObject({ netGrams: 0, tareGrams: 0 });
    m.place(1_150);
    expect(m.snapshot().netGrams).toBe(1_000);
  });

  it('a tare subtracts the load on the platform and reports it; it refuses an empty or moving platform', () => {
    const m = new WeighingModel({ capacityGrams: 10_000 });
    expect(m.tareNow()).toBe('out-of-range');
    m.place(250, 60_000);
    expect(m.tareNow()).toBe('unstable');
    m.setStable(true);
    expect(m.tareNow()).toBeNull();
    m.place(1_250);
    expect(m.snapshot()).toMatchObject({ netGrams: 1_000, tareGrams: 250, negative: false });
    m.place(0);
    expect(m.snapshot()).toMatchObject({ netGrams: -250, negative: true });
    m.dispose();
  });

  it('the emulator CLI\'s zero and tare lines press the scale\'s own keys and say when it refuses', () => {
    const m = new WeighingModel({ capacityGrams: 10_000 });
    m.place(300);
    expect(control(keys(m), 'tare')).toBeNull();
    m.place(1_300);
    expect(m.snapshot()).toMatchObject({ netGrams: 1_000, tareGrams: 300 });
    expect(control(keys(m), 'zero')).toBe('zero refused: out-of-range');
    m.place(100);
    expect(control(keys(m), 'zero')).toBeNull();
    expect(m.snapshot()).toMatchObject({ netGrams: 0, tareGrams: 0 });
  });
});
