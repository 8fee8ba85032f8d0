import { afterEach, describe, expect, it } from 'vitest';
import { Mettler8217Emulator } from '../../../../drivers/scales/mettler8217/emulator';
import { Mettler8217Scale } from '../../../../drivers/scales/mettler8217/driver';
import { startRig, type Rig } from './rig';

let rig: Rig<Mettler8217Emulator, Mettler8217Scale> | null = null;
afterEach(async () => { await rig?.close(); rig = null; });
const start = async () => {
  rig = await startRig('pty', (w) => Mettler8217Emulator.start({ ...w, capacityGrams: 15_000, lateMs: 400 }), (p) => Mettler8217Scale.open(p, { answerTimeoutMs: 200, readAttempts: 3 }));
  return rig;
};

describe('Mettler Toledo 8217 driver against its emulator on a pty', () => {
  it('reads the weight, motion, over capacity, negative and zero', async () => {
    const { emulator, scale } = await start();
    emulator.model.place(1_234);
    expect(await scale.read()).toEqual({ state: 'stable', weightGrams: 1_234, tareGrams: null, unit: 'kg' });
    emulator.model.place(900, 60_000);
    expect(await scale.read()).toMatchObject({ state: 'unstable', weightGrams: null });
    emulator.model.place(15_500);
    expect((await scale.read()).state).toBe('overload');
    emulator.model.place(-5);
    expect((await scale.read()).state).toBe('underload');
    emulator.model.place(0);
    expect((await scale.read()).state).toBe('zero');
  });

  it('zeroes, tares and clears the tare, confirming each with a reading', async () => {
    const { emulator, scale } = await start();
    emulator.model.place(100);
    await scale.zero();
    emulator.model.place(600);
    await scale.tare();
    emulator.model.place(1_600);
    expect(await scale.read()).toMatchObject({ weightGrams: 1_000 });
    await scale.clearTare();
    expect(await scale.read()).toMatchObject({ weightGrams: 1_500 });
    emulator.model.place(9_000);
    await expect(scale.zero()).rejects.toMatchObject({ code: 'SCALE_ZERO_IMPOSSIBLE' });
  });

  it.each(['garbage', 'bad-checksum', 'cut', 'silence', 'late'] as const)('recovers the right weight after one %s answer', async (fault) => {
    const { emulator, scale } = await start();
    emulator.model.place(3_210);
    emulator.host.inject(fault);
    expect(await scale.read()).toMatchObject({ state: 'stable', weightGrams: 3_210 });
  });

  it('ends a silent scale in SCALE_NO_LINK', async () => {
    const { emulator, scale } = await start();
    emulator.host.inject('silence', Infinity);
    await expect(scale.read()).rejects.toMatchObject({ code: 'SCALE_NO_LINK' });
  });
});
