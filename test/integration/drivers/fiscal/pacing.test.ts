// The paced emulator (--baud N --pace): every byte takes its line time both ways, on a schedule
// anchored at the moment the line went busy. Only lower bounds are checked: a test never asserts
// how fast something is (BENCHMARKS.md); `prilavok bench fiscal` reports that.
import { afterEach, describe, expect, it } from 'vitest';
import { performance } from 'node:perf_hooks';
import { PacedDirection, lineTimeMs } from '../../../../drivers/emulator-support/line-pacing';
import type { ByteTransport } from '../../../../drivers/transport/byte-transport';
import { ShtrihRegister } from '../../../../drivers/fiscal/shtrih/driver';
import { openTcp } from '../../../../drivers/transport/tcp';
import { runShtrihEmulator } from '../../../../drivers/fiscal/shtrih/emulator-cli';
import { startShtrihRig, type LinkKind, type ShtrihRig } from '../../../helpers/pty';

describe('PacedDirection', () => {
  it('hands over each byte no earlier than start + n × byte time, computed from the start, not accumulated', async () => {
    const now = () => performance.now();
    const got: Array<{ byte: number; dueMs: number; atMs: number }> = [];
    const line = new PacedDirection(9_600, now, (chunk, dueMs) => got.push({ byte: chunk[0]!, dueMs, atMs: now() }), true);
    const start = now();
    await Promise.all([line.send(Uint8Array.from([1, 2, 3, 4, 5]), start), line.send(Uint8Array.from([6, 7]))]);
    const byteMs = lineTimeMs(1, 9_600);
    expect(byteMs).toBeCloseTo(1.0417, 4);
    expect(got.map((g) => g.byte)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    got.forEach((g, i) => {
      expect(g.dueMs).toBeCloseTo(start + (i + 1) * byteMs, 6);
      expect(g.atMs).toBeGreaterThanOrEqual(g.dueMs - 1e-6);
    });
    expect(line.busyUntilMs).toBeCloseTo(start + 7 * byteMs, 6);
  });

  it('starts a unit at notBefore when the line is idle, so an answer is anchored at the byte it answers', async () => {
    const now = () => performance.now();
    const dues: number[] = [];
    const line = new PacedDirection(115_200, now, (_c, dueMs) => dues.push(dueMs), false);
    const anchor = now() - 0.5;
    await line.send(Uint8Array.from([0x15]), anchor);
    expect(dues).toEqual([anchor + lineTimeMs(1, 115_200)]);
  });

  it('drops what is not yet on the wire when discarded (power cut)', async () => {
    const got: number[] = [];
    const line = new PacedDirection(300, () => performance.now(), (c) => got.push(...c), false);
    const sent = line.send(new Uint8Array(100));
    line.discard();
    await sent;
    expect(got.length).toBeLessThan(100);
  });
});

/** Wraps a transport to count the bytes both ways. */
function counted(inner: ByteTransport): { transport: ByteTransport; bytes: () => number } {
  let n = 0;
  inner.onData((c) => { n += c.length; });
  return {
    transport: { ...inner, kind: inner.kind, write: (b) => { n += b.length; return inner.write(b); },
      onData: (l) => inner.onData(l), onClose: (l) => inner.onClose(l), close: () => inner.close() },
    bytes: () => n,
  };
}

let rig: ShtrihRig | null = null;
afterEach(async () => { await rig?.close(); rig = null; });

describe.each<LinkKind>(['tcp', 'pty'])('a paced emulator over %s', (kind) => {
  it('takes at least the line time of the bytes exchanged, and the driver works unchanged', async () => {
    rig = await startShtrihRig(kind, { baudRate: 9_600, pace: true }, { answerTimeoutMs: { default: 2_000 } });
    const r = rig.register;
    const t0 = performance.now();
    await r.status();
    await r.openShift();
    const receipt = await r.fiscaliseReceipt({ sign: 'sale', taxSystem: 'osn', items: [{ name: 'Хлеб', quantityMilli: 1000, priceKopecks: 5500, vat: 'vat10' }],
      payments: { cashKopecks: 10_000, electronicKopecks: 0 } });
    const elapsed = performance.now() - t0;
    expect(receipt.changeKopecks).toBe(4_500);
    // ENQ/NAK + frame/ACK + answer/ACK per command: at 9600 baud, 5 commands cannot take under ~60 bytes' time.
    expect(elapsed).toBeGreaterThanOrEqual(lineTimeMs(60, 9_600));
  });
});

describe('paced emulator over TCP, bytes counted at the driver', () => {
  it('a status read takes no less than the line time of everything but the closing ACK', async () => {
    rig = await startShtrihRig('tcp', { baudRate: 19_200, pace: true });
    const c = counted(await openTcp({ host: '127.0.0.1', port: rig.emulator.port }));
    const r = new ShtrihRegister(c.transport, { answerTimeoutMs: { default: 2_000 } });
    try {
      await r.status();
      const before = c.bytes();
      const t0 = performance.now();
      await r.status();
      const elapsed = performance.now() - t0;
      const bytes = c.bytes() - before;
      expect(bytes).toBeGreaterThan(20);
      // Our final ACK (and the 0xFF it earns over TCP) need not have crossed the line when status() returns.
      expect(elapsed).toBeGreaterThanOrEqual(lineTimeMs(bytes - 2, 19_200));
    } finally {
      await r.close();
    }
  });
});

describe('prilavok emulate shtrih --baud N --pace', () => {
  it('paces the line and still answers a driver; a bad --baud is refused', async () => {
    const abort = new AbortController();
    let ready: (line: string) => void = () => undefined;
    const readyLine = new Promise<string>((resolve) => { ready = resolve; });
    const run = runShtrihEmulator(['--tcp', '127.0.0.1:0', '--baud', '9600', '--pace'], { stdout: (l) => ready(l), stderr: () => undefined }, abort.signal);
    const line = await Promise.race([readyLine, run.then((code) => `exited ${code}`)]);
    expect(line).toMatch(/^SHTRIH_READY 127\.0\.0\.1:\d+/);
    const register = await ShtrihRegister.open(`tcp://${line.trim().split(' ')[1]}`, { answerTimeoutMs: { default: 2_000 } });
    try {
      const t0 = performance.now();
      expect((await register.status()).mode).toBe(4);
      expect(performance.now() - t0).toBeGreaterThanOrEqual(lineTimeMs(20, 9_600));
    } finally {
      await register.close();
      abort.abort();
      expect(await run).toBe(0);
    }
    expect(await runShtrihEmulator(['--tcp', '127.0.0.1:0', '--baud', 'fast', '--pace'], { stdout: () => undefined, stderr: () => undefined })).toBe(2);
  });
});
