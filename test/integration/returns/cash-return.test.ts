// Returns of cash sales at a real lane (SQLite files, the demo's Shtrih emulator): a supervisor unlocks
// the return, the cashier picks lines and quantities capped at sold minus already returned, closing pays
// cash out and leaves one fiscal document with 1054 = 2, one receipt.returned row and the audit records.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEMO_BARCODES } from '../../../src-main/store/catalog-generator';
import { documentPayloadProblem } from '../../../src-main/upstream/document-schemas';
import { login, openLane, type TestLane } from '../../helpers/lane';
import { SUPERVISOR_PIN, applesLabel, auditRecords, outboxRows, returnJobId, sellForCash, startReturnWithSupervisor } from './helpers';

let lane: TestLane | null = null;
afterEach(async () => { await lane?.close(); lane = null; });

async function openShiftLane(fiscal: boolean, devices = false) {
  lane = await openLane({ ...(fiscal ? { fiscal: 'demo-emulator' as const } : {}), ...(devices ? { devices: 'demo-emulators' as const } : {}) });
  const cashier = await login(lane, '1111');
  await lane.ok(cashier, 'shift.open', {});
  return { lane, cashier };
}

/** Return documents on the demo register's fiscal drive (1054 = 2), from its state file. */
function registerReturnDocuments(lane: TestLane): Array<{ fd: number; amountKopecks?: number }> {
  const state = JSON.parse(readFileSync(join(lane.dir, 'demo-fiscal-register.json'), 'utf8')) as
    { documents: Array<{ type: number; operationType?: number; fd: number; amountKopecks?: number }> };
  return state.documents.filter((d) => d.type === 3 && d.operationType === 2);
}

