// The fiscal service between a real lane (SQLite files in a temp dir) and the Shtrih emulator on TCP:
// every paid sale becomes exactly one fiscal document, whatever the link and the register do.
import { describe, expect, it, vi } from 'vitest';
import type { ShtrihEmulator } from '../../../drivers/fiscal/shtrih/emulator';
import type { OneShotFault } from '../../../drivers/fiscal/shtrih/emulator';
import { ShtrihRegister } from '../../../drivers/fiscal/shtrih/driver';
import { FD_TYPE } from '../../../drivers/fiscal/shtrih/commands';
import { JOB_STEPS } from '../../../src-main/services/fiscal/job-steps';
import type { TestLane } from '../../helpers/lane';
import { FAST_DRIVER, cashier, docTypes, fiscalRigs, openJournal, receiptDocs, startService, type ServiceRig } from './helpers';

const { rig, service, cleanups } = fiscalRigs('prilavok-fiscal-');

/** Every sale done, with its own document: FD and FP as the FN has them, no document twice. */
function expectExactlyOnce(lane: TestLane, journal: ServiceRig['journal'], emulator: ShtrihEmulator, saleIds: string[]) {
  const receipts = receiptDocs(emulator);
  expect(receipts).toHaveLength(saleIds.length);
  const fds = new Set<number>();
  for (const id of saleIds) {
    expect(lane.app.sales.sales.byId(id)!.fiscalState).toBe('done');
    const job = journal.jobForSale(id)!;
    const doc = receipts.find((d) => d.fd === job.fdNumber);
    expect(doc, `sale ${id} FD ${job.fdNumber}`).toBeDefined();
    expect(job.fiscalSign).toBe(String(doc!.fiscalSign));
    expect(doc!.amountKopecks).toBe(lane.app.sales.sales.byId(id)!.totals.totalKopecks);
    fds.add(job.fdNumber!);
  }
  expect(fds.size).toBe(saleIds.length);
}

