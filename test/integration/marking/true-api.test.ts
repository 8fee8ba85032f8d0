import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CdnHosts } from '../../../src-main/marking/cdn-hosts';
import { TrueApiClient } from '../../../src-main/marking/true-api-client';
import { TrueApiEmulator } from '../../../src-main/marking/emulators/truapi-emulator';
import { ManualClock, ManualScheduler, codeWith, requestFor } from './helpers';

const KEY = 'key-default';
let emu: TrueApiEmulator;
let clock: ManualClock;
let scheduler: ManualScheduler;
let hosts: CdnHosts;

function client(o: { budgetMs?: number; apiKeys?: Record<string, string>; defaultApiKey?: string | null; fiscalDriveNumber?: string } = {}): TrueApiClient {
  return new TrueApiClient({ hosts, budgetMs: o.budgetMs ?? 1000, apiKeys: o.apiKeys ?? {}, defaultApiKey: o.defaultApiKey === undefined ? KEY : o.defaultApiKey, fiscalDriveNumber: o.fiscalDriveNumber ?? null });
}

beforeEach(async () => {
  emu = await TrueApiEmulator.start({ hosts: 3, avgTimeMs: [300, 20, 100], slowMs: 1_000 });
  clock = new ManualClock();
  scheduler = new ManualScheduler();
  hosts = new CdnHosts({ cdnBase: emu.cdnBase, apiKey: () => KEY, clock, scheduler, random: () => 0.5 });
  await hosts.start();
});
afterEach(async () => {
  hosts.stop();
  await emu.close();
});

const [H0, H1, H2] = [0, 1, 2];

describe('CDN hosts', () => {
  it('ranks the healthy hosts by avgTimeMs and sends the check to the fastest', async () => {
    expect(hosts.ranked().map((h) => h.url)).toEqual([emu.hostUrls[H1], emu.hostUrls[H2], emu.hostUrls[H0]]);
    const r = await client().check(requestFor(codeWith('OK')));
    expect(r.kind).toBe('answer');
    expect(emu.count(H1, 'check')).toBe(1);
    expect(emu.log.find((l) => l.kind === 'health')?.apiKey).toBe(KEY);
  });

  it('leaves out a host whose health check fails', async () => {
    emu.setFault(H1, 'unhealthy');
    await hosts.discover();
    expect(hosts.ranked().map((h) => h.url)).toEqual([emu.hostUrls[H2], emu.hostUrls[H0]]);
  });

  it('refreshes the list in the background between 6 and 7 hours later', async () => {
    expect(scheduler.jobs).toHaveLength(1);
    expect(scheduler.jobs[0]!.delayMs).toBe(6.5 * 3_600_000);
    emu.setAvgTime(H0, 1);
    const infoBefore = emu.count('cdn', 'info');
    scheduler.runAll();
    await new Promise((r) => setTimeout(r, 200));
    expect(emu.count('cdn', 'info')).toBe(infoBefore + 1);
    expect(hosts.ranked()[0]!.url).toBe(emu.hostUrls[H0]);
    expect(scheduler.jobs).toHaveLength(1); // the next refresh is planned
  });

  it('a dead best host costs one failed attempt and the next host answers in the same check', async () => {
    await emu.killHost(H1);
    const r = await client().check(requestFor(codeWith('OK')));
    expect(r.kind).toBe('answer');
    expect(r.attempts).toEqual([expect.objectContaining({ channel: 'online', target: emu.hostUrls[H1], failure: 'connection refused' })]);
    expect(emu.count(H2, 'check')).toBe(1);
  });

  it('blocks a host for 15 minutes after three checks in a row got no answer within the budget', async () => {
    emu.setFault(H1, 'hang');
    const api = client({ budgetMs: 150 });
    for (let i = 0; i < 3; i++) {
      const r = await api.check(requestFor(codeWith('OK')));
      expect(r.kind).toBe('failed');
      expect(r.attempts).toEqual([expect.objectContaining({ target: emu.hostUrls[H1], failure: 'timeout' })]);
      expect(r.attempts[0]!.elapsedMs).toBeGreaterThanOrEqual(140);
    }
    expect(hosts.ranked()[0]!.blockedUntil).toBe(clock.now() + 15 * 60_000);
    // Blocked: the next check goes straight to the second host, with no failed attempt.
    const fourth = await client().check(requestFor(codeWith('OK')));
    expect(fourth.kind).toBe('answer');
    expect(fourth.attempts).toEqual([]);
    expect(emu.count(H2, 'check')).toBe(1);
    // 15 minutes later the best host is tried again.
    emu.clearFaults();
    clock.advance(15 * 60_000);
    expect((await client().check(requestFor(codeWith('OK')))).kind).toBe('answer');
    expect(emu.count(H1, 'check')).toBe(4);
  });

  it('a success between failures resets the count', async () => {
    const api = client({ budgetMs: 150 });
    emu.setFault(H1, 'hang', 2);
    await api.check(requestFor(codeWith('OK')));
    await api.check(requestFor(codeWith('OK')));
    expect((await client().check(requestFor(codeWith('OK')))).kind).toBe('answer');
    emu.setFault(H1, 'hang', 1);
    await api.check(requestFor(codeWith('OK')));
    expect(hosts.ranked()[0]!.blockedUntil).toBe(0);
  });

  it('forces one rediscovery when every host is blocked, and uses the hosts it finds healthy', async () => {
    for (const i of [H0, H1, H2]) await emu.killHost(i);
    const api = client();
    for (let i = 0; i < 3; i++) {
      const r = await api.check(requestFor(codeWith('OK')));
      expect(r.kind).toBe('failed');
      expect(r.attempts.map((a) => a.failure)).toEqual(['connection refused', 'connection refused', 'connection refused']);
    }
    expect(hosts.ranked().every((h) => h.blockedUntil > clock.now())).toBe(true);
    for (const i of [H0, H1, H2]) await emu.reviveHost(i);
    const infoBefore = emu.count('cdn', 'info');
    const r = await api.check(requestFor(codeWith('OK')));
    expect(emu.count('cdn', 'info')).toBe(infoBefore + 1);
    expect(r.kind).toBe('answer');
    expect(hosts.ranked().every((h) => h.blockedUntil === 0)).toBe(true);
  });

  it('goes offline when the forced rediscovery finds nothing, and does not rediscover on every scan', async () => {
    for (const i of [H0, H1, H2]) hosts.block(emu.hostUrls[i]!);
    for (const i of [H0, H1, H2]) emu.setFault(i, 'unhealthy');
    const api = client();
    const first = await api.check(requestFor(codeWith('OK')));
    expect(first.kind).toBe('failed');
    expect(first.attempts[0]!.failure).toMatch(/no healthy CDN host/);
    const infoAfter = emu.count('cdn', 'info');
    await api.check(requestFor(codeWith('OK')));
    expect(emu.count('cdn', 'info')).toBe(infoAfter);
  });
});

