// The INPAS DualConnector driver against its emulator over real HTTP on a local port.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { InpasTerminal, type InpasTerminalOptions } from '../../../../drivers/payment/inpas/driver';
import { InpasEmulator, type EncodingDeclaration, type InpasEmulatorOptions } from '../../../../drivers/payment/inpas/emulator';
import { runInpasEmulator } from '../../../../drivers/payment/inpas/emulator-cli';
import type { SaEncoding } from '../../../../drivers/payment/inpas/body-encoding';
import type { CardOutcome } from '../../../../drivers/payment/payment-terminal';

let emulator: InpasEmulator | null = null;
afterEach(async () => { await emulator?.close(); emulator = null; });

async function rig(o: InpasEmulatorOptions = {}, t: Partial<InpasTerminalOptions> = {}) {
  emulator = await InpasEmulator.start({ declineAmounts: [1_313], ...o });
  const terminal = new InpasTerminal({ url: emulator.url, terminalId: '10453236', operationTimeoutMs: 2_000, serviceTimeoutMs: 2_000, httpMarginMs: 200, ...t });
  return { emulator, terminal };
}
const approved = (o: CardOutcome) => {
  if (o.state !== 'approved') throw new Error(`expected approved, got ${JSON.stringify(o)}`);
  return o;
};

