import { afterEach, describe, expect, it } from 'vitest';
import { LocalModuleClient } from '../../../src-main/marking/local-module-client';
import { LocalModuleEmulator, type LocalModuleEmulatorOptions } from '../../../src-main/marking/emulators/lm-emulator';
import { ManualClock, ManualScheduler, codeWith, requestFor } from './helpers';

const FN = '7281440500123456';
let emu: LocalModuleEmulator | null = null;
afterEach(async () => { await emu?.close(); emu = null; });

async function setup(o: LocalModuleEmulatorOptions = {}, c: { password?: string; apiVersion?: 1 | 2; timeoutMs?: number } = {}) {
  emu = await LocalModuleEmulator.start(o);
  const clock = new ManualClock(Date.now());
  const scheduler = new ManualScheduler();
  const lm = new LocalModuleClient({ url: emu.url, clientId: FN, clock, scheduler, timeoutMs: 1000, ...c });
  return { emu, lm, clock, scheduler };
}

describe('local module client', () => {
  it('checks the КИ when ready: v1 body, Basic auth, X-ClientId, inst and version in the answer', async () => {
    const { emu, lm } = await setup();
    expect(await lm.start()).toEqual({ ready: true });
    const code = codeWith('BL');
    const r = await lm.check(requestFor(code));
    expect(r.kind).toBe('answer');
    if (r.kind !== 'answer') return;
    expect(r.answer).toMatchObject({ channel: 'offline', inst: 'lm-emulator-1', version: '2.6.0', checkedOffline: true });
    // The module reports blocks and sales; the rest of the facts default to "fine" (FMU-API, piot123).
    expect(r.answer.codes[0]).toMatchObject({ cis: code.split('\u001d')[0], isBlocked: true, ogvs: ['RPN', 'FTS'], found: true, realizable: true });
    expect(emu.checks).toEqual([{ cis_list: [code.split('\u001d')[0]] }]);
    expect(emu.clientIds.at(-1)).toBe(FN);
    lm.stop();
  });

  it('v2 sends {cis, pg} and reads the results[] wrapper; sold shows', async () => {
    const { emu, lm } = await setup({}, { apiVersion: 2 });
    await lm.start();
    const r = await lm.check(requestFor(codeWith('SD'), null, 8));
    expect(r.kind === 'answer' && r.answer.codes[0]!.sold).toBe(true);
    expect(emu.checks).toEqual([{ cis_list: [{ cis: codeWith('SD').split('\u001d')[0], pg: 8 }] }]);
    lm.stop();
  });

  it('polls the status every 10 seconds and caches it', async () => {
    const { emu, lm, scheduler } = await setup();
    await lm.start();
    expect(scheduler.jobs.map((j) => j.delayMs)).toEqual([10_000]);
    emu.status = 'initialization';
    expect(lm.readiness()).toEqual({ ready: true }); // cached until the next poll
    scheduler.runAll();
    await new Promise((r) => setTimeout(r, 100));
    expect(lm.readiness()).toEqual({ ready: false, reason: 'not ready: initialization' });
    expect(scheduler.jobs).toHaveLength(1);
    lm.stop();
    expect(scheduler.jobs).toHaveLength(0);
  });

  it.each(['not_configured', 'initialization', 'sync_error'] as const)('does not ask a module in %s and says why', async (status) => {
    const { emu, lm } = await setup({ status });
    await lm.refreshStatus();
    const r = await lm.check(requestFor(codeWith('OK')));
    expect(r.kind).toBe('failed');
    expect(r.attempts).toEqual([expect.objectContaining({ channel: 'offline', target: emu.url, failure: expect.stringMatching(new RegExp(`offline check impossible: not ready: ${status}`)) })]);
    expect(emu.checks).toHaveLength(0);
  });

  it('the 72-hour rule: a module that reports ready but last synced over 72 h ago is not asked', async () => {
    const { emu, lm, clock } = await setup();
    await lm.refreshStatus();
    clock.advance(73 * 3_600_000);
    const r = await lm.check(requestFor(codeWith('OK')));
    expect(r.attempts[0]!.failure).toMatch(/last sync 73 h ago \(over 72 h\)/);
    expect(emu.checks).toHaveLength(0);
  });

  it('the emulated module turns sync_error by itself 72 h after its last sync', async () => {
    const { emu, lm } = await setup();
    emu.control({ op: 'setLastSync', ageHours: 72.5 });
    expect(await lm.refreshStatus()).toEqual({ ready: false, reason: expect.stringMatching(/sync_error/) });
  });

  it('answers 400 with 4045 / 4050 when the module went unready since the last poll', async () => {
    const { emu, lm } = await setup();
    await lm.refreshStatus();
    emu.status = 'initialization';
    expect((await lm.check(requestFor(codeWith('OK')))).attempts[0]!.failure).toBe('not ready: not configured or initialising (4045)');
    expect(lm.readiness().ready).toBe(false);
    await lm.refreshStatus();
    expect(lm.readiness().ready).toBe(false);
    emu.status = 'ready';
    await lm.refreshStatus();
    emu.status = 'sync_error';
    expect((await lm.check(requestFor(codeWith('OK')))).attempts[0]!.failure).toBe('not ready: sync_error (4050)');
  });

  it('a wrong password is reported as refused credentials', async () => {
    const { lm } = await setup({ password: 'secret' }, { password: 'admin' });
    expect(await lm.refreshStatus()).toEqual({ ready: false, reason: 'http 401: local module login or password refused' });
    expect((await lm.check(requestFor(codeWith('OK')))).attempts[0]!.failure).toMatch(/offline check impossible: http 401/);
  });

  it('an unreachable module is reported as such', async () => {
    const { emu, lm } = await setup();
    await emu.close();
    expect(await lm.refreshStatus()).toEqual({ ready: false, reason: 'unreachable: connection refused' });
  });

  it('init sends the X-API-KEY and the module becomes ready', async () => {
    const { emu, lm } = await setup({ status: 'not_configured' });
    expect(await lm.init('the-api-key')).toBeNull();
    expect(emu.initTokens).toEqual(['the-api-key']);
    expect(await lm.refreshStatus()).toEqual({ ready: true });
  });

  it.each([
    ['garbage', /bad answer: not JSON/],
    ['truncated', /answer cut off|bad answer/],
    ['hang', /^timeout$/],
    ['http500', /http 500/],
  ] as const)('a %s outCheck answer is a clear failed attempt', async (fault, failure) => {
    const { emu, lm } = await setup({}, { timeoutMs: fault === 'hang' ? 300 : 1000 });
    await lm.refreshStatus();
    emu.fault = fault;
    const r = await lm.check(requestFor(codeWith('OK')));
    expect(r.kind).toBe('failed');
    expect(r.attempts[0]!.failure).toMatch(failure);
  });
});
