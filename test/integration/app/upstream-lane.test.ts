// A lane with a head office configured sends what it sells, without the sale waiting for the link.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startTestHq, type TestHq } from '../../../hq/test/support';
import { DEMO_BARCODES } from '../../../src-main/store/catalog-generator';
import { login, openLane, type TestLane } from '../../helpers/lane';

/** The types of the rows waiting in a lane's outbox. */
const pendingTypes = (l: TestLane) => l.app.sales.outbox.due(10_000, '9999').map((r) => r.type);

let hq: TestHq;
let lane: TestLane;
let token: string;
beforeEach(async () => {
  hq = await startTestHq({ name: 'pglite' });
  token = (await hq.addLane('store-1', 'Касса 1')).token;
  lane = await openLane({ upstream: { baseUrl: hq.url, token } });
});
afterEach(async () => {
  await lane.close();
  await hq.stop();
  await hq.destroy();
});

describe('a lane with a head office', () => {
  it('sends the sale, and the head office finds it for a return', async () => {
    const cashier = await login(lane, '1111');
    await lane.ok(cashier, 'shift.open', {});
    const receipt = await lane.ok(cashier, 'receipt.open', {});
    await lane.ok(cashier, 'receipt.scan', { receiptId: receipt.id, code: DEMO_BARCODES.water, source: 'scanner' });
    const { sale } = await lane.ok(cashier, 'receipt.payCash', { receiptId: receipt.id, tenderedKopecks: 5000 });

    await vi.waitFor(async () => {
      expect(await lane.ok(cashier, 'upstream.status', {})).toMatchObject({ configured: true, link: 'up', backlog: 0, parked: 0 });
    }, { timeout: 15_000 });
    const found = await fetch(`${hq.url}/v1/receipts?number=${sale.number}`, { headers: { authorization: `Bearer ${token}` } });
    expect(found.status).toBe(200);
    expect(JSON.stringify(await found.json())).toContain(sale.id);
  });

  it('keeps selling while the head office is down, and catches up once it is back', async () => {
    await hq.stop();
    const cashier = await login(lane, '1111');
    await lane.ok(cashier, 'shift.open', {});
    const receipt = await lane.ok(cashier, 'receipt.open', {});
    await lane.ok(cashier, 'receipt.scan', { receiptId: receipt.id, code: DEMO_BARCODES.bread, source: 'scanner' });
    await lane.ok(cashier, 'receipt.payCash', { receiptId: receipt.id, tenderedKopecks: 5400 });
    await vi.waitFor(async () => {
      expect(await lane.ok(cashier, 'upstream.status', {})).toMatchObject({ link: 'down' });
    }, { timeout: 15_000 });
    // Waiting: the shift opening and the sale, with the audit records of everything done (audit.record rows).
    expect(pendingTypes(lane)).toEqual(expect.arrayContaining(['shift.opened', 'sale.closed', 'audit.record']));
    expect((await lane.ok(cashier, 'upstream.status', {})).backlog).toBe(pendingTypes(lane).length);
    await hq.restart();
    lane.app.services.upstream.wake(); // as the network-change signal does
    await vi.waitFor(async () => {
      expect(await lane.ok(cashier, 'upstream.status', {})).toMatchObject({ link: 'up', backlog: 0 });
    }, { timeout: 30_000 });
  });
});

describe('a lane without a head office', () => {
  it('says so and keeps its outbox', async () => {
    const plain = await openLane();
    try {
      const cashier = await login(plain, '1111');
      await plain.ok(cashier, 'shift.open', {});
      expect(await plain.ok(cashier, 'upstream.status', {})).toMatchObject({ configured: false, backlog: pendingTypes(plain).length });
      expect(pendingTypes(plain)).toEqual(expect.arrayContaining(['shift.opened', 'audit.record']));
    } finally {
      await plain.close();
    }
  });
});
