// The USB printer transport against an emulated bus and device (transport/usb-emulated.ts): which
// interface it claims, bytes on the bulk endpoints, quiet polls, unplugging, a clean release, and
// every way opening can fail as a typed UsbTransportError.
import { afterEach, describe, expect, it } from 'vitest';
import type { ByteTransport } from '../../../../drivers/transport/byte-transport';
import { openUsb, usbLinkOf, type UsbOptions } from '../../../../drivers/transport/usb';
import { UsbTransportError, loadUsbBus } from '../../../../drivers/transport/usb-bus';
import { EmulatedUsbBus, EmulatedUsbDevice, USB_DESCRIPTORS, type EmulatedUsbDeviceOptions } from '../../../../drivers/transport/usb-emulated';

const IDS = { vendorId: 0x0416, productId: 0x5011 };
const QUICK: Partial<UsbOptions> = { readPollMs: 30 };

const opened: ByteTransport[] = [];
afterEach(async () => { for (const t of opened.splice(0)) await t.close(); });

function plugged(o: Partial<EmulatedUsbDeviceOptions> = {}) {
  const bus = new EmulatedUsbBus();
  const device = bus.plug(new EmulatedUsbDevice({ ...IDS, interfaces: USB_DESCRIPTORS.printerClass(), ...o }));
  return { bus, device };
}

async function open(bus: EmulatedUsbBus, selector: { vendorId: number; productId: number; serialNumber?: string } = IDS) {
  const t = await openUsb(selector, { bus, ...QUICK });
  opened.push(t);
  return t;
}

const bytesOf = (device: EmulatedUsbDevice) => device.outTransfers.map((t) => [t.endpointNumber, ...t.bytes]);
const failure = (p: Promise<unknown>) => p.then(() => { throw new Error('it opened'); }, (e: unknown) => e);

