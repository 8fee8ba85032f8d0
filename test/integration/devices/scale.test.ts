// The device manager with a real Massa-K scale emulator on TCP: added without a restart, live weight,
// weighed goods from the scale, and an unplug / plug-back cycle that never touches the receipt.
import { afterEach, describe, expect, it } from 'vitest';
import { MassakEmulator } from '../../../drivers/scales/massak/emulator';
import { DEMO_BARCODES } from '../../../src-main/store/catalog-generator';
import { openDeviceLane, until, type DeviceLane } from './helpers';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined); });

async function laneWithScale(initialGrams = 0) {
  const scale = await MassakEmulator.start({ tcp: { host: '127.0.0.1', port: 0 }, initialGrams });
  let emulator = scale;
  cleanups.push(() => emulator.close());
  const lane: DeviceLane = await openDeviceLane();
  cleanups.push(() => lane.close());
  const admin = await lane.login('0000');
  const { device } = await lane.ok(admin, 'devices.save', { device: {
    name: 'Весы', kind: 'scale', protocol: 'massak', port: `tcp://${scale.address}`, role: 'weighing scale', enabled: true,
  } });
  await lane.waitFor(device.id, 'up');
  const cashier = await lane.login('1111');
  await lane.ok(cashier, 'shift.open', {});
  const receipt = await lane.ok(cashier, 'receipt.open', {});
  return {
    lane, admin, cashier, receiptId: receipt.id as string, deviceId: device.id as string,
    get emulator() { return emulator; },
    async unplug() { await emulator.close(); },
    async plugBack(grams: number) {
      const port = Number(scale.address.split(':')[1]);
      emulator = await MassakEmulator.start({ tcp: { host: '127.0.0.1', port }, initialGrams: grams });
    },
  };
}

