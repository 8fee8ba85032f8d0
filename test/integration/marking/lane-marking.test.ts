// The permissive mode at a real lane: the True API and local-module emulators on real sockets, the
// lane's SQLite files, the Shtrih emulator. A refused code adds nothing and is journalled; an allowed
// one sells and its fiscal document carries tags 2000 and 1260.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { TrueApiEmulator } from '../../../src-main/marking/emulators/truapi-emulator';
import { LocalModuleEmulator } from '../../../src-main/marking/emulators/lm-emulator';
import { demoMarkingCode } from '../../../src-main/marking/demo-codes';
import { DEMO_BARCODES } from '../../../src-main/store/catalog-generator';
import type { MarkingConfig } from '../../../src-main/app/marking-setup';
import { login, openLane, type TestLane } from '../../helpers/lane';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { documentPayloadProblem } from '../../../src-main/upstream/document-schemas';

let truapi: TrueApiEmulator;
let lm: LocalModuleEmulator;
let lane: TestLane | null = null;

beforeAll(async () => {
  truapi = await TrueApiEmulator.start({ hosts: 2, latencyMs: 0 });
  lm = await LocalModuleEmulator.start({ status: 'ready' });
});
afterAll(async () => { await truapi.close(); await lm.close(); });
afterEach(async () => {
  truapi.clearFaults();
  await lane?.close();
  lane = null;
});

function config(budgetMs = 1500): MarkingConfig {
  return { mode: 'trueApi', budgetMs, trueApi: { cdnBase: truapi.cdnBase, defaultApiKey: 'test-key' }, localModule: { url: lm.url, clientId: '9999078900001234' } };
}

async function sellingLane(marking: MarkingConfig | null = config(), fiscal = false) {
  lane = await openLane({ ...(marking ? { marking } : {}), ...(fiscal ? { fiscal: 'demo-emulator' as const } : {}) });
  const cashier = await login(lane, '1111');
  await lane.ok(cashier, 'shift.open', {});
  const receipt = await lane.ok(cashier, 'receipt.open', {});
  return { lane, cashier, receiptId: receipt.id as string };
}

