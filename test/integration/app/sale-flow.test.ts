import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { demoMarkingCode } from '../../../src-main/marking/demo-codes';
import { DEMO_BARCODES } from '../../../src-main/store/catalog-generator';
import { gtinCheckDigit } from '../../../src-main/domain/barcode';
import { login, openLane, testClock, type TestLane } from '../../helpers/lane';

let lane: TestLane;
beforeEach(async () => { lane = await openLane({ clock: testClock() }); });
afterEach(async () => { await lane.close(); });

function count(table: string, where = '1'): number {
  const db = new Database(join(lane.dir, 'sales.sqlite'), { readonly: true });
  try {
    return (db.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${where}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

async function cashierWithShift() {
  const cashier = await login(lane, '1111');
  await lane.ok(cashier, 'shift.open', {});
  const receipt = await lane.ok(cashier, 'receipt.open', {});
  return { cashier, receiptId: receipt.id as string };
}

describe('selling at the lane', () => {
  it('refuses to open a receipt before the shift is open', async () => {
    const cashier = await login(lane, '1111');
    const outcome = await lane.call(cashier, 'receipt.open', {});
    expect(outcome).toMatchObject({ ok: false, error: { code: 'NO_OPEN_SHIFT' } });
  });

  it('refuses every sale call before login', async () => {
    const anonymous = lane.session();
    const outcome = await lane.call(anonymous, 'receipt.open', {});
    expect(outcome).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
  });

  it('scanning the same piece item twice raises the quantity of its line, and totals follow', async () => {
    const { cashier, receiptId } = await cashierWithShift();
    await lane.ok(cashier, 'receipt.scan', { receiptId, code: demoMarkingCode('milk', 1), source: 'scanner' });
    await lane.ok(cashier, 'receipt.scan', { receiptId, code: DEMO_BARCODES.bread, source: 'scanner' });
    const receipt = await lane.ok(cashier, 'receipt.scan', { receiptId, code: DEMO_BARCODES.bread, source: 'wedge' });
    expect(receipt.lines).toHaveLength(2);
    expect(receipt.lines[1]).toMatchObject({ productId: 'demo-bread', quantityMilli: 2000, amountKopecks: 10800 });
    expect(receipt.totals.totalKopecks).toBe(8990 + 10800);
    expect(receipt.totals.lineCount).toBe(2);
    const vat10 = receipt.totals.vatTotals.find((v: { vat: string }) => v.vat === 'vat10');
    expect(vat10.amountKopecks).toBe(8990 + 10800);
  });

  it('closing a receipt with cash writes one sale, one pending fiscal job, one outbox row, and gives change', async () => {
    const { cashier, receiptId } = await cashierWithShift();
    await lane.ok(cashier, 'receipt.scan', { receiptId, code: DEMO_BARCODES.water, source: 'scanner' });
    const { sale, changeKopecks } = await lane.ok(cashier, 'receipt.payCash', { receiptId, tenderedKopecks: 10000 });
    expect(changeKopecks).toBe(10000 - 4900);
    expect(sale).toMatchObject({ receiptId, number: 1, tenderedKopecks: 10000, changeKopecks: 5100, fiscalState: 'pending' });
    expect(sale.payments).toEqual([{ method: 'cash', amountKopecks: 4900, tenderedKopecks: 10000, changeKopecks: 5100 }]);
    expect(sale.ffdPayments).toEqual({ cashKopecks: 4900, electronicKopecks: 0, prepaymentKopecks: 0, postpaymentKopecks: 0, considerationKopecks: 0 });
    expect(count('sales')).toBe(1);
    expect(count('fiscal_jobs', "state = 'pending'")).toBe(1);
    expect(count('outbox', "type = 'sale.closed'")).toBe(1);
    expect(count('receipts', `id = '${receiptId}' AND status = 'closed'`)).toBe(1);
    // A closed receipt cannot be changed or paid again.
    const again = await lane.call(cashier, 'receipt.payCash', { receiptId, tenderedKopecks: 10000 });
    expect(again).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });
    expect(count('sales')).toBe(1);
  });

  it('too little cash is refused and writes nothing', async () => {
    const { cashier, receiptId } = await cashierWithShift();
    await lane.ok(cashier, 'receipt.scan', { receiptId, code: DEMO_BARCODES.water, source: 'scanner' });
    const outcome = await lane.call(cashier, 'receipt.payCash', { receiptId, tenderedKopecks: 4899 });
    expect(outcome).toMatchObject({ ok: false, error: { code: 'INSUFFICIENT_TENDER', details: { totalKopecks: 4900 } } });
    expect(count('sales')).toBe(0);
    expect(count('outbox', "type = 'sale.closed'")).toBe(0);
  });

  it('a cashier cannot void a line alone; a wrong PIN changes nothing; a supervisor PIN voids it', async () => {
    const { cashier, receiptId } = await cashierWithShift();
    await lane.ok(cashier, 'receipt.scan', { receiptId, code: demoMarkingCode('milk', 2), source: 'scanner' });
    const receipt = await lane.ok(cashier, 'receipt.scan', { receiptId, code: DEMO_BARCODES.bread, source: 'scanner' });
    const lineId = receipt.lines[0].id;

    const alone = await lane.call(cashier, 'receipt.voidLine', { receiptId, lineId });
    expect(alone).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', details: { overridable: true } } });
    const wrong = await lane.call(cashier, 'receipt.voidLine', { receiptId, lineId }, { pin: '1234' });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'BAD_PIN' } });
    // Another cashier's PIN is no supervisor's.
    const cashierPin = await lane.call(cashier, 'receipt.voidLine', { receiptId, lineId }, { pin: '1111' });
    expect(cashierPin).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect((await lane.ok(cashier, 'receipt.get', { receiptId })).lines[0].voided).toBe(false);

    const voided = await lane.ok(cashier, 'receipt.voidLine', { receiptId, lineId }, { pin: '9999' });
    expect(voided.lines[0].voided).toBe(true);
    expect(voided.totals.totalKopecks).toBe(5400);
    expect(voided.totals.lineCount).toBe(1);
    expect(count('audit_log', "action = 'receipt.voidLine' AND authorised_by IS NOT NULL")).toBe(1);
  });

  it('raising a quantity needs no supervisor, lowering it does', async () => {
    const { cashier, receiptId } = await cashierWithShift();
    const r = await lane.ok(cashier, 'receipt.scan', { receiptId, code: DEMO_BARCODES.bread, source: 'scanner' });
    const lineId = r.lines[0].id;
    const up = await lane.ok(cashier, 'receipt.setQuantity', { receiptId, lineId, quantityMilli: 3000 });
    expect(up.lines[0]).toMatchObject({ quantityMilli: 3000, amountKopecks: 16200 });
    const down = await lane.call(cashier, 'receipt.setQuantity', { receiptId, lineId, quantityMilli: 1000 });
    expect(down).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const fractional = await lane.call(cashier, 'receipt.setQuantity', { receiptId, lineId, quantityMilli: 3500 });
    expect(fractional).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });
    const supervisor = await login(lane, '9999');
    const byBoss = await lane.ok(supervisor, 'receipt.setQuantity', { receiptId, lineId, quantityMilli: 1000 });
    expect(byBoss.lines[0].quantityMilli).toBe(1000);
  });

  it('parks a receipt, sells another, resumes the first and sells it too', async () => {
    const { cashier, receiptId: first } = await cashierWithShift();
    await lane.ok(cashier, 'receipt.scan', { receiptId: first, code: demoMarkingCode('milk', 3), source: 'scanner' });
    const parked = await lane.ok(cashier, 'receipt.park', { receiptId: first });
    expect(parked.receipts).toMatchObject([{ id: first, status: 'parked', lineCount: 1, firstLineName: expect.stringContaining('Молоко') }]);
    const second = await lane.ok(cashier, 'receipt.open', {});
    expect(second.id).not.toBe(first);
    await lane.ok(cashier, 'receipt.scan', { receiptId: second.id, code: DEMO_BARCODES.bag, source: 'quickKey' });
    // A parked receipt cannot be changed until resumed.
    const blocked = await lane.call(cashier, 'receipt.scan', { receiptId: first, code: DEMO_BARCODES.bag, source: 'scanner' });
    expect(blocked).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });
    await lane.ok(cashier, 'receipt.payCash', { receiptId: second.id, tenderedKopecks: 500 });
    const resumed = await lane.ok(cashier, 'receipt.resume', { receiptId: first });
    expect(resumed).toMatchObject({ id: first, status: 'open' });
    await lane.ok(cashier, 'receipt.payCash', { receiptId: first, tenderedKopecks: 10000 });
    const journal = await lane.ok(cashier, 'sales.journal', { limit: 10 });
    expect(journal.sales.map((s: { number: number }) => s.number)).toEqual([2, 1]);
    expect((await lane.ok(cashier, 'receipt.list', {})).receipts).toEqual([]);
  });

  it('opening a receipt while one is on screen returns it instead of piling up empty receipts', async () => {
    const { cashier, receiptId } = await cashierWithShift();
    const again = await lane.ok(cashier, 'receipt.open', {});
    expect(again.id).toBe(receiptId);
  });

  it('unknown and malformed barcodes get clear errors and leave the receipt alone', async () => {
    const { cashier, receiptId } = await cashierWithShift();
    const unknown = await lane.call(cashier, 'receipt.scan', { receiptId, code: '4006381333931', source: 'scanner' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const badCheck = await lane.call(cashier, 'receipt.scan', { receiptId, code: '4006381333932', source: 'scanner' });
    expect(badCheck).toMatchObject({ ok: false, error: { code: 'INVALID_BARCODE' } });
    const garbage = await lane.call(cashier, 'receipt.scan', { receiptId, code: '\u0000\u0007<script>', source: 'wedge' });
    expect(garbage).toMatchObject({ ok: false, error: { code: 'INVALID_BARCODE' } });
    expect((await lane.ok(cashier, 'receipt.get', { receiptId })).lines).toEqual([]);
  });

  it('a weight scale label adds the weighed product with its weight', async () => {
    const { cashier, receiptId } = await cashierWithShift();
    const body = '22' + '00101' + '01250'; // prefix 22 = weight, PLU 101, 1.250 kg
    const code = body + gtinCheckDigit(body);
    const receipt = await lane.ok(cashier, 'receipt.scan', { receiptId, code, source: 'scanner' });
    expect(receipt.lines[0]).toMatchObject({ productId: 'demo-apples', quantityMilli: 1250, unit: 'kg', amountKopecks: Math.round(14990 * 1.25) });
    // A weighed item scanned without weight is refused with a reason, not sold as 1 kg.
    const apples = (await lane.ok(cashier, 'catalog.search', { query: 'Яблоки Голден', limit: 5 })).items.find((p: { id: string }) => p.id === 'demo-apples');
    const noWeight = await lane.call(cashier, 'receipt.addProduct', { receiptId, productId: apples.id });
    expect(noWeight).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });
  });

  it('the shift cannot close over an unfinished receipt, and its summary counts cash', async () => {
    const { cashier, receiptId } = await cashierWithShift();
    await lane.ok(cashier, 'receipt.scan', { receiptId, code: DEMO_BARCODES.water, source: 'scanner' });
    const refused = await lane.call(cashier, 'shift.close', {});
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_STATE', details: { openReceipts: 1 } } });
    await lane.ok(cashier, 'receipt.payCash', { receiptId, tenderedKopecks: 5000 });
    await lane.ok(cashier, 'cash.move', { direction: 'in', amountKopecks: 100000, comment: 'размен' });
    await lane.ok(cashier, 'cash.move', { direction: 'out', amountKopecks: 20000, comment: 'инкассация' });
    const tooMuch = await lane.call(cashier, 'cash.move', { direction: 'out', amountKopecks: 1_000_000 });
    expect(tooMuch).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });
    const summary = await lane.ok(cashier, 'shift.close', {});
    expect(summary).toMatchObject({
      salesCount: 1, salesTotalKopecks: 4900, cashSalesKopecks: 4900, cashInKopecks: 100000, cashOutKopecks: 20000,
      cashInDrawerKopecks: 4900 + 100000 - 20000, shift: { status: 'closed' },
    });
    expect(count('outbox', "type IN ('shift.opened','shift.closed','cash.in','cash.out')")).toBe(4);
    expect((await lane.ok(cashier, 'shift.current', {})).shift).toBeNull();
  });

  it('every action lands in an audit chain that verifies', async () => {
    const { cashier, receiptId } = await cashierWithShift();
    await lane.ok(cashier, 'receipt.scan', { receiptId, code: DEMO_BARCODES.water, source: 'scanner' });
    await lane.ok(cashier, 'receipt.payCash', { receiptId, tenderedKopecks: 4900 });
    const actions = new Database(join(lane.dir, 'sales.sqlite'), { readonly: true })
      .prepare('SELECT action FROM audit_log ORDER BY seq').all().map((r) => (r as { action: string }).action);
    expect(actions).toEqual(['lane.seeded', 'session.login', 'shift.open', 'receipt.open', 'receipt.addLine', 'receipt.pay']);
    expect(lane.app.sales.audit.verify()).toMatchObject({ ok: true, records: 6 });
  });
});

