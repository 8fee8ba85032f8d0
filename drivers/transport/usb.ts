// ByteTransport over a USB printer's bulk pipes (the `usb` package, WebUSB API): the device found by
// vendor and product id (and serial number), its printer interface claimed (usb-printer-interface.ts),
// bytes out with transferOut on the bulk OUT endpoint, the printer's answers (DLE EOT) read by a loop
// of transferIn on the bulk IN endpoint. An unplugged printer closes the transport (node-usb's
// 'disconnect' event, or a transfer that fails), which is what the device manager reconnects on.
import { TransportEvents, type ByteTransport } from './byte-transport';
import { formatUsbId } from './port-spec';
import { UsbTransportError, loadUsbBus, messageOf, type UsbBulkDevice, type UsbBus, type UsbConnectionEvent } from './usb-bus';
import { choosePrinterInterface, type UsbBulkEndpoint, type UsbPrinterInterface } from './usb-printer-interface';

export interface UsbSelector { vendorId: number; productId: number; serialNumber?: string }

export interface UsbOptions {
  /** node-usb's `usb` unless a test passes an emulated bus. */
  bus?: UsbBus;
  /** One bulk OUT transfer (default 10 s: a printer takes data only as fast as its buffer drains). */
  writeTimeoutMs?: number;
  /** How long one transferIn waits for an answer before the next one is started (default 250 ms). */
  readPollMs?: number;
}

export interface UsbTransport extends ByteTransport {
  readonly usb: { readonly id: string; readonly serialNumber: string | null; readonly pipe: UsbPrinterInterface };
}

/** What usb.ts opened: ids, serial number and the interface it claimed; null for any other transport. */
export function usbLinkOf(t: ByteTransport): UsbTransport['usb'] | null {
  return 'usb' in t ? (t as UsbTransport).usb : null;
}

const DEFAULT_WRITE_TIMEOUT_MS = 10_000;
const DEFAULT_READ_POLL_MS = 250;

export async function openUsb(selector: UsbSelector, o: UsbOptions = {}): Promise<UsbTransport> {
  const bus = o.bus ?? await loadUsbBus();
  const device = await findDevice(bus, selector);
  const id = formatUsbId(selector);
  let claimed: { pipe: UsbPrinterInterface; detachedKernelDriver: boolean } | null = null;
  try {
    await device.open();
    claimed = await claimPrinterInterface(device, id);
  } catch (error) {
    if (claimed) await device.releaseInterface(claimed.pipe.interfaceNumber).catch(() => undefined);
    await device.close().catch(() => undefined);
    if (error instanceof UsbTransportError) throw error;
    throw new UsbTransportError('usb-open-failed', `cannot open ${id}: ${messageOf(error)}`, {
      ...selector, fix: 'on Linux the lane\'s user needs access to the device (a udev rule with its vendor and product id)',
    });
  }
  return new UsbPrinterLink(bus, device, id, claimed.pipe, claimed.detachedKernelDriver, o);
}

async function findDevice(bus: UsbBus, s: UsbSelector): Promise<UsbBulkDevice> {
  const id = formatUsbId(s);
  let candidates: UsbBulkDevice[];
  try {
    // findDeviceByIds gives the first match only; a serial number needs the whole list.
    if (s.serialNumber === undefined) {
      const device = await bus.findDeviceByIds(s.vendorId, s.productId);
      candidates = device ? [device] : [];
    } else {
      candidates = (await bus.getDevices()).filter((d) => d.vendorId === s.vendorId && d.productId === s.productId);
    }
  } catch (error) {
    throw new UsbTransportError('usb-unavailable', `cannot list USB devices on this computer: ${messageOf(error)}`, { ...s });
  }
  const device = s.serialNumber === undefined ? candidates[0] : candidates.find((d) => serialOf(d) === s.serialNumber);
  if (device) return device;
  const others = candidates.map(serialOf).filter((x): x is string => x !== null);
  throw new UsbTransportError('usb-not-found', `no USB device ${id}${s.serialNumber !== undefined ? ` with serial number ${s.serialNumber}` : ''} is plugged in`, {
    ...s, ...(others.length ? { serialNumbersFound: others } : {}),
  });
}

