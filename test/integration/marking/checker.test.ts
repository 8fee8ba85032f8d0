import { afterEach, describe, expect, it } from 'vitest';
import { parseMarkingCheckSettings, type MarkingCheckSettingsInput } from '../../../src-main/marking/check-settings';
import { createMarkingChecker, type MarkingCodeChecker } from '../../../src-main/marking/marking-checker';
import { LocalModuleEmulator } from '../../../src-main/marking/emulators/lm-emulator';
import { TrueApiEmulator } from '../../../src-main/marking/emulators/truapi-emulator';
import { TspiotEmulator } from '../../../src-main/marking/emulators/tspiot-emulator';
import { runMarkingEmulator } from '../../../src-main/marking/emulators/emulator-cli';
import { ManualScheduler, codeWith, requestFor, until } from './helpers';

const FN = '7281440500123456';
const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => { for (const c of closers.splice(0).reverse()) await c(); });

async function lane(input: (e: { truapi: TrueApiEmulator; lm: LocalModuleEmulator; tspiot: TspiotEmulator }) => MarkingCheckSettingsInput) {
  const truapi = await TrueApiEmulator.start({ hosts: 2, slowMs: 3_000 });
  const lm = await LocalModuleEmulator.start();
  const tspiot = await TspiotEmulator.start();
  closers.push(() => truapi.close(), () => lm.close(), () => tspiot.close());
  const checker: MarkingCodeChecker = createMarkingChecker(parseMarkingCheckSettings(input({ truapi, lm, tspiot })), { scheduler: new ManualScheduler() });
  await checker.start();
  closers.push(() => checker.stop());
  return { truapi, lm, tspiot, checker };
}

const trueApiLane = (budgetMs?: number) => ({ truapi, lm }: { truapi: TrueApiEmulator; lm: LocalModuleEmulator }): MarkingCheckSettingsInput => ({
  mode: 'trueApi', ...(budgetMs ? { budgetMs } : {}),
  trueApi: { cdnBase: truapi.cdnBase, defaultApiKey: 'k' },
  localModule: { url: lm.url, clientId: FN, timeoutMs: 500 },
});

describe('marking checker', () => {
  it('answers online when the True API answers', async () => {
    const { checker } = await lane(trueApiLane(1000));
    const o = await checker.check(requestFor(codeWith('OK')));
    expect(o).toMatchObject({ kind: 'answer', answer: { channel: 'online' }, attempts: [] });
  });

  it('falls back to the local module when the True API gives no answer within the real 1.5 s budget', async () => {
    const { truapi, checker } = await lane(trueApiLane());
    truapi.setFault(0, 'slow');
    truapi.setFault(1, 'slow');
    const started = performance.now();
    const o = await checker.check(requestFor(codeWith('BL')));
    const took = performance.now() - started;
    expect(took).toBeGreaterThanOrEqual(1_450);
    expect(took).toBeLessThan(2_200);
    expect(o.kind).toBe('answer');
    if (o.kind !== 'answer') return;
    expect(o.answer.channel).toBe('offline');
    expect(o.answer.codes[0]!.isBlocked).toBe(true);
    expect(o.attempts).toEqual([expect.objectContaining({ channel: 'online', target: truapi.hostUrls[0], failure: 'timeout' })]);
    expect(o.attempts[0]!.elapsedMs).toBeGreaterThanOrEqual(1_450);
  });

  it('falls back to the local module when the online answer is garbage or the key is refused', async () => {
    const { truapi, checker } = await lane(trueApiLane(1000));
    truapi.setFault(0, 'garbage', 1);
    truapi.setFault(1, 'truncated', 1);
    const o = await checker.check(requestFor(codeWith('OK')));
    expect(o).toMatchObject({ kind: 'answer', answer: { channel: 'offline' } });
    expect(o.attempts.map((a) => a.channel)).toEqual(['online', 'online']);
    truapi.apiKeys = ['another'];
    const refused = await checker.check(requestFor(codeWith('OK')));
    expect(refused).toMatchObject({ kind: 'answer', answer: { channel: 'offline' } });
    expect(refused.attempts[0]!.failure).toMatch(/401/);
  });

  it('is unavailable, with every failed attempt listed, when the local module is not ready either', async () => {
    const { truapi, lm, checker } = await lane(trueApiLane(1000));
    await truapi.killHost(0);
    await truapi.killHost(1);
    lm.status = 'sync_error';
    await checker.localModule!.refreshStatus();
    const o = await checker.check(requestFor(codeWith('OK')));
    expect(o.kind).toBe('unavailable');
    expect(o.attempts.map((a) => `${a.channel} ${a.failure}`)).toEqual([
      'online connection refused',
      'online connection refused',
      expect.stringMatching(/^offline offline check impossible: not ready: sync_error/),
    ]);
  });

  it('an online emergency ends the check without asking the local module', async () => {
    const { truapi, lm, checker } = await lane(trueApiLane(1000));
    truapi.setFault(0, 'emergency203', 1);
    expect(await checker.check(requestFor(codeWith('OK')))).toEqual({ kind: 'emergency', channel: 'online', attempts: [] });
    expect(lm.checks).toHaveLength(0);
  });

  it("mode 'tspiot' asks the ТС ПИоТ, reports its emergency, and falls back to the local module when it is down", async () => {
    const { tspiot, checker, truapi } = await lane(({ tspiot, lm }) => ({
      mode: 'tspiot',
      tspiot: { url: tspiot.url, apiVersion: 3, clientInfo: { name: 'Prilavok', version: '0.1.0', id: 'lane-1', token: 't' }, timeoutMs: 1000 },
      localModule: { url: lm.url, clientId: FN },
    }));
    expect(await checker.check(requestFor(codeWith('OK')))).toMatchObject({ kind: 'answer', answer: { channel: 'tspiot' } });
    tspiot.emergency = 204;
    expect(await checker.check(requestFor(codeWith('OK')))).toEqual({ kind: 'emergency', channel: 'tspiot', attempts: [] });
    await tspiot.close();
    const o = await checker.check(requestFor(codeWith('OK')));
    // A pooled keep-alive socket may see the close as a reset rather than a refusal.
    expect(o).toMatchObject({ kind: 'answer', answer: { channel: 'offline' }, attempts: [{ channel: 'tspiot', failure: expect.stringMatching(/^connection (refused|reset)$/) }] });
    expect(truapi.log).toHaveLength(0);
  });
});

