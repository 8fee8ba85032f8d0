// The drivers' receive buffer: bytes in order across chunks, waits that end on data or at the deadline,
// and takeAvailable that never waits and never takes more than asked.
import { describe, expect, it } from 'vitest';
import { TransportEvents, type ByteTransport } from '../../../../drivers/transport/byte-transport';
import { ByteQueue, LinkClosed, ReadTimeout } from '../../../../drivers/transport/byte-queue';

function fakeTransport(): { transport: ByteTransport; events: TransportEvents } {
  const events = new TransportEvents();
  const transport: ByteTransport = {
    kind: 'serial', write: async () => undefined, onData: (l) => events.onData(l), onClose: (l) => events.onClose(l), close: async () => undefined,
  };
  return { transport, events };
}

describe('ByteQueue', () => {
  it('hands bytes over in order across chunks; takeAvailable takes at most what is asked and what is there', async () => {
    const { transport, events } = fakeTransport();
    const q = new ByteQueue(transport);
    events.emitData(Uint8Array.of(1, 2));
    events.emitData(Uint8Array.of(3, 4, 5));
    expect(await q.readByte(10)).toBe(1);
    expect(q.takeAvailable(3)).toEqual([2, 3, 4]);
    expect(q.available).toBe(1);
    expect(q.takeAvailable(10)).toEqual([5]);
    expect(q.takeAvailable(10)).toEqual([]);
    expect(q.takeAvailable(0)).toEqual([]);
  });

  it('a waiting read ends on the next byte, at its deadline, or when the link closes', async () => {
    const { transport, events } = fakeTransport();
    const q = new ByteQueue(transport);
    const waiting = q.readByte(1_000);
    events.emitData(Uint8Array.of(42));
    expect(await waiting).toBe(42);
    await expect(q.readByte(20)).rejects.toBeInstanceOf(ReadTimeout);
    const pending = q.readByte(1_000);
    events.emitClose(null);
    await expect(pending).rejects.toBeInstanceOf(LinkClosed);
  });
});
