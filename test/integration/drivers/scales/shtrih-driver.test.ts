import { afterEach, describe, expect, it } from 'vitest';
import { ShtrihScaleEmulator } from '../../../../drivers/scales/shtrih/emulator';
import { ShtrihScale } from '../../../../drivers/scales/shtrih/driver';
import { startRig, type Rig } from './rig';

const FAST = { answerTimeoutMs: 250, link: { enqTimeoutMs: 100, ackTimeoutMs: 100, enqRetries: 3, readOnlyRetries: 2 } };
let rig: Rig<ShtrihScaleEmulator, ShtrihScale> | null = null;
afterEach(async () => { await rig?.close(); rig = null; });
const start = async (password = '0030') => {
  rig = await startRig('pty', (w) => ShtrihScaleEmulator.start({ ...w, capacityGrams: 6_000, lateMs: 400 }), (p) => ShtrihScale.open(p, { ...FAST, password }));
  return rig;
};

describe('Shtrih-M scale driver against its emulator on a pty (POS2 link)', () => {
  it('reads stable, unstable, zero, overload, underload and a measurement fault', async () => {
    const { emulator, scale } = await start();
    emulator.model.place(2_345);
    expect(await scale.read()).toEqual({ state: 'stable', weightGrams: 2_345, tareGrams: 0, unit: 'kg' });
    emulator.model.place(100, 60_000);
    expect((await scale.read()).state).toBe('unstable');
    emulator.model.place(0);
    expect((await scale.read()).state).toBe('zero');
    emulator.model.place(6_001);
    expect(await scale.read()).toMatchObject({ state: 'overload', weightGrams: null });
    emulator.model.place(-20);
    expect(await scale.read()).toMatchObject({ state: 'underload', weightGrams: -20 });
    emulator.model.place(10);
    emulator.model.fault = true;
    expect(await scale.read()).toMatchObject({ state: 'error', fault: { code: 'shtrih-measurement' } });
  });

  it('tares, presets and clears the tare, and zeroes', async () => {
    const { emulator, scale } = await start();
    emulator.model.place(400);
    await scale.tare();
    emulator.model.place(1_400);
    expect(await scale.read()).toMatchObject({ weightGrams: 1_000, tareGrams: 400 });
    await scale.setTare(150);
    expect(await scale.read()).toMatchObject({ weightGrams: 1_250, tareGrams: 150 });
    await scale.clearTare();
    emulator.model.place(30);
    await scale.zero();
    expect((await scale.read()).state).toBe('zero');
    emulator.model.place(3_000);
    await expect(scale.zero()).rejects.toMatchObject({ code: 'SCALE_ZERO_IMPOSSIBLE' });
  });

  it.each(['garbage', 'bad-checksum', 'cut', 'silence', 'late'] as const)('recovers the right weight after one %s answer', async (fault) => {
    const { emulator, scale } = await start();
    emulator.model.place(888);
    emulator.host.inject(fault);
    expect(await scale.read()).toMatchObject({ state: 'stable', weightGrams: 888 });
  });

  it('ends a silent scale in SCALE_NO_LINK and reads again when it speaks', async () => {
    const { emulator, scale } = await start();
    emulator.model.place(5);
    emulator.host.inject('silence', Infinity);
    await expect(scale.read()).rejects.toMatchObject({ code: 'SCALE_NO_LINK' });
    emulator.host.clearFaults();
    expect(await scale.read()).toMatchObject({ weightGrams: 5 });
  });

  it('reports a wrong password as a device fault with its code', async () => {
    const { scale } = await start('1111');
    await expect(scale.read()).rejects.toMatchObject({ code: 'SCALE_DEVICE_FAULT', details: { deviceCode: '0x5a' } });
  });
});