describe('codes/check outcomes', () => {
  it('normalises an answer: kopecks, group, request stamp, and sends key and fiscal drive number', async () => {
    const api = client({ fiscalDriveNumber: '7281440500123456', apiKeys: { '7712345678': 'key-second-entity' } });
    const r = await api.check(requestFor(`0104600000000017` + `21TBABCDE\u001d8005020000\u001d93Ab12`, '7712345678'));
    expect(r.kind).toBe('answer');
    if (r.kind !== 'answer') return;
    expect(r.answer).toMatchObject({ channel: 'online', inst: null, version: null, checkedOffline: false });
    expect(r.answer.reqId).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.answer.codes[0]).toMatchObject({ groupIds: [3], mrpKopecks: 20_000, smpKopecks: 14_000, packageType: 'GROUP', packageQuantity: 10, found: true });
    const sent = emu.log.find((l) => l.kind === 'check')!;
    expect(sent.apiKey).toBe('key-second-entity');
    expect(sent.body).toEqual({ codes: [expect.stringContaining('\u001d8005')], fiscalDriveNumber: '7281440500123456' });
  });

  it('reports each scenario code as the national system would', async () => {
    const api = client();
    const facts = async (prefix: string) => {
      const r = await api.check(requestFor(codeWith(prefix)));
      if (r.kind !== 'answer') throw new Error(r.kind);
      return r.answer.codes[0]!;
    };
    expect(await facts('NF')).toMatchObject({ found: false, errorCode: 10 });
    expect(await facts('BC')).toMatchObject({ verified: false });
    expect(await facts('SD')).toMatchObject({ sold: true, realizable: false });
    expect(await facts('BL')).toMatchObject({ isBlocked: true, ogvs: ['RPN', 'FTS'] });
    expect(Date.parse((await facts('EX')).expireDate!)).toBeLessThan(Date.now());
    expect(await facts('NC')).toMatchObject({ groupIds: [16], mrpKopecks: 50_000 });
    expect(await facts('GZ')).toMatchObject({ grayZone: true, groupIds: [3] });
    expect(await facts('OW')).toMatchObject({ isOwner: false, isTracking: true });
  });

  it('takes 203 as an emergency: sell without 1260', async () => {
    emu.setFault(H1, 'emergency203', 1);
    expect(await client().check(requestFor(codeWith('OK')))).toEqual({ kind: 'emergency', attempts: [] });
    emu.setFault(H1, 'http418', 1);
    expect((await client().check(requestFor(codeWith('OK')))).kind).toBe('emergency');
  });

  it('401 says the key is invalid or revoked and tries no other host', async () => {
    emu.apiKeys = ['the-right-key'];
    const r = await client({ defaultApiKey: 'a-revoked-key' }).check(requestFor(codeWith('OK')));
    expect(r.kind).toBe('failed');
    expect(r.attempts).toEqual([expect.objectContaining({ failure: expect.stringMatching(/401.*invalid or revoked/) })]);
    expect(emu.count(H2, 'check')).toBe(0);
  });

  it('no key for the INN and no default key fails without a request', async () => {
    const r = await client({ defaultApiKey: null, apiKeys: { '7712345678': 'k' } }).check(requestFor(codeWith('OK'), '500100732259'));
    expect(r.attempts[0]!.failure).toMatch(/no X-API-KEY configured for INN 500100732259/);
    expect(emu.count(H1, 'check')).toBe(0);
  });

  it('429 is retried once on the same host; a second 429 blocks it for 15 minutes', async () => {
    emu.setFault(H1, 'http429', 1);
    const once = await client().check(requestFor(codeWith('OK')));
    expect(once.kind).toBe('answer');
    expect(emu.count(H1, 'check')).toBe(2);
    emu.setFault(H1, 'http429', 2);
    const twice = await client().check(requestFor(codeWith('OK')));
    expect(twice.kind).toBe('answer');
    expect(twice.attempts.map((a) => a.failure)).toEqual(['http 429: too many requests', 'http 429: too many requests']);
    expect(emu.count(H2, 'check')).toBe(1);
    expect(hosts.ranked().find((h) => h.url === emu.hostUrls[H1])!.blockedUntil).toBe(clock.now() + 15 * 60_000);
  });

  it('5xx is retried once, then the host is blocked and the next one answers', async () => {
    emu.setFault(H1, 'http500', 2);
    const r = await client().check(requestFor(codeWith('OK')));
    expect(r.kind).toBe('answer');
    expect(r.attempts.map((a) => a.failure)).toEqual(['http 500', 'http 500']);
    expect(hosts.ranked().find((h) => h.url === emu.hostUrls[H1])!.blockedUntil).toBeGreaterThan(clock.now());
  });

  it('5xx with error 5000 is retried once, then an emergency, and the host is not blocked', async () => {
    emu.setFault(H1, 'error5000', 2);
    const r = await client().check(requestFor(codeWith('OK')));
    expect(r.kind).toBe('emergency');
    expect(r.attempts.map((a) => a.failure)).toEqual([expect.stringMatching(/5000/), expect.stringMatching(/5000/)]);
    expect(hosts.ranked().every((h) => h.blockedUntil === 0)).toBe(true);
    emu.setFault(H1, 'error5000', 1);
    expect((await client().check(requestFor(codeWith('OK')))).kind).toBe('answer');
  });

  it('504 switches host without a retry', async () => {
    emu.setFault(H1, 'http504', 1);
    const r = await client().check(requestFor(codeWith('OK')));
    expect(r.kind).toBe('answer');
    expect(r.attempts.map((a) => a.failure)).toEqual(['http 504: gateway timeout']);
    expect(emu.count(H1, 'check')).toBe(1);
  });

  it('410 is a failed attempt (legacy API) and the next host is tried', async () => {
    emu.setFault(H1, 'http410', 1);
    const r = await client().check(requestFor(codeWith('OK')));
    expect(r.attempts.map((a) => a.failure)).toEqual([expect.stringMatching(/410.*legacy/)]);
    expect(r.kind).toBe('answer');
  });

  it.each([
    ['garbage', /bad answer: not JSON/],
    ['truncated', /answer cut off|bad answer/],
    ['codeNonZero', /answer code 1/],
  ] as const)('a %s answer is a clear failed attempt, counted against the host', async (fault, failure) => {
    emu.setFault(H1, fault, 1);
    const r = await client().check(requestFor(codeWith('OK')));
    expect(r.kind).toBe('answer');
    expect(r.attempts).toEqual([expect.objectContaining({ target: emu.hostUrls[H1], failure: expect.stringMatching(failure) })]);
    expect(hosts.ranked().find((h) => h.url === emu.hostUrls[H1])!.failuresInRow).toBe(1);
  });

  it('the budget covers the whole attempt, retries and host switches included', async () => {
    emu.latencyMs = 80;
    emu.setFault(H1, 'http500', 2);
    emu.setFault(H2, 'http500', 2);
    const started = performance.now();
    const r = await client({ budgetMs: 250 }).check(requestFor(codeWith('OK')));
    const took = performance.now() - started;
    expect(r.kind).toBe('failed');
    expect(took).toBeLessThan(400);
    expect(r.attempts.at(-1)!.failure).toBe('timeout');
  });

  it('a caller abort reads cancelled and does not count against the host', async () => {
    emu.setFault(H1, 'hang');
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    const r = await client().check(requestFor(codeWith('OK')), ac.signal);
    expect(r.attempts.map((a) => a.failure)).toEqual(['cancelled']);
    expect(hosts.ranked()[0]!.failuresInRow).toBe(0);
  });
});
