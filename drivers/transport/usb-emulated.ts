/// <reference types="w3c-web-usb" />
// An emulated USB bus with devices that speak the WebUSB subset of usb-bus.ts: the USB counterpart of
// a pty, since CI hosts have no USB gadget. A device model sits behind a device's bulk pipes through
// `deviceSide` (serveDevice({ usb }) hands it to an emulator such as EscPosEmulator). Descriptors are
// the test's choice (a printer-class, a vendor-class or a HID-only device), every transfer is recorded,
// and the device behaves as node-usb-rs does where tests depend on it:
// - a transfer needs its interface claimed and names an endpoint of the current alternate setting;
// - a claim held by the kernel's printer driver fails until detachKernelDriver (Linux usblp);
// - close() does not release claimed interfaces (node-usb-rs keeps them until releaseInterface);
// - a transferIn with nothing to read rejects after its timeout ("transferIn error: Cancelled");
// - unplugged, every pending and later transfer rejects with "… error: Disconnected" and the bus fires
//   'disconnect' with its own object for the device (another object, the same handle).
import { TransportEvents, type ByteTransport } from './byte-transport';
import { formatUsbId } from './port-spec';
import type { UsbBulkDevice, UsbBus, UsbConnectionEvent } from './usb-bus';

export interface EmulatedEndpoint { endpointNumber: number; direction: USBDirection; type: USBEndpointType; packetSize: number }
export interface EmulatedAlternate {
  alternateSetting: number;
  interfaceClass: number;
  interfaceSubclass: number;
  interfaceProtocol: number;
  endpoints: EmulatedEndpoint[];
}
export interface EmulatedInterface { interfaceNumber: number; alternates: EmulatedAlternate[] }

export interface EmulatedUsbDeviceOptions {
  vendorId: number;
  productId: number;
  serialNumber?: string | null;
  interfaces: EmulatedInterface[];
  /** Interfaces the OS printer driver (usblp) holds when the device is plugged in. */
  kernelDriverOn?: number[];
  /** open() rejects with this message (a device the lane's user may not open: "Permission denied"). */
  openError?: string;
  /** Shared by the objects that stand for one plugged device; made up when absent. */
  handle?: string;
}

const endpoint = (endpointNumber: number, direction: USBDirection, type: USBEndpointType = 'bulk', packetSize = 64): EmulatedEndpoint =>
  ({ endpointNumber, direction, type, packetSize });

/** Descriptors of devices seen in the field (the layouts, not any maker's exact values). */
export const USB_DESCRIPTORS = {
  /** Printer class: alternate 0 unidirectional (OUT 1), alternate 1 bidirectional (OUT 1, IN 2). */
  printerClass: (): EmulatedInterface[] => [{
    interfaceNumber: 0,
    alternates: [
      { alternateSetting: 0, interfaceClass: 0x07, interfaceSubclass: 0x01, interfaceProtocol: 0x01, endpoints: [endpoint(1, 'out')] },
      { alternateSetting: 1, interfaceClass: 0x07, interfaceSubclass: 0x01, interfaceProtocol: 0x02, endpoints: [endpoint(1, 'out'), endpoint(2, 'in')] },
    ],
  }],
  /** Printer class, unidirectional only: bytes go out, no answer can come back. */
  printerClassOneWay: (): EmulatedInterface[] => [{
    interfaceNumber: 0,
    alternates: [{ alternateSetting: 0, interfaceClass: 0x07, interfaceSubclass: 0x01, interfaceProtocol: 0x01, endpoints: [endpoint(1, 'out')] }],
  }],
  /** A HID interface first, then the vendor-specific (0xFF) printer interface with OUT 3 and IN 4. */
  vendorClass: (): EmulatedInterface[] => [
    { interfaceNumber: 0, alternates: [{ alternateSetting: 0, interfaceClass: 0x03, interfaceSubclass: 0, interfaceProtocol: 0, endpoints: [endpoint(1, 'in', 'interrupt', 8)] }] },
    { interfaceNumber: 1, alternates: [{ alternateSetting: 0, interfaceClass: 0xff, interfaceSubclass: 0, interfaceProtocol: 0, endpoints: [endpoint(3, 'out'), endpoint(4, 'in')] }] },
  ],
  /** A keyboard-like HID device: not a printer. */
  hidOnly: (): EmulatedInterface[] => [
    { interfaceNumber: 0, alternates: [{ alternateSetting: 0, interfaceClass: 0x03, interfaceSubclass: 1, interfaceProtocol: 1, endpoints: [endpoint(1, 'in', 'interrupt', 8)] }] },
  ],
};

let handles = 0;

