// The UPOS driver against the sb_pilot emulator run for real as the program (a child process per
// operation in its own working directory), prepared by `prilavok emulate upos --dir`.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UposTerminal, type UposTerminalOptions } from '../../../../drivers/payment/upos/driver';
import { runUposEmulatorSetup } from '../../../../drivers/payment/upos/emulator-cli';
import type { UposEncoding } from '../../../../drivers/payment/upos/text-encoding';
import type { CardOutcome } from '../../../../drivers/payment/payment-terminal';

let root: string;
let program: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'prilavok-upos-'));
  const out: string[] = [];
  const code = await runUposEmulatorSetup(['--dir', join(root, 'sbrf'), '--encoding', 'koi8-r'], { stdout: (l) => out.push(l), stderr: (l) => out.push(l) });
  expect(code).toBe(0);
  program = /UPOS_EMULATOR_READY (\S+)/.exec(out.join(''))![1]!;
});
afterEach(async () => { await rm(root, { recursive: true, force: true }); });

const scenarioFile = () => join(root, 'sbrf', 'emulator-scenario.json');
async function scenario(patch: Record<string, unknown>): Promise<void> {
  const current = JSON.parse(await readFile(scenarioFile(), 'utf8')) as Record<string, unknown>;
  await writeFile(scenarioFile(), JSON.stringify({ ...current, ...patch }));
}
const terminal = (o: Partial<UposTerminalOptions> = {}) =>
  new UposTerminal({ program, encoding: 'koi8-r', requestIds: true, operationTimeoutMs: 5_000, serviceTimeoutMs: 5_000, killGraceMs: 200, ...o });
const approved = (o: CardOutcome) => {
  if (o.state !== 'approved') throw new Error(`expected approved, got ${JSON.stringify(o)}`);
  return o;
};

