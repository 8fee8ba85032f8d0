// A sale through the real lane (dispatcher, services, SQLite) produces the expected POS event stream,
// each event stamped with the time of its change (the same instant as its audit record).
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_BARCODES } from '../../../src-main/store/catalog-generator';
import type { PosEvent } from '../../../src-main/services/pos-events/pos-event';
import { login, openLane, testClock, type TestLane } from '../../helpers/lane';

let lane: TestLane | null = null;
afterEach(async () => {
  await lane?.close();
  lane = null;
});

describe('POS event stream from the lane', () => {
  it('follows a sale: login, shift, lines, override, void, quantity, payment, drawer, close, cash out, cancel, logout', async () => {
    const clock = testClock();
    lane = await openLane({ clock });
    const events: PosEvent[] = [];
    lane.app.services.posEvents.subscribe((e) => events.push(e));

    const cashier = await login(lane, '1111');
    await lane.ok(cashier, 'shift.open', {});
    const receipt = await lane.ok(cashier, 'receipt.open', {});
    clock.advance(1000);
    await lane.ok(cashier, 'receipt.scan', { receiptId: receipt.id, code: DEMO_BARCODES.bread, source: 'scanner' });
    await lane.ok(cashier, 'receipt.scan', { receiptId: receipt.id, code: DEMO_BARCODES.bread, source: 'scanner' });
    await lane.ok(cashier, 'receipt.scan', { receiptId: receipt.id, code: DEMO_BARCODES.water, source: 'wedge' });
    const current = await lane.ok(cashier, 'receipt.get', { receiptId: receipt.id });
    const [bread, water] = current.lines;
    clock.advance(1000);
    await lane.ok(cashier, 'receipt.setQuantity', { receiptId: receipt.id, lineId: bread.id, quantityMilli: 1000 }, { pin: '9999' });
    await lane.ok(cashier, 'receipt.voidLine', { receiptId: receipt.id, lineId: water.id }, { pin: '9999' });
    const paid = await lane.ok(cashier, 'receipt.payCash', { receiptId: receipt.id, tenderedKopecks: 10_000 });
    await lane.ok(cashier, 'cash.move', { direction: 'out', amountKopecks: 1000, comment: 'размен' });
    const second = await lane.ok(cashier, 'receipt.open', {});
    await lane.ok(cashier, 'receipt.scan', { receiptId: second.id, code: DEMO_BARCODES.bread, source: 'scanner' });
    await lane.ok(cashier, 'receipt.cancel', { receiptId: second.id }, { pin: '9999' });
    await lane.ok(cashier, 'session.logout', {});

    expect(events.map((e) => e.kind)).toEqual([
      'user.loggedIn', 'shift.opened', 'receipt.opened', 'line.added', 'line.added', 'line.added',
      'supervisor.override', 'line.quantityChanged', 'supervisor.override', 'line.voided',
      'payment', 'drawer.opened', 'receipt.closed', 'cash.moved', 'drawer.opened',
      'receipt.opened', 'line.added', 'supervisor.override', 'receipt.cancelled', 'user.loggedOut',
    ]);
    const shiftNumber = events[1]!.shiftNumber;
    expect(shiftNumber).toBeGreaterThan(0);
    expect(events.slice(1, -1).every((e) => e.shiftNumber === shiftNumber)).toBe(true);
    expect(events.every((e) => e.laneId === events[0]!.laneId && e.laneId.length > 0 && e.cashier?.role === 'cashier')).toBe(true);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);

    const [, , opened, firstBread, mergedBread, addedWater, override, changed, , voided, payment, , closed] = events;
    expect(opened).toMatchObject({ receiptId: receipt.id, at: '2026-11-23T09:00:00.000Z' });
    expect(firstBread).toMatchObject({ kind: 'line.added', at: '2026-11-23T09:00:01.000Z', addedQuantityMilli: 1000,
      line: { position: 1, name: 'Хлеб Бородинский 400 г', barcode: DEMO_BARCODES.bread, quantityMilli: 1000, priceKopecks: 5400 } });
    expect(mergedBread).toMatchObject({ line: { position: 1, quantityMilli: 2000, amountKopecks: 10800 }, addedQuantityMilli: 1000 });
    expect(addedWater).toMatchObject({ line: { position: 2, barcode: DEMO_BARCODES.water } });
    expect(override).toMatchObject({ supervisor: { role: 'supervisor' }, permission: 'sale.voidLine', receiptId: receipt.id });
    expect(changed).toMatchObject({ fromQuantityMilli: 2000, line: { quantityMilli: 1000 }, authorisedBy: { role: 'supervisor' }, at: '2026-11-23T09:00:02.000Z' });
    expect(voided).toMatchObject({ line: { position: 2, name: 'Вода питьевая Святой источник 1,5 л' } });
    expect(payment).toMatchObject({ method: 'cash', amountKopecks: 5400, tenderedKopecks: 10_000, changeKopecks: 4600 });
    expect(closed).toMatchObject({ saleNumber: paid.sale.number, totalKopecks: 5400, lineCount: 1 });
  });

  it('a sink that is down does not fail or hold up the sale', async () => {
    lane = await openLane();
    const admin = await login(lane, '0000');
    await lane.ok(admin, 'video.saveSink', { sink: {
      name: 'Мёртвый TRASSIR', protocol: 'trassir', transport: 'tcp', host: '127.0.0.1', port: 1, enabled: true,
      terminalId: 'K1', camera: null, timeZone: 'Europe/Moscow', encoding: 'utf-8',
    } });
    const cashier = await login(lane, '1111');
    await lane.ok(cashier, 'shift.open', {});
    const receipt = await lane.ok(cashier, 'receipt.open', {});
    await lane.ok(cashier, 'receipt.scan', { receiptId: receipt.id, code: DEMO_BARCODES.bread, source: 'scanner' });
    const paid = await lane.ok(cashier, 'receipt.payCash', { receiptId: receipt.id, tenderedKopecks: 5400 });
    expect(paid.sale.number).toBe(1);
    await new Promise((r) => setTimeout(r, 50));
    const { status } = await lane.ok(admin, 'video.listSinks', {});
    expect(status[0]).toMatchObject({ state: 'waiting', pending: 7 });
    expect(status[0].lastError).toMatch(/ECONNREFUSED|refused/);
  });
});
