// A return at another lane of the chain: lane B finds lane A's sale through the head office's receipt
// lookup (a real head office on PGlite), returns part of it and sends the receipt.returned document, which
// the head office validates against the shared schema and counts; lane A then sees what B returned and
// caps its own return by it. With the head office down, lane B says the sale cannot be found and why.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startTestHq, type TestHq } from '../../../hq/test/support';
import type { Session } from '../../../src-main/app/dispatcher';
import { DEMO_BARCODES } from '../../../src-main/store/catalog-generator';
import { login, openLane, type TestLane } from '../../helpers/lane';
import { SUPERVISOR_PIN, sellForCash, startReturnWithSupervisor } from './helpers';

let hq: TestHq;
const lanes: TestLane[] = [];
beforeEach(async () => { hq = await startTestHq({ name: 'pglite' }); });
afterEach(async () => {
  for (const l of lanes.splice(0)) await l.close();
  await hq.stop();
  await hq.destroy();
});

async function laneAt(store: string, name: string, withTerminals = false, withRegister = false): Promise<{ lane: TestLane; cashier: Session }> {
  const { token } = await hq.addLane(store, name);
  const lane = await openLane({ upstream: { baseUrl: hq.url, token }, ...(withTerminals ? { payments: 'demo-emulators' as const } : {}),
    ...(withRegister ? { fiscal: 'demo-emulator' as const } : {}) });
  lanes.push(lane);
  const cashier = await login(lane, '1111');
  await lane.ok(cashier, 'shift.open', {});
  return { lane, cashier };
}

async function synced(lane: TestLane, cashier: Session): Promise<void> {
  lane.app.services.upstream.wake();
  await vi.waitFor(async () => expect(await lane.ok(cashier, 'upstream.status', {})).toMatchObject({ link: 'up', backlog: 0, parked: 0 }), { timeout: 20_000 });
}

