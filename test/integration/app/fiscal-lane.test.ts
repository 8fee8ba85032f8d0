// The lane with its demo fiscal register: a cash sale becomes a fiscal document without the sale
// waiting for it; reports are a supervisor's; the register's state is visible at the lane.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEMO_BARCODES } from '../../../src-main/store/catalog-generator';
import { login, openLane, type TestLane } from '../../helpers/lane';

let lane: TestLane;
beforeEach(async () => { lane = await openLane({ fiscal: 'demo-emulator' }); });
afterEach(async () => { await lane.close(); });

async function sell(cashier: Awaited<ReturnType<typeof login>>) {
  const receipt = await lane.ok(cashier, 'receipt.open', {});
  await lane.ok(cashier, 'receipt.scan', { receiptId: receipt.id, code: DEMO_BARCODES.bread, source: 'scanner' });
  const { sale } = await lane.ok(cashier, 'receipt.payCash', { receiptId: receipt.id, tenderedKopecks: 10000 });
  return sale;
}

describe('a lane with a fiscal register', () => {
  it('a cash sale becomes exactly one fiscal document, stored with the sale', async () => {
    const cashier = await login(lane, '1111');
    await lane.ok(cashier, 'shift.open', {});
    const sale = await sell(cashier);
    expect(sale.fiscalState).toBe('pending'); // the sale never waits for the register
    const changed: unknown[] = [];
    lane.app.events.subscribe((event, payload) => { if (event === 'fiscal.changed') changed.push(payload); });
    await vi.waitFor(async () => expect((await lane.ok(cashier, 'sales.get', { saleId: sale.id })).fiscalState).toBe('done'), { timeout: 15_000 });
    const fiscalised = await lane.ok(cashier, 'sales.get', { saleId: sale.id });
    expect(fiscalised.fiscalDocument).toMatchObject({ fdNumber: expect.any(Number), fiscalSign: expect.stringMatching(/^\d+$/) });
    const second = await sell(cashier);
    await vi.waitFor(async () => expect((await lane.ok(cashier, 'sales.get', { saleId: second.id })).fiscalState).toBe('done'), { timeout: 15_000 });
    const next = await lane.ok(cashier, 'sales.get', { saleId: second.id });
    expect(next.fiscalDocument.fdNumber).toBe(fiscalised.fiscalDocument.fdNumber + 1);
    expect(changed.length).toBeGreaterThanOrEqual(2);
    // The sale shows 'done' as soon as its job is; the register's status is read again just after it.
    const status = await vi.waitFor(async () => {
      const s = await lane.ok(cashier, 'fiscal.status', {});
      expect(s).toMatchObject({ configured: true, connected: true, queueLength: 0, manualJobs: [], fn: { lastFd: next.fiscalDocument.fdNumber } });
      return s;
    }, { timeout: 5_000 });
    expect(status.shift).toMatchObject({ open: true });
  });

  it('X and Z reports are a supervisor’s; a cashier needs an override', async () => {
    const cashier = await login(lane, '1111');
    expect(await lane.call(cashier, 'fiscal.xReport', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', details: { overridable: true } } });
    const x = await lane.ok(cashier, 'fiscal.xReport', {}, { pin: '9999' });
    expect(x.jobId).toMatch(/^[0-9a-f-]{36}$/);
    const supervisor = await login(lane, '9999');
    await lane.ok(supervisor, 'fiscal.zReport', {});
    await vi.waitFor(async () => {
      const s = await lane.ok(supervisor, 'fiscal.status', {});
      expect(s.queueLength).toBe(0);
      expect(s.manualJobs).toEqual([]);
    }, { timeout: 15_000 });
    expect(lane.app.sales.fiscalJournal.job(x.jobId)).toMatchObject({ state: 'done' });
  });

  it('a buyer contact given with the payment reaches the FN document as 1008, normalised; a bad one is refused', async () => {
    const cashier = await login(lane, '1111');
    await lane.ok(cashier, 'shift.open', {});
    const r1 = await lane.ok(cashier, 'receipt.open', {});
    await lane.ok(cashier, 'receipt.scan', { receiptId: r1.id, code: DEMO_BARCODES.bread, source: 'scanner' });
    expect(await lane.call(cashier, 'receipt.payCash', { receiptId: r1.id, tenderedKopecks: 10000, buyerContact: '12345' }))
      .toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const { sale } = await lane.ok(cashier, 'receipt.payCash', { receiptId: r1.id, tenderedKopecks: 10000, buyerContact: '8 (912) 345-67-89' });
    expect(sale.buyerContact).toBe('+79123456789');
    const r2 = await lane.ok(cashier, 'receipt.open', {});
    await lane.ok(cashier, 'receipt.scan', { receiptId: r2.id, code: DEMO_BARCODES.bread, source: 'scanner' });
    const mixed = await lane.ok(cashier, 'receipt.payMixed', { receiptId: r2.id, tenders: [{ kind: 'cash', tenderedKopecks: 10000 }], buyerContact: 'buyer@example.ru' });
    const r3 = await lane.ok(cashier, 'receipt.open', {});
    await lane.ok(cashier, 'receipt.scan', { receiptId: r3.id, code: DEMO_BARCODES.bread, source: 'scanner' });
    const plain = await lane.ok(cashier, 'receipt.payCash', { receiptId: r3.id, tenderedKopecks: 10000 });
    const journal = lane.app.sales.fiscalJournal;
    await vi.waitFor(() => {
      for (const id of [sale.id, mixed.saleId, plain.sale.id]) expect(journal.jobForSale(id)!.state).toBe('done');
    }, { timeout: 15_000 });
    const fields = (id: string) => (journal.jobForSale(id)!.document as { fields: Record<string, unknown> }).fields;
    expect(fields(sale.id)['1008']).toBe('+79123456789');
    expect(fields(mixed.saleId)['1008']).toBe('buyer@example.ru');
    expect(fields(plain.sale.id)['1008']).toBeUndefined();
    expect((await lane.ok(cashier, 'sales.get', { saleId: mixed.saleId })).buyerContact).toBe('buyer@example.ru');
  });

  it('a correction receipt is a supervisor’s call, validated, and becomes a type 31 document', async () => {
    const cashier = await login(lane, '1111');
    const request = { sign: 'sale', correctionType: 'ordered', basisDate: '2026-11-20', orderNumber: '77', totalKopecks: 250_00,
      payments: { cashKopecks: 200_00, electronicKopecks: 50_00 }, vat: { vat22: 45_08 } } as const;
    expect(await lane.call(cashier, 'fiscal.correction', request)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', details: { overridable: true } } });
    const supervisor = await login(lane, '9999');
    expect(await lane.call(supervisor, 'fiscal.correction', { ...request, totalKopecks: 1 })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await lane.call(supervisor, 'fiscal.correction', { ...request, orderNumber: undefined })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const { jobId } = await lane.ok(supervisor, 'fiscal.correction', request);
    await vi.waitFor(() => expect(lane.app.sales.fiscalJournal.job(jobId)).toMatchObject({ state: 'done' }), { timeout: 15_000 });
    expect(lane.app.sales.fiscalJournal.job(jobId)!.payload).toMatchObject({ requestedBy: { actorId: supervisor.user!.id, authorisedBy: null } });
    const overridden = await lane.ok(cashier, 'fiscal.correction', { ...request, basisDate: '2026-11-21' }, { pin: '9999' });
    expect(lane.app.sales.fiscalJournal.job(overridden.jobId)!.payload)
      .toMatchObject({ requestedBy: { actorId: cashier.user!.id, authorisedBy: supervisor.user!.id } });
    expect(lane.app.sales.fiscalJournal.job(jobId)!.document).toMatchObject({ documentType: 31,
      fields: { 1173: 1, 1054: 1, 1020: 250_00, 1174: { 1178: '2026-11-20T00:00', 1179: '77' } } });
  });
});

describe('a lane without a fiscal register', () => {
  it('says so instead of pretending', async () => {
    const plain = await openLane();
    try {
      const supervisor = await login(plain, '9999');
      expect(await plain.ok(supervisor, 'fiscal.status', {})).toMatchObject({ configured: false, connected: false });
      expect(await plain.call(supervisor, 'fiscal.xReport', {})).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });
    } finally {
      await plain.close();
    }
  });
});
