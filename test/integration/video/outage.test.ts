// Delivery through the real lane: the video system goes away while the lane keeps working, comes
// back, and gets everything in order, nothing twice; a long outage is bounded and reported.
import { afterEach, describe, expect, it } from 'vitest';
import { VideoReceiver } from '../../../drivers/video/receiver';
import type { Session } from '../../../src-main/app/dispatcher';
import { login, openLane, type TestLane } from '../../helpers/lane';
import { until } from './helpers';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

async function laneWithSink(port: number, options: { maxPendingPerSink?: number } = {}): Promise<{ lane: TestLane; admin: Session; cashier: Session; sinkId: string }> {
  // "A minute" of outage compressed: backoff 20..200 ms instead of 1..30 s.
  const lane = await openLane({ video: { backoff: { initialMs: 20, maxMs: 200 }, ...options } });
  cleanups.push(() => lane.close());
  const admin = await login(lane, '0000');
  const { sink } = await lane.ok(admin, 'video.saveSink', { sink: {
    name: 'Milestone', protocol: 'textfeed', transport: 'tcp', host: '127.0.0.1', port, enabled: true,
    terminalId: 'K-07', camera: 12, timeZone: 'Europe/Moscow', encoding: 'utf-8',
  } });
  const cashier = await login(lane, '1111');
  await lane.ok(cashier, 'shift.open', {});
  await lane.ok(cashier, 'cash.move', { direction: 'in', amountKopecks: 100, comment: 'start' });
  return { lane, admin, cashier, sinkId: sink.id };
}

const comments = (receiver: VideoReceiver) => receiver.frames.filter((f) => f.type === 'ВНЕСЕНИЕ').map((f) => /\| (#\d+)/.exec(f.fields['text']!)?.[1] ?? f.fields['text']);

describe('video export through an outage', () => {
  it('the receiver stopped while 200 events are produced: all arrive afterwards, in order, none twice', async () => {
    let receiver = await VideoReceiver.start({ protocol: 'textfeed', port: 0 });
    const port = receiver.port;
    const { lane, admin, cashier, sinkId } = await laneWithSink(port);
    await until(() => comments(receiver).length === 1, 'the first cash-in');
    const before = receiver;
    await before.close();

    // 100 cash-ins = 200 events (each is "cash in" + "drawer opened") while the video system is away.
    for (let i = 1; i <= 100; i++) {
      await lane.ok(cashier, 'cash.move', { direction: 'in', amountKopecks: 100, comment: `#${i}` });
    }
    await new Promise((r) => setTimeout(r, 300)); // a few reconnect attempts fail meanwhile
    const down = (await lane.ok(admin, 'video.listSinks', {})).status.find((s: { sinkId: string }) => s.sinkId === sinkId);
    expect(down).toMatchObject({ state: 'waiting', pending: 200, evicted: 0 });

    receiver = await VideoReceiver.start({ protocol: 'textfeed', port });
    cleanups.push(() => receiver.close());
    await until(() => receiver.frames.length >= 200, '200 events after the restart');
    await new Promise((r) => setTimeout(r, 100)); // anything extra (a duplicate) would show up now

    expect(receiver.errors).toEqual([]);
    expect(receiver.frames).toHaveLength(200);
    expect(comments(receiver)).toEqual(Array.from({ length: 100 }, (_, i) => `#${i + 1}`));
    expect(receiver.frames.map((f) => f.type)).toEqual(Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? 'ВНЕСЕНИЕ' : 'ДЕНЕЖНЫЙ ЯЩИК ОТКРЫТ')));
    expect([...before.frames, ...receiver.frames].filter((f) => f.type === 'ВНЕСЕНИЕ')).toHaveLength(101);
    expect(receiver.frames[0]!.fields).toMatchObject({ terminal: 'K-07', camera: '12' });
    const up = (await lane.ok(admin, 'video.listSinks', {})).status[0];
    expect(up).toMatchObject({ state: 'connected', pending: 0, evicted: 0 });
  });

  it('a queue past its bound drops the oldest, says how many, and sends the rest in order', async () => {
    const receiver = await VideoReceiver.start({ protocol: 'textfeed', port: 0 });
    const port = receiver.port;
    const { lane, admin, cashier } = await laneWithSink(port, { maxPendingPerSink: 50 });
    await until(() => receiver.frames.length === 4, 'login, shift, the first cash-in and its drawer');
    await receiver.close();
    for (let i = 1; i <= 40; i++) await lane.ok(cashier, 'cash.move', { direction: 'in', amountKopecks: 100, comment: `#${i}` });
    await new Promise((r) => setImmediate(r));
    const status = (await lane.ok(admin, 'video.listSinks', {})).status[0];
    expect(status).toMatchObject({ pending: 50, evicted: 30 });
    expect(status.lastEvictedAt).not.toBeNull();

    const again = await VideoReceiver.start({ protocol: 'textfeed', port });
    cleanups.push(() => again.close());
    await until(() => again.frames.length >= 50, 'the 50 kept events');
    await new Promise((r) => setTimeout(r, 100));
    expect(again.frames).toHaveLength(50);
    expect(comments(again)).toEqual(Array.from({ length: 25 }, (_, i) => `#${i + 16}`));
  });

  it('several sinks at once, each with its own mapping and format', async () => {
    const textfeed = await VideoReceiver.start({ protocol: 'textfeed', port: 0 });
    const axxon = await VideoReceiver.start({ protocol: 'axxon', port: 0 });
    const trassir = await VideoReceiver.start({ protocol: 'trassir', port: 0, udp: true });
    cleanups.push(() => textfeed.close(), () => axxon.close(), () => trassir.close());
    const { lane, admin, cashier } = await laneWithSink(textfeed.port);
    const common = { enabled: true, camera: null, timeZone: 'Asia/Yekaterinburg', encoding: 'utf-8' as const };
    await lane.ok(admin, 'video.saveSink', { sink: { ...common, name: 'Axxon', protocol: 'axxon', transport: 'tcp', host: '127.0.0.1', port: axxon.port, terminalId: 'POS-3', camera: 5 } });
    await lane.ok(admin, 'video.saveSink', { sink: { ...common, name: 'TRASSIR', protocol: 'trassir', transport: 'udp', host: '127.0.0.1', port: trassir.port, terminalId: 'cas_3' } });
    await lane.ok(cashier, 'cash.move', { direction: 'out', amountKopecks: 100, comment: 'Инкассация' });
    await until(() => axxon.frames.length === 2 && trassir.frames.length === 2 && textfeed.frames.length === 6, 'all three sinks');
    expect(axxon.frames[0]!.fields).toMatchObject({ FunctionNumber: '16', cash_number: 'POS-3', camera: '5', operation: 'ИЗЪЯТИЕ', comment: 'Инкассация' });
    expect(trassir.frames[0]).toMatchObject({ type: 'POSNG_RECEIPT_PAYOUT', fields: { location: 'cas_3', price: '1.00', text: 'Инкассация' } });
    expect(textfeed.frames[4]!.type).toBe('ИЗЪЯТИЕ');
  });
});
