// The administrator's video-sink calls through the dispatcher: access, validation, persistence,
// audit, the test receipt.
import { afterEach, describe, expect, it } from 'vitest';
import { VideoReceiver } from '../../../drivers/video/receiver';
import { login, openLane, tempDir, type TestLane } from '../../helpers/lane';
import { until } from './helpers';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

const SINK = {
  name: 'Milestone зал 1', protocol: 'textfeed', transport: 'tcp', host: '127.0.0.1', port: 9, enabled: false,
  terminalId: 'K-01', camera: 4, timeZone: 'Europe/Moscow', encoding: 'utf-8',
} as const;

async function lane(dir?: string): Promise<TestLane> {
  const l = await openLane(dir ? { dir } : {});
  cleanups.push(() => l.close());
  return l;
}

describe('video sink settings', () => {
  it('only an administrator may see or change sinks', async () => {
    const l = await lane();
    for (const pin of ['1111', '9999']) {
      const user = await login(l, pin);
      const outcome = await l.call(user, 'video.listSinks', {});
      expect(outcome.ok ? null : outcome.error.code).toBe('FORBIDDEN');
      const save = await l.call(user, 'video.saveSink', { sink: SINK });
      expect(save.ok ? null : save.error.code).toBe('FORBIDDEN');
    }
  });

  it('refuses invalid sinks with a clear error', async () => {
    const l = await lane();
    const admin = await login(l, '0000');
    const bad = [
      { ...SINK, port: 0 }, { ...SINK, host: 'bad host!' }, { ...SINK, protocol: 'axxon', transport: 'udp' }, { ...SINK, terminalId: 'К 1' },
      { ...SINK, protocol: 'macroscop' }, { ...SINK, extra: 1 }, { ...SINK, timeZone: '../../etc' },
    ];
    for (const sink of bad) {
      const outcome = await l.call(admin, 'video.saveSink', { sink: sink as never });
      expect(outcome.ok ? null : outcome.error.code, JSON.stringify(sink)).toBe('BAD_REQUEST');
    }
    const zone = await l.call(admin, 'video.saveSink', { sink: { ...SINK, timeZone: 'Mars/Olympus' } });
    expect(zone.ok ? null : zone.error.code).toBe('INVALID_STATE');
  });

  it('adds, edits, persists across a restart, audits and removes a sink', async () => {
    const dir = tempDir();
    cleanups.push(async () => (await import('node:fs')).rmSync(dir, { recursive: true, force: true }));
    let l = await openLane({ dir });
    const admin = await login(l, '0000');
    const { sink } = await l.ok(admin, 'video.saveSink', { sink: SINK });
    expect(sink.id).toMatch(/^[0-9a-f-]{36}$/);
    await l.ok(admin, 'video.saveSink', { sink: { ...sink, name: 'Переименован', port: 10 } });
    await l.close();

    l = await lane(dir);
    const admin2 = await login(l, '0000');
    const listed = await l.ok(admin2, 'video.listSinks', {});
    expect(listed.sinks).toEqual([{ ...sink, name: 'Переименован', port: 10 }]);
    expect(listed.status).toEqual([expect.objectContaining({ sinkId: sink.id, state: 'disabled', pending: 0, evicted: 0 })]);
    expect(l.app.sales.audit.verify().ok).toBe(true);
    await l.ok(admin2, 'video.removeSink', { sinkId: sink.id });
    expect((await l.ok(admin2, 'video.listSinks', {})).sinks).toEqual([]);
    const missing = await l.call(admin2, 'video.removeSink', { sinkId: sink.id });
    expect(missing.ok ? null : missing.error.code).toBe('NOT_FOUND');
  });

  it('the test button sends a sample receipt the receiver accepts, even for a disabled sink', async () => {
    const receiver = await VideoReceiver.start({ protocol: 'textfeed', port: 0 });
    cleanups.push(() => receiver.close());
    const l = await lane();
    const admin = await login(l, '0000');
    const { sink } = await l.ok(admin, 'video.saveSink', { sink: { ...SINK, port: receiver.port } });
    expect(await l.ok(admin, 'video.testSink', { sinkId: sink.id })).toEqual({ sentEvents: 6 });
    await until(() => receiver.frames.length === 6, 'the sample receipt');
    expect(receiver.errors).toEqual([]);
    expect(receiver.frames.map((f) => f.type)).toEqual(['*** ЧЕК', 'ТОВАР', 'ТОВАР', 'ОПЛАТА', 'ДЕНЕЖНЫЙ ЯЩИК ОТКРЫТ', '*** ЧЕК']);
    expect(receiver.frames[5]!.fields['text']).toBe('*** ЧЕК 00007E57 ЗАКРЫТ *** №0 ИТОГ 236,55');
  });

  it('the test button says when the video system is unreachable', async () => {
    const l = await lane();
    const admin = await login(l, '0000');
    const { sink } = await l.ok(admin, 'video.saveSink', { sink: { ...SINK, port: 1 } });
    const outcome = await l.call(admin, 'video.testSink', { sinkId: sink.id });
    expect(outcome.ok ? null : outcome.error).toMatchObject({ code: 'INVALID_STATE', message: { ru: expect.stringContaining('Видеосистема недоступна') } });
  });
});
