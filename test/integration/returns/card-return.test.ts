// Returns of card sales at a real lane: the demo's ZVT terminal emulator (A, TCP) took the payment, the
// demo's Shtrih emulator fiscalises. A partial return is refunded on that same terminal for the part
// returned; when the terminal cannot refund, the cashier is told and may pay that part in cash only with
// a supervisor's PIN.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEMO_BARCODES } from '../../../src-main/store/catalog-generator';
import { documentPayloadProblem } from '../../../src-main/upstream/document-schemas';
import { login, openLane, type TestLane } from '../../helpers/lane';
import { SUPERVISOR_PIN, auditRecords, outboxRows, returnJobId, startReturnWithSupervisor } from './helpers';

let lane: TestLane | null = null;
afterEach(async () => { await lane?.close(); lane = null; });

/** Water (49,00) and bread (54,00) paid with a card on terminal A. */
async function cardSale(fiscal: boolean) {
  lane = await openLane({ payments: 'demo-emulators', ...(fiscal ? { fiscal: 'demo-emulator' as const } : {}) });
  const cashier = await login(lane, '1111');
  await lane.ok(cashier, 'shift.open', {});
  const receipt = await lane.ok(cashier, 'receipt.open', {});
  await lane.ok(cashier, 'receipt.scan', { receiptId: receipt.id, code: DEMO_BARCODES.water, source: 'scanner' });
  const full = await lane.ok(cashier, 'receipt.scan', { receiptId: receipt.id, code: DEMO_BARCODES.bread, source: 'scanner' });
  const { operation } = await lane.ok(cashier, 'payment.card', { receiptId: receipt.id, amountKopecks: full.totals.totalKopecks, terminalId: 'terminal-a' });
  expect(operation).toMatchObject({ state: 'approved', terminalId: 'terminal-a' });
  const paid = await lane.ok(cashier, 'receipt.payMixed', { receiptId: receipt.id, tenders: [{ kind: 'card', operationId: operation.id }] });
  const sale = await lane.ok(cashier, 'sales.get', { saleId: paid.saleId });
  return { lane, cashier, sale, purchase: operation, receiptId: receipt.id as string };
}