async function claimPrinterInterface(device: UsbBulkDevice, id: string): Promise<{ pipe: UsbPrinterInterface; detachedKernelDriver: boolean }> {
  // An unconfigured device (WebUSB: configuration null) gets its first configuration. A configured one
  // is left alone: setting the active configuration again is a lightweight reset under libusb, and
  // whether nusb does the same is UNCONFIRMED.
  if (!device.configuration) {
    const first = device.configurations[0];
    if (!first) throw new UsbTransportError('usb-not-a-printer', `${id} reports no configuration`, { id });
    await device.selectConfiguration(first.configurationValue);
  }
  const pipe = device.configuration ? choosePrinterInterface(device.configuration) : null;
  if (!pipe) {
    const classes = (device.configuration?.interfaces ?? []).map((i) => i.alternate.interfaceClass);
    throw new UsbTransportError('usb-not-a-printer', `${id} is not a printer: no printer-class (7) or vendor-class interface with a bulk OUT endpoint`, {
      id, interfaceClasses: classes,
    });
  }
  let detachedKernelDriver = false;
  try {
    await device.claimInterface(pipe.interfaceNumber);
  } catch (error) {
    // Linux binds its usblp driver to printer-class interfaces, and a claim fails while it holds one.
    // The message node-usb gives for that is UNCONFIRMED, so any failed claim tries the detach once.
    if (!device.detachKernelDriver) throw error;
    try { await device.detachKernelDriver(pipe.interfaceNumber); } catch { throw error; }
    detachedKernelDriver = true;
    await device.claimInterface(pipe.interfaceNumber);
  }
  if (!pipe.alternateIsDefault) await device.selectAlternateInterface(pipe.interfaceNumber, pipe.alternateSetting);
  return { pipe, detachedKernelDriver };
}

/** Reading the serial number can need the device opened, which may be refused: no answer, not a crash. */
function serialOf(d: UsbBulkDevice): string | null {
  try { return d.serialNumber ?? null; } catch { return null; }
}

function isUnplugged(error: unknown): boolean {
  // node-usb-rs words it "… error: Disconnected" (nusb's TransferError::Disconnected).
  return /disconnect|no such device|ENODEV/i.test(messageOf(error));
}

class UsbPrinterLink implements UsbTransport {
  readonly kind = 'serial' as const;
  readonly usb: UsbTransport['usb'];
  private readonly events = new TransportEvents();
  private state: 'open' | 'lost' | 'closed' = 'open';
  private writes: Promise<unknown> = Promise.resolve();
  private readonly reading: Promise<void> | null;
  private released: Promise<void> | null = null;
  private readonly writeTimeoutMs: number;
  private readonly readPollMs: number;

  constructor(
    private readonly bus: UsbBus, private readonly device: UsbBulkDevice, private readonly id: string,
    private readonly pipe: UsbPrinterInterface, private readonly detachedKernelDriver: boolean, o: UsbOptions,
  ) {
    this.usb = { id, serialNumber: serialOf(device), pipe };
    this.writeTimeoutMs = o.writeTimeoutMs ?? DEFAULT_WRITE_TIMEOUT_MS;
    this.readPollMs = o.readPollMs ?? DEFAULT_READ_POLL_MS;
    bus.addEventListener('disconnect', this.onDisconnect);
    this.reading = pipe.in ? this.readLoop(pipe.in) : null;
  }

  /** Writes go out one after another: node-usb runs each transfer on its own thread, so two at once could swap. */
  write(bytes: Uint8Array): Promise<void> {
    const run = this.writes.then(() => this.writeNow(bytes));
    this.writes = run.catch(() => undefined);
    return run;
  }

  onData(listener: (chunk: Uint8Array) => void): () => void { return this.events.onData(listener); }
  onClose(listener: (error: Error | null) => void): () => void { return this.events.onClose(listener); }

  async close(): Promise<void> {
    if (this.state === 'open') this.state = 'closed';
    await this.release();
  }

