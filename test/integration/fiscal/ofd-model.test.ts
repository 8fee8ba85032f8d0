// The emulator's OFD exchange: documents are acknowledged some time after they are written, in FD order;
// offline they stay unsent. What the driver's ofdStatus (FF39) and findDocument (FF0A) see, and the fiscal
// service's status with them.
import { afterEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ShtrihEmulator } from '../../../drivers/fiscal/shtrih/emulator';
import { runShtrihEmulator } from '../../../drivers/fiscal/shtrih/emulator-cli';
import { ShtrihRegister } from '../../../drivers/fiscal/shtrih/driver';
import { tempDir } from '../../helpers/lane';
import { FAST_DRIVER } from './helpers';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function rig(ofdAckMs: number | null) {
  const dir = tempDir('prilavok-ofd-');
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  let now = Date.parse('2026-11-23T09:00:00.000Z');
  const clock = { advance: (ms: number) => { now += ms; } };
  const emulator = await ShtrihEmulator.start({ tcp: { host: '127.0.0.1', port: 0 }, stateFile: join(dir, 'state.json'), paperReloadMs: null,
    now: () => now, ofdAckMs });
  cleanups.push(() => emulator.close());
  const register = await ShtrihRegister.open(`tcp://${emulator.address}`, FAST_DRIVER);
  cleanups.push(() => register.close());
  return { emulator, register, clock };
}

const sale = { sign: 'sale' as const, taxSystem: 'osn' as const, items: [{ name: 'Хлеб', quantityMilli: 1000, priceKopecks: 54_00, vat: 'vat10' as const }],
  payments: { cashKopecks: 54_00, electronicKopecks: 0 } };

describe('the emulator’s OFD exchange', () => {
  it('acknowledges documents some time after they are written, oldest first, and FF39 goes down', async () => {
    const { register, clock } = await rig(3_000);
    await register.openShift();                       // FD 2 at t0
    clock.advance(2_000);
    const receipt = await register.fiscaliseReceipt(sale); // FD 3 at t0 + 2 s
    expect(await register.ofdStatus()).toMatchObject({ unsentCount: 2, firstUnsentFd: 2, firstUnsentDateTime: '2026-11-23T12:00' });
    expect(await register.findDocument(2)).toMatchObject({ ofdAcknowledged: false });
    clock.advance(1_000);                             // t0 + 3 s: FD 2's ticket came, FD 3's not yet
    expect(await register.ofdStatus()).toMatchObject({ unsentCount: 1, firstUnsentFd: receipt.fdNumber });
    expect(await register.findDocument(2)).toMatchObject({ ofdAcknowledged: true });
    clock.advance(2_000);
    expect(await register.ofdStatus()).toMatchObject({ unsentCount: 0, firstUnsentFd: null, firstUnsentDateTime: null });
    expect(await register.findDocument(receipt.fdNumber)).toMatchObject({ ofdAcknowledged: true });
  });

  it('offline keeps every document unsent; back online, the backlog is acknowledged after the delay, and it survives a restart', async () => {
    const { emulator, register, clock } = await rig(null);
    await register.openShift();
    await register.fiscaliseReceipt(sale);
    clock.advance(3_600_000);
    expect(await register.ofdStatus()).toMatchObject({ unsentCount: 2, firstUnsentFd: 2 });
    emulator.setOfd(1_000);
    clock.advance(999);
    expect((await register.ofdStatus()).unsentCount).toBe(2);
    clock.advance(1);
    expect((await register.ofdStatus()).unsentCount).toBe(0);
    // What the OFD acknowledged is in the state file: a power cycle does not make it unsent again.
    await register.fiscaliseReceipt(sale);
    emulator.restart();
    expect(await register.ofdStatus()).toMatchObject({ unsentCount: 1, firstUnsentFd: 4 });
    clock.advance(1_000);
    expect((await register.ofdStatus()).unsentCount).toBe(0);
  });

  it('the CLI takes --ofd-ack-ms and --ofd offline and refuses nonsense', async () => {
    const quiet = { stdout: () => undefined, stderr: () => undefined };
    expect(await runShtrihEmulator(['--tcp', '127.0.0.1:0', '--ofd', 'sometimes'], quiet)).toBe(2);
    expect(await runShtrihEmulator(['--tcp', '127.0.0.1:0', '--ofd-ack-ms', '-5'], quiet)).toBe(2);
    const abort = new AbortController();
    let address = '';
    const ready = new Promise<void>((resolve) => {
      void runShtrihEmulator(['--tcp', '127.0.0.1:0', '--ofd', 'offline'], { stdout: (l) => { address = l.split(' ')[1]!.trim(); resolve(); }, stderr: () => undefined }, abort.signal);
    });
    await ready;
    cleanups.push(() => abort.abort());
    const register = await ShtrihRegister.open(`tcp://${address}`, FAST_DRIVER);
    cleanups.push(() => register.close());
    await register.openShift();
    await new Promise((r) => setTimeout(r, 50));
    expect((await register.ofdStatus()).unsentCount).toBe(1);
  });
});
