// A marked item comes back only with its own code, at a real lane with the True API and local-module
// emulators on sockets and the demo's Shtrih emulator: the code must be one sold on the original line,
// and it is checked as a return — the "sold" rule inverted, so a code the national system still calls
// "in circulation, not sold" is refused. The code and the return check's 1260 go to the fiscal document.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { TrueApiEmulator } from '../../../src-main/marking/emulators/truapi-emulator';
import { LocalModuleEmulator } from '../../../src-main/marking/emulators/lm-emulator';
import { demoMarkingCode } from '../../../src-main/marking/demo-codes';
import { DEMO_BARCODES } from '../../../src-main/store/catalog-generator';
import { login, openLane, type TestLane } from '../../helpers/lane';
import { returnJobId, startReturnWithSupervisor } from './helpers';

let truapi: TrueApiEmulator;
let lm: LocalModuleEmulator;
let opened: TestLane | null = null;

beforeAll(async () => {
  truapi = await TrueApiEmulator.start({ hosts: 2, latencyMs: 0 });
  lm = await LocalModuleEmulator.start({ status: 'ready' });
});
afterAll(async () => { await truapi.close(); await lm.close(); });
afterEach(async () => { await opened?.close(); opened = null; });

describe('a return of marked goods', () => {
  it('takes back only a code sold on the receipt, refuses one the national system calls never sold, and fiscalises the code', async () => {
    const lane = await openLane({ fiscal: 'demo-emulator',
      marking: { mode: 'trueApi', budgetMs: 1500, trueApi: { cdnBase: truapi.cdnBase, defaultApiKey: 'test-key' }, localModule: { url: lm.url, clientId: '9999078900001234' } } });
    opened = lane;
    const cashier = await login(lane, '1111');
    const admin = await login(lane, '0000');
    await lane.ok(cashier, 'shift.open', {});
    // The emulator answers by the code's serial and has no memory: a code it calls "sold" ('SD') is what the
    // national system says of an item once its sale reached it. To sell one here, the administrator switches
    // the sold rule off for milk for the sale, as a shop does while the national system catches up.
    const soldThen = demoMarkingCode('milk', 21, 'SD');
    const stillInCirculation = demoMarkingCode('milk', 22);
    await lane.ok(admin, 'marking.setSwitch', { switch: { productGroup: 'milk', rule: 'sold', offUntil: new Date(Date.now() + 3_600_000).toISOString(), reason: 'test sale of a sold code' } });
    const receipt = await lane.ok(cashier, 'receipt.open', {});
    await lane.ok(cashier, 'receipt.scan', { receiptId: receipt.id, code: soldThen, source: 'scanner' });
    await lane.ok(cashier, 'receipt.scan', { receiptId: receipt.id, code: stillInCirculation, source: 'scanner' });
    const withBread = await lane.ok(cashier, 'receipt.scan', { receiptId: receipt.id, code: DEMO_BARCODES.bread, source: 'scanner' });
    const { sale } = await lane.ok(cashier, 'receipt.payCash', { receiptId: receipt.id, tenderedKopecks: withBread.totals.totalKopecks });
    await lane.ok(admin, 'marking.clearSwitch', { productGroup: 'milk', rule: 'sold' });
    const [soldLine, circulatingLine] = sale.lines as Array<{ id: string; markingCode: string; amountKopecks: number }>;

    const started = await startReturnWithSupervisor(lane, cashier, sale.id);
    // A marked line cannot be returned by a quantity typed in.
    const typed = await lane.call(cashier, 'return.setQuantity', { returnId: started.id, saleLineId: soldLine!.id, quantityMilli: 1000 });
    expect(typed).toMatchObject({ ok: false, error: { code: 'INVALID_STATE', details: { problem: 'markedNeedsCode' } } });
    // A code that was never on this receipt, even one of the same product, is refused before any check.
    const foreign = await lane.call(cashier, 'return.scanCode', { returnId: started.id, code: demoMarkingCode('milk', 23, 'SD') });
    expect(foreign).toMatchObject({ ok: false, error: { code: 'MARKING_REFUSED', details: { rule: 'notOnReceipt' } } });
    // Sold here, but the national system still has it in circulation, never sold: the inverted rule refuses it.
    const neverSold = await lane.call(cashier, 'return.scanCode', { returnId: started.id, code: stillInCirculation });
    expect(neverSold).toMatchObject({ ok: false, error: { code: 'MARKING_REFUSED', details: { rule: 'neverSold', checkedBy: 'online' } } });
    if (!neverSold.ok) expect(neverSold.error.message.ru).toMatch(/не продавался/);
    // The same code in a wedge's form (no GS) is the same item; it comes back with the code the sale carried.
    const back = await lane.ok(cashier, 'return.scanCode', { returnId: started.id, code: soldThen.replaceAll('\u001d', '') });
    expect(back.lines).toEqual([expect.objectContaining({ saleLineId: soldLine!.id, markingCode: soldLine!.markingCode, quantityMilli: 1000,
      amountKopecks: soldLine!.amountKopecks, markingCheck: expect.objectContaining({ checkedBy: 'online', requisite1260: expect.objectContaining({ t1262: '030' }) }) })]);
    const twice = await lane.call(cashier, 'return.scanCode', { returnId: started.id, code: soldThen });
    expect(twice).toMatchObject({ ok: false, error: { code: 'MARKING_REFUSED', details: { rule: 'alreadyReturned' } } });

    // The journal shows both return checks: the refusal and the allowed one.
    const supervisor = await login(lane, '9999');
    const { entries } = await lane.ok(supervisor, 'marking.journal', { refusedOnly: false });
    const returns = entries.filter((e: { operation: string }) => e.operation === 'return');
    expect(returns).toEqual(expect.arrayContaining([
      expect.objectContaining({ allowed: false, rule: 'neverSold', receiptId: started.id }),
      expect.objectContaining({ allowed: true, receiptId: started.id }),
    ]));

    const closed = await lane.ok(cashier, 'return.close', { returnId: started.id });
    await vi.waitFor(async () => expect((await lane.ok(cashier, 'returns.get', { id: closed.id })).fiscalState).toBe('done'), { timeout: 15_000 });
    const job = lane.app.sales.fiscalJournal.job(returnJobId(lane, closed.id))!;
    const fields = (job.document as { fields: Record<string, unknown> }).fields;
    expect(fields['1054']).toBe(2);
    const items = fields['1059'] as Array<Record<string, unknown>>;
    expect(items).toHaveLength(1);
    expect(items[0]!['2000']).toBe(soldLine!.markingCode);
    expect(items[0]!['1212']).toBe(33);
    expect(items[0]!['1260']).toMatchObject({ 1262: '030', 1265: back.lines[0].markingCheck.requisite1260.t1265 });

    // The code is back: another return of the sale cannot take it again; the other bottle still needs its own code.
    const next = await startReturnWithSupervisor(lane, cashier, sale.id);
    expect(next.saleLines.find((l: { lineId: string }) => l.lineId === soldLine!.id)).toMatchObject({ returnableMilli: 0 });
    expect(next.saleLines.find((l: { lineId: string }) => l.lineId === circulatingLine!.id)).toMatchObject({ returnableMilli: 1000 });
    const again = await lane.call(cashier, 'return.scanCode', { returnId: next.id, code: soldThen });
    expect(again).toMatchObject({ ok: false, error: { code: 'MARKING_REFUSED', details: { rule: 'alreadyReturned' } } });
  });
});
