// The device manager with a real ESC/POS printer emulator (TCP), a serial scanner and a customer
// display on real ptys: add, test and remove without a restart, drawer kicks audited, scans reaching
// the windows, and a device that is not there never breaking a call.
import { afterEach, describe, expect, it } from 'vitest';
import { EscPosEmulator } from '../../../drivers/printer/escpos/emulator';
import { SerialScannerEmulator } from '../../../drivers/scanners/serial/emulator';
import { CustomerDisplayEmulator } from '../../../drivers/display/escpos/emulator';
import { createPtyPair } from '../../../drivers/transport/pty';
import { DEMO_BARCODES } from '../../../src-main/store/catalog-generator';
import { openDeviceLane, until } from './helpers';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined); });

async function lane() {
  const l = await openDeviceLane();
  cleanups.push(() => l.close());
  return l;
}

async function printer() {
  const emulator = await EscPosEmulator.start({ tcp: { host: '127.0.0.1', port: 0 } });
  cleanups.push(() => emulator.close());
  return emulator;
}

describe('device manager: printer, drawer, scanner, display', () => {
  it('a printer is added, tested and removed without a restart, each step audited', async () => {
    const l = await lane();
    const emulator = await printer();
    const admin = await l.login('0000');
    const { device } = await l.ok(admin, 'devices.save', { device: {
      name: 'Принтер', kind: 'printer', protocol: 'escpos', port: `tcp://${emulator.address}`, role: 'receipt printer', enabled: true,
    } });
    await l.waitFor(device.id, 'up');

    emulator.paper = 'near-end';
    const tested = await l.ok(admin, 'devices.test', { deviceId: device.id });
    expect(tested).toMatchObject({ ok: true, weight: null });
    expect(tested.message.en).toMatch(/paper is running out/);

    const listed = await l.ok(admin, 'devices.list', {});
    expect(listed.devices).toEqual([expect.objectContaining({ id: device.id, kind: 'printer', port: `tcp://${emulator.address}` })]);
    expect(listed.status[0]).toMatchObject({ state: 'up', warning: expect.objectContaining({ en: expect.stringMatching(/running out/) }) });

    await l.ok(admin, 'devices.remove', { deviceId: device.id });
    expect((await l.ok(admin, 'devices.list', {})).devices).toEqual([]);
    expect((await l.call(admin, 'devices.test', { deviceId: device.id })).ok).toBe(false);
    expect(l.auditActions('device.').map((a) => a.action)).toEqual(['device.added', 'device.connected', 'device.tested', 'device.removed']);
    expect(l.app.devices.manager.status()).toEqual([]);
  });

  it('only an administrator configures devices; the status bar call is for everyone', async () => {
    const l = await lane();
    const cashier = await l.login('1111');
    const denied = await l.call(cashier, 'devices.save', { device: { name: 'x', kind: 'scale', protocol: 'massak', port: 'tcp://127.0.0.1:1', role: '', enabled: true } });
    expect(denied.ok).toBe(false);
    if (!denied.ok) expect(denied.error.code).toBe('FORBIDDEN');
    expect((await l.ok(cashier, 'devices.status', {})).devices).toEqual([]);
    const admin = await l.login('0000');
    const wrongProtocol = await l.call(admin, 'devices.save', { device: { name: 'x', kind: 'printer', protocol: 'massak', port: 'tcp://127.0.0.1:1', role: '', enabled: true } });
    expect(wrongProtocol.ok).toBe(false);
    if (!wrongProtocol.ok) expect(wrongProtocol.error.code).toBe('BAD_REQUEST');
  });

  it('a device that is not there is down with a reason, and its test says so instead of failing the call', async () => {
    const l = await lane();
    const admin = await l.login('0000');
    const { device } = await l.ok(admin, 'devices.save', { device: {
      name: 'Нет принтера', kind: 'printer', protocol: 'escpos', port: 'tcp://127.0.0.1:1', role: 'receipt printer', enabled: true,
    } });
    const down = await l.waitFor(device.id, 'down');
    expect(down.lastError?.ru).toMatch(/принтер/i);
    const tested = await l.ok(admin, 'devices.test', { deviceId: device.id });
    expect(tested.ok).toBe(false);
    const cashier = await l.login('1111');
    await l.ok(cashier, 'shift.open', {});
    const receipt = await l.ok(cashier, 'receipt.open', {});
    await l.ok(cashier, 'receipt.scan', { receiptId: receipt.id, code: DEMO_BARCODES.bread, source: 'wedge' });
    const kick = await l.call(cashier, 'drawer.open', {}, { pin: '9999' });
    expect(kick.ok).toBe(false);
    if (!kick.ok) expect(kick.error.code).toBe('INVALID_STATE');
  });

  it('opening the drawer outside a payment needs a supervisor and is audited with who authorised it; a cash payment kicks it too', async () => {
    const l = await lane();
    const emulator = await printer();
    const admin = await l.login('0000');
    const { device } = await l.ok(admin, 'devices.save', { device: {
      name: 'Принтер', kind: 'printer', protocol: 'escpos', port: `tcp://${emulator.address}`, role: 'receipt printer', enabled: true,
    } });
    await l.waitFor(device.id, 'up');
    const cashier = await l.login('1111');
    const alone = await l.call(cashier, 'drawer.open', {});
    expect(alone.ok).toBe(false);
    if (!alone.ok) expect(alone.error.code).toBe('FORBIDDEN');
    expect(emulator.drawerKicks).toBe(0);

    await l.ok(cashier, 'drawer.open', {}, { pin: '9999' });
    await until('the drawer kick', () => emulator.drawerOpen);
    expect(emulator.drawerKicks).toBe(1);
    const [opened] = l.auditActions('drawer.');
    expect(opened).toMatchObject({ action: 'drawer.opened', subject_id: device.id, authorised_by: expect.any(String) });
    expect(opened!.authorised_by).not.toBe(opened!.actor_id);
    expect(JSON.parse(opened!.details)).toMatchObject({ reason: 'no-sale' });

    emulator.closeDrawer();
    await l.ok(cashier, 'shift.open', {});
    const receipt = await l.ok(cashier, 'receipt.open', {});
    await l.ok(cashier, 'receipt.scan', { receiptId: receipt.id, code: DEMO_BARCODES.bread, source: 'wedge' });
    await l.ok(cashier, 'receipt.payCash', { receiptId: receipt.id, tenderedKopecks: 10_000 });
    await until('the drawer kick of the cash payment', () => emulator.drawerKicks === 2);
    await until('its audit record', () => l.auditActions('drawer.').length === 2);
    expect(JSON.parse(l.auditActions('drawer.')[1]!.details)).toMatchObject({ reason: 'payment' });
  });

  it('a scanner on a pty feeds scanner.scanned events, and its unplugging is noticed', async () => {
    const l = await lane();
    const pty = await createPtyPair();
    cleanups.push(() => pty.close());
    const emulator = await SerialScannerEmulator.start({ serialPath: pty.devicePath, suffix: 'cr' });
    cleanups.push(() => emulator.close());
    const admin = await l.login('0000');
    const { device } = await l.ok(admin, 'devices.save', { device: {
      name: 'Ручной сканер', kind: 'scanner', protocol: 'serial', port: pty.hostPath, role: 'hand scanner', enabled: true, options: { suffix: 'cr' },
    } });
    await l.waitFor(device.id, 'up');
    await emulator.scan(DEMO_BARCODES.milk);
    await until('the scan event', () => l.events.some((e) => e.event === 'scanner.scanned'));
    expect(l.events.find((e) => e.event === 'scanner.scanned')!.payload).toEqual({ code: DEMO_BARCODES.milk, source: device.id, symbology: null });

    await pty.close(); // the cable is pulled
    await l.waitFor(device.id, 'down');
  });

  it('a customer display on a pty is tested with a line the administrator can read', async () => {
    const l = await lane();
    const pty = await createPtyPair();
    cleanups.push(() => pty.close());
    const emulator = await CustomerDisplayEmulator.start({ serialPath: pty.devicePath });
    cleanups.push(() => emulator.close());
    const admin = await l.login('0000');
    const { device } = await l.ok(admin, 'devices.save', { device: {
      name: 'Дисплей покупателя', kind: 'display', protocol: 'escpos', port: pty.hostPath, role: 'customer display', enabled: true,
    } });
    await l.waitFor(device.id, 'up');
    expect((await l.ok(admin, 'devices.test', { deviceId: device.id })).ok).toBe(true);
    await until('the test text on the display', () => emulator.lines()[1]?.startsWith('Проверка дисплея') === true);

    // The customer follows the receipt on the display: the line just scanned, then the total and thanks.
    const cashier = await l.login('1111');
    await l.ok(cashier, 'shift.open', {});
    const receipt = await l.ok(cashier, 'receipt.open', {});
    await l.ok(cashier, 'receipt.scan', { receiptId: receipt.id, code: DEMO_BARCODES.bread, source: 'scanner' });
    await until('the scanned line on the display', () => emulator.lines()[0]?.startsWith('Хлеб') === true && emulator.lines()[1]?.trim().endsWith('54,00') === true);
    await l.ok(cashier, 'receipt.payCash', { receiptId: receipt.id, tenderedKopecks: 10_000 });
    await until('the total and thanks', () => emulator.lines()[0]?.startsWith('ИТОГО') === true && emulator.lines()[1]?.startsWith('Спасибо') === true);
  });
});