describe('Sber UPOS driver against the sb_pilot emulator', () => {
  it('approves a purchase with RRN, auth code, card and slip, and forwards progress', async () => {
    const t = terminal();
    const progress: string[] = [];
    const o = approved(await t.run({ kind: 'purchase', amountKopecks: 12_345, reference: 'pay-1' }, (m) => progress.push(m)));
    expect(o).toMatchObject({ amountKopecks: 12_345, terminalId: '00689949', cardMasked: '220220******1234', cardType: 'MIR' });
    expect(o.rrn).toMatch(/^\d{12}$/);
    expect(o.authCode).toMatch(/^A\d{5}$/);
    expect(o.slip).toContain('Сумма: 123.45 руб');
    expect(o.slip.some((l) => l.includes('\u0001'))).toBe(false);
    expect(progress).toEqual(['ВСТАВЬТЕ КАРТУ', 'ВВЕДИТЕ ПИН']);
    expect(await t.lastOperation()).toMatchObject({ reference: 'pay-1', kind: 'purchase', amountKopecks: 12_345, outcome: { state: 'approved', rrn: o.rrn } });
  });

  it('declines by the amount rule with the terminal\'s code and words', async () => {
    const o = await terminal().run({ kind: 'purchase', amountKopecks: 1_313, reference: 'pay-2' });
    expect(o).toMatchObject({ state: 'declined', code: '4451', message: 'НЕДОСТАТОЧНО СРЕДСТВ' });
  });

  it('refunds by RRN without the card, and refuses more than was paid', async () => {
    const t = terminal();
    const sale = approved(await t.run({ kind: 'purchase', amountKopecks: 50_000, reference: 'pay-3' }));
    const refund = await t.run({ kind: 'refund', amountKopecks: 20_000, reference: 'ret-1', original: sale });
    expect(refund).toMatchObject({ state: 'approved', amountKopecks: 20_000 });
    expect(await t.run({ kind: 'refund', amountKopecks: 40_000, reference: 'ret-2', original: sale })).toMatchObject({ state: 'declined', code: '4108' });
    await expect(t.run({ kind: 'refund', amountKopecks: 1, reference: 'ret-3' })).rejects.toMatchObject({ kind: 'config' });
  });

  it('cancels the right operation by RRN before settlement, and not after', async () => {
    const t = terminal();
    const first = approved(await t.run({ kind: 'purchase', amountKopecks: 1_000, reference: 'a' }));
    approved(await t.run({ kind: 'purchase', amountKopecks: 2_000, reference: 'b' }));
    expect(await t.run({ kind: 'cancel', amountKopecks: 1_000, reference: 'c', original: first })).toMatchObject({ state: 'approved' });
    expect(await t.run({ kind: 'cancel', amountKopecks: 1_000, reference: 'd', original: first })).toMatchObject({ state: 'declined', code: '4118' });
    const late = approved(await t.run({ kind: 'purchase', amountKopecks: 3_000, reference: 'e' }));
    const s = await t.settlement();
    expect(s.ok).toBe(true);
    expect(s.slip).toContain('СВЕРКА ИТОГОВ');
    expect(s.slip).toContain('Оплата: 2 на 50.00 руб');
    expect(await t.run({ kind: 'cancel', amountKopecks: 3_000, reference: 'f', original: late })).toMatchObject({ state: 'declined', code: '4118' });
  });

  it('prints the full report of the open batch and says it is ready', async () => {
    const t = terminal();
    approved(await t.run({ kind: 'purchase', amountKopecks: 777, reference: 'r' }));
    const r = await t.report(true);
    expect(r.ok).toBe(true);
    expect(r.slip.join('\n')).toMatch(/0001 ОПЛАТА 7\.77 \d{12}/);
    expect(await t.readiness()).toEqual({ ready: true, message: 'ГОТОВ' });
    await scenario({ pinpadOffline: true });
    expect(await t.readiness()).toEqual({ ready: false, message: 'НЕТ СВЯЗИ С ПИНПАДОМ' });
  });

  it('rejects a second operation while one runs, and maps library code 115 to busy', async () => {
    const t = terminal();
    await scenario({ workMs: 500 });
    const first = t.run({ kind: 'purchase', amountKopecks: 100, reference: 'x' });
    await expect(t.run({ kind: 'purchase', amountKopecks: 100, reference: 'y' })).rejects.toMatchObject({ kind: 'busy' });
    expect((await first).state).toBe('approved');
    await scenario({ workMs: 0, faults: [{ kind: 'busy' }] });
    await expect(t.run({ kind: 'purchase', amountKopecks: 100, reference: 'z' })).rejects.toMatchObject({ kind: 'busy' });
  });

  it('a second driver on the same directory gets 115 from the library while the first runs', async () => {
    await scenario({ workMs: 800 });
    const first = terminal().run({ kind: 'purchase', amountKopecks: 100, reference: 'x' });
    await new Promise((r) => setTimeout(r, 300));
    await expect(terminal().readiness()).resolves.toMatchObject({ ready: false, message: 'Терминал занят другой операцией' });
    expect((await first).state).toBe('approved');
  });

  it('a hang after approval ends in unknown, and lastOperation finds the approval by request id', async () => {
    const t = terminal({ operationTimeoutMs: 1_000 });
    await scenario({ faults: [{ kind: 'hang', seconds: 30, stage: 'after-approve' }] });
    const o = await t.run({ kind: 'purchase', amountKopecks: 4_200, reference: 'hung-1' });
    expect(o).toMatchObject({ state: 'unknown' });
    expect((o as { reason: string }).reason).toMatch(/timed out/);
    const last = await t.lastOperation();
    expect(last).toMatchObject({ reference: 'hung-1', kind: 'purchase', amountKopecks: 4_200, outcome: { state: 'approved' } });
    expect((last!.outcome as { rrn: string }).rrn).toMatch(/^\d{12}$/);
  });

  it('a hang before the card ends in unknown, and lastOperation says it never happened', async () => {
    const t = terminal({ operationTimeoutMs: 800 });
    await scenario({ faults: [{ kind: 'hang', seconds: 30, stage: 'before' }] });
    expect(await t.run({ kind: 'purchase', amountKopecks: 4_300, reference: 'hung-2' })).toMatchObject({ state: 'unknown' });
    expect(await t.lastOperation()).toMatchObject({ reference: 'hung-2', outcome: { state: 'declined', code: '4118' } });
    // The killed instance left a stale lock: the next run goes ahead.
    expect((await t.run({ kind: 'purchase', amountKopecks: 4_300, reference: 'again' })).state).toBe('approved');
  });

  it('a crash after `e` was written: the driver reads the outcome from the file', async () => {
    const t = terminal();
    await scenario({ faults: [{ kind: 'crash-after-e' }] });
    const o = approved(await t.run({ kind: 'purchase', amountKopecks: 900, reference: 'crash-1' }));
    expect(o.rrn).toMatch(/^\d{12}$/);
  });

  it('a crash before anything, a half-written `e` and a garbage `e` all end in unknown', async () => {
    const t = terminal();
    await scenario({ faults: [{ kind: 'crash-before' }, { kind: 'half-e' }, { kind: 'garbage-e' }] });
    expect(await t.run({ kind: 'purchase', amountKopecks: 1, reference: 'c1' })).toMatchObject({ state: 'unknown', reason: expect.stringMatching(/no result file/) });
    expect(await t.run({ kind: 'purchase', amountKopecks: 2, reference: 'c2' })).toMatchObject({ state: 'unknown', reason: expect.stringMatching(/incomplete/) });
    expect(await t.run({ kind: 'purchase', amountKopecks: 3, reference: 'c3' })).toMatchObject({ state: 'unknown', reason: expect.stringMatching(/unreadable/) });
  });

  it('after a half-written `e`, lastOperation asks the terminal instead of trusting the file', async () => {
    const t = terminal();
    await scenario({ faults: [{ kind: 'half-e' }] });
    expect((await t.run({ kind: 'purchase', amountKopecks: 2_500, reference: 'half' })).state).toBe('unknown');
    expect(await t.lastOperation()).toMatchObject({ reference: 'half', outcome: { state: 'approved', amountKopecks: 2_500 } });
  });

  it('lastOperation survives a new driver instance (the lane restarted)', async () => {
    await scenario({ faults: [{ kind: 'hang', seconds: 30, stage: 'after-approve' }] });
    expect((await terminal({ operationTimeoutMs: 800 }).run({ kind: 'purchase', amountKopecks: 600, reference: 'restart' })).state).toBe('unknown');
    expect(await terminal().lastOperation()).toMatchObject({ reference: 'restart', outcome: { state: 'approved' } });
  });

  it('without request ids, lastOperation answers from the `e` file left behind, or says nothing', async () => {
    const t = terminal({ requestIds: false, operationTimeoutMs: 800 });
    approved(await t.run({ kind: 'purchase', amountKopecks: 10, reference: 'plain' }));
    expect(await t.lastOperation()).toMatchObject({ reference: 'plain', outcome: { state: 'approved' } });
    await scenario({ faults: [{ kind: 'hang', seconds: 30, stage: 'after-approve' }] });
    expect((await t.run({ kind: 'purchase', amountKopecks: 11, reference: 'plain-2' })).state).toBe('unknown');
    expect(await t.lastOperation()).toBeNull();
  });

  it.each<UposEncoding>(['cp866', 'koi8-r', 'win1251', 'utf-8'])('reads `e`, `p` and the console in %s', async (encoding) => {
    await scenario({ encoding });
    const o = await terminal({ encoding }).run({ kind: 'purchase', amountKopecks: 1_313, reference: 'enc' });
    expect(o).toMatchObject({ state: 'declined', message: 'НЕДОСТАТОЧНО СРЕДСТВ' });
    expect((o as { slip: string[] }).slip).toContain('ПАО СБЕРБАНК');
  });

  it('a missing program is a config error, not an outcome', async () => {
    const t = new UposTerminal({ program: join(root, 'nowhere', 'sb_pilot'), workDir: root });
    await expect(t.run({ kind: 'purchase', amountKopecks: 1, reference: 'n' })).rejects.toMatchObject({ kind: 'config' });
  });
});

describe('prilavok emulate upos', () => {
  it('refuses a command line without --dir or with a bad encoding', async () => {
    const io = { stdout: () => undefined, stderr: () => undefined };
    expect(await runUposEmulatorSetup([], io)).toBe(2);
    expect(await runUposEmulatorSetup(['--dir', root, '--encoding', 'ebcdic'], io)).toBe(2);
  });
});
