// A polled device's answers read in one go (ByteTransport.awaitAnswer) on a real pty: a 9600-baud
// "device" paced at its line speed answers each request after its own delay; the host's serial
// transport must deliver every answer whole, in one read once the delay is learned, and never lose a
// byte when the answer is longer, later or earlier than announced, or the device goes away.
import { afterEach, describe, expect, it } from 'vitest';
import { createPtyPair, type PtyPair } from '../../../../drivers/transport/pty';
import { openSerial } from '../../../../drivers/transport/serial';
import { pacedTransport } from '../../../../drivers/emulator-support/line-pacing';
import type { ByteTransport } from '../../../../drivers/transport/byte-transport';

const BYTE_MS = 10 / 9.6; // 9600 baud, 8N1
const REQUEST = Uint8Array.from([0xf8, 0x55, 0xce, 0x01, 0x00, 0x23, 0x23, 0x00]);
const answer = (length: number, seed: number) => Uint8Array.from({ length }, (_, i) => (seed + i) & 0xff);

interface Rig { pty: PtyPair; host: ByteTransport; device: ByteTransport; chunks: number[][] }
let rig: Rig | null = null;

afterEach(async () => {
  if (!rig) return;
  await rig.host.close().catch(() => undefined);
  await rig.device.close().catch(() => undefined);
  await rig.pty.close().catch(() => undefined);
  rig = null;
});

/** A device that answers every request with `reply()` after `delayMs`, paced at 9600 baud both ways. */
async function deviceRig(reply: (n: number) => { bytes: Uint8Array; delayMs: number } | null): Promise<Rig> {
  const pty = await createPtyPair();
  const host = await openSerial({ path: pty.hostPath, baudRate: 9_600 });
  const device = pacedTransport(await openSerial({ path: pty.devicePath, baudRate: 9_600 }), { baudRate: 9_600 });
  const chunks: number[][] = [];
  host.onData((chunk) => chunks.push([...chunk]));
  let received = 0;
  let requests = 0;
  device.onData((chunk) => {
    received += chunk.length;
    while (received >= REQUEST.length) {
      received -= REQUEST.length;
      const answer = reply(requests++);
      if (answer) setTimeout(() => void device.write(answer.bytes), answer.delayMs);
    }
  });
  rig = { pty, host, device, chunks };
  return rig;
}

/** One exchange as ScaleLink makes it: pending bytes delivered, request, announced answer, wait. */
async function exchange(r: Rig, announce: number | null, want: number, timeoutMs = 1_000): Promise<{ bytes: number[]; reads: number; ms: number }> {
  r.host.readPending?.();
  r.chunks.length = 0;
  const started = performance.now();
  await r.host.write(REQUEST);
  if (announce !== null) r.host.awaitAnswer?.(announce);
  const until = started + timeoutMs;
  while (r.chunks.flat().length < want) {
    if (performance.now() > until) throw new Error(`only ${r.chunks.flat().length} of ${want} bytes within ${timeoutMs} ms`);
    r.host.expect?.(want - r.chunks.flat().length);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  return { bytes: r.chunks.flat(), reads: r.chunks.length, ms: performance.now() - started };
}

describe('answers collected in one go on a slow serial line', () => {
  it('reads each 20-byte answer whole, in one read, once the device\'s delay is learned', async () => {
    const r = await deviceRig((n) => ({ bytes: answer(20, n), delayMs: 12 }));
    const first = await exchange(r, null, 20); // the first answer teaches its length (ScaleLink's way)
    expect(first.bytes).toEqual([...answer(20, 0)]);
    const reads: number[] = [];
    for (let n = 1; n <= 12; n++) {
      const got = await exchange(r, 20, 20);
      expect(got.bytes).toEqual([...answer(20, n)]);
      reads.push(got.reads);
      // Request 8 + answer 20 bytes of line time (~29 ms), the device's 12 ms and scheduling.
      expect(got.ms).toBeLessThan(29.2 + 12 + 40);
    }
    // After the first two or three exchanges the estimate holds: one read per answer, nearly always.
    expect(reads.slice(4).filter((n) => n === 1).length).toBeGreaterThanOrEqual(6);
  });

  it('an answer longer than announced arrives whole: the reader\'s wait asks for the rest', async () => {
    const r = await deviceRig((n) => ({ bytes: answer(n === 0 ? 10 : 30, n), delayMs: 0 }));
    await exchange(r, null, 10);
    const got = await exchange(r, 10, 30);
    expect(got.bytes).toEqual([...answer(30, 1)]);
  });

  it('one answer held up (a busy till) is waited for and does not slow the answers after it', async () => {
    const r = await deviceRig((n) => ({ bytes: answer(20, n), delayMs: n === 4 ? 150 : 0 }));
    for (let n = 0; n < 4; n++) await exchange(r, n === 0 ? null : 20, 20);
    const late = await exchange(r, 20, 20);
    expect(late.bytes).toEqual([...answer(20, 4)]);
    expect(late.ms).toBeGreaterThan(150);
    for (let n = 5; n < 8; n++) {
      const next = await exchange(r, 20, 20);
      expect(next.bytes).toEqual([...answer(20, n)]);
      expect(next.ms, 'an answer after the late one waited as if it were late too').toBeLessThan(29.2 + 40);
    }
  });

  it('a device that is always slow is learned: its answers come in one read again', async () => {
    const r = await deviceRig((n) => ({ bytes: answer(20, n), delayMs: 60 }));
    await exchange(r, null, 20);
    const reads: number[] = [];
    for (let n = 1; n <= 24; n++) {
      const got = await exchange(r, 20, 20);
      expect(got.bytes).toEqual([...answer(20, n)]);
      reads.push(got.reads);
    }
    expect(reads.slice(-8).filter((n) => n === 1).length).toBeGreaterThanOrEqual(5);
  }, 15_000);

  it('bytes that came between exchanges are delivered before the next request, not mixed into its answer', async () => {
    const r = await deviceRig((n) => ({ bytes: answer(20, n), delayMs: 0 }));
    await exchange(r, null, 20);
    await exchange(r, 20, 20);
    // Unasked-for bytes (line noise, a late answer) while nobody reads the descriptor.
    await r.device.write(Uint8Array.from([0xee, 0xee, 0xee]));
    await new Promise((resolve) => setTimeout(resolve, 3 * BYTE_MS + 20));
    const stale: number[] = [];
    const off = r.host.onData((chunk) => stale.push(...chunk));
    r.host.readPending?.();
    off();
    expect(stale).toEqual([0xee, 0xee, 0xee]);
    const got = await exchange(r, 20, 20);
    expect(got.bytes).toEqual([...answer(20, 2)]);
  });

  it('a device that goes away while its answer is awaited closes the link instead of hanging', async () => {
    const r = await deviceRig((n) => (n < 2 ? { bytes: answer(20, n), delayMs: 0 } : null));
    await exchange(r, null, 20);
    await exchange(r, 20, 20);
    const closed = new Promise<Error | null>((resolve) => r.host.onClose(resolve));
    await r.host.write(REQUEST);
    r.host.awaitAnswer?.(20);
    await r.device.close();
    await r.pty.close(); // the adapter is pulled: the tty reads EIO
    await expect(Promise.race([closed.then(() => 'closed'), new Promise((resolve) => setTimeout(() => resolve('hung'), 3_000))])).resolves.toBe('closed');
  });
});