describe('INPAS DualConnector driver against its emulator over HTTP', () => {
  it('approves a sale: the request carries 00/04/21/25/27 and the answer RRN, auth code, masked card and slip', async () => {
    const { emulator, terminal } = await rig();
    const o = approved(await terminal.run({ kind: 'purchase', amountKopecks: 15_000, reference: 'p1' }));
    const sent = emulator.requests[0]!.fields;
    expect(Object.fromEntries(sent)).toMatchObject({ '00': '15000', '04': '643', '25': '1', '27': '10453236' });
    expect(sent.get('21')).toMatch(/^\d{14}$/);
    expect(emulator.requests[0]!.elements.get('timeout')).toBe('2000');
    expect(o).toMatchObject({ amountKopecks: 15_000, cardMasked: '****1234', terminalId: '10453236', receiptNumber: '1' });
    expect(o.rrn).toMatch(/^\d{12}$/);
    expect(o.authCode).toMatch(/^B\d{5}$/);
    expect(o.slip).toEqual(['ИНПАС', 'ОПЛАТА', 'СУММА: 150.00 RUB', 'КАРТА: ****1234', `RRN: ${o.rrn}`, 'ОДОБРЕНО']);
  });

  it('declines by the amount rule with the host code and the cleaned message', async () => {
    const { terminal } = await rig();
    expect(await terminal.run({ kind: 'purchase', amountKopecks: 1_313, reference: 'p2' }))
      .toEqual({ state: 'declined', code: '51', message: 'НЕДОСТАТОЧНО СРЕДСТВ', slip: [] });
  });

  it('refunds with the original RRN in field 14, and not beyond what was paid', async () => {
    const { emulator, terminal } = await rig();
    const sale = approved(await terminal.run({ kind: 'purchase', amountKopecks: 10_000, reference: 's' }));
    expect(await terminal.run({ kind: 'refund', amountKopecks: 4_000, reference: 'r1', original: sale })).toMatchObject({ state: 'approved', amountKopecks: 4_000 });
    expect(emulator.requests[1]!.fields.get('14')).toBe(sale.rrn);
    expect(emulator.requests[1]!.fields.get('25')).toBe('3');
    expect(await terminal.run({ kind: 'refund', amountKopecks: 7_000, reference: 'r2', original: sale })).toMatchObject({ state: 'declined', code: '13' });
    await expect(terminal.run({ kind: 'refund', amountKopecks: 1, reference: 'r3' })).rejects.toMatchObject({ kind: 'config' });
  });

  it('cancels by RRN before settlement; settlement returns its report as the slip; no cancel after', async () => {
    const { terminal } = await rig();
    const a = approved(await terminal.run({ kind: 'purchase', amountKopecks: 1_000, reference: 'a' }));
    approved(await terminal.run({ kind: 'purchase', amountKopecks: 2_500, reference: 'b' }));
    expect(await terminal.run({ kind: 'cancel', amountKopecks: 1_000, reference: 'c', original: a })).toMatchObject({ state: 'approved' });
    expect(await terminal.run({ kind: 'cancel', amountKopecks: 1_000, reference: 'c2', original: a })).toMatchObject({ state: 'declined', code: '25' });
    const late = approved(await terminal.run({ kind: 'purchase', amountKopecks: 500, reference: 'd' }));
    const s = await terminal.settlement();
    expect(s).toMatchObject({ ok: true, message: 'ИТОГИ СОВПАЛИ' });
    expect(s.slip).toEqual(['СВЕРКА ИТОГОВ', 'ТЕРМИНАЛ: 10453236', 'ОПЛАТА: 2 НА 30.00', 'ВОЗВРАТ: 0 НА 0.00', 'ИТОГИ СОВПАЛИ', 'ОТЧЕТ ЗАВЕРШЕН']);
    expect(await terminal.run({ kind: 'cancel', amountKopecks: 500, reference: 'e', original: late })).toMatchObject({ state: 'declined' });
  });

  it('settlement is sent with the long timeout', async () => {
    const { emulator, terminal } = await rig({}, { settlementTimeoutMs: 600_000 });
    await terminal.settlement();
    expect(emulator.requests[0]!.fields.get('25')).toBe('59');
    expect(emulator.requests[0]!.elements.get('timeout')).toBe('600000');
  });

  it('readiness is the test operation 26; an absent DualConnector is not ready and a sale there certainly did not start', async () => {
    const { terminal } = await rig();
    expect(await terminal.readiness()).toEqual({ ready: true, message: 'ОПЕРАЦИЯ ОДОБРЕНА' });
    const free = createServer();
    await new Promise<void>((r) => free.listen(0, '127.0.0.1', () => r()));
    const port = (free.address() as AddressInfo).port;
    await new Promise<void>((r) => free.close(() => r()));
    const nowhere = new InpasTerminal({ url: `http://127.0.0.1:${port}`, serviceTimeoutMs: 500, httpMarginMs: 100 });
    expect((await nowhere.readiness()).ready).toBe(false);
    await expect(nowhere.run({ kind: 'purchase', amountKopecks: 100, reference: 'x' })).rejects.toMatchObject({ kind: 'unavailable' });
  });

  it('one operation at a time', async () => {
    const { emulator, terminal } = await rig({}, { operationTimeoutMs: 300 });
    emulator.inject('timeout');
    const first = terminal.run({ kind: 'purchase', amountKopecks: 100, reference: 'x' });
    await expect(terminal.run({ kind: 'purchase', amountKopecks: 100, reference: 'y' })).rejects.toMatchObject({ kind: 'busy' });
    expect((await first).state).toBe('unknown');
  });

  it('no answer at all ends in unknown, and the status enquiry shows the operation never happened', async () => {
    const { emulator, terminal } = await rig({}, { operationTimeoutMs: 300 });
    approved(await terminal.run({ kind: 'purchase', amountKopecks: 700, reference: 'before' }));
    emulator.inject('timeout');
    expect(await terminal.run({ kind: 'purchase', amountKopecks: 800, reference: 'lost' })).toMatchObject({ state: 'unknown', reason: expect.stringMatching(/no answer/) });
    // The last operation the terminal knows is the earlier 7.00 sale, not our 8.00 one.
    expect(await terminal.lastOperation()).toMatchObject({ reference: null, kind: 'purchase', amountKopecks: 700, outcome: { state: 'approved' } });
  });

  it('a hang after approval ends in unknown, and the status enquiry tells the approval with its RRN', async () => {
    const { emulator, terminal } = await rig({}, { operationTimeoutMs: 300 });
    emulator.inject('hang-after-approve');
    expect((await terminal.run({ kind: 'purchase', amountKopecks: 4_200, reference: 'hung' })).state).toBe('unknown');
    const last = await terminal.lastOperation();
    expect(last).toMatchObject({ kind: 'purchase', amountKopecks: 4_200, outcome: { state: 'approved', rrn: emulator.journal[0]!.rrn } });
  });

  it('a connection dropped after approval ends in unknown, and the enquiry finds the approval', async () => {
    const { emulator, terminal } = await rig();
    emulator.inject('drop-after-approve');
    expect(await terminal.run({ kind: 'purchase', amountKopecks: 990, reference: 'drop' })).toMatchObject({ state: 'unknown', reason: expect.stringMatching(/connection lost|cut off/) });
    expect(await terminal.lastOperation()).toMatchObject({ kind: 'purchase', amountKopecks: 990, outcome: { state: 'approved' } });
  });

  it('a garbage answer ends in unknown; a forced decline is reported by the enquiry too', async () => {
    const { emulator, terminal } = await rig();
    emulator.inject('garbage');
    expect(await terminal.run({ kind: 'purchase', amountKopecks: 50, reference: 'g' })).toMatchObject({ state: 'unknown', reason: expect.stringMatching(/unreadable/) });
    emulator.inject('decline');
    expect((await terminal.run({ kind: 'purchase', amountKopecks: 60, reference: 'd' })).state).toBe('declined');
    expect(await terminal.lastOperation()).toMatchObject({ amountKopecks: 60, outcome: { state: 'declined', code: '05' } });
  });

  it('an empty journal gives no last operation', async () => {
    const { terminal } = await rig();
    expect(await terminal.lastOperation()).toBeNull();
  });

  const encodings: Array<[SaEncoding, EncodingDeclaration]> = [
    ['utf-8', 'none'], ['windows-1251', 'xml'], ['windows-1251', 'none'], ['cp866', 'header'], ['cp866', 'xml'], ['koi8-r', 'both'],
  ];
  it.each(encodings)('reads answers in %s declared in %s', async (encoding, declare) => {
    const { terminal } = await rig({ encoding, declare });
    expect(await terminal.run({ kind: 'purchase', amountKopecks: 1_313, reference: 'enc' })).toMatchObject({ message: 'НЕДОСТАТОЧНО СРЕДСТВ' });
  });
});