describe('the USB printer transport', () => {
  it('claims the printer interface in its bidirectional alternate and sends writes on bulk OUT in order', async () => {
    const { bus, device } = plugged();
    const t = await open(bus);
    expect(device.calls).toEqual(['open', 'claim 0', 'alt 0=1']);
    expect(usbLinkOf(t)).toMatchObject({ id: 'usb:0416:5011', pipe: { interfaceNumber: 0, out: { endpointNumber: 1 }, in: { endpointNumber: 2 } } });
    await Promise.all([t.write(Uint8Array.of(0x1b, 0x40)), t.write(Uint8Array.of(0x41)), t.write(Uint8Array.of(0x0a))]);
    expect(bytesOf(device)).toEqual([[1, 0x1b, 0x40], [1, 0x41], [1, 0x0a]]);
  });

  it('hands what the printer sends on bulk IN to onData, and stays open through quiet polls', async () => {
    const { bus, device } = plugged();
    const t = await open(bus);
    const received: number[] = [];
    const closes: Array<Error | null> = [];
    t.onData((chunk) => received.push(...chunk));
    t.onClose((e) => closes.push(e));
    await new Promise((r) => setTimeout(r, 120)); // several polls time out with nothing to read
    await device.deviceSide.write(Uint8Array.of(0x16));
    await expect.poll(() => received).toEqual([0x16]);
    expect(device.inTransfers).toEqual([{ endpointNumber: 2, bytes: Uint8Array.of(0x16) }]);
    expect(closes).toEqual([]);
  });

  it('uses a vendor-class interface\'s own endpoints', async () => {
    const { bus, device } = plugged({ interfaces: USB_DESCRIPTORS.vendorClass() });
    const t = await open(bus);
    const received: number[] = [];
    t.onData((chunk) => received.push(...chunk));
    await t.write(Uint8Array.of(0x10, 0x04, 0x01));
    await device.deviceSide.write(Uint8Array.of(0x12));
    await expect.poll(() => received).toEqual([0x12]);
    expect(device.calls).toEqual(['open', 'claim 1']);
    expect(bytesOf(device)).toEqual([[3, 0x10, 0x04, 0x01]]);
    expect(device.inTransfers[0]!.endpointNumber).toBe(4);
  });

  it('writes to a unidirectional printer and never polls an IN endpoint it does not have', async () => {
    const { bus, device } = plugged({ interfaces: USB_DESCRIPTORS.printerClassOneWay() });
    const t = await open(bus);
    await t.write(Uint8Array.of(0x41));
    await device.deviceSide.write(Uint8Array.of(0x12));
    await new Promise((r) => setTimeout(r, 60));
    expect(device.inTransfers).toEqual([]);
    expect(usbLinkOf(t)?.pipe.in).toBeNull();
  });

  it('reports an unplugged printer once through onClose, refuses writes after, and lets go of the bus listener', async () => {
    const { bus, device } = plugged();
    const t = await open(bus);
    const closes: Array<Error | null> = [];
    t.onClose((e) => closes.push(e));
    expect(bus.disconnectListeners).toBe(1);
    bus.unplug(device);
    expect(closes).toHaveLength(1);
    expect(closes[0]).toBeInstanceOf(UsbTransportError);
    expect(closes[0]).toMatchObject({ code: 'usb-disconnected', message: 'usb:0416:5011 was unplugged' });
    await expect(t.write(Uint8Array.of(0x41))).rejects.toMatchObject({ code: 'usb-disconnected' });
    await t.close();
    expect(bus.disconnectListeners).toBe(0);
    expect(closes).toHaveLength(1);
  });

  it('ignores the unplugging of another device', async () => {
    const { bus } = plugged();
    const other = bus.plug(new EmulatedUsbDevice({ vendorId: 0x04b8, productId: 0x0202, interfaces: USB_DESCRIPTORS.printerClass() }));
    const t = await open(bus);
    const closes: Array<Error | null> = [];
    t.onClose((e) => closes.push(e));
    bus.unplug(other);
    await t.write(Uint8Array.of(0x41));
    expect(closes).toEqual([]);
  });

  it('closes the link when a transfer finds the device gone before any disconnect event', async () => {
    const { bus, device } = plugged();
    const t = await open(bus);
    const closes: Array<Error | null> = [];
    t.onClose((e) => closes.push(e));
    device.beforeTransferOut = () => device.pullOut();
    await expect(t.write(Uint8Array.of(0x41))).rejects.toMatchObject({ code: 'usb-disconnected', message: expect.stringContaining('Disconnected') });
    expect(closes).toEqual([expect.objectContaining({ code: 'usb-disconnected' })]);
  });

  it('releases the interface before closing, returns it to the kernel printer driver it took it from, and opens again', async () => {
    const { bus, device } = plugged({ kernelDriverOn: [0] });
    const t = await openUsb(IDS, { bus, ...QUICK });
    expect(device.calls).toEqual(['open', 'claim 0', 'detach 0', 'claim 0', 'alt 0=1']);
    expect(device.kernelDriverHolds(0)).toBe(false);
    await t.close();
    expect(device.calls.slice(5)).toEqual(['release 0', 'attach 0', 'close']);
    expect(device.isClaimed(0)).toBe(false);
    expect(device.kernelDriverHolds(0)).toBe(true);
    expect(bus.disconnectListeners).toBe(0);
    const again = await open(bus);
    await again.write(Uint8Array.of(0x41));
    expect(device.outTransfers).toHaveLength(1);
  });

  it('picks the device with the serial number asked for, and names the serial numbers it found when it is absent', async () => {
    const bus = new EmulatedUsbBus();
    bus.plug(new EmulatedUsbDevice({ ...IDS, serialNumber: 'A1', interfaces: USB_DESCRIPTORS.printerClass() }));
    const b2 = bus.plug(new EmulatedUsbDevice({ ...IDS, serialNumber: 'B2', interfaces: USB_DESCRIPTORS.printerClass() }));
    const t = await open(bus, { ...IDS, serialNumber: 'B2' });
    expect(usbLinkOf(t)?.serialNumber).toBe('B2');
    expect(b2.calls).toContain('claim 0');
    const error = await failure(openUsb({ ...IDS, serialNumber: 'C3' }, { bus }));
    expect(error).toBeInstanceOf(UsbTransportError);
    expect(error).toMatchObject({
      code: 'usb-not-found', message: 'no USB device usb:0416:5011 with serial number C3 is plugged in',
      details: { serialNumbersFound: ['A1', 'B2'] },
    });
  });

  it('fails to open with a typed error for each cause, leaving nothing claimed or open', async () => {
    const absent = new EmulatedUsbBus();
    expect(await failure(openUsb(IDS, { bus: absent }))).toMatchObject({ code: 'usb-not-found', message: 'no USB device usb:0416:5011 is plugged in' });

    const { bus: hidBus, device: keyboard } = plugged({ interfaces: USB_DESCRIPTORS.hidOnly() });
    expect(await failure(openUsb(IDS, { bus: hidBus }))).toMatchObject({ code: 'usb-not-a-printer', details: { interfaceClasses: [3] } });
    expect(keyboard.calls).toEqual(['open', 'close']);

    const { bus: lockedBus, device: locked } = plugged({ openError: 'Permission denied (os error 13)' });
    expect(await failure(openUsb(IDS, { bus: lockedBus })))
      .toMatchObject({ code: 'usb-open-failed', message: expect.stringContaining('Permission denied'), details: { fix: expect.stringContaining('udev') } });
    expect(locked.isClaimed(0)).toBe(false);

    const { bus: noSysfs } = plugged();
    noSysfs.enumerationError = '/sys/bus/usb/devices/ not found (errno 2)';
    expect(await failure(openUsb(IDS, { bus: noSysfs }))).toMatchObject({ code: 'usb-unavailable', message: expect.stringContaining('/sys/bus/usb/devices/') });
  });

  it('says the usb package did not load when its import fails', async () => {
    const error = await failure(loadUsbBus(() => Promise.reject(new Error("Cannot find module '@node-usb/usb-linux-x64-gnu'"))));
    expect(error).toBeInstanceOf(UsbTransportError);
    expect(error).toMatchObject({ code: 'usb-unavailable', message: expect.stringContaining('@node-usb/usb-linux-x64-gnu') });
  });
});