describe('marked goods at the lane', () => {
  it('refuses a sold code with the plain message, adds nothing and journals the refusal', async () => {
    const { lane, cashier, receiptId } = await sellingLane();
    const outcome = await lane.call(cashier, 'receipt.scan', { receiptId, code: demoMarkingCode('milk', 1, 'SD'), source: 'scanner' });
    expect(outcome).toMatchObject({ ok: false, error: { code: 'MARKING_REFUSED', details: { rule: 'sold', checkedBy: 'online' } } });
    if (!outcome.ok) expect(outcome.error.message.ru).toMatch(/продан|выбыл/i);
    expect((await lane.ok(cashier, 'receipt.get', { receiptId })).lines).toHaveLength(0);
    const supervisor = await login(lane, '9999');
    const { entries } = await lane.ok(supervisor, 'marking.journal', {});
    expect(entries).toMatchObject([{ allowed: false, rule: 'sold', checkedBy: 'online', receiptId }]);
    const denied = await lane.call(cashier, 'marking.journal', {});
    expect(denied).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const { csv } = await lane.ok(supervisor, 'marking.exportJournal', {});
    expect(csv.split('\r\n')[0]).toBe('at;operation;allowed;rule;checked_by;product_group;gtin;code;receipt_id;message');
    expect(csv).toContain(';sold;online;milk;');
    // The head office gets the decision too, in the shape its ingest validates.
    const rows = new Database(join(lane.dir, 'sales.sqlite'), { readonly: true })
      .prepare("SELECT payload FROM outbox WHERE type = 'marking.check'").all() as Array<{ payload: string }>;
    expect(rows).toHaveLength(1);
    const payload = JSON.parse(rows[0]!.payload) as unknown;
    expect(documentPayloadProblem('marking.check', payload)).toBeNull();
    expect(payload).toMatchObject({ decision: 'block', rule: 'sold', checkedBy: 'online' });
  });

  it.each([
    ['blocked', 'BL', 'milk'], ['notInCirculation', 'NR', 'milk'], ['notFound', 'NF', 'milk'], ['notUtilised', 'NU', 'shoes'], ['expired', 'EX', 'milk'],
  ] as const)('refuses a %s code', async (rule, scenario, item) => {
    const { lane, cashier, receiptId } = await sellingLane();
    const outcome = await lane.call(cashier, 'receipt.scan', { receiptId, code: demoMarkingCode(item, 2, scenario), source: 'scanner' });
    expect(outcome).toMatchObject({ ok: false, error: { code: 'MARKING_REFUSED', details: { rule } } });
  });

  it('sells a good code online with 1260, refuses the same code twice and a marked item by its EAN', async () => {
    const { lane, cashier, receiptId } = await sellingLane();
    const code = demoMarkingCode('shoes', 3);
    const receipt = await lane.ok(cashier, 'receipt.scan', { receiptId, code, source: 'scanner' });
    expect(receipt.lines).toHaveLength(1);
    expect(receipt.lines[0]).toMatchObject({ productId: 'demo-shoes', markingCode: code,
      markingCheck: { checkedBy: 'online', requisite1260: { t1262: '030', t1263: '21.11.2023', t1264: '1944', t1265: expect.stringMatching(/^UUID=[0-9a-f-]{36}&Time=\d+$/) } } });
    const again = await lane.call(cashier, 'receipt.scan', { receiptId, code, source: 'scanner' });
    expect(again).toMatchObject({ ok: false, error: { code: 'MARKING_REFUSED', details: { rule: 'duplicate' } } });
    const byEan = await lane.call(cashier, 'receipt.scan', { receiptId, code: DEMO_BARCODES.shoes, source: 'scanner' });
    expect(byEan).toMatchObject({ ok: false, error: { code: 'MARKING_REFUSED', details: { rule: 'codeRequired' } } });
    const garbage = await lane.call(cashier, 'receipt.scan', { receiptId, code: `0104600000000084${'\u001d'}21!!`, source: 'scanner' });
    expect(garbage).toMatchObject({ ok: false, error: { code: 'MARKING_REFUSED', details: { rule: 'unreadable' } } });
    expect((await lane.ok(cashier, 'receipt.get', { receiptId })).lines).toHaveLength(1);
  });

  it('a keyboard-wedge code without GS is restored and sold', async () => {
    const { lane, cashier, receiptId } = await sellingLane();
    const code = demoMarkingCode('milk', 4);
    const receipt = await lane.ok(cashier, 'receipt.scan', { receiptId, code: code.replaceAll('\u001d', ''), source: 'wedge' });
    expect(receipt.lines[0]).toMatchObject({ productId: 'demo-milk', markingCode: code });
  });

  it('falls back to the local module when the True API does not answer in time; offline 1265 names the instance', async () => {
    const { lane, cashier, receiptId } = await sellingLane(config(300));
    truapi.setFault(0, 'hang');
    truapi.setFault(1, 'hang');
    const receipt = await lane.ok(cashier, 'receipt.scan', { receiptId, code: demoMarkingCode('milk', 5), source: 'scanner' });
    expect(receipt.lines[0].markingCheck).toMatchObject({ checkedBy: 'offline', requisite1260: { t1265: expect.stringMatching(/&Inst=.+&Ver=.+$/) } });
    // Offline, a sold code is still refused.
    const sold = await lane.call(cashier, 'receipt.scan', { receiptId, code: demoMarkingCode('milk', 6, 'SD'), source: 'scanner' });
    expect(sold).toMatchObject({ ok: false, error: { code: 'MARKING_REFUSED', details: { rule: 'sold', checkedBy: 'offline' } } });
  });

  it('sells without 1260 when no channel answers (the law), and records how', async () => {
    const { lane, cashier, receiptId } = await sellingLane(null);
    const receipt = await lane.ok(cashier, 'receipt.scan', { receiptId, code: demoMarkingCode('milk', 7, 'SD'), source: 'scanner' });
    expect(receipt.lines[0].markingCheck).toMatchObject({ checkedBy: 'unavailable', requisite1260: null });
    const supervisor = await login(lane, '9999');
    const { entries } = await lane.ok(supervisor, 'marking.journal', { refusedOnly: false });
    expect(entries).toMatchObject([{ allowed: true, checkedBy: 'unavailable' }]);
  });

  it('an administrator switches a rule off for a group for a while: the code sells, the skip and the reason are recorded', async () => {
    const { lane, cashier, receiptId } = await sellingLane();
    const admin = await login(lane, '0000');
    const supervisor = await login(lane, '9999');
    const offUntil = new Date(Date.now() + 3_600_000).toISOString();
    const forbidden = await lane.call(supervisor, 'marking.setSwitch', { switch: { productGroup: 'milk', rule: 'notInCirculation', offUntil, reason: 'new dairy marking type' } });
    expect(forbidden).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const tooLong = await lane.call(admin, 'marking.setSwitch', { switch: { productGroup: 'milk', rule: 'notInCirculation', offUntil: new Date(Date.now() + 40 * 86_400_000).toISOString(), reason: 'forever' } });
    expect(tooLong).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });
    const { switches } = await lane.ok(admin, 'marking.setSwitch', { switch: { productGroup: 'milk', rule: 'notInCirculation', offUntil, reason: 'new dairy marking type' } });
    expect(switches).toMatchObject([{ productGroup: 'milk', rule: 'notInCirculation', reason: 'new dairy marking type' }]);
    const receipt = await lane.ok(cashier, 'receipt.scan', { receiptId, code: demoMarkingCode('milk', 8, 'NR'), source: 'scanner' });
    expect(receipt.lines[0].markingCheck.skippedRules).toEqual(['notInCirculation']);
    // Other groups still get the rule.
    const shoes = await lane.call(cashier, 'receipt.scan', { receiptId, code: demoMarkingCode('shoes', 8, 'NR'), source: 'scanner' });
    expect(shoes).toMatchObject({ ok: false, error: { details: { rule: 'notInCirculation' } } });
    expect(lane.app.sales.audit.verify?.() ?? true).toBeTruthy();
    const cleared = await lane.ok(admin, 'marking.clearSwitch', { productGroup: 'milk', rule: 'notInCirculation' });
    expect(cleared.switches).toEqual([]);
  });

  it('a parked receipt keeps its codes: the same code cannot go on another receipt', async () => {
    const { lane, cashier, receiptId } = await sellingLane();
    const code = demoMarkingCode('kefir', 9);
    await lane.ok(cashier, 'receipt.scan', { receiptId, code, source: 'scanner' });
    await lane.ok(cashier, 'receipt.park', { receiptId });
    const second = await lane.ok(cashier, 'receipt.open', {});
    const outcome = await lane.call(cashier, 'receipt.scan', { receiptId: second.id, code, source: 'scanner' });
    expect(outcome).toMatchObject({ ok: false, error: { code: 'MARKING_REFUSED', details: { rule: 'duplicate', receiptId } } });
    const resumed = await lane.ok(cashier, 'receipt.resume', { receiptId });
    expect(resumed.lines[0].markingCode).toBe(code);
  });

  it('the fiscal document of a marked sale carries 2000 and 1260 (1262–1265) in its line', async () => {
    const { lane, cashier, receiptId } = await sellingLane(config(), true);
    const code = demoMarkingCode('milk', 10);
    const receipt = await lane.ok(cashier, 'receipt.scan', { receiptId, code, source: 'scanner' });
    const { sale } = await lane.ok(cashier, 'receipt.payCash', { receiptId, tenderedKopecks: 10_000 });
    await vi.waitFor(async () => expect((await lane.ok(cashier, 'sales.get', { saleId: sale.id })).fiscalState).toBe('done'), { timeout: 15_000 });
    const job = lane.app.sales.fiscalJournal.jobForSale(sale.id)!;
    const items = (job.document as { fields: Record<string, unknown> }).fields['1059'] as Array<Record<string, unknown>>;
    expect(items).toHaveLength(1);
    expect(items[0]!['2000']).toBe(code);
    expect(items[0]!['2106']).toBe(0x0f);
    expect(items[0]!['1212']).toBe(33);
    expect(items[0]!['1260']).toEqual({ 1262: '030', 1263: '21.11.2023', 1264: '1944', 1265: receipt.lines[0].markingCheck.requisite1260.t1265 });
  });
});