describe('a return at another lane', () => {
  it('is found through the head office, counted there, and caps the selling lane\'s own return', async () => {
    const a = await laneAt('store-1', 'Касса 1');
    const b = await laneAt('store-2', 'Касса 7');
    const sale = await sellForCash(a.lane, a.cashier, [DEMO_BARCODES.water, DEMO_BARCODES.water]);
    await synced(a.lane, a.cashier);

    const found = await b.lane.ok(b.cashier, 'return.search', { saleNumber: sale.number });
    expect(found).toMatchObject({ headOffice: 'asked', sales: [{ saleId: sale.id, source: 'headOffice', laneName: 'Касса 1', refusal: null,
      lines: [{ quantityMilli: 2000, returnedMilli: 0, returnableMilli: 2000 }] }] });
    const atB = await startReturnWithSupervisor(b.lane, b.cashier, sale.id, 'не подошло');
    expect(atB.sale).toMatchObject({ id: sale.id, source: 'headOffice', laneName: 'Касса 1' });
    await b.lane.ok(b.cashier, 'return.setQuantity', { returnId: atB.id, saleLineId: sale.lines[0].id, quantityMilli: 1000 });
    // Lane B's drawer holds no cash of that sale: the refund needs cash put in first.
    const short = await b.lane.call(b.cashier, 'return.close', { returnId: atB.id });
    expect(short).toMatchObject({ ok: false, error: { code: 'INVALID_STATE', details: { neededKopecks: 4_900 } } });
    await b.lane.ok(b.cashier, 'cash.move', { direction: 'in', amountKopecks: 10_000, comment: 'размен' });
    await b.lane.ok(b.cashier, 'return.close', { returnId: atB.id });
    // The head office ingests the document only if it matches the shared receipt.returned schema.
    await synced(b.lane, b.cashier);

    const atA = await a.lane.ok(a.cashier, 'return.search', { saleNumber: sale.number });
    expect(atA).toMatchObject({ headOffice: 'asked', sales: [{ saleId: sale.id, source: 'lane', lines: [{ returnedMilli: 1000, returnableMilli: 1000 }] }] });
    const own = await startReturnWithSupervisor(a.lane, a.cashier, sale.id);
    const tooMuch = await a.lane.call(a.cashier, 'return.setQuantity', { returnId: own.id, saleLineId: sale.lines[0].id, quantityMilli: 2000 });
    expect(tooMuch).toMatchObject({ ok: false, error: { details: { problem: 'exceedsReturnable', returnableMilli: 1000 } } });
    await a.lane.ok(a.cashier, 'return.setQuantity', { returnId: own.id, saleLineId: sale.lines[0].id, quantityMilli: 1000 });
    await a.lane.ok(a.cashier, 'return.close', { returnId: own.id });
    await synced(a.lane, a.cashier);

    // Everything is back, whichever lane asks: B counts its own return once (the head office holds it too).
    const fromB = await b.lane.ok(b.cashier, 'return.search', { saleNumber: sale.number });
    expect(fromB.sales[0]).toMatchObject({ lines: [{ returnedMilli: 2000, returnableMilli: 0 }], refusal: expect.anything() });
    const reply = await fetch(`${hq.url}/v1/receipts?number=${sale.number}`, { headers: { authorization: `Bearer ${(await hq.addLane('store-3', 'Касса 9')).token}` } });
    expect(((await reply.json()) as { receipts: Array<{ lines: Array<{ returnedMilli: number }> }> }).receipts[0]!.lines[0]!.returnedMilli).toBe(2000);
  });

  it('is found at another lane by the ФП or the ФД printed on the buyer\'s receipt, once the selling lane\'s register made it', async () => {
    const a = await laneAt('store-1', 'Касса 1', false, true);
    const b = await laneAt('store-2', 'Касса 7');
    const sale = await sellForCash(a.lane, a.cashier, [DEMO_BARCODES.water]);
    await vi.waitFor(async () => expect((await a.lane.ok(a.cashier, 'sales.get', { saleId: sale.id })).fiscalState).toBe('done'), { timeout: 15_000 });
    const { fiscalDocument } = await a.lane.ok(a.cashier, 'sales.get', { saleId: sale.id });
    await synced(a.lane, a.cashier);

    const expected = { headOffice: 'asked', sales: [{ saleId: sale.id, source: 'headOffice', laneName: 'Касса 1',
      fiscalDocument: { fdNumber: fiscalDocument.fdNumber, fiscalSign: fiscalDocument.fiscalSign } }] };
    expect(await b.lane.ok(b.cashier, 'return.search', { fiscalSign: fiscalDocument.fiscalSign })).toMatchObject(expected);
    // The receipt prints the ФП with leading zeros: the same number.
    expect(await b.lane.ok(b.cashier, 'return.search', { fiscalSign: fiscalDocument.fiscalSign.padStart(10, '0') })).toMatchObject(expected);
    expect(await b.lane.ok(b.cashier, 'return.search', { fdNumber: fiscalDocument.fdNumber })).toMatchObject(expected);
    const wrong = await b.lane.call(b.cashier, 'return.search', { fiscalSign: String((Number(fiscalDocument.fiscalSign) + 1) % 4_294_967_296) });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', details: { headOffice: 'asked' } } });
    const atB = await startReturnWithSupervisor(b.lane, b.cashier, sale.id);
    expect(atB.sale).toMatchObject({ id: sale.id, source: 'headOffice', laneName: 'Касса 1' });
  });

  it('a card part taken at the other lane\'s terminal cannot be refunded here: cash only with a supervisor', async () => {
    const a = await laneAt('store-1', 'Касса 1', true);
    const b = await laneAt('store-2', 'Касса 7');
    const receipt = await a.lane.ok(a.cashier, 'receipt.open', {});
    const withBread = await a.lane.ok(a.cashier, 'receipt.scan', { receiptId: receipt.id, code: DEMO_BARCODES.bread, source: 'scanner' });
    const { operation } = await a.lane.ok(a.cashier, 'payment.card', { receiptId: receipt.id, amountKopecks: withBread.totals.totalKopecks, terminalId: 'terminal-a' });
    const paid = await a.lane.ok(a.cashier, 'receipt.payMixed', { receiptId: receipt.id, tenders: [{ kind: 'card', operationId: operation.id }] });
    const sale = await a.lane.ok(a.cashier, 'sales.get', { saleId: paid.saleId });
    await synced(a.lane, a.cashier);

    await b.lane.ok(b.cashier, 'return.search', { saleNumber: sale.number });
    const started = await startReturnWithSupervisor(b.lane, b.cashier, sale.id);
    const filled = await b.lane.ok(b.cashier, 'return.setQuantity', { returnId: started.id, saleLineId: sale.lines[0].id, quantityMilli: 1000 });
    expect(filled.refund[0]).toMatchObject({ method: 'card', amountKopecks: 5_400, purchaseOperationId: operation.id, state: 'foreign' });
    const here = await b.lane.call(b.cashier, 'return.refundCard', { returnId: started.id, purchaseOperationId: operation.id });
    expect(here).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });
    await b.lane.ok(b.cashier, 'cash.move', { direction: 'in', amountKopecks: 10_000, comment: 'размен' });
    const alone = await b.lane.call(b.cashier, 'return.close', { returnId: started.id, cardInCash: true });
    expect(alone).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', details: { permission: 'sale.refundCardInCash' } } });
    const closed = await b.lane.ok(b.cashier, 'return.close', { returnId: started.id, cardInCash: true }, { pin: SUPERVISOR_PIN });
    expect(closed).toMatchObject({ refunds: [{ method: 'cash', amountKopecks: 5_400 }], sale: { source: 'headOffice', laneName: 'Касса 1' } });
    await synced(b.lane, b.cashier);
  });

  it('says the receipt is not here and the head office cannot be reached', async () => {
    const b = await laneAt('store-2', 'Касса 7');
    await hq.stop();
    const outcome = await b.lane.call(b.cashier, 'return.search', { saleNumber: 1 });
    expect(outcome).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', details: { what: 'sale', headOffice: 'unreachable' } } });
    if (!outcome.ok) expect(outcome.error.message.ru).toMatch(/центральный офис недоступен/);
    await hq.restart();
  });
});
