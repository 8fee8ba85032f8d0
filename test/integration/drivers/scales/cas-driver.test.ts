import { afterEach, describe, expect, it } from 'vitest';
import { CasEmulator, type CasEmulatorOptions } from '../../../../drivers/scales/cas/emulator';
import { CasEcrScale, CasIndicatorScale } from '../../../../drivers/scales/cas/driver';
import { scaleControls, type Scale } from '../../../../drivers/scales/scale';
import { startRig, type Rig } from './rig';

let rig: Rig<CasEmulator, Scale> | null = null;
afterEach(async () => { await rig?.close(); rig = null; });

async function start<S extends Scale>(o: Partial<CasEmulatorOptions>, open: (port: string) => Promise<S>): Promise<Rig<CasEmulator, S>> {
  const started = await startRig('pty', (w) => CasEmulator.start({ ...w, capacityGrams: 30_000, lateMs: 500, ...o }), open);
  rig = started;
  return started;
}
const ecr = () => start({ format: 'ecr' }, (p) => CasEcrScale.open(p, { answerTimeoutMs: 200 }));

describe('CAS ENQ/DC1 driver against its emulator on a pty', () => {
  it('reads stable, unstable, zero, overload and negative weights in grams', async () => {
    const { emulator, scale } = await ecr();
    emulator.model.place(4_876);
    expect(await scale.read()).toEqual({ state: 'stable', weightGrams: 4_876, tareGrams: null, unit: 'kg' });
    emulator.model.place(1_000, 60_000);
    expect((await scale.read()).state).toBe('unstable');
    emulator.model.place(0);
    expect(await scale.read()).toMatchObject({ state: 'zero', weightGrams: 0 });
    emulator.model.place(30_001);
    expect(await scale.read()).toMatchObject({ state: 'overload', weightGrams: null });
    emulator.model.place(-15);
    expect(await scale.read()).toMatchObject({ state: 'underload', weightGrams: -15 });
  });

  it('offers no zero or tare from the till: they are the scale\'s own keys', async () => {
    const { scale } = await ecr();
    expect(scaleControls(scale)).toEqual({ zero: false, tare: false });
    expect((scale as Scale).setTare).toBeUndefined();
  });

  it.each(['garbage', 'bad-checksum', 'cut', 'silence', 'late'] as const)('recovers the right weight after one %s answer', async (fault) => {
    const { emulator, scale } = await ecr();
    emulator.model.place(2_500);
    emulator.host.inject(fault);
    expect(await scale.read()).toMatchObject({ state: 'stable', weightGrams: 2_500 });
  });

  it('ends a silent scale in SCALE_NO_LINK and a scale with a broken BCC in SCALE_PROTOCOL', async () => {
    const { emulator, scale } = await ecr();
    emulator.host.inject('silence', Infinity);
    await expect(scale.read()).rejects.toMatchObject({ code: 'SCALE_NO_LINK' });
    emulator.host.clearFaults();
    emulator.host.inject('bad-checksum', Infinity);
    await expect(scale.read()).rejects.toMatchObject({ code: 'SCALE_PROTOCOL' });
  });
});

describe('CAS indicator driver against its emulator on a pty', () => {
  it('reads the streamed line, zeroes and tares with ZE/TR', async () => {
    const { emulator, scale } = await start({ format: 'indicator', streamIntervalMs: 30 }, (p) => CasIndicatorScale.open(p, { mode: 'stream', answerTimeoutMs: 300 }));
    emulator.model.place(4_876);
    expect(await scale.read()).toEqual({ state: 'stable', weightGrams: 4_876, tareGrams: null, unit: 'kg' });
    emulator.model.place(40_000);
    expect((await scale.read()).state).toBe('overload');
    emulator.model.place(150);
    await scale.zero();
    emulator.model.place(650);
    await expect(scale.read()).resolves.toMatchObject({ weightGrams: 500 });
    await scale.tare();
    expect(await scale.read()).toMatchObject({ state: 'zero', weightGrams: 0 });
  });

  it('asks with WT in command mode and survives garbage, cut and corrupted lines', async () => {
    const { emulator, scale } = await start({ format: 'indicator', streamIntervalMs: null }, (p) => CasIndicatorScale.open(p, { mode: 'command', answerTimeoutMs: 200 }));
    emulator.model.place(1_005);
    for (const fault of ['garbage', 'cut', 'bad-checksum', 'silence'] as const) {
      emulator.host.inject(fault);
      expect(await scale.read()).toMatchObject({ state: 'stable', weightGrams: 1_005 });
    }
    emulator.host.inject('silence', Infinity);
    await expect(scale.read()).rejects.toMatchObject({ code: 'SCALE_NO_LINK' });
  });
});
