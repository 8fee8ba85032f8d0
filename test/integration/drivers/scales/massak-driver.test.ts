import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createPtyPair } from '../../../../drivers/transport/pty';
import { MassakEmulator } from '../../../../drivers/scales/massak/emulator';
import { MassakScale } from '../../../../drivers/scales/massak/driver';
import { ScaleError, type WeightEvent } from '../../../../drivers/scales/scale';
import { startRig, type Rig } from './rig';

const FAST = { answerTimeoutMs: 250, readAttempts: 3 };
let rig: Rig<MassakEmulator, MassakScale> | null = null;
afterEach(async () => { await rig?.close(); rig = null; });

const start = async (kind: 'pty' | 'tcp', lateMs = 600) => {
  rig = await startRig(kind, (w) => MassakEmulator.start({ ...w, capacityGrams: 15_000, lateMs }), (p) => MassakScale.open(p, FAST));
  return rig;
};

for (const kind of ['pty', 'tcp'] as const) {
  describe(`Massa-K driver against its emulator over ${kind}`, () => {
    it('reads a stable weight in grams, then unstable, zero, overload and underload', async () => {
      const { emulator, scale } = await start(kind);
      emulator.model.place(1_234);
      expect(await scale.read()).toEqual({ state: 'stable', weightGrams: 1_234, tareGrams: 0, unit: 'kg' });
      emulator.model.place(2_000, 60_000);
      expect((await scale.read()).state).toBe('unstable');
      emulator.model.place(0);
      expect((await scale.read()).state).toBe('zero');
      emulator.model.place(15_001);
      expect(await scale.read()).toMatchObject({ state: 'overload', weightGrams: null });
      emulator.model.place(-40);
      expect(await scale.read()).toMatchObject({ state: 'underload', weightGrams: -40 });
    });

    it('tares the load on the platform and clears the tare', async () => {
      const { emulator, scale } = await start(kind);
      emulator.model.place(300);
      await scale.tare();
      emulator.model.place(1_300);
      expect(await scale.read()).toMatchObject({ state: 'stable', weightGrams: 1_000, tareGrams: 300 });
      await scale.clearTare();
      expect(await scale.read()).toMatchObject({ weightGrams: 1_300, tareGrams: 0 });
      await scale.setTare(250);
      expect(await scale.read()).toMatchObject({ weightGrams: 1_050, tareGrams: 250 });
    });

    it('refuses to tare a moving load and to zero a loaded platform', async () => {
      const { emulator, scale } = await start(kind);
      emulator.model.place(500, 60_000);
      await expect(scale.tare()).rejects.toMatchObject({ code: 'SCALE_NOT_STABLE' });
      emulator.model.place(5_000);
      await expect(scale.zero()).rejects.toMatchObject({ code: 'SCALE_ZERO_IMPOSSIBLE' });
      emulator.model.place(120);
      await scale.zero();
      expect((await scale.read()).state).toBe('zero');
    });

    it.each(['garbage', 'bad-checksum', 'cut', 'silence', 'late'] as const)('recovers the right weight after one %s answer', async (fault) => {
      const { emulator, scale } = await start(kind, 400);
      emulator.model.place(777);
      emulator.host.inject(fault);
      expect(await scale.read()).toMatchObject({ state: 'stable', weightGrams: 777 });
    });

    it('a slow scale\'s late answer to an earlier request is not taken for the fresher weight', async () => {
      const { emulator, scale } = await start(kind, 400);
      emulator.model.place(777);
      emulator.host.inject('late');
      // The first GET_MASSA is answered 777 but 400 ms late; the retry at 250 ms sees 999.
      setTimeout(() => emulator.model.place(999), 100);
      expect(await scale.read()).toMatchObject({ state: 'stable', weightGrams: 999 });
      emulator.model.place(555);
      expect(await scale.read()).toMatchObject({ weightGrams: 555 });
    });

    it('ends a silent scale in a typed no-link error, and reads again once it speaks', async () => {
      const { emulator, scale } = await start(kind);
      emulator.model.place(50);
      emulator.host.inject('silence', Infinity);
      const error = await scale.read().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ScaleError);
      expect(error).toMatchObject({ code: 'SCALE_NO_LINK' });
      emulator.host.clearFaults();
      expect(await scale.read()).toMatchObject({ weightGrams: 50 });
    });

    it('ends persistent bad checksums in a typed protocol error, never a weight', async () => {
      const { emulator, scale } = await start(kind);
      emulator.host.inject('bad-checksum', Infinity);
      await expect(scale.read()).rejects.toMatchObject({ code: 'SCALE_PROTOCOL' });
    });

    it('a zero whose answer is lost is reported, not resent', async () => {
      const { emulator, scale } = await start(kind);
      emulator.host.inject('silence');
      await expect(scale.zero()).rejects.toMatchObject({ code: 'SCALE_NO_ANSWER' });
      expect(emulator.host.pendingFaults()).toEqual({});
    });
  });
}

describe('Massa-K live weight', () => {
  it('tells the listener each change once, then an error, then the weight again', async () => {
    const { emulator, scale } = await start('pty');
    emulator.model.place(100);
    const events: WeightEvent[] = [];
    const stop = scale.watch((e) => events.push(e), { intervalMs: 20 });
    const waitFor = async (p: () => boolean) => { for (let i = 0; i < 200 && !p(); i++) await new Promise((r) => setTimeout(r, 10)); };
    await waitFor(() => events.length >= 1);
    emulator.model.place(200);
    await waitFor(() => events.length >= 2);
    emulator.host.inject('silence', Infinity);
    await waitFor(() => events.length >= 3);
    emulator.host.clearFaults();
    await waitFor(() => events.length >= 4);
    stop();
    expect(events.map((e) => (e.kind === 'reading' ? e.reading.weightGrams : e.error.code))).toEqual([100, 200, 'SCALE_NO_LINK', 200]);
  });
});

describe('Massa-K an unplugged scale', () => {
  it('ends reads in a typed no-link error when the TCP link goes away', async () => {
    const { emulator, scale } = await start('tcp');
    emulator.model.place(10);
    expect((await scale.read()).weightGrams).toBe(10);
    await emulator.close();
    await new Promise((r) => setTimeout(r, 50));
    await expect(scale.read()).rejects.toMatchObject({ code: 'SCALE_NO_LINK' });
  });
});

describe('Massa-K unplugged and plugged back on a pty', () => {
  it('fails the weighing with SCALE_NO_LINK, never a weight, and a reopened driver reads again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'prilavok-replug-'));
    const hostPath = join(dir, 'scale');
    let pty = await createPtyPair({ hostPath });
    let emulator = await MassakEmulator.start({ serialPath: pty.devicePath });
    const scale = await MassakScale.open(hostPath, FAST);
    let again: MassakScale | null = null;
    try {
      emulator.model.place(640);
      expect((await scale.read()).weightGrams).toBe(640);
      await emulator.close();
      await pty.close();
      const error = await scale.read().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ScaleError);
      expect((error as ScaleError).code).toBe('SCALE_NO_LINK');
      pty = await createPtyPair({ hostPath });
      emulator = await MassakEmulator.start({ serialPath: pty.devicePath });
      emulator.model.place(655);
      again = await MassakScale.open(hostPath, FAST);
      expect((await again.read()).weightGrams).toBe(655);
    } finally {
      await scale.close().catch(() => undefined);
      await again?.close().catch(() => undefined);
      await emulator.close();
      await pty.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
