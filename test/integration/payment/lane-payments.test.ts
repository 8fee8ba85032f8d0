// Mixed payments at a real lane: the demo's two terminal emulators (A: ZVT over TCP, B: INPAS over
// HTTP), the lane's SQLite files and the Shtrih emulator. Half cash, half card on B while A is unplugged;
// the fiscal document carries 1031 and 1081; a cancelled receipt's card payment is reversed on its terminal.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEMO_BARCODES } from '../../../src-main/store/catalog-generator';
import { login, openLane, type TestLane } from '../../helpers/lane';

let lane: TestLane | null = null;
afterEach(async () => { await lane?.close(); lane = null; });

async function receiptWithGoods(fiscal: boolean, devices = false) {
  lane = await openLane({ payments: 'demo-emulators', ...(fiscal ? { fiscal: 'demo-emulator' as const } : {}), ...(devices ? { devices: 'demo-emulators' as const } : {}) });
  const cashier = await login(lane, '1111');
  await lane.ok(cashier, 'shift.open', {});
  const receipt = await lane.ok(cashier, 'receipt.open', {});
  await lane.ok(cashier, 'receipt.scan', { receiptId: receipt.id, code: DEMO_BARCODES.water, source: 'scanner' }); // 49.00
  const withBread = await lane.ok(cashier, 'receipt.scan', { receiptId: receipt.id, code: DEMO_BARCODES.bread, source: 'scanner' }); // 54.00
  return { lane, cashier, receiptId: receipt.id as string, totalKopecks: withBread.totals.totalKopecks as number };
}