export class EmulatedUsbDevice implements UsbBulkDevice {
  readonly vendorId: number;
  readonly productId: number;
  readonly handle: string;
  /** Every bulk OUT transfer, as the device received it. */
  readonly outTransfers: Array<{ endpointNumber: number; bytes: Uint8Array }> = [];
  /** Every bulk IN transfer that carried data. */
  readonly inTransfers: Array<{ endpointNumber: number; bytes: Uint8Array }> = [];
  /** Calls a test may want to see, in order: 'open', 'claim 0', 'detach 0', 'alt 0=1', 'release 0', 'attach 0', 'close'. */
  readonly calls: string[] = [];
  /** Runs before an OUT transfer is delivered; unplugging the device here cuts the transfer off. */
  beforeTransferOut: ((bytes: Uint8Array) => void) | null = null;
  /** The device model's end of the bulk pipes: it hears OUT data and writes what IN transfers return. */
  readonly deviceSide: ByteTransport;
  private plugged = false;
  private opened = false;
  private readonly claimed = new Set<number>();
  private readonly alternates = new Map<number, number>();
  private readonly kernelDriverOn: Set<number>;
  private readonly fromDevice: number[] = [];
  private readonly readers = new Set<{ length: number; resolve(r: USBInTransferResult): void; reject(e: Error): void; timer: NodeJS.Timeout }>();
  private readonly modelEvents = new TransportEvents();

  constructor(private readonly o: EmulatedUsbDeviceOptions) {
    this.vendorId = o.vendorId;
    this.productId = o.productId;
    this.handle = o.handle ?? `emulated-${++handles}`;
    this.kernelDriverOn = new Set(o.kernelDriverOn ?? []);
    this.deviceSide = {
      kind: 'serial',
      write: async (bytes) => { this.fromDevice.push(...bytes); this.serveReaders(); },
      onData: (l) => this.modelEvents.onData(l),
      onClose: (l) => this.modelEvents.onClose(l),
      close: async () => undefined,
    };
  }

  get serialNumber(): string | null { return this.o.serialNumber ?? null; }
  get address(): string { return formatUsbId(this) + (this.o.serialNumber ? `:${this.o.serialNumber}` : ''); }
  get configurations(): USBConfiguration[] { return [this.configurationDescriptor()]; }
  get configuration(): USBConfiguration { return this.configurationDescriptor(); }
  /** Whether the interface is claimed now (the transport must release it before closing). */
  isClaimed(interfaceNumber: number): boolean { return this.claimed.has(interfaceNumber); }
  kernelDriverHolds(interfaceNumber: number): boolean { return this.kernelDriverOn.has(interfaceNumber); }

  async open(): Promise<void> {
    this.calls.push('open');
    if (!this.plugged) throw new Error('open error: No such device (os error 19)');
    if (this.o.openError) throw new Error(`open error: ${this.o.openError}`);
    this.opened = true;
  }

  async close(): Promise<void> {
    this.calls.push('close');
    this.opened = false;
  }

  async selectConfiguration(value: number): Promise<void> {
    this.mustBeOpen('selectConfiguration');
    if (value !== 1) throw new Error('selectConfiguration error: invalid configuration');
  }

  async claimInterface(n: number): Promise<void> {
    this.calls.push(`claim ${n}`);
    this.mustBeOpen('claimInterface');
    if (!this.o.interfaces.some((i) => i.interfaceNumber === n)) throw new Error('claimInterface error: invalid interface');
    if (this.claimed.has(n) || this.kernelDriverOn.has(n)) throw new Error('claimInterface error: Device or resource busy (os error 16)');
    this.claimed.add(n);
    this.alternates.set(n, 0);
  }

  async releaseInterface(n: number): Promise<void> {
    this.calls.push(`release ${n}`);
    if (!this.claimed.delete(n)) throw new Error('releaseInterface error: not claimed');
  }

  async selectAlternateInterface(n: number, alternateSetting: number): Promise<void> {
    this.calls.push(`alt ${n}=${alternateSetting}`);
    if (!this.claimed.has(n)) throw new Error('selectAlternateInterface error: invalid state');
    this.alternates.set(n, alternateSetting);
  }

  async detachKernelDriver(n: number): Promise<void> {
    this.calls.push(`detach ${n}`);
    this.mustBeOpen('detachKernelDriver');
    this.kernelDriverOn.delete(n);
  }

  async attachKernelDriver(n: number): Promise<void> {
    this.calls.push(`attach ${n}`);
    this.mustBeOpen('attachKernelDriver');
    if (this.claimed.has(n)) throw new Error('attachKernelDriver error: Device or resource busy (os error 16)');
    this.kernelDriverOn.add(n);
  }

  async clearHalt(direction: USBDirection, endpointNumber: number): Promise<void> {
    this.calls.push(`clear-halt ${direction} ${endpointNumber}`);
  }

  async transferOut(endpointNumber: number, data: Uint8Array<ArrayBuffer>): Promise<USBOutTransferResult> {
    if (!this.plugged) throw new Error('transferOut error: Disconnected');
    if (!this.claimedEndpoint(endpointNumber, 'out')) throw new Error('transferOut error: endpoint not found');
    const bytes = Uint8Array.from(data);
    this.beforeTransferOut?.(bytes);
    if (!this.plugged) throw new Error('transferOut error: Disconnected');
    this.outTransfers.push({ endpointNumber, bytes });
    this.modelEvents.emitData(bytes);
    return { status: 'ok', bytesWritten: bytes.length };
  }