describe('logging in', () => {
  it('a wrong PIN is refused; five in a row pause logins', async () => {
    const clock = testClock();
    const own = await openLane({ clock });
    try {
      const s = own.session();
      for (let i = 0; i < 5; i++) {
        expect(await own.call(s, 'session.login', { pin: '5555' })).toMatchObject({ ok: false, error: { code: 'BAD_PIN' } });
      }
      expect(await own.call(s, 'session.login', { pin: '1111' })).toMatchObject({ ok: false, error: { code: 'LIMIT_EXCEEDED' } });
      clock.advance(31_000);
      expect(await own.call(s, 'session.login', { pin: '1111' })).toMatchObject({ ok: true, result: { user: { role: 'cashier' } } });
    } finally {
      await own.close();
    }
  });

  it('a locked screen refuses sale calls until a PIN unlocks it', async () => {
    const cashier = await login(lane, '1111');
    await lane.ok(cashier, 'shift.open', {});
    await lane.ok(cashier, 'session.lock', {});
    expect(await lane.call(cashier, 'receipt.open', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect(await lane.ok(cashier, 'session.current', {})).toMatchObject({ locked: true });
    await lane.ok(cashier, 'session.login', { pin: '1111' });
    expect(await lane.call(cashier, 'receipt.open', {})).toMatchObject({ ok: true });
  });
});
