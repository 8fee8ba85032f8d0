// Each encoder against its receiver emulator over real sockets on 127.0.0.1: every event kind,
// Cyrillic, hostile and very long names, TRASSIR over TCP and UDP, Axxon in a Windows code page.
import { afterEach, describe, expect, it } from 'vitest';
import type { TextEncoding, VideoProtocol } from '../../../drivers/video/format';
import { VideoReceiver } from '../../../drivers/video/receiver';
import { VideoSink } from '../../../drivers/video/sink';
import { TcpFrameTransport, UdpFrameTransport } from '../../../drivers/video/transport';
import { VIDEO_FORMATS } from '../../../drivers/video/formats';
import { everyKind, HOSTILE_NAMES, LONG_NAME, TARGET } from '../../unit/video/events';
import { MemoryBacklog, until } from './helpers';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

/** Blocks per event: TRASSIR splits a cash payment with change and a closing into two. */
function expectedFrames(protocol: VideoProtocol, events: ReturnType<typeof everyKind>): number {
  if (protocol !== 'trassir') return events.length;
  return events.reduce((n, e) => n + ((e.kind === 'payment' && e.changeKopecks > 0) || e.kind === 'receipt.closed' || e.kind === 'return.closed' ? 2 : 1), 0);
}

async function deliver(protocol: VideoProtocol, names: string[], options: { udp?: boolean; encoding?: TextEncoding } = {}) {
  const encoding = options.encoding ?? 'utf-8';
  const receiver = await VideoReceiver.start({ protocol, port: 0, udp: options.udp ?? false, encoding });
  cleanups.push(() => receiver.close());
  const backlog = new MemoryBacklog();
  for (const name of names) backlog.push(...everyKind(name));
  const endpoint = { host: '127.0.0.1', port: receiver.port };
  const sink = new VideoSink({
    format: VIDEO_FORMATS[protocol], target: { ...TARGET, encoding }, backlog, backoff: { initialMs: 20, maxMs: 100 },
    transport: options.udp ? new UdpFrameTransport(endpoint) : new TcpFrameTransport(endpoint),
  });
  cleanups.push(() => sink.stop());
  sink.start();
  const total = names.reduce((n, name) => n + expectedFrames(protocol, everyKind(name)), 0);
  await until(() => receiver.frames.length + receiver.errors.length >= total, `${total} frames`);
  return { receiver, backlog, sink };
}

describe.each([
  ['trassir', {}],
  ['trassir', { udp: true }],
  ['axxon', {}],
  ['axxon', { encoding: 'windows-1251' as const }],
  ['textfeed', {}],
  ['textfeed', { encoding: 'cp866' as const }],
] as Array<[VideoProtocol, { udp?: boolean; encoding?: TextEncoding }]>)('%s %o', (protocol, options) => {
  it('delivers every event kind, in order, valid, with Cyrillic intact', async () => {
    const { receiver, backlog, sink } = await deliver(protocol, ['Молоко «Домик в деревне» 3,2%'], options);
    expect(receiver.errors).toEqual([]);
    expect(receiver.frames).toHaveLength(expectedFrames(protocol, everyKind()));
    expect(backlog.deliveredSeq).toBe(backlog.size);
    expect(sink.status()).toMatchObject({ state: 'connected', sentEvents: backlog.size, skippedEvents: 0 });
    const text = receiver.frames.map((f) => JSON.stringify(f.fields)).join('\n');
    expect(text).toContain('Иванова А.');
    expect(text).toContain(options.encoding === 'cp866' ? 'Молоко' : 'Молоко «Домик в деревне» 3,2%');
    // In order: the same order as the encoder wrote them.
    const firstTypes = receiver.frames.slice(0, 4).map((f) => f.type);
    const expected = { trassir: ['POSNG_CASHIER_LOGIN', 'POSNG_SHIFT_START', 'POSNG_RECEIPT_OPEN', 'POSNG_POSITION_ADD'], axxon: ['19', '17', '1', '2'],
      textfeed: ['ВХОД', 'СМЕНА', '*** ЧЕК', 'ТОВАР'] }[protocol];
    expect(firstTypes).toEqual(expected);
  });

  it('delivers hostile and very long names as valid messages', async () => {
    const names = [...HOSTILE_NAMES, LONG_NAME];
    const { receiver } = await deliver(protocol, names, options);
    expect(receiver.errors).toEqual([]);
    expect(receiver.frames).toHaveLength(names.reduce((n, name) => n + expectedFrames(protocol, everyKind(name)), 0));
    if (options.encoding !== 'cp866') {
      const text = receiver.frames.map((f) => JSON.stringify(f.fields)).join('\n');
      expect(text).toContain(protocol === 'textfeed' ? '<script>alert(\\"x\\")</script> & Co' : '<script>alert(\\"x\\")</script> & Co');
    }
  });
});

describe('receiver emulator', () => {
  it('reports a clear error for a malformed message and keeps going', async () => {
    const receiver = await VideoReceiver.start({ protocol: 'trassir', port: 0 });
    cleanups.push(() => receiver.close());
    const transport = new TcpFrameTransport({ host: '127.0.0.1', port: receiver.port });
    await transport.open();
    cleanups.push(() => transport.close());
    await transport.send([Buffer.from('<?xml version="1.0"?><transaction><event_type>BOGUS</event_type></transaction>')]);
    await transport.send(VIDEO_FORMATS.trassir.encode(everyKind()[2]!, TARGET));
    await until(() => receiver.frames.length === 1 && receiver.errors.length === 1, 'one error and one frame');
    expect(receiver.errors[0]!.reason).toMatch(/unknown event_type BOGUS/);
    expect(receiver.frames[0]!.type).toBe('POSNG_RECEIPT_OPEN');
  });
});