describe('mixed payments at the lane', () => {
  it('half cash, half card on terminal B while terminal A is unplugged; the fiscal document has 1031 and 1081', async () => {
    const { lane, cashier, receiptId, totalKopecks } = await receiptWithGoods(true);
    expect(totalKopecks).toBe(10_300);
    await lane.app.services.payments.demo!.zvt!.close(); // terminal A unplugged
    const progress: string[] = [];
    lane.app.events.subscribe((event, payload) => { if (event === 'payment.progress') progress.push((payload as { message: string }).message); });
    const card = 5_150;
    const { operation } = await lane.ok(cashier, 'payment.card', { receiptId, amountKopecks: card });
    expect(operation).toMatchObject({ terminalId: 'terminal-b', state: 'approved', amountKopecks: card, approved: { rrn: expect.any(String) } });
    // A card paid part of it: the goods are locked until that payment is cancelled.
    const locked = await lane.call(cashier, 'receipt.scan', { receiptId, code: DEMO_BARCODES.bag, source: 'scanner' });
    expect(locked).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });
    // Closing with cash alone would leave the card payment out: refused.
    const cashOnly = await lane.call(cashier, 'receipt.payCash', { receiptId, tenderedKopecks: 20_000 });
    expect(cashOnly).toMatchObject({ ok: false });
    const paid = await lane.ok(cashier, 'receipt.payMixed', { receiptId, tenders: [{ kind: 'card', operationId: operation.id }, { kind: 'cash', tenderedKopecks: 10_000 }] });
    expect(paid).toMatchObject({ changeKopecks: 10_000 - (totalKopecks - card), ffd: { cashKopecks: totalKopecks - card, electronicKopecks: card } });
    const sale = await lane.ok(cashier, 'sales.get', { saleId: paid.saleId });
    expect(sale.payments).toMatchObject([{ method: 'card', terminalId: 'terminal-b', amountKopecks: card }, { method: 'cash', amountKopecks: totalKopecks - card, tenderedKopecks: 10_000 }]);
    await vi.waitFor(async () => expect((await lane.ok(cashier, 'sales.get', { saleId: paid.saleId })).fiscalState).toBe('done'), { timeout: 15_000 });
    const job = lane.app.sales.fiscalJournal.jobForSale(paid.saleId)!;
    expect((job.document as { fields: Record<string, unknown> }).fields).toMatchObject({ 1020: totalKopecks, 1031: totalKopecks - card, 1081: card });
    const status = await lane.ok(cashier, 'payment.terminals', {});
    expect(status.terminals.find((t: { id: string }) => t.id === 'terminal-a')).toMatchObject({ up: false });
  });

  it('the cashier picks terminal A; a gift certificate pays the rest as prepayment (1215)', async () => {
    const { lane, cashier, receiptId, totalKopecks } = await receiptWithGoods(false);
    const { types } = await lane.ok(cashier, 'payment.internalTypes', {});
    expect(types.map((t: { id: string }) => t.id)).toContain('gift-certificate');
    const { operation } = await lane.ok(cashier, 'payment.card', { receiptId, amountKopecks: 3_000, terminalId: 'terminal-a' });
    expect(operation).toMatchObject({ terminalId: 'terminal-a', state: 'approved' });
    const over = await lane.call(cashier, 'payment.card', { receiptId, amountKopecks: totalKopecks, terminalId: 'terminal-b' });
    expect(over).toMatchObject({ ok: false }); // a card never pays more than is left
    const paid = await lane.ok(cashier, 'receipt.payMixed', { receiptId, tenders: [
      { kind: 'card', operationId: operation.id }, { kind: 'internal', typeId: 'gift-certificate', amountKopecks: totalKopecks - 3_000, reference: 'GC-0001' }] });
    expect(paid.ffd).toEqual({ cashKopecks: 0, electronicKopecks: 3_000, prepaymentKopecks: totalKopecks - 3_000, postpaymentKopecks: 0, considerationKopecks: 0 });
  });

  it('a receipt cancelled after a card paid part of it gets that payment reversed on the same terminal', async () => {
    const { lane, cashier, receiptId } = await receiptWithGoods(false);
    const { operation } = await lane.ok(cashier, 'payment.card', { receiptId, amountKopecks: 2_000, terminalId: 'terminal-a' });
    const supervisor = await login(lane, '9999');
    await lane.ok(supervisor, 'receipt.cancel', { receiptId });
    await vi.waitFor(async () => {
      const { operations } = await lane.ok(cashier, 'payment.forReceipt', { receiptId });
      expect(operations.find((o: { id: string }) => o.id === operation.id)).toMatchObject({ state: 'cancelled' });
      expect(operations.some((o: { kind: string; terminalId: string; state: string }) => o.kind === 'cancel' && o.terminalId === 'terminal-a' && o.state === 'approved')).toBe(true);
    }, { timeout: 15_000 });
  });

  it('closing the shift settles every terminal and stores the reports; slips and reports come out of the receipt printer', async () => {
    const { lane, cashier, receiptId, totalKopecks } = await receiptWithGoods(false, true);
    const printer = lane.app.devices.demo!.printer;
    await vi.waitFor(() => expect(lane.app.devices.manager.status().find((d) => d.id === 'demo-printer')?.state).toBe('up'), { timeout: 10_000 });
    const { operation } = await lane.ok(cashier, 'payment.card', { receiptId, amountKopecks: totalKopecks, terminalId: 'terminal-b' });
    await lane.ok(cashier, 'receipt.payMixed', { receiptId, tenders: [{ kind: 'card', operationId: operation.id }] });
    const shiftId = (await lane.ok(cashier, 'shift.current', {})).shift.id as string;
    await lane.ok(cashier, 'shift.close', {});
    const settlements = lane.app.sales.payments.settlements(shiftId);
    expect(settlements.map((s) => s.terminalId).sort()).toEqual(['terminal-a', 'terminal-b']);
    expect(settlements.every((s) => s.ok && s.slip.length > 0)).toBe(true);
    // The card slip and both settlement reports were printed (the printer emulator decodes what it got).
    await vi.waitFor(() => expect(printer.slips.length).toBeGreaterThanOrEqual(3), { timeout: 10_000 });
    const approved = lane.app.sales.payments.operation(operation.id)!;
    expect(printer.slips[0]!.join('\n')).toContain(approved.slip![0]!.trim());
  });
});