  private async writeNow(bytes: Uint8Array): Promise<void> {
    if (this.state === 'lost') throw new UsbTransportError('usb-disconnected', `${this.id} is gone`, { id: this.id });
    if (this.state === 'closed') throw new UsbTransportError('usb-transfer-failed', `${this.id} is closed`, { id: this.id });
    let result: USBOutTransferResult;
    try {
      result = await this.device.transferOut(this.pipe.out.endpointNumber, Uint8Array.from(bytes), this.writeTimeoutMs);
    } catch (error) {
      // A bulk write cut off part-way leaves the printer inside a command: the link must start over.
      throw this.lose(isUnplugged(error) ? 'usb-disconnected' : 'usb-transfer-failed', `writing to ${this.id}: ${messageOf(error)}`);
    }
    if (result.status !== 'ok' || result.bytesWritten !== bytes.length) {
      if (result.status === 'stall') await this.device.clearHalt('out', this.pipe.out.endpointNumber).catch(() => undefined);
      throw this.lose('usb-transfer-failed', `writing to ${this.id}: ${result.bytesWritten} of ${bytes.length} bytes taken (${result.status})`);
    }
  }

  private async readLoop(endpoint: UsbBulkEndpoint): Promise<void> {
    while (this.state === 'open') {
      const startedAt = Date.now();
      try {
        const result = await this.device.transferIn(endpoint.endpointNumber, endpoint.packetSize, this.readPollMs);
        if (this.state !== 'open') return;
        if (result.status === 'stall') { await this.device.clearHalt('in', endpoint.endpointNumber); continue; }
        if (result.status !== 'ok') throw new Error(`transferIn status ${result.status}`);
        const data = result.data;
        if (data && data.byteLength > 0) {
          this.events.emitData(new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)));
        } else {
          // A printer that answers an IN poll with an empty packet instead of waiting would spin this
          // loop (UNCONFIRMED that any does); a short pause keeps it cheap.
          await pause(Math.min(20, this.readPollMs));
        }
      } catch (error) {
        if (this.state !== 'open') return;
        // node-usb reports a transferIn that timed out as a rejection ("transferIn error: Cancelled"
        // in node-usb-rs; the wording is UNCONFIRMED), like a real failure. One that took the whole
        // poll is a printer with nothing to say; one that came early is a failing pipe.
        if (!isUnplugged(error) && Date.now() - startedAt >= this.readPollMs * 0.8) continue;
        this.lose(isUnplugged(error) ? 'usb-disconnected' : 'usb-transfer-failed', `reading from ${this.id}: ${messageOf(error)}`);
        return;
      }
    }
  }

  private readonly onDisconnect = (event: UsbConnectionEvent): void => {
    if (this.state === 'open' && sameDevice(event.device, this.device)) this.lose('usb-disconnected', `${this.id} was unplugged`);
  };

  /** The link is gone: listeners hear it once, and what is left of the device is released. */
  private lose(code: 'usb-disconnected' | 'usb-transfer-failed', message: string): UsbTransportError {
    const error = new UsbTransportError(code, message, { id: this.id });
    if (this.state !== 'open') return error;
    this.state = 'lost';
    this.events.emitClose(error);
    this.release().catch(() => undefined);
    return error;
  }

  private release(): Promise<void> {
    this.released ??= (async () => {
      this.bus.removeEventListener('disconnect', this.onDisconnect);
      // A pending transferIn keeps the interface claimed until its poll ends; a reopen right after
      // close() would find it busy.
      if (this.reading) await settleWithin(this.reading, this.readPollMs + 500);
      await this.device.releaseInterface(this.pipe.interfaceNumber).catch(() => undefined);
      // Give the interface back to the OS printer driver we took it from (fails harmlessly if unplugged).
      if (this.detachedKernelDriver) await this.device.attachKernelDriver?.(this.pipe.interfaceNumber).catch(() => undefined);
      await this.device.close().catch(() => undefined);
    })();
    return this.released;
  }
}

function sameDevice(a: UsbBulkDevice, b: UsbBulkDevice): boolean {
  if (a === b) return true;
  return a.handle !== undefined && a.handle === b.handle;
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function settleWithin(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([p.catch(() => undefined), new Promise<void>((resolve) => { timer = setTimeout(resolve, ms); })]);
  clearTimeout(timer);
}