describe('a return of a card sale', () => {
  it('a partial return goes back to the card on the terminal that took it, for the part returned, and is fiscalised as electronic', async () => {
    const { lane, cashier, sale, purchase, receiptId } = await cardSale(true);
    const bread = sale.lines.find((l: { name: string }) => l.name.includes('Хлеб'));
    const started = await startReturnWithSupervisor(lane, cashier, sale.id);
    const filled = await lane.ok(cashier, 'return.setQuantity', { returnId: started.id, saleLineId: bread.id, quantityMilli: 1000 });
    expect(filled.refund).toEqual([
      expect.objectContaining({ method: 'card', amountKopecks: 5_400, purchaseOperationId: purchase.id, terminalId: 'terminal-a', state: 'pending' }),
      expect.objectContaining({ method: 'cash', amountKopecks: 0 }),
    ]);
    // Closing before the card is refunded is refused: the money goes back the way it came.
    const early = await lane.call(cashier, 'return.close', { returnId: started.id });
    expect(early).toMatchObject({ ok: false, error: { code: 'INVALID_STATE', details: { cardParts: 1 } } });

    const refunded = await lane.ok(cashier, 'return.refundCard', { returnId: started.id, purchaseOperationId: purchase.id });
    expect(refunded).toMatchObject({ linesLocked: true, refund: [expect.objectContaining({ method: 'card', state: 'refunded' }), expect.objectContaining({ method: 'cash', amountKopecks: 0 })] });
    const { operations } = await lane.ok(cashier, 'payment.forReceipt', { receiptId });
    const refund = operations.find((o: { kind: string }) => o.kind === 'refund');
    expect(refund).toMatchObject({ kind: 'refund', originalId: purchase.id, terminalId: 'terminal-a', amountKopecks: 5_400, state: 'approved' });
    expect(operations.filter((o: { kind: string }) => o.kind === 'refund')).toHaveLength(1);
    // With money back on the card the goods cannot change, and the return cannot be cancelled.
    const change = await lane.call(cashier, 'return.setQuantity', { returnId: started.id, saleLineId: bread.id, quantityMilli: 0 });
    expect(change).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });
    const cancel = await lane.call(cashier, 'return.cancel', { returnId: started.id });
    expect(cancel).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });

    const closed = await lane.ok(cashier, 'return.close', { returnId: started.id });
    expect(closed).toMatchObject({ totals: { totalKopecks: 5_400 }, ffdPayments: { cashKopecks: 0, electronicKopecks: 5_400 },
      refunds: [{ method: 'card', amountKopecks: 5_400, terminalId: 'terminal-a', purchaseOperationId: purchase.id, refundOperationId: refund.id }] });
    const [row] = outboxRows(lane, 'receipt.returned');
    expect(documentPayloadProblem('receipt.returned', row!.payload)).toBeNull();
    expect(row!.payload).toMatchObject({ refunds: [{ method: 'card', amountKopecks: 5_400 }], lines: [{ lineId: bread.id, quantityMilli: 1000, amountKopecks: 5_400 }] });
    await vi.waitFor(async () => expect((await lane.ok(cashier, 'returns.get', { id: closed.id })).fiscalState).toBe('done'), { timeout: 15_000 });
    const job = lane.app.sales.fiscalJournal.job(returnJobId(lane, closed.id))!;
    expect((job.document as { fields: Record<string, unknown> }).fields).toMatchObject({ 1054: 2, 1020: 5_400, 1081: 5_400 });

    // The rest of the card can still come back, capped at what is left of the card payment.
    const second = await startReturnWithSupervisor(lane, cashier, sale.id);
    const water = sale.lines.find((l: { name: string }) => l.name.includes('Вода'));
    const rest = await lane.ok(cashier, 'return.setQuantity', { returnId: second.id, saleLineId: water.id, quantityMilli: 1000 });
    expect(rest.refund[0]).toMatchObject({ method: 'card', amountKopecks: 4_900, state: 'pending' });
  });

  it('a refund the terminal approved while the lane died before recording it is found again, not sent twice', async () => {
    const { lane, cashier, sale, purchase, receiptId } = await cardSale(false);
    const started = await startReturnWithSupervisor(lane, cashier, sale.id);
    const water = sale.lines.find((l: { name: string }) => l.name.includes('Вода'));
    await lane.ok(cashier, 'return.setQuantity', { returnId: started.id, saleLineId: water.id, quantityMilli: 1000 });
    // What the lane had written when it died: the return's refund record, then the terminal refunded.
    lane.app.sales.returns.startRefund({ id: 'refund-before-crash', receiptId: started.id, purchaseOperationId: purchase.id, amountKopecks: 4_900,
      at: new Date().toISOString() });
    const refund = await lane.app.services.payments.service.refund(purchase.id, 4_900, cashier.user!.id);
    expect(refund.state).toBe('approved');

    const seen = await lane.ok(cashier, 'return.get', { returnId: started.id });
    expect(seen).toMatchObject({ linesLocked: true, refund: [expect.objectContaining({ method: 'card', amountKopecks: 4_900, state: 'refunded' }), expect.objectContaining({ method: 'cash', amountKopecks: 0 })] });
    const twice = await lane.call(cashier, 'return.refundCard', { returnId: started.id, purchaseOperationId: purchase.id });
    expect(twice).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });
    const closed = await lane.ok(cashier, 'return.close', { returnId: started.id });
    expect(closed.refunds).toEqual([expect.objectContaining({ method: 'card', amountKopecks: 4_900, refundOperationId: refund.id })]);
    const { operations } = await lane.ok(cashier, 'payment.forReceipt', { receiptId });
    expect(operations.filter((o: { kind: string }) => o.kind === 'refund')).toHaveLength(1);
  });

  it('when the terminal cannot refund, the cashier is told and pays that part in cash only with a supervisor', async () => {
    const { lane, cashier, sale, purchase } = await cardSale(false);
    await lane.ok(cashier, 'cash.move', { direction: 'in', amountKopecks: 50_000, comment: 'размен' });
    const started = await startReturnWithSupervisor(lane, cashier, sale.id);
    for (const line of started.saleLines) await lane.ok(cashier, 'return.setQuantity', { returnId: started.id, saleLineId: line.lineId, quantityMilli: line.quantityMilli });
    await lane.app.services.payments.demo!.zvt!.close(); // terminal A unplugged

    const failed = await lane.ok(cashier, 'return.refundCard', { returnId: started.id, purchaseOperationId: purchase.id });
    expect(failed.refund[0]).toMatchObject({ method: 'card', amountKopecks: 10_300, state: 'failed', message: expect.any(String) });
    expect(failed.linesLocked).toBe(false);
    const notYet = await lane.call(cashier, 'return.close', { returnId: started.id });
    expect(notYet).toMatchObject({ ok: false, error: { code: 'INVALID_STATE', details: { cardParts: 1 } } });
    const cashierAlone = await lane.call(cashier, 'return.close', { returnId: started.id, cardInCash: true });
    expect(cashierAlone).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', details: { permission: 'sale.refundCardInCash', overridable: true } } });
    const closed = await lane.ok(cashier, 'return.close', { returnId: started.id, cardInCash: true }, { pin: SUPERVISOR_PIN });
    const supervisorId = (await login(lane, SUPERVISOR_PIN)).user!.id;
    expect(closed).toMatchObject({ refunds: [{ method: 'cash', amountKopecks: 10_300 }], ffdPayments: { cashKopecks: 10_300, electronicKopecks: 0 },
      cashInsteadOfCardBy: supervisorId });
    expect(auditRecords(lane, 'return.close')).toEqual([expect.objectContaining({ authorisedBy: supervisorId, details: expect.objectContaining({ cardInCash: true }) })]);
    expect(auditRecords(lane, 'return.cardRefund.declined')).toHaveLength(1);
    const summary = (await lane.ok(cashier, 'shift.current', {})).summary;
    expect(summary).toMatchObject({ cashRefundsKopecks: 10_300, cashInDrawerKopecks: 50_000 - 10_300 });
  });
});