describe('device manager: a scale', () => {
  it('a scale added in the settings comes up without a restart and its live weight reaches the windows', async () => {
    const rig = await laneWithScale(0);
    rig.emulator.model.place(734);
    await until('a live weight push of 734 g', () => rig.lane.events.some((e) => e.event === 'scale.weight' && e.payload.grams === 734 && e.payload.stable));
    const weight = await rig.lane.ok(rig.cashier, 'scale.weight', {});
    expect(weight).toMatchObject({ deviceId: rig.deviceId, grams: 734, stable: true, state: 'stable', unit: 'kg' });
    const { devices } = await rig.lane.ok(rig.cashier, 'devices.status', {});
    expect(devices).toEqual([expect.objectContaining({ id: rig.deviceId, kind: 'scale', state: 'up', lastError: null })]);
    expect(devices[0].lastSeenAt).not.toBeNull();
    expect(rig.lane.events.some((e) => e.event === 'devices.changed' && e.payload.devices[0]?.state === 'up')).toBe(true);
    // A still platform costs nothing downstream: no pushes while nothing changes.
    const pushes = rig.lane.events.filter((e) => e.event === 'scale.weight').length;
    await new Promise((r) => setTimeout(r, 300));
    expect(rig.lane.events.filter((e) => e.event === 'scale.weight').length).toBe(pushes);
  });

  it('a weighed product takes a stable weight from the scale as a kg line, and refuses an unstable or too light one', async () => {
    const rig = await laneWithScale(0);
    const { lane, cashier, receiptId } = rig;
    rig.emulator.model.place(20);
    const light = await lane.call(cashier, 'receipt.addWeighed', { receiptId, productId: 'demo-apples' });
    expect(light.ok).toBe(false);
    if (!light.ok) expect(light.error.message.ru).toContain('Положите товар на весы');

    rig.emulator.model.place(1_000, 60_000); // still swinging
    await until('the unstable reading', () => lane.app.devices.manager.weight().state === 'unstable');
    const swinging = await lane.call(cashier, 'receipt.addWeighed', { receiptId, productId: 'demo-apples' });
    expect(swinging.ok).toBe(false);
    if (!swinging.ok) expect(swinging.error.message.ru).toMatch(/не успокоился/);

    rig.emulator.model.place(1_234);
    const receipt = await lane.ok(cashier, 'receipt.addWeighed', { receiptId, productId: 'demo-apples' });
    expect(receipt.lines).toHaveLength(1);
    expect(receipt.lines[0]).toMatchObject({ productId: 'demo-apples', unit: 'kg', weighed: true, quantityMilli: 1_234 });
    // 149.90 ₽/kg × 1.234 kg = 184.98 ₽
    expect(receipt.lines[0].amountKopecks).toBe(18_498);

    const piece = await lane.call(cashier, 'receipt.addWeighed', { receiptId, productId: 'demo-bread' });
    expect(piece.ok).toBe(false);
    // The renderer cannot send a weight: the request has no field for one.
    const forged = await lane.call(cashier, 'receipt.addWeighed', { receiptId, productId: 'demo-apples', quantityMilli: 5_000 } as never);
    expect(forged.ok).toBe(false);
    if (!forged.ok) expect(forged.error.code).toBe('BAD_REQUEST');
  });

  it('a scan or quick key naming a weighed product itself weighs it on the scale; without a scale the cashier is told to scan the label', async () => {
    const rig = await laneWithScale(0);
    const { lane, cashier, receiptId } = rig;
    rig.emulator.model.place(1_234);
    await until('the stable reading', () => lane.app.devices.manager.weight().grams === 1_234);
    const receipt = await lane.ok(cashier, 'receipt.scan', { receiptId, code: 'demo-apples', source: 'quickKey' });
    expect(receipt.lines).toEqual([expect.objectContaining({ productId: 'demo-apples', unit: 'kg', quantityMilli: 1_234, amountKopecks: 18_498 })]);
    rig.emulator.model.place(10); // below the minimum: nothing is added
    await until('the light reading', () => lane.app.devices.manager.weight().grams === 10);
    const light = await lane.call(cashier, 'receipt.scan', { receiptId, code: 'demo-apples', source: 'quickKey' });
    expect(light.ok).toBe(false);
    if (!light.ok) expect(light.error.message.ru).toContain('Положите товар на весы');

    const bare = await openDeviceLane();
    cleanups.push(() => bare.close());
    const other = await bare.login('1111');
    await bare.ok(other, 'shift.open', {});
    const open = await bare.ok(other, 'receipt.open', {});
    const noScale = await bare.call(other, 'receipt.scan', { receiptId: open.id, code: 'demo-apples', source: 'quickKey' });
    expect(noScale.ok).toBe(false);
    if (!noScale.ok) expect(noScale.error.message.ru).toBe('Весы не подключены. Отсканируйте этикетку весов');
    expect((await bare.ok(other, 'receipt.get', { receiptId: open.id })).lines).toHaveLength(0);
  });

  it('an unplugged scale goes down without harm to the receipt in progress, and comes back with backoff when plugged in again', async () => {
    const rig = await laneWithScale(500);
    const { lane, cashier, receiptId, deviceId } = rig;
    await lane.ok(cashier, 'receipt.addWeighed', { receiptId, productId: 'demo-apples' });
    await lane.ok(cashier, 'receipt.scan', { receiptId, code: DEMO_BARCODES.bread, source: 'wedge' });

    await rig.unplug();
    const down = await lane.waitFor(deviceId, 'down');
    expect(down.lastError?.ru).toBeTruthy();
    expect(down.retryAt).not.toBeNull();
    const weight = await lane.ok(cashier, 'scale.weight', {});
    expect(weight).toMatchObject({ state: 'error', grams: null, stable: false });
    const refused = await lane.call(cashier, 'receipt.addWeighed', { receiptId, productId: 'demo-apples' });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.message.ru).toMatch(/Весы недоступны/);

    // The sale goes on: the receipt is intact and takes more goods.
    const intact = await lane.ok(cashier, 'receipt.get', { receiptId });
    expect(intact.lines.map((l: { productId: string; quantityMilli: number }) => [l.productId, l.quantityMilli]))
      .toEqual([['demo-apples', 500], ['demo-bread', 1000]]);
    await lane.ok(cashier, 'receipt.scan', { receiptId, code: DEMO_BARCODES.water, source: 'wedge' });

    // Retries back off: failures count up while nothing listens.
    await until('a few failed reconnects', () => (lane.app.devices.manager.status()[0]?.failures ?? 0) >= 3);

    await rig.plugBack(800);
    const up = await lane.waitFor(deviceId, 'up', 5_000);
    expect(up).toMatchObject({ failures: 0, lastError: null, retryAt: null });
    // The first reading after the reconnect is pushed to the windows (the scale counts as up by then).
    await until('the weight push after the reconnect', () => lane.events.some((e) => e.event === 'scale.weight' && e.payload.grams === 800));
    const again = await lane.ok(cashier, 'receipt.addWeighed', { receiptId, productId: 'demo-apples' });
    // Each weighing is its own line (weighed lines never merge).
    expect(again.lines.filter((l: { productId: string }) => l.productId === 'demo-apples').map((l: { quantityMilli: number }) => l.quantityMilli))
      .toEqual([500, 800]);

    const actions = lane.auditActions('device.').filter((a) => a.subject_id === deviceId).map((a) => a.action);
    expect(actions).toEqual(['device.added', 'device.connected', 'device.lost', 'device.connected']);
  });
});
