// A USB printer configured as `usb:0416:5011` in the device settings opens through the device
// manager like any other port. The `usb` package is replaced by an emulated bus (transport/
// usb-emulated.ts) with the ESC/POS emulator behind the device's bulk pipes, so the whole path runs:
// settings → device manager → EscPosPrinter.open → openPort → the USB transport. Unplugging takes the
// printer down, plugging it back brings it up again through the manager's reconnect.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EscPosEmulator } from '../../../../drivers/printer/escpos/emulator';
import { EmulatedUsbDevice, USB_DESCRIPTORS, type EmulatedUsbBus } from '../../../../drivers/transport/usb-emulated';
import { openDeviceLane, until } from '../../devices/helpers';

vi.mock('usb', async () => {
  const { EmulatedUsbBus } = await import('../../../../drivers/transport/usb-emulated');
  return { usb: new EmulatedUsbBus() };
});

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined); });

async function emulatedBus(): Promise<EmulatedUsbBus> {
  const { usb } = await import('usb');
  return usb as unknown as EmulatedUsbBus;
}

describe('a USB printer in the device settings', () => {
  it('comes up through the device manager, kicks the drawer, goes down when unplugged and comes back when plugged in', async () => {
    const bus = await emulatedBus();
    const device = bus.plug(new EmulatedUsbDevice({ vendorId: 0x0416, productId: 0x5011, interfaces: USB_DESCRIPTORS.printerClass() }));
    const emulator = await EscPosEmulator.start({ usb: device });
    cleanups.push(() => emulator.close());
    const l = await openDeviceLane();
    cleanups.push(() => l.close());
    const admin = await l.login('0000');

    const { device: config } = await l.ok(admin, 'devices.save', { device: {
      name: 'Принтер USB', kind: 'printer', protocol: 'escpos', port: 'usb:0416:5011', role: 'receipt printer', enabled: true,
    } });
    await l.waitFor(config.id, 'up');
    expect(device.calls.slice(0, 3)).toEqual(['open', 'claim 0', 'alt 0=1']);
    expect(await l.ok(admin, 'devices.test', { deviceId: config.id })).toMatchObject({ ok: true });

    const cashier = await l.login('1111');
    await l.ok(cashier, 'drawer.open', {}, { pin: '9999' });
    await until('the drawer kick over USB', () => emulator.drawerOpen);

    bus.unplug(device);
    const down = await l.waitFor(config.id, 'down');
    expect(down.lastError?.en).toMatch(/printer/i);

    bus.plug(device);
    await l.waitFor(config.id, 'up');
    emulator.paper = 'near-end';
    expect((await l.ok(admin, 'devices.test', { deviceId: config.id })).message.en).toMatch(/running out/);
    expect(l.auditActions('device.').map((a) => a.action)).toEqual(expect.arrayContaining(['device.added', 'device.connected', 'device.lost']));

    await l.ok(admin, 'devices.remove', { deviceId: config.id });
    await until('the interface released on removal', () => !device.isClaimed(0));
    expect(bus.disconnectListeners).toBe(0);
  });

  it('refuses a malformed usb: port in the settings, and a scanner on a usb: port', async () => {
    const l = await openDeviceLane();
    cleanups.push(() => l.close());
    const admin = await l.login('0000');
    const malformed = await l.call(admin, 'devices.save', { device: {
      name: 'x', kind: 'printer', protocol: 'escpos', port: 'usb:416:5011', role: '', enabled: true,
    } });
    expect(malformed.ok).toBe(false);
    if (!malformed.ok) expect(malformed.error.code).toBe('BAD_REQUEST');
    const scanner = await l.call(admin, 'devices.save', { device: {
      name: 'x', kind: 'scanner', protocol: 'serial', port: 'usb:0c2e:0b61', role: '', enabled: true,
    } });
    expect(scanner.ok).toBe(false);
    expect((await l.ok(admin, 'devices.list', {})).devices).toEqual([]);
  });
});