describe('prilavok emulate inpas', () => {
  it('prints LISTENING, serves the driver, takes faults on stdin and stops on the signal', async () => {
    const { PassThrough } = await import('node:stream');
    const stdin = new PassThrough();
    const stop = new AbortController();
    let out = '';
    const listening = new Promise<string>((resolve) => {
      const done = runInpasEmulator(['--port', '0', '--encoding', 'cp1251', '--decline', '500'], {
        stdout: (l) => { out += l; const m = /LISTENING (\S+)/.exec(out); if (m) resolve(m[1]!); }, stderr: () => undefined, stdin,
      }, stop.signal);
      void done.then((code) => { out += `EXIT ${code}`; });
    });
    const url = await listening;
    const t = new InpasTerminal({ url, operationTimeoutMs: 300, httpMarginMs: 100 });
    expect(await t.run({ kind: 'purchase', amountKopecks: 500, reference: 'cli' })).toMatchObject({ state: 'declined', code: '51' });
    stdin.write('fault timeout\n');
    await new Promise((r) => setTimeout(r, 50));
    expect((await t.run({ kind: 'purchase', amountKopecks: 600, reference: 'cli2' })).state).toBe('unknown');
    stop.abort();
    await new Promise((r) => setTimeout(r, 100));
    expect(out).toContain('EXIT 0');
  });

  it('rejects a bad command line', async () => {
    const err: string[] = [];
    expect(await runInpasEmulator(['--port', 'x'], { stdout: () => undefined, stderr: (l) => err.push(l) })).toBe(2);
    expect(await runInpasEmulator(['--port', '1', '--encoding', 'ebcdic'], { stdout: () => undefined, stderr: (l) => err.push(l) })).toBe(2);
  });
});
