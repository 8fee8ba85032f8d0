// The ESC/POS printer over USB: the driver opens `usb:0416:5011` on an emulated bus whose device has
// the printer emulator behind its bulk pipes (there is no USB gadget on CI hosts), so print jobs are
// checked as the OUT transfers and as the slips the emulator decodes, and status answers come back
// through IN transfers. Then the real `usb` package on this host: it loads, and a printer that is
// not there is a typed PrinterError.
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { EscPosPrinter, type EscPosOptions } from '../../../../drivers/printer/escpos/driver';
import { EscPosEmulator } from '../../../../drivers/printer/escpos/emulator';
import { PrinterError } from '../../../../drivers/printer/receipt-printer';
import { openUsb } from '../../../../drivers/transport/usb';
import { UsbTransportError, loadUsbBus, type UsbBus } from '../../../../drivers/transport/usb-bus';
import { EmulatedUsbBus, EmulatedUsbDevice, USB_DESCRIPTORS, type EmulatedInterface } from '../../../../drivers/transport/usb-emulated';

const FAST: EscPosOptions = { statusTimeoutMs: 200, printTimeoutMs: 400 };
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined); });

async function rig(interfaces: EmulatedInterface[] = USB_DESCRIPTORS.printerClass()) {
  const bus = new EmulatedUsbBus();
  const device = bus.plug(new EmulatedUsbDevice({ vendorId: 0x0416, productId: 0x5011, serialNumber: 'P1', interfaces }));
  const emulator = await EscPosEmulator.start({ usb: device });
  cleanups.push(() => emulator.close());
  const printer = await EscPosPrinter.open('usb:0416:5011', { ...FAST, usbBus: bus });
  cleanups.push(() => printer.close());
  return { bus, device, emulator, printer };
}

const outBytes = (device: EmulatedUsbDevice) => Buffer.concat(device.outTransfers.map((t) => t.bytes));
const SLIP = ['ПАО СБЕРБАНК', { text: 'ОПЛАТА', bold: true, align: 'center' as const }, 'Сумма: 1 234,50 ₽'];