describe('a return of a cash sale', () => {
  it('is unlocked by a supervisor, fiscalised once with 1054 = 2, and leaves one receipt.returned row and its audit records', async () => {
    const { lane, cashier } = await openShiftLane(true, true);
    const printer = lane.app.devices.demo!.printer;
    await vi.waitFor(() => expect(lane.app.devices.manager.status().find((d) => d.id === 'demo-printer')?.state).toBe('up'), { timeout: 10_000 });
    const sale = await sellForCash(lane, cashier, [DEMO_BARCODES.water, DEMO_BARCODES.bread, DEMO_BARCODES.bread]);
    await vi.waitFor(() => expect(printer.drawerKicks).toBe(1), { timeout: 10_000 });
    await vi.waitFor(async () => expect((await lane.ok(cashier, 'sales.get', { saleId: sale.id })).fiscalState).toBe('done'), { timeout: 15_000 });
    const fiscalised = await lane.ok(cashier, 'sales.get', { saleId: sale.id });

    // Found by the receipt number, by ФД and by ФП; nothing for a number that was never printed.
    const byNumber = await lane.ok(cashier, 'return.search', { saleNumber: sale.number });
    expect(byNumber).toMatchObject({ headOffice: 'notConfigured', sales: [{ saleId: sale.id, source: 'lane', refusal: null }] });
    expect(byNumber.sales[0].lines).toMatchObject([
      { name: expect.stringContaining('Вода'), quantityMilli: 1000, returnedMilli: 0, returnableMilli: 1000 },
      { name: expect.stringContaining('Хлеб'), quantityMilli: 2000, returnableMilli: 2000 },
    ]);
    expect((await lane.ok(cashier, 'return.search', { fdNumber: fiscalised.fiscalDocument.fdNumber })).sales[0].saleId).toBe(sale.id);
    expect((await lane.ok(cashier, 'return.search', { fiscalSign: fiscalised.fiscalDocument.fiscalSign })).sales[0].saleId).toBe(sale.id);
    const day = sale.closedAt.slice(0, 10);
    // The lane's day as the dialog sends it, with its offset: the lane compares instants, not strings.
    expect((await lane.ok(cashier, 'return.search', { closedFrom: `${day}T03:00:00+03:00`, closedTo: `${day}T23:59:59.999Z` })).sales.map((s: { saleId: string }) => s.saleId)).toContain(sale.id);
    const garbled = await lane.call(cashier, 'return.search', { closedFrom: 'yesterday' });
    expect(garbled).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const missing = await lane.call(cashier, 'return.search', { saleNumber: 999 });
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', details: { what: 'sale' } } });
    if (!missing.ok) expect(missing.error.message.ru).toMatch(/без чека/);

    const started = await startReturnWithSupervisor(lane, cashier, sale.id);
    expect(started).toMatchObject({ status: 'open', sale: { id: sale.id, number: sale.number, source: 'lane' }, lines: [], reason: 'брак' });
    // The return is a receipt of its own: the sale path will not sell on it.
    const sellOnIt = await lane.call(cashier, 'receipt.scan', { receiptId: started.id, code: DEMO_BARCODES.bag, source: 'scanner' });
    expect(sellOnIt).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });
    const openSale = await lane.call(cashier, 'receipt.open', {});
    expect(openSale).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });
    const chargeIt = await lane.call(cashier, 'payment.card', { receiptId: started.id, amountKopecks: 100 });
    expect(chargeIt).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });

    for (const line of started.saleLines) await lane.ok(cashier, 'return.setQuantity', { returnId: started.id, saleLineId: line.lineId, quantityMilli: line.quantityMilli });
    const before = await lane.ok(cashier, 'shift.current', {});
    const closed = await lane.ok(cashier, 'return.close', { returnId: started.id });
    // The cash goes out of the drawer the way a cash sale's came in: the drawer opens on the printer.
    await vi.waitFor(() => expect(printer.drawerKicks).toBe(2), { timeout: 10_000 });
    expect(closed).toMatchObject({ number: 1, sale: { id: sale.id }, totals: { totalKopecks: sale.totals.totalKopecks },
      refunds: [{ method: 'cash', amountKopecks: sale.totals.totalKopecks }],
      ffdPayments: { cashKopecks: sale.totals.totalKopecks, electronicKopecks: 0 }, fiscalState: 'pending' });

    // Exactly one fiscal document, a return of a sale (1054 = 2), cash (1031), for the whole total.
    await vi.waitFor(async () => expect((await lane.ok(cashier, 'returns.get', { id: closed.id })).fiscalState).toBe('done'), { timeout: 15_000 });
    const job = lane.app.sales.fiscalJournal.job(returnJobId(lane, closed.id))!;
    expect(job).toMatchObject({ kind: 'receipt', state: 'done' });
    expect((job.document as { fields: Record<string, unknown> }).fields).toMatchObject({ 1054: 2, 1020: sale.totals.totalKopecks, 1031: sale.totals.totalKopecks });
    const doc = await lane.ok(cashier, 'returns.get', { id: closed.id });
    expect(doc.fiscalDocument).toMatchObject({ fdNumber: job.fdNumber, fiscalSign: job.fiscalSign });
    expect(registerReturnDocuments(lane)).toEqual([expect.objectContaining({ fd: job.fdNumber, amountKopecks: sale.totals.totalKopecks })]);

    // The head office's document, in the shape its ingest checks; the audit names who unlocked the return.
    const rows = outboxRows(lane, 'receipt.returned');
    expect(rows).toHaveLength(1);
    expect(documentPayloadProblem('receipt.returned', rows[0]!.payload)).toBeNull();
    expect(rows[0]).toMatchObject({ aggregateId: closed.id, payload: { saleId: sale.id, saleNumber: sale.number, totalKopecks: sale.totals.totalKopecks,
      refunds: [{ method: 'cash', amountKopecks: sale.totals.totalKopecks }], lines: [{ quantityMilli: 1000 }, { quantityMilli: 2000 }] } });
    const supervisorId = (await login(lane, SUPERVISOR_PIN)).user!.id;
    expect(started.authorisedBy).toBe(supervisorId);
    expect(auditRecords(lane, 'return.start')).toEqual([expect.objectContaining({ actorId: cashier.user!.id, authorisedBy: supervisorId, subjectId: started.id })]);
    expect(auditRecords(lane, 'return.close')).toEqual([expect.objectContaining({ actorId: cashier.user!.id, subjectId: started.id,
      details: expect.objectContaining({ cashKopecks: sale.totals.totalKopecks, cardKopecks: 0 }) })]);
    expect(lane.app.sales.audit.verify().ok).toBe(true);

    // The cash left the drawer; nothing more of the sale can come back.
    const after = await lane.ok(cashier, 'shift.current', {});
    expect(after.summary).toMatchObject({ returnsCount: 1, returnsTotalKopecks: sale.totals.totalKopecks, cashRefundsKopecks: sale.totals.totalKopecks,
      cashInDrawerKopecks: before.summary.cashInDrawerKopecks - sale.totals.totalKopecks });
    const again = await lane.ok(cashier, 'return.search', { saleNumber: sale.number });
    expect(again.sales[0].refusal).not.toBeNull();
    expect(again.sales[0].lines.every((l: { returnableMilli: number }) => l.returnableMilli === 0)).toBe(true);
  });

  it('caps each line at sold minus already returned across two returns, weighed goods by weight, to the kopeck', async () => {
    const { lane, cashier } = await openShiftLane(false);
    const sale = await sellForCash(lane, cashier, [DEMO_BARCODES.bread, DEMO_BARCODES.bread, DEMO_BARCODES.bread, applesLabel(1234)]);
    const [bread, apples] = sale.lines as Array<{ id: string; quantityMilli: number; amountKopecks: number }>;
    expect(bread).toMatchObject({ quantityMilli: 3000 });
    expect(apples).toMatchObject({ quantityMilli: 1234 });

    const first = await startReturnWithSupervisor(lane, cashier, sale.id);
    await lane.ok(cashier, 'return.setQuantity', { returnId: first.id, saleLineId: bread!.id, quantityMilli: 2000 });
    const half = await lane.call(cashier, 'return.setQuantity', { returnId: first.id, saleLineId: bread!.id, quantityMilli: 1500 });
    expect(half).toMatchObject({ ok: false, error: { code: 'INVALID_STATE', details: { problem: 'notWhole' } } });
    const withApples = await lane.ok(cashier, 'return.setQuantity', { returnId: first.id, saleLineId: apples!.id, quantityMilli: 617 });
    const firstApples = withApples.lines.find((l: { saleLineId: string }) => l.saleLineId === apples!.id);
    await lane.ok(cashier, 'return.close', { returnId: first.id });

    const second = await startReturnWithSupervisor(lane, cashier, sale.id);
    expect(second.saleLines).toMatchObject([{ lineId: bread!.id, returnedMilli: 2000, returnableMilli: 1000 }, { lineId: apples!.id, returnedMilli: 617, returnableMilli: 617 }]);
    const tooMany = await lane.call(cashier, 'return.setQuantity', { returnId: second.id, saleLineId: bread!.id, quantityMilli: 2000 });
    expect(tooMany).toMatchObject({ ok: false, error: { code: 'INVALID_STATE', details: { problem: 'exceedsReturnable', returnableMilli: 1000 } } });
    const moreApples = await lane.call(cashier, 'return.setQuantity', { returnId: second.id, saleLineId: apples!.id, quantityMilli: 618 });
    expect(moreApples).toMatchObject({ ok: false, error: { details: { problem: 'exceedsReturnable', returnableMilli: 617 } } });
    await lane.ok(cashier, 'return.setQuantity', { returnId: second.id, saleLineId: bread!.id, quantityMilli: 1000 });
    const rest = await lane.ok(cashier, 'return.setQuantity', { returnId: second.id, saleLineId: apples!.id, quantityMilli: 617 });
    const secondApples = rest.lines.find((l: { saleLineId: string }) => l.saleLineId === apples!.id);
    // The two halves of the weighed line add up to exactly what was paid for it.
    expect(firstApples.amountKopecks + secondApples.amountKopecks).toBe(apples!.amountKopecks);
    const secondClosed = await lane.ok(cashier, 'return.close', { returnId: second.id });
    const firstDoc = outboxRows(lane, 'receipt.returned')[0]!.payload as { totalKopecks: number };
    expect(firstDoc.totalKopecks + secondClosed.totals.totalKopecks).toBe(sale.totals.totalKopecks);

    // Everything is back: a third return is refused with the reason.
    const third = await lane.call(cashier, 'return.start', { saleId: sale.id, reason: '' }, { pin: SUPERVISOR_PIN });
    expect(third).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });
    for (const row of outboxRows(lane, 'receipt.returned')) expect(documentPayloadProblem('receipt.returned', row.payload)).toBeNull();
  });

  it('an open or parked return holds its quantities; parked, resumed and cancelled like any receipt', async () => {
    const { lane, cashier } = await openShiftLane(false);
    const sale = await sellForCash(lane, cashier, [DEMO_BARCODES.water, DEMO_BARCODES.water]);
    const waterLine = sale.lines[0].id as string;

    // A sale in progress steps aside (parked) when a return starts.
    const inProgress = await lane.ok(cashier, 'receipt.open', {});
    await lane.ok(cashier, 'receipt.scan', { receiptId: inProgress.id, code: DEMO_BARCODES.bag, source: 'scanner' });
    const first = await startReturnWithSupervisor(lane, cashier, sale.id);
    await lane.ok(cashier, 'return.setQuantity', { returnId: first.id, saleLineId: waterLine, quantityMilli: 1000 });
    const list = (await lane.ok(cashier, 'receipt.list', {})).receipts;
    expect(list).toEqual(expect.arrayContaining([
      expect.objectContaining({ id: inProgress.id, status: 'parked', kind: 'sale' }),
      expect.objectContaining({ id: first.id, status: 'open', kind: 'return', lineCount: 1 }),
    ]));

    await lane.ok(cashier, 'receipt.park', { receiptId: first.id });
    const parked = await lane.ok(cashier, 'return.get', { returnId: first.id });
    expect(parked).toMatchObject({ status: 'parked', lines: [{ saleLineId: waterLine, quantityMilli: 1000 }] });
    const closeParked = await lane.call(cashier, 'return.close', { returnId: first.id });
    expect(closeParked).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });

    // A second return of the same sale sees the parked one's bottle as taken.
    const second = await startReturnWithSupervisor(lane, cashier, sale.id);
    expect(second.saleLines[0]).toMatchObject({ returnedMilli: 1000, returnableMilli: 1000 });
    const over = await lane.call(cashier, 'return.setQuantity', { returnId: second.id, saleLineId: waterLine, quantityMilli: 2000 });
    expect(over).toMatchObject({ ok: false, error: { details: { problem: 'exceedsReturnable', returnableMilli: 1000 } } });
    await lane.ok(cashier, 'return.setQuantity', { returnId: second.id, saleLineId: waterLine, quantityMilli: 1000 });
    // Both bottles are held now: a third return has nothing to take, and says so.
    const third = await lane.call(cashier, 'return.start', { saleId: sale.id, reason: '' }, { pin: SUPERVISOR_PIN });
    expect(third).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });
    if (!third.ok) expect(third.error.message.ru).toMatch(/другом возврате/);
    await lane.ok(cashier, 'return.cancel', { returnId: second.id });

    // Resumed, the parked return carries on; cancelling it gives its quantities back and keeps it as a record.
    const resumed = await lane.ok(cashier, 'receipt.resume', { receiptId: first.id });
    expect(resumed).toMatchObject({ id: first.id, status: 'open' });
    const viaSale = await lane.call(cashier, 'receipt.cancel', { receiptId: first.id });
    expect(viaSale).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });
    await lane.ok(cashier, 'return.cancel', { returnId: first.id });
    expect(await lane.ok(cashier, 'return.get', { returnId: first.id })).toMatchObject({ status: 'cancelled', lines: [{ quantityMilli: 1000 }] });
    const again = await lane.ok(cashier, 'return.search', { saleNumber: sale.number });
    expect(again.sales[0].lines[0]).toMatchObject({ returnedMilli: 0, returnableMilli: 2000 });
    expect(auditRecords(lane, 'return.cancel')).toHaveLength(2);
    expect(outboxRows(lane, 'receipt.returned')).toHaveLength(0);
  });
});
