// Zero and Tare as capabilities of every scale driver, driven through the device-neutral interface the
// device manager uses (a method present or not), each against its emulator on TCP: zero shifts the
// reading, a tare subtracts the container and is reported where the protocol carries it.
import { afterEach, describe, expect, it } from 'vitest';
import { CasEmulator } from '../../../../drivers/scales/cas/emulator';
import { MassakEmulator } from '../../../../drivers/scales/massak/emulator';
import { Mettler8217Emulator } from '../../../../drivers/scales/mettler8217/emulator';
import { ShtrihScaleEmulator } from '../../../../drivers/scales/shtrih/emulator';
import type { WeighingModel } from '../../../../drivers/scales/emulator-model';
import { openScale, type ScaleSettings } from '../../../../drivers/scales/open';
import { scaleControls, type Scale, type ScaleProtocol } from '../../../../drivers/scales/scale';

interface Case {
  protocol: ScaleProtocol;
  start(tcp: { host: string; port: number }): Promise<{ model: WeighingModel; address: string; close(): Promise<void> }>;
  settings?: Partial<ScaleSettings>;
  controls: { zero: boolean; tare: boolean; setTare: boolean; clearTare: boolean };
  /** Whether its reading carries the tare in grams. */
  reportsTare: boolean;
}

const capacity = { capacityGrams: 15_000 };
const CASES: Case[] = [
  { protocol: 'massak', start: (tcp) => MassakEmulator.start({ tcp, ...capacity }), reportsTare: true,
    controls: { zero: true, tare: true, setTare: true, clearTare: true } },
  { protocol: 'shtrih', start: (tcp) => ShtrihScaleEmulator.start({ tcp, ...capacity }), reportsTare: true,
    controls: { zero: true, tare: true, setTare: true, clearTare: true } },
  { protocol: 'mettler8217', start: (tcp) => Mettler8217Emulator.start({ tcp, ...capacity }), reportsTare: false,
    controls: { zero: true, tare: true, setTare: false, clearTare: true } },
  { protocol: 'cas-indicator', start: (tcp) => CasEmulator.start({ tcp, ...capacity, format: 'indicator', streamIntervalMs: null }),
    settings: { mode: 'command' }, reportsTare: false, controls: { zero: true, tare: true, setTare: false, clearTare: false } },
  { protocol: 'cas', start: (tcp) => CasEmulator.start({ tcp, ...capacity, format: 'ecr' }), reportsTare: false,
    controls: { zero: false, tare: false, setTare: false, clearTare: false } },
];

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined); });

async function rig(c: Case): Promise<{ model: WeighingModel; scale: Scale }> {
  const emulator = await c.start({ host: '127.0.0.1', port: 0 });
  cleanups.push(() => emulator.close());
  const scale = await openScale({ protocol: c.protocol, port: `tcp://${emulator.address}`, answerTimeoutMs: 300, ...c.settings });
  cleanups.push(() => scale.close());
  return { model: emulator.model, scale };
}

describe.each(CASES)('$protocol: zero and tare from the till', (c) => {
  it('offers exactly the commands its protocol carries', async () => {
    const { scale } = await rig(c);
    expect({ ...scaleControls(scale), setTare: typeof scale.setTare === 'function', clearTare: typeof scale.clearTare === 'function' })
      .toEqual(c.controls);
  });

});

// Only the protocols that carry the command: the others are covered by "offers exactly the commands".
describe.each(CASES.filter((c) => c.controls.zero))('$protocol: zero from the till', (c) => {
  it('zero shifts the reading by what lay on the platform, and a loaded platform is refused', async () => {
    const { model, scale } = await rig(c);
    model.place(120);
    await scale.zero!();
    expect(await scale.read()).toMatchObject({ state: 'zero', weightGrams: 0 });
    model.place(1_120);
    expect(await scale.read()).toMatchObject({ state: 'stable', weightGrams: 1_000 });
    model.place(5_000);
    await expect(scale.zero!()).rejects.toMatchObject({ code: 'SCALE_ZERO_IMPOSSIBLE' });
    expect(await scale.read()).toMatchObject({ weightGrams: 4_880 }); // the refused zero changed nothing
  });

});

describe.each(CASES.filter((c) => c.controls.tare))('$protocol: tare from the till', (c) => {
  it('a tare subtracts the container from what follows and is reported where the protocol carries it', async () => {
    const { model, scale } = await rig(c);
    model.place(300);
    await scale.tare!();
    expect(await scale.read()).toMatchObject({ state: 'zero', weightGrams: 0 });
    model.place(800);
    expect(await scale.read()).toMatchObject({ state: 'stable', weightGrams: 500, tareGrams: c.reportsTare ? 300 : null });
    expect(model.snapshot()).toMatchObject({ tareGrams: 300, netGrams: 500 });
  });
});
