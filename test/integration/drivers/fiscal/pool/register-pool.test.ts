// A pool of two Shtrih emulators over TCP; one is stopped in the middle of a run of receipts. Every
// receipt ends exactly one way — done on one register, or failed on the register it started on (never
// run twice) — new receipts go to the register that is left, and the stopped one rejoins when it is back.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ShtrihEmulator } from '../../../../../drivers/fiscal/shtrih/emulator';
import { ShtrihRegister } from '../../../../../drivers/fiscal/shtrih/driver';
import type { FiscalRegister, ReceiptRequest, ReceiptResult } from '../../../../../drivers/fiscal/fiscal-register';
import { RegisterPool, type PoolEvent, type PoolJobResult } from '../../../../../drivers/fiscal/pool/register-pool';
import { RegisterJobError } from '../../../../../drivers/fiscal/pool/pool-error';
import { FAST_DRIVER } from '../../../../helpers/pty';

const receipt: ReceiptRequest = {
  sign: 'sale', taxSystem: 'osn',
  items: [{ name: 'Молоко 3,2% 1 л', quantityMilli: 1000, priceKopecks: 8990, vat: 'vat10' },
    { name: 'Хлеб', quantityMilli: 2000, priceKopecks: 4500, vat: 'vat10' }],
  payments: { cashKopecks: 20_000, electronicKopecks: 0 },
};

const dir = mkdtempSync(join(tmpdir(), 'prilavok-pool-'));
const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

async function emulator(name: string, port = 0): Promise<ShtrihEmulator> {
  // Paced at 57 600 baud so that a receipt takes long enough to be cut in the middle.
  const em = await ShtrihEmulator.start({ tcp: { host: '127.0.0.1', port }, stateFile: join(dir, `${name}.json`), paperReloadMs: null, baudRate: 57_600, pace: true });
  cleanup.push(() => em.close());
  return em;
}

describe('RegisterPool over two emulators on TCP', () => {
  it('keeps selling on the other register when one is stopped mid-run, never reruns a started receipt, and takes it back when it returns', async () => {
    const a = await emulator('a');
    let b = await emulator('b');
    const bPort = b.port;
    const connect = (port: number) => async (): Promise<FiscalRegister> => {
      const r = await ShtrihRegister.open(`tcp://127.0.0.1:${port}`, FAST_DRIVER);
      await r.status();
      return r;
    };
    const events: PoolEvent[] = [];
    const pool = new RegisterPool([{ id: 'a', connect: connect(a.port) }, { id: 'b', connect: connect(bPort) }],
      { strategy: 'shortest-queue', healthCheckIntervalMs: 50, onEvent: (e) => events.push(e) });
    cleanup.push(() => pool.close());
    await pool.checkHealth();
    expect(pool.status().registers.map((r) => r.health)).toEqual(['up', 'up']);
    await Promise.all(['a', 'b'].map((id) => pool.submit((r) => r.openShift(), { affinity: id })));
    const fdBefore = { a: a.device.state.lastFd, b: b.device.state.lastFd };

    const runs = new Map<string, number>();
    const sale = (jobId: string) => pool.submit(async (r: FiscalRegister): Promise<ReceiptResult> => {
      runs.set(jobId, (runs.get(jobId) ?? 0) + 1);
      return r.fiscaliseReceipt(receipt);
    }, { jobId });
    const first = Array.from({ length: 12 }, (_, i) => sale(`s${i}`));
    // Stop b while it is in the middle of a receipt.
    const stopped = (async () => {
      while (b.device.state.receipt === null) await new Promise((r) => setTimeout(r, 1));
      await b.close();
    })();
    const settled = await Promise.allSettled(first);
    await stopped;

    const done = settled.filter((s): s is PromiseFulfilledResult<PoolJobResult<ReceiptResult>> => s.status === 'fulfilled').map((s) => s.value);
    const failed = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected').map((s) => s.reason as unknown);
    // Every failure is a receipt that had started on b: reported against b, not moved, not refused.
    expect(failed.length).toBeGreaterThanOrEqual(1);
    for (const e of failed) {
      expect(e).toBeInstanceOf(RegisterJobError);
      expect(e).toMatchObject({ registerId: 'b' });
      expect(['failed', 'unknown']).toContain((e as RegisterJobError).outcome);
    }
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    expect(runs.size).toBe(12);
    expect(events).toContainEqual(expect.objectContaining({ type: 'down', registerId: 'b' }));

    // Exactly once: a's documents are a's receipts; b made at most one document per receipt started there.
    const onA = done.filter((d) => d.registerId === 'a');
    const onB = done.filter((d) => d.registerId === 'b');
    expect(a.device.state.lastFd - fdBefore.a).toBe(onA.length);
    expect(b.device.state.lastFd - fdBefore.b).toBeGreaterThanOrEqual(onB.length);
    expect(b.device.state.lastFd - fdBefore.b).toBeLessThanOrEqual(onB.length + failed.length);

    // b is down: new receipts go to a.
    expect(pool.status().registers[1]!.health).toBe('down');
    const later = await Promise.all(Array.from({ length: 4 }, (_, i) => sale(`t${i}`)));
    expect(later.every((r) => r.registerId === 'a')).toBe(true);

    // b comes back (same state file, same port): the health check reconnects and it takes work again.
    b = await emulator('b', bPort);
    await pool.checkHealth();
    expect(pool.status().registers[1]!.health).toBe('up');
    // A receipt b had open when it stopped is reconciled there first (here: cancelled; nothing was closed).
    for (const e of failed) {
      await pool.submit(async (r) => { if ((await r.status()).receiptOpen) await r.cancelReceipt(); }, { affinity: 'b' });
      pool.reconciled((e as RegisterJobError).jobId);
    }
    const back = await Promise.all(Array.from({ length: 6 }, (_, i) => sale(`u${i}`)));
    expect(new Set(back.map((r) => r.registerId))).toEqual(new Set(['a', 'b']));
    expect(events).toContainEqual({ type: 'up', registerId: 'b' });
  });
});
