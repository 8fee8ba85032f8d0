// The serial transport on a real pty: a device that goes away must fail a write, never hang it.
import { describe, expect, it } from 'vitest';
import { createPtyPair } from '../../../../drivers/transport/pty';
import { gatherMs, openSerial } from '../../../../drivers/transport/serial';
import { pacedTransport } from '../../../../drivers/emulator-support/line-pacing';
import { resolveSerialLine } from '../../../../drivers/transport/serial-line';
import type { ByteTransport } from '../../../../drivers/transport/byte-transport';

describe('the serial transport', () => {
  it('carries bytes both ways over a pty', async () => {
    const pty = await createPtyPair();
    const host = await openSerial({ path: pty.hostPath });
    const device = await openSerial({ path: pty.devicePath });
    try {
      const got = new Promise<number[]>((resolve) => device.onData((b) => resolve([...b])));
      await host.write(new Uint8Array([0x05, 0x06]));
      expect(await got).toEqual([0x05, 0x06]);
    } finally {
      await host.close();
      await device.close();
      await pty.close();
    }
  });

  it('rejects a write to a device that went away instead of hanging', async () => {
    const pty = await createPtyPair();
    const host = await openSerial({ path: pty.hostPath });
    await pty.close(); // the cable is pulled: nobody reads the other end any more
    for (let i = 0; i < 20; i++) {
      const outcome = await host.write(new Uint8Array(4096).fill(0x55)).then(() => 'written', (e: Error) => e.message);
      if (outcome !== 'written') {
        expect(outcome).toMatch(/write failed|drain failed|timed out/);
        break;
      }
      expect(i, 'every write succeeded although nobody reads').toBeLessThan(19);
    }
    await host.close();
  }, 30_000);

  it('gathers a slow line\'s bytes for a few byte times, and nothing at fast rates', () => {
    expect(gatherMs(resolveSerialLine({ baudRate: 9_600 }, { baudRate: 9_600 }))).toBe(20); // capped
    expect(gatherMs(resolveSerialLine({ baudRate: 19_200 }, { baudRate: 9_600 }))).toBe(10);
    expect(gatherMs(resolveSerialLine({ baudRate: 4_800 }, { baudRate: 9_600 }))).toBe(20); // capped
    expect(gatherMs(resolveSerialLine({ baudRate: 38_400 }, { baudRate: 9_600 }))).toBe(0);
    expect(gatherMs(resolveSerialLine({ baudRate: 115_200 }, { baudRate: 9_600 }))).toBe(0);
  });

  it('at 9600 baud a frame paced byte by byte arrives whole in a few reads, not one per byte', async () => {
    const { chunks, elapsedMs } = await pacedFrameAt9600();
    // 40 bytes take ~42 ms on the line, handed over every ~2 ms: ungathered that is ~20 reads; gathered
    // 20 ms after each chunk, about three.
    expect(chunks.length).toBeLessThanOrEqual(6);
    // The tail waits at most one gathering window (20 ms) after the line time, plus scheduling.
    expect(elapsedMs).toBeLessThan(41.7 + 20 + 40);
  });

  it('a reader that says how much of its frame is missing sets the wait: nothing missing, read again at once', async () => {
    // "Complete" after every chunk (a reader of one-byte frames): no gathering at all.
    const { chunks } = await pacedFrameAt9600((host) => host.expect?.(0));
    // Handed over every ~2 ms by the pty and read as they come: far more reads than gathered (≤ 6).
    expect(chunks.length).toBeGreaterThan(8);
  });
});

/**
 * A 40-byte frame written byte by byte at 9600 baud's pace over a pty, read by a 9600-baud host whose
 * reader runs `afterChunk` after each chunk; the chunks the host read and the time to the last byte.
 */
async function pacedFrameAt9600(afterChunk: (host: ByteTransport) => void = () => undefined): Promise<{ chunks: number[][]; elapsedMs: number }> {
  const pty = await createPtyPair();
  const host = await openSerial({ path: pty.hostPath, baudRate: 9_600 });
  const device = pacedTransport(await openSerial({ path: pty.devicePath, baudRate: 9_600 }), { baudRate: 9_600 });
  try {
    const frame = Uint8Array.from({ length: 40 }, (_, i) => i);
    const chunks: number[][] = [];
    const whole = new Promise<void>((resolve) => host.onData((b) => {
      chunks.push([...b]);
      afterChunk(host);
      if (chunks.flat().length >= frame.length) resolve();
    }));
    const started = performance.now();
    await device.write(frame);
    await whole;
    const elapsedMs = performance.now() - started;
    expect(chunks.flat()).toEqual([...frame]);
    return { chunks, elapsedMs };
  } finally {
    await host.close();
    await device.close();
    await pty.close();
  }
}