describe('marking check settings', () => {
  it('fills the defaults: trueApi mode, 1.5 s, cdn.crpt.ru, admin:admin on 127.0.0.1:5995', () => {
    const s = parseMarkingCheckSettings({ localModule: { clientId: FN } });
    expect(s).toMatchObject({
      mode: 'trueApi', budgetMs: 1500,
      trueApi: { cdnBase: 'https://cdn.crpt.ru', apiKeys: {}, defaultApiKey: null },
      localModule: { url: 'http://127.0.0.1:5995', user: 'admin', password: 'admin', apiVersion: 1 },
      tspiot: null,
    });
  });

  it('refuses a bad INN key, a non-URL and tspiot mode without tspiot settings', () => {
    expect(() => parseMarkingCheckSettings({ trueApi: { apiKeys: { '12345': 'k' } } })).toThrow();
    expect(() => parseMarkingCheckSettings({ trueApi: { cdnBase: 'cdn.crpt.ru' } })).toThrow();
    expect(() => parseMarkingCheckSettings({ mode: 'tspiot' })).toThrow(/tspiot/);
  });
});

describe('prilavok emulate truapi|lm|tspiot', () => {
  it.each(['truapi', 'lm', 'tspiot'] as const)('%s prints LISTENING <url>, takes /__control commands, and stops on the signal', async (device) => {
    const out: string[] = [];
    const stop = new AbortController();
    const done = runMarkingEmulator(device, ['--port', '0'], { stdout: (t) => out.push(t), stderr: (t) => out.push(t) }, stop.signal);
    await until(() => out.join('').includes('LISTENING'));
    const url = /^LISTENING (http:\/\/127\.0\.0\.1:\d+)\n$/.exec(out.join(''))![1]!;
    const command = { truapi: { op: 'setFault', host: 0, fault: 'http429', count: 1 }, lm: { op: 'setStatus', status: 'sync_error' }, tspiot: { op: 'setEmergency', status: 203 } }[device];
    const ok = await fetch(`${url}/__control`, { method: 'POST', body: JSON.stringify(command) });
    expect(await ok.json()).toEqual({ ok: true });
    const bad = await fetch(`${url}/__control`, { method: 'POST', body: JSON.stringify({ op: 'nonsense' }) });
    expect(bad.status).toBe(400);
    stop.abort();
    expect(await done).toBe(0);
  });

  it('refuses unknown options with the usage', async () => {
    const err: string[] = [];
    expect(await runMarkingEmulator('lm', ['--port', '0', '--status', 'sleepy'], { stdout: () => {}, stderr: (t) => err.push(t) })).toBe(2);
    expect(err.join('')).toMatch(/usage: prilavok emulate lm/);
  });
});