describe('the fiscal service', () => {
  it('a cash sale through the lane becomes exactly one fiscal document whose FD and FP are stored with the sale', async () => {
    const { lane, emulator } = await rig({ ofdAckMs: null }); // no OFD link: both documents stay unsent
    const s = service(lane, emulator);
    const sale = cashier(lane.app).sell();
    expect(lane.app.sales.sales.byId(sale.id)!.fiscalState).toBe('pending'); // closing the sale did not wait
    s.service.kick();
    await s.service.whenIdle();
    expectExactlyOnce(lane, s.journal, emulator, [sale.id]);
    const job = s.journal.jobForSale(sale.id)!;
    expect(job).toMatchObject({ state: 'done', fnSerial: emulator.device.state.fnSerial, fdBefore: 1, fdNumber: 3 });
    // The document is the FN's own, read back as TLV (FF3A/FF3B): 1054 sale, 1020 total, 1040 FD, 1059 per line.
    expect(job.document).toMatchObject({ source: 'fn-tlv', kind: 'receipt', fdNumber: 3, documentType: FD_TYPE.receipt,
      fields: { 1054: 1, 1020: sale.totals.totalKopecks, 1040: 3, 1077: Number(job.fiscalSign), 1021: expect.any(String) as unknown } });
    const items = (job.document as { fields: Record<string, unknown> }).fields['1059'] as Array<Record<string, unknown>>;
    expect(items).toHaveLength(sale.lines.filter((l) => !l.voided).length);
    expect(s.journal.steps(job.id).map((st) => [st.action, st.state])).toEqual([['closeShift', 'skipped'], ['openShift', 'done'], ['receipt', 'done']]);
    expect(docTypes(emulator)).toEqual([1, FD_TYPE.shiftOpen, FD_TYPE.receipt]);
    expect(s.events).toContainEqual(expect.objectContaining({ type: 'fiscal.jobDone', saleId: sale.id, fdNumber: 3 }));
    const status = s.service.status();
    expect(status).toMatchObject({ queueLength: 0, manualCount: 0, lastError: null, shift: { open: true, expired: false }, paperOut: false,
      fn: { serial: emulator.device.state.fnSerial, lastFd: 3, warnings: [] } });
    expect(status.ofd!.unsentCount).toBe(2);
  });

  it.each<OneShotFault>(['drop-ack', 'drop-frame', 'bad-lrc', 'late'])('with %s on the link every sale still makes exactly one document', async (fault) => {
    const { lane, emulator } = await rig();
    const s = service(lane, emulator);
    const till = cashier(lane.app);
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      // Faults land on different commands: status, items, the closing FF45.
      for (let k = 0; k <= i % 3; k++) emulator.arm(fault, 700);
      ids.push(till.sell().id);
      s.service.kick();
      await s.service.whenIdle();
    }
    expectExactlyOnce(lane, s.journal, emulator, ids);
    expect(s.service.status().manualCount).toBe(0);
  });

  it('a power cut after close-receipt: after the register restarts from its state file the sale has one document', async () => {
    const power: { restart?: () => void } = {};
    const { lane, emulator } = await rig({ onPowerCut: () => setTimeout(() => power.restart?.(), 300) });
    power.restart = () => emulator.restart();
    const s = service(lane, emulator);
    const till = cashier(lane.app);
    const first = till.sell();
    s.service.kick();
    await s.service.whenIdle();
    emulator.arm('power-cut');
    const second = till.sell();
    s.service.kick();
    await s.service.whenIdle();
    const third = till.sell();
    s.service.kick();
    await s.service.whenIdle();
    expectExactlyOnce(lane, s.journal, emulator, [first.id, second.id, third.id]);
    const job = s.journal.jobForSale(second.id)!;
    expect(job.attempts).toBeGreaterThan(0);
    expect(s.journal.steps(job.id).at(-1)!.error).toMatchObject({ code: 'FISCAL_OUTCOME_UNKNOWN' });
  });

  it('a power cut and a lane restart: the new service reconciles the job left in flight', async () => {
    const { lane, emulator } = await rig();
    const s1 = startService(lane.dir, emulator);
    const till = cashier(lane.app);
    const a = till.sell();
    s1.service.kick();
    await s1.service.whenIdle();
    emulator.arm('power-cut');
    const b = till.sell();
    s1.service.kick();
    for (let i = 0; i < 100 && s1.journal.jobForSale(b.id)!.state !== 'reconciling'; i++) await new Promise((r) => setTimeout(r, 20));
    await s1.close(); // the lane goes down while the job's outcome is unknown
    emulator.restart();
    const s2 = service(lane, emulator);
    await s2.service.whenIdle();
    expectExactlyOnce(lane, s2.journal, emulator, [a.id, b.id]);
  });

  it('paper out after close-receipt: the document exists, the service only continues printing', async () => {
    const { lane, emulator } = await rig({ paperReloadMs: 300 });
    const s = service(lane, emulator);
    const till = cashier(lane.app);
    emulator.arm('paper-out');
    const a = till.sell();
    const b = till.sell();
    s.service.kick();
    await s.service.whenIdle();
    expectExactlyOnce(lane, s.journal, emulator, [a.id, b.id]);
    expect(emulator.device.state.submode).toBe(0);
    expect(emulator.device.state.paperOut).toBe(false);
  });

  it('a receipt left open on the register at startup is cancelled and redone', async () => {
    const { lane, emulator } = await rig();
    const sale = cashier(lane.app).sell();
    // The lane crashed after journalling the receipt step and sending the first item.
    const { journal, close } = openJournal(lane.dir);
    const job = journal.jobForSale(sale.id)!;
    const raw = await ShtrihRegister.open(`tcp://${emulator.address}`, FAST_DRIVER);
    await raw.openShift();
    const fn = await raw.fnStatus();
    journal.planSteps(job.id, JOB_STEPS.sale, new Date().toISOString());
    journal.finishStep(job.id, 0, 'skipped', null, new Date().toISOString());
    journal.finishStep(job.id, 1, 'skipped', null, new Date().toISOString());
    journal.beginStep(job.id, 2, { registerId: 'main', fnSerial: fn.fnSerial, fdBefore: fn.lastFdNumber, at: new Date().toISOString() });
    await raw.addItem('sale', { name: 'Хлеб', quantityMilli: 1000, priceKopecks: 5400, vat: 'vat10' });
    expect((await raw.status()).receiptOpen).toBe(true);
    await raw.close();
    close();

    const s = service(lane, emulator);
    await s.service.whenIdle();
    expectExactlyOnce(lane, s.journal, emulator, [sale.id]);
    expect(s.events).toContainEqual({ type: 'fiscal.receiptCancelled', jobId: job.id, reason: 'reconciled' });
    expect(emulator.device.state.receipt).toBeNull();
  });

  it('a receipt open on the register that no job owns is cancelled before anything else', async () => {
    const { lane, emulator } = await rig();
    const raw = await ShtrihRegister.open(`tcp://${emulator.address}`, FAST_DRIVER);
    await raw.openShift();
    await raw.addItem('sale', { name: 'Чужой товар', quantityMilli: 1000, priceKopecks: 100, vat: 'vat22' });
    await raw.close();
    const sale = cashier(lane.app).sell();
    const s = service(lane, emulator);
    await s.service.whenIdle();
    expect(s.events[0]).toEqual({ type: 'fiscal.receiptCancelled', jobId: null, reason: 'orphan' });
    expectExactlyOnce(lane, s.journal, emulator, [sale.id]);
  });

  it('a shift older than 24 h minus the margin is closed and reopened before the receipt, also after a restart', async () => {
    let now = Date.parse('2026-11-23T06:00:00.000Z');
    const clock = { nowMs: () => now, nowIso: () => new Date(now).toISOString() };
    const { lane, emulator } = await rig({ now: () => now });
    const settings = { closeBeforeLimitMs: 15 * 60_000 };
    const s1 = startService(lane.dir, emulator, { clock, settings });
    const till = cashier(lane.app);
    const a = till.sell();
    s1.service.kick();
    await s1.service.whenIdle();
    now += 23 * 3_600_000; // 1 h before the limit: nothing to do yet
    const b = till.sell();
    s1.service.kick();
    await s1.service.whenIdle();
    expect(docTypes(emulator)).toEqual([1, 2, 3, 3]);
    await s1.close();

    now += 50 * 60_000; // 10 min before the limit, inside the 15 min margin
    const s2 = service(lane, emulator, { clock, settings });
    const c = till.sell();
    s2.service.kick();
    await s2.service.whenIdle();
    expect(docTypes(emulator)).toEqual([1, 2, 3, 3, 5, 2, 3]);
    expectExactlyOnce(lane, s2.journal, emulator, [a.id, b.id, c.id]);
    const steps = s2.journal.steps(s2.journal.jobForSale(c.id)!.id);
    expect(steps.map((st) => [st.action, st.state, st.fdNumber])).toEqual([['closeShift', 'done', 5], ['openShift', 'done', 6], ['receipt', 'done', 7]]);
    expect(s2.service.status().shift).toMatchObject({ open: true, openedAt: new Date(Math.floor(now / 60_000) * 60_000).toISOString() });
  });

  it('an idle lane gets its Z report by itself when the shift reaches 24 h minus the margin, once', async () => {
    let now = Date.parse('2026-11-23T06:00:00.000Z');
    const clock = { nowMs: () => now, nowIso: () => new Date(now).toISOString() };
    const { lane, emulator } = await rig({ now: () => now });
    const s = service(lane, emulator, { clock, settings: { closeBeforeLimitMs: 15 * 60_000 }, options: { statusRefreshMs: 0 } });
    cashier(lane.app).sell();
    s.service.kick();
    await s.service.whenIdle();
    expect(docTypes(emulator)).toEqual([1, 2, 3]);
    now += 23 * 3_600_000; // an hour before the limit: the shift stays open
    await new Promise((r) => setTimeout(r, 300)); // several idle rounds of the service
    expect(docTypes(emulator)).toEqual([1, 2, 3]);
    now += 46 * 60_000; // 14 min before the limit, inside the margin: a Z report, and only one
    await vi.waitFor(() => expect(docTypes(emulator)).toEqual([1, 2, 3, 5]), { timeout: 5_000 });
    await new Promise((r) => setTimeout(r, 300));
    expect(docTypes(emulator)).toEqual([1, 2, 3, 5]);
    expect(s.events).toContainEqual(expect.objectContaining({ type: 'fiscal.autoCloseShift' }));
    expect(s.service.status().shift).toMatchObject({ open: false });
  });

  it('runs the jobs the lane asks for: X report, cash in and out, close and open the shift', async () => {
    const { lane, emulator } = await rig();
    const s = service(lane, emulator);
    const open = s.service.request('open_shift');
    const cashIn = s.service.request('cash_in', { amountKopecks: 100_00 });
    const x = s.service.request('x_report');
    const cashOut = s.service.request('cash_out', { amountKopecks: 30_00 });
    const z = s.service.request('close_shift');
    await s.service.whenIdle();
    for (const id of [open, cashIn, x, cashOut, z]) expect(s.journal.job(id)!.state).toBe('done');
    expect(s.journal.job(open)!.fdNumber).toBe(2);
    expect(s.journal.job(z)!.document).toMatchObject({ kind: 'shiftClose', shiftNumber: 1 });
    expect(emulator.device.state.cashKopecks).toBe(70_00);
    expect(docTypes(emulator)).toEqual([1, 2, 5]);
    // What the register printed: the X report with the cash after the cash-in, the Z report after the cash-out.
    const tape = emulator.device.state.tape!.join('\n');
    expect(tape).toMatch(/X-ОТЧЁТ\nСМЕНА № 1\nЧЕКОВ ПРИХОДА: 0\nПРИХОД: 0,00\n.*\n.*\nНАЛИЧНЫХ В КАССЕ: 100,00/);
    expect(tape).toMatch(/Z-ОТЧЁТ\nСМЕНА № 1\n(.*\n){4}НАЛИЧНЫХ В КАССЕ: 70,00/);
    expect(() => s.service.request('cash_out', { amountKopecks: -1 })).toThrow();
  });

  it('a cash-out the register refuses is retried, then parked for a supervisor who can send it back', async () => {
    const { lane, emulator } = await rig();
    const s = service(lane, emulator, { options: { maxDeviceRefusals: 2 } });
    const id = s.service.request('cash_out', { amountKopecks: 1_000_00 });
    await s.service.whenIdle();
    expect(s.journal.job(id)).toMatchObject({ state: 'manual', attempts: 2 });
    expect(s.service.status()).toMatchObject({ manualCount: 1, manualJobs: [{ id, kind: 'cash_out' }] });
    expect(s.events).toContainEqual(expect.objectContaining({ type: 'fiscal.jobParked', jobId: id }));
    // The sale queue is not blocked by a parked job.
    const sale = cashier(lane.app).sell();
    s.service.kick();
    await s.service.whenIdle();
    expect(lane.app.sales.sales.byId(sale.id)!.fiscalState).toBe('done');
    s.service.request('cash_in', { amountKopecks: 2_000_00 });
    await s.service.whenIdle();
    expect(s.service.retryManual(id)).toBe(true);
    await s.service.whenIdle();
    expect(s.journal.job(id)!.state).toBe('done');
  });

  it('keeps the queue while the register is unreachable and catches up when it is back', async () => {
    const { lane, emulator } = await rig();
    const address = emulator.address;
    await emulator.close();
    const s = service(lane, emulator);
    const till = cashier(lane.app);
    const ids = [till.sell().id, till.sell().id];
    s.service.kick();
    await new Promise((r) => setTimeout(r, 300));
    expect(s.service.status()).toMatchObject({ queueLength: 2, connected: false, lastError: { code: 'FISCAL_NO_LINK' } });
    const { ShtrihEmulator } = await import('../../../drivers/fiscal/shtrih/emulator');
    const port = Number(address.split(':')[1]);
    const back = await ShtrihEmulator.start({ tcp: { host: '127.0.0.1', port }, stateFile: `${lane.dir}/../register-state.json`, paperReloadMs: null });
    cleanups.push(() => back.close());
    s.service.kick();
    await s.service.whenIdle();
    expectExactlyOnce(lane, s.journal, back, ids);
  });
});