describe('the ESC/POS printer over USB', () => {
  it('sends a print job\'s ESC/POS bytes on the bulk OUT endpoint, and the printer prints the slip', async () => {
    const { device, emulator, printer } = await rig();
    await printer.printSlip(SLIP);
    expect(device.outTransfers.every((t) => t.endpointNumber === 1)).toBe(true);
    const sent = outBytes(device);
    expect(sent.includes(Buffer.from([0x1b, 0x40]))).toBe(true); // ESC @
    expect(sent.includes(Buffer.from([0x1b, 0x74, 17]))).toBe(true); // ESC t 17: CP866
    expect(sent.includes(Buffer.from([0x8e, 0x8f, 0x8b, 0x80, 0x92, 0x80]))).toBe(true); // ОПЛАТА in CP866
    expect(sent.includes(Buffer.from([0x1d, 0x56, 66]))).toBe(true); // GS V 66: partial cut
    expect(emulator.slips).toHaveLength(1);
    expect(emulator.slips[0]!.slice(0, 3)).toEqual(['ПАО СБЕРБАНК', 'ОПЛАТА', 'Сумма: 1 234,50 р.']);
  });

  it('asks for status on bulk OUT and reads the answers on bulk IN, drawer included', async () => {
    const { device, emulator, printer } = await rig();
    emulator.paper = 'near-end';
    expect(await printer.status()).toMatchObject({ online: true, paper: 'near-end', coverOpen: false, drawer: 'closed' });
    expect(device.outTransfers.map((t) => [...t.bytes])).toEqual([[0x10, 0x04, 1], [0x10, 0x04, 2], [0x10, 0x04, 3], [0x10, 0x04, 4]]);
    expect(device.inTransfers.map((t) => t.endpointNumber)).toEqual([2, 2, 2, 2]);
    await printer.openDrawer();
    expect(emulator.drawerOpen).toBe(true);
    expect(await printer.drawerState()).toBe('open');
  });

  it('prints through a vendor-class interface the same way', async () => {
    const { device, emulator, printer } = await rig(USB_DESCRIPTORS.vendorClass());
    await printer.printSlip(['Чек 1']);
    expect(emulator.slips[0]![0]).toBe('Чек 1');
    expect(new Set(device.outTransfers.map((t) => t.endpointNumber))).toEqual(new Set([3]));
  });

  it('unplugged in the middle of a slip: PRINTER_NO_LINK for that slip and every call after, nothing thrown elsewhere', async () => {
    const { bus, device, emulator, printer } = await rig();
    device.beforeTransferOut = (bytes) => { if (bytes.length > 16) bus.unplug(device); }; // the slip itself, not a status query
    const error = await printer.printSlip(SLIP).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PrinterError);
    expect(error).toMatchObject({ code: 'PRINTER_NO_LINK', details: { reason: expect.stringContaining('Disconnected') } });
    expect(emulator.lines).toEqual([]);
    await expect(printer.status()).rejects.toMatchObject({ code: 'PRINTER_NO_LINK' });
    expect(bus.disconnectListeners).toBe(0);
  });

  it('unplugged while it waits for a status answer: PRINTER_NO_LINK at once, not a timeout', async () => {
    const { bus, device, emulator, printer } = await rig();
    emulator.silent = true;
    const waiting = printer.status().catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 30));
    const unpluggedAt = Date.now();
    bus.unplug(device);
    expect(await waiting).toMatchObject({ code: 'PRINTER_NO_LINK' });
    expect(Date.now() - unpluggedAt).toBeLessThan(FAST.statusTimeoutMs!);
  });

  it('a one-way printer cannot answer status, so a slip is refused rather than printed blind', async () => {
    const { emulator, printer } = await rig(USB_DESCRIPTORS.printerClassOneWay());
    await expect(printer.printSlip(['x'])).rejects.toMatchObject({ code: 'PRINTER_NO_ANSWER' });
    expect(emulator.lines).toEqual([]);
  });

  it('names a device that is not a printer, and one that is not plugged in, with typed errors', async () => {
    const bus = new EmulatedUsbBus();
    bus.plug(new EmulatedUsbDevice({ vendorId: 0x0416, productId: 0x5011, interfaces: USB_DESCRIPTORS.hidOnly() }));
    await expect(EscPosPrinter.open('usb:0416:5011', { usbBus: bus }))
      .rejects.toMatchObject({ code: 'PRINTER_WRONG_DEVICE', text: { en: expect.stringContaining('not a printer') }, details: { port: 'usb:0416:5011', usbFailure: 'usb-not-a-printer' } });
    await expect(EscPosPrinter.open('usb:04b8:0202', { usbBus: bus }))
      .rejects.toMatchObject({ code: 'PRINTER_NO_LINK', details: { usbFailure: 'usb-not-found', reason: 'no USB device usb:04b8:0202 is plugged in' } });
    await expect(EscPosPrinter.open('usb://04b8:0202', { usbBus: bus }))
      .rejects.toMatchObject({ code: 'PRINTER_NO_LINK', details: { reason: expect.stringContaining('usb:VVVV:PPPP') } });
  });
});

describe('the real usb package on this host', () => {
  it('loads, and its bus has the calls the transport uses', async () => {
    const bus = await loadUsbBus();
    for (const call of ['getDevices', 'findDeviceByIds', 'addEventListener', 'removeEventListener'] as const) expect(typeof bus[call]).toBe('function');
    const { usb } = await import('usb');
    const typed: UsbBus = usb; // the package's own types fit the transport's interface
    expect(typed).toBe(bus);
  });

  it('fails to open usb:0416:5011 with a typed error, never a crash', async () => {
    const hasUsbSysfs = existsSync('/sys/bus/usb/devices');
    const transportError = await openUsb({ vendorId: 0x0416, productId: 0x5011 }).catch((e: unknown) => e);
    expect(transportError).toBeInstanceOf(UsbTransportError);
    expect(transportError).toMatchObject({ code: hasUsbSysfs ? 'usb-not-found' : 'usb-unavailable' });
    const printerError = await EscPosPrinter.open('usb:0416:5011').catch((e: unknown) => e);
    expect(printerError).toBeInstanceOf(PrinterError);
    expect(printerError).toMatchObject(hasUsbSysfs
      ? { code: 'PRINTER_NO_LINK', details: { reason: 'no USB device usb:0416:5011 is plugged in' } }
      : { code: 'PRINTER_UNAVAILABLE', details: { reason: expect.stringContaining('/sys/bus/usb/devices/') } });
  });
});
