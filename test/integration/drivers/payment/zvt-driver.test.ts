// ZvtTerminal against the ZVT emulator over TCP and over a real socat pty.
import { afterEach, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { TerminalError, type CardOutcome } from '../../../../drivers/payment/payment-terminal';
import { openZvtTerminal } from '../../../../drivers/payment/zvt/open';
import { ZvtEmulator } from '../../../../drivers/payment/zvt/emulator';
import { FAST, startZvtRig, type LinkKind, type ZvtRig } from './zvt-rig';

let rig: ZvtRig | null = null;
afterEach(async () => { await rig?.close(); rig = null; });

function approved(o: CardOutcome) {
  if (o.state !== 'approved') throw new Error(`expected approved, got ${JSON.stringify(o)}`);
  return o;
}

describe.each<LinkKind>(['tcp', 'pty'])('ZVT driver over %s', (kind) => {
  it('approves a purchase with progress messages, a slip and the card data', async () => {
    rig = await startZvtRig(kind);
    const progress: string[] = [];
    const o = approved(await rig.terminal.run({ kind: 'purchase', amountKopecks: 12_345, reference: 'p1' }, (m) => progress.push(m)));
    expect(o.amountKopecks).toBe(12_345);
    expect(o.receiptNumber).toBe('0001');
    expect(o.terminalId).toBe('52001234');
    expect(o.cardMasked).toBe('**** 1234');
    expect(o.cardType).toBe('MIR');
    expect(o.authCode).toMatch(/^A\d{6}$/);
    expect(o.slip.join('\n')).toMatch(/AMOUNT 123\.45 RUB/);
    expect(progress.some((m) => /Вставьте или приложите карту/.test(m))).toBe(true);
    expect(progress.some((m) => /PIN pad/.test(m))).toBe(true);
  });

  it('declines by the amount rule with the result code and a cashier message', async () => {
    rig = await startZvtRig(kind);
    const o = await rig.terminal.run({ kind: 'purchase', amountKopecks: 10_013, reference: 'p1' });
    expect(o).toMatchObject({ state: 'declined', code: '05' });
    if (o.state === 'declined') expect(o.message).toMatch(/Отказ банка/);
  });

  it('refunds, reverses by receipt number, refuses a second reversal, and settles the batch', async () => {
    rig = await startZvtRig(kind);
    const t = rig.terminal;
    const sale = approved(await t.run({ kind: 'purchase', amountKopecks: 50_000, reference: 's1' }));
    approved(await t.run({ kind: 'refund', amountKopecks: 1_000, reference: 'r1' }));
    const undo = approved(await t.run({ kind: 'cancel', amountKopecks: 50_000, reference: 'c1', original: sale }));
    expect(undo.slip.join('\n')).toMatch(/ORIGINAL RECEIPT 1/);
    expect(await t.run({ kind: 'cancel', amountKopecks: 50_000, reference: 'c2', original: sale })).toMatchObject({ state: 'declined', code: 'B4' });
    const s = await t.settlement();
    expect(s.ok).toBe(true);
    expect(s.slip.join('\n')).toMatch(/PURCHASES 1 {2}500\.00/);
    expect(s.slip.join('\n')).toMatch(/REFUNDS 1 {2}10\.00/);
    expect(rig.emulator.pt.state.batch.purchases).toBe(0);
  });

  it('after the completion is lost, run() says unknown and lastOperation() reports the approval', async () => {
    rig = await startZvtRig(kind);
    rig.emulator.arm('drop-after-approve');
    const o = await rig.terminal.run({ kind: 'purchase', amountKopecks: 77_700, reference: 'lost-1' });
    expect(o.state).toBe('unknown');
    const report = await rig.terminal.lastOperation();
    expect(report).toMatchObject({ reference: 'lost-1', kind: 'purchase', amountKopecks: 77_700 });
    expect(report?.outcome).toMatchObject({ state: 'approved', receiptNumber: '0001' });
  });

  it('a PT that hangs mid-operation gives unknown, then lastOperation tells the truth', async () => {
    rig = await startZvtRig(kind);
    rig.emulator.arm('hang');
    const progress: string[] = [];
    const o = await rig.terminal.run({ kind: 'purchase', amountKopecks: 4_200, reference: 'hang-1' }, (m) => progress.push(m));
    expect(o).toMatchObject({ state: 'unknown' });
    expect(progress.length).toBeGreaterThan(0);
    const report = await rig.terminal.lastOperation();
    expect(report?.outcome).toMatchObject({ state: 'approved', amountKopecks: 4_200 });
  });

  it('a PT that never answers gives unknown, and lastOperation shows the previous operation, not ours', async () => {
    rig = await startZvtRig(kind);
    approved(await rig.terminal.run({ kind: 'purchase', amountKopecks: 1_000, reference: 'before' }));
    rig.emulator.arm('timeout');
    expect(await rig.terminal.run({ kind: 'purchase', amountKopecks: 2_000, reference: 'lost' })).toMatchObject({ state: 'unknown' });
    const report = await rig.terminal.lastOperation();
    expect(report).toMatchObject({ reference: null, amountKopecks: 1_000 });
  });

  it('an approval found out by lastOperation is not claimed again for a later command of the same amount that never arrived', async () => {
    rig = await startZvtRig(kind);
    rig.emulator.arm('drop-after-approve');
    expect(await rig.terminal.run({ kind: 'purchase', amountKopecks: 5_400, reference: 'p1' })).toMatchObject({ state: 'unknown' });
    expect(await rig.terminal.lastOperation()).toMatchObject({ reference: 'p1', outcome: { state: 'approved', receiptNumber: '0001' } });
    // The reversal of that purchase (same amount) is lost before the PT: the repeat receipt still shows the purchase.
    rig.emulator.arm('timeout');
    const original = { amountKopecks: 5_400, rrn: null, authCode: null, receiptNumber: '0001', terminalId: null, cardMasked: null, cardType: null };
    expect(await rig.terminal.run({ kind: 'cancel', amountKopecks: 5_400, reference: 'c1', original })).toMatchObject({ state: 'unknown' });
    expect(await rig.terminal.lastOperation()).toMatchObject({ reference: null, kind: null, outcome: { receiptNumber: '0001' } });
  });

  it('abort() ends the running purchase as declined 6C', async () => {
    rig = await startZvtRig(kind, { stepDelayMs: 300 });
    const running = rig.terminal.run({ kind: 'purchase', amountKopecks: 3_000, reference: 'a1' });
    await new Promise((r) => setTimeout(r, 100));
    await rig.terminal.abort();
    expect(await running).toMatchObject({ state: 'declined', code: '6C' });
  });

  it('a second call while an operation runs is refused as busy', async () => {
    rig = await startZvtRig(kind, { stepDelayMs: 100 });
    const running = rig.terminal.run({ kind: 'purchase', amountKopecks: 3_000, reference: 'b1' });
    await expect(rig.terminal.run({ kind: 'purchase', amountKopecks: 3_000, reference: 'b2' })).rejects.toMatchObject({ kind: 'busy' });
    await expect(rig.terminal.lastOperation()).rejects.toBeInstanceOf(TerminalError);
    approved(await running);
  });

  it('reports readiness by status enquiry', async () => {
    rig = await startZvtRig(kind);
    expect(await rig.terminal.readiness()).toMatchObject({ ready: true });
  });

  it('keeps receipt and trace numbers across an emulator restart through the state file', async () => {
    rig = await startZvtRig(kind);
    approved(await rig.terminal.run({ kind: 'purchase', amountKopecks: 1_000, reference: 'x1' }));
    rig.emulator.restart();
    const o = approved(await rig.terminal.run({ kind: 'purchase', amountKopecks: 1_000, reference: 'x2' }));
    expect(o.receiptNumber).toBe('0002');
    expect(rig.emulator.pt.state.lastTraceNumber).toBe(2);
  });
});

describe('ZVT driver, serial faults', () => {
  it('resends a frame the PT NAKed and reads through a frame with a corrupted CRC', async () => {
    rig = await startZvtRig('pty');
    rig.emulator.arm('nak');
    rig.emulator.arm('bad-crc');
    approved(await rig.terminal.run({ kind: 'purchase', amountKopecks: 1_500, reference: 'n1' }));
  });

  it('survives random NAKs and bad CRCs without a wrong outcome', async () => {
    rig = await startZvtRig('pty', { faults: { oneShots: [], nakProbability: 0.15, badCrcProbability: 0.15, seed: 11 } });
    for (let i = 0; i < 4; i++) {
      const o = await rig.terminal.run({ kind: 'purchase', amountKopecks: 1_000 + i, reference: `r${i}` });
      expect(['approved', 'unknown']).toContain(o.state);
    }
  });
});

describe('ZVT driver, link failures', () => {
  it('connection refused before anything was sent is a TerminalError, not an outcome', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    await new Promise((r) => server.close(() => r(undefined)));
    await expect(openZvtTerminal(`tcp://127.0.0.1:${port}`, FAST)).rejects.toMatchObject({ kind: 'unavailable' });
  });

  it('garbage from the device after the command gives unknown with a protocol reason, never a crash', async () => {
    const server = createServer((socket) => {
      socket.on('data', (d) => {
        if (d.indexOf(Buffer.from([0x06, 0x00])) === 0) { socket.write(Buffer.from([0x80, 0, 0, 0x06, 0x0f, 0])); return; }
        if (d.indexOf(Buffer.from([0x06, 0x01, 0x0a])) >= 0) socket.write(Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n'));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    const t = await openZvtTerminal(`tcp://127.0.0.1:${port}`, FAST);
    const o = await t.run({ kind: 'purchase', amountKopecks: 100, reference: 'g' });
    expect(o).toMatchObject({ state: 'unknown' });
    if (o.state === 'unknown') expect(o.reason).toMatch(/protocol/);
    await t.close();
    await new Promise((r) => server.close(() => r(undefined)));
  });

  it('a second ECR connection while the PT is busy gets 84 9C and a busy TerminalError', async () => {
    rig = await startZvtRig('tcp', { stepDelayMs: 150 });
    const other = await rig.open();
    const running = rig.terminal.run({ kind: 'purchase', amountKopecks: 3_000, reference: 'one' });
    await new Promise((r) => setTimeout(r, 50));
    await expect(other.run({ kind: 'purchase', amountKopecks: 3_000, reference: 'two' })).rejects.toMatchObject({ kind: 'busy' });
    approved(await running);
  });

  it('a cancel without the original receipt number does not start', async () => {
    rig = await startZvtRig('tcp');
    await expect(rig.terminal.run({ kind: 'cancel', amountKopecks: 100, reference: 'c' })).rejects.toMatchObject({ kind: 'config' });
  });

  it('the emulator refuses a wrong password at registration', async () => {
    const em = await ZvtEmulator.start({ tcp: { host: '127.0.0.1', port: 0 }, password: '123456' });
    await expect(openZvtTerminal(`tcp://${em.address}`, FAST)).rejects.toMatchObject({ kind: 'config' });
    const ok = await openZvtTerminal(`tcp://${em.address}`, { ...FAST, password: '123456' });
    await ok.close();
    await em.close();
  });
});