  transferIn(endpointNumber: number, length: number, timeoutMs = 1_000): Promise<USBInTransferResult> {
    if (!this.plugged) return Promise.reject(new Error('transferIn error: Disconnected'));
    if (!this.claimedEndpoint(endpointNumber, 'in')) return Promise.reject(new Error('transferIn error: endpoint not found'));
    return new Promise((resolve, reject) => {
      const reader = {
        length,
        resolve: (r: USBInTransferResult) => { this.inTransfers.push({ endpointNumber, bytes: new Uint8Array(r.data!.buffer) }); resolve(r); },
        reject,
        timer: setTimeout(() => { this.readers.delete(reader); reject(new Error('transferIn error: Cancelled')); }, timeoutMs),
      };
      this.readers.add(reader);
      this.serveReaders();
    });
  }

  get isPlugged(): boolean { return this.plugged; }

  /** The bus has it: the OS printer driver binds again where it held the device before. */
  plugIn(): void {
    this.plugged = true;
    for (const n of this.o.kernelDriverOn ?? []) this.kernelDriverOn.add(n);
  }

  /** The bus took it away: every pending transfer fails as on a real unplug. */
  pullOut(): void {
    this.plugged = false;
    this.opened = false;
    this.claimed.clear();
    for (const r of this.readers) { clearTimeout(r.timer); r.reject(new Error('transferIn error: Disconnected')); }
    this.readers.clear();
    this.fromDevice.length = 0;
  }

  private serveReaders(): void {
    for (const r of this.readers) {
      if (this.fromDevice.length === 0) return;
      this.readers.delete(r);
      clearTimeout(r.timer);
      const chunk = Uint8Array.from(this.fromDevice.splice(0, r.length));
      r.resolve({ status: 'ok', data: new DataView(chunk.buffer) });
    }
  }

  private claimedEndpoint(endpointNumber: number, direction: USBDirection): boolean {
    return this.o.interfaces.some((i) => {
      if (!this.claimed.has(i.interfaceNumber)) return false;
      const current = i.alternates.find((a) => a.alternateSetting === (this.alternates.get(i.interfaceNumber) ?? 0));
      return current?.endpoints.some((e) => e.endpointNumber === endpointNumber && e.direction === direction && e.type === 'bulk') ?? false;
    });
  }

  private mustBeOpen(call: string): void {
    if (!this.plugged || !this.opened) throw new Error(`${call} error: invalid state`);
  }

  private configurationDescriptor(): USBConfiguration {
    return {
      configurationValue: 1,
      configurationName: null,
      interfaces: this.o.interfaces.map((i) => {
        const alternates = i.alternates.map((a) => ({ ...a, interfaceName: null, endpoints: a.endpoints.map((e) => ({ ...e })) }));
        return { interfaceNumber: i.interfaceNumber, claimed: this.claimed.has(i.interfaceNumber), alternate: alternates[0]!, alternates };
      }),
    };
  }
}

export class EmulatedUsbBus implements UsbBus {
  /** When set, listing fails as on a host without USB in sysfs ("/sys/bus/usb/devices/ not found"). */
  enumerationError: string | null = null;
  private readonly plugged: EmulatedUsbDevice[] = [];
  private readonly listeners = new Set<(event: UsbConnectionEvent) => void>();

  get disconnectListeners(): number { return this.listeners.size; }

  plug(device: EmulatedUsbDevice): EmulatedUsbDevice {
    if (!this.plugged.includes(device)) this.plugged.push(device);
    device.plugIn();
    return device;
  }

  unplug(device: EmulatedUsbDevice): void {
    const at = this.plugged.indexOf(device);
    if (at < 0) return;
    this.plugged.splice(at, 1);
    device.pullOut();
    // node-usb announces the loss with the object from its own device list, not the caller's.
    const record = new EmulatedUsbDevice({ vendorId: device.vendorId, productId: device.productId, interfaces: [], handle: device.handle });
    for (const l of [...this.listeners]) l({ device: record });
  }

  async getDevices(): Promise<EmulatedUsbDevice[]> {
    this.mayList('getDevices');
    return [...this.plugged];
  }

  async findDeviceByIds(vendorId: number, productId: number): Promise<EmulatedUsbDevice | undefined> {
    this.mayList('findDeviceByIds');
    return this.plugged.find((d) => d.vendorId === vendorId && d.productId === productId);
  }

  addEventListener(_type: 'disconnect', listener: (event: UsbConnectionEvent) => void): void { this.listeners.add(listener); }
  removeEventListener(_type: 'disconnect', listener: (event: UsbConnectionEvent) => void): void { this.listeners.delete(listener); }

  private mayList(call: string): void {
    if (this.enumerationError) throw new Error(`${call} error: ${this.enumerationError}`);
  }
}
