// A HID POS scanner through node-hid (loaded by node-hid.ts when a scanner is opened, so a till
// without libusb-1.0 still starts). Tests pass a fake HidDevice that replays generated reports
// (report-generator.ts), and a fake node-hid module for finding the interface: CI hosts have no hidraw.
import { ScannerEvents, scannerErrors, type Scanner, type ScannerEvent, type ScannerFault } from '../scanner';
import { HIDPOS_USAGE_PAGE, HONEYWELL_ENABLE_FEATURE, HidPosAssembler, NODE_HID, type AssembledScan, type ReportLayout } from './codec';
import { loadNodeHid, type NodeHidModule } from './node-hid';

/** The part of node-hid's HID.HID (or a WebHID adapter) the driver uses. */
export interface HidDevice {
  on(event: 'data', listener: (report: Buffer | Uint8Array) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  sendFeatureReport(data: number[] | Uint8Array): number;
  close(): void;
}

export interface HidPosOptions {
  id: string;
  /** node-hid includes the report id as byte 0 (default); a WebHID adapter does not. */
  layout?: ReportLayout;
  /** Send Honeywell's enable feature report 0xFE 0x01 on open. */
  honeywell?: boolean;
  /** A continued code must finish within this (default 300 ms). */
  idleMs?: number;
}

export interface HidPosSelector { path?: string; vendorId?: number; productId?: number }

export class HidPosScanner implements Scanner {
  readonly id: string;
  private readonly events = new ScannerEvents();
  private readonly assembler: HidPosAssembler;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  private constructor(private readonly device: HidDevice, private readonly o: HidPosOptions) {
    this.id = o.id;
    this.assembler = new HidPosAssembler(o.layout ?? NODE_HID);
    device.on('data', (report) => this.receive(new Uint8Array(report)));
    device.on('error', (error) => {
      if (!this.closed) this.events.fault({ source: this.id, error: scannerErrors.noLink({ reason: error.message }) });
    });
  }

  /**
   * Opens the first HID POS interface (usage page 0x8C) matching the selector through node-hid.
   * `hid` is node-hid itself unless a test passes a fake.
   */
  static async open(selector: HidPosSelector, o: HidPosOptions, hid?: NodeHidModule): Promise<HidPosScanner> {
    const nodeHid = hid ?? await loadNodeHid();
    // The async listing: enumeration reads every HID node, which must not stall the main process.
    const found = await nodeHid.devicesAsync().catch((error: unknown) => {
      throw scannerErrors.noLink({ ...selector, reason: `listing HID devices failed: ${(error as Error)?.message ?? String(error)}` });
    });
    const info = found.find((d) => (selector.path ? d.path === selector.path
      : d.usagePage === HIDPOS_USAGE_PAGE && (selector.vendorId === undefined || d.vendorId === selector.vendorId)
        && (selector.productId === undefined || d.productId === selector.productId)));
    if (!info?.path) throw scannerErrors.noLink({ ...selector, reason: 'no HID POS scanner (usage page 0x8C) found' });
    let device: HidDevice;
    try {
      device = new nodeHid.HID(info.path);
    } catch (error) {
      throw scannerErrors.noLink({ path: info.path, reason: (error as Error).message, fix: 'on Linux the hidraw node must be readable by the lane\'s user (a udev rule)' });
    }
    return HidPosScanner.over(device, o);
  }

  static over(device: HidDevice, o: HidPosOptions): HidPosScanner {
    const scanner = new HidPosScanner(device, o);
    if (o.honeywell) {
      try { device.sendFeatureReport(Array.from(HONEYWELL_ENABLE_FEATURE)); } catch (error) {
        scanner.events.fault({ source: o.id, error: scannerErrors.noLink({ reason: `enable feature report: ${(error as Error).message}` }) });
      }
    }
    return scanner;
  }

  onScan(l: (e: ScannerEvent) => void): () => void { return this.events.onScan(l); }
  onFault(l: (f: ScannerFault) => void): () => void { return this.events.onFault(l); }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    try { this.device.close(); } catch { /* already gone */ }
  }

  private receive(report: Uint8Array): void {
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
    this.emit(this.assembler.push(report));
    if (this.assembler.pending) {
      this.timer = setTimeout(() => { this.timer = null; this.emit(this.assembler.abandon()); }, this.o.idleMs ?? 300);
    }
  }

  private emit(a: AssembledScan | null): void {
    if (!a) return;
    if (a.kind === 'scan') { this.events.scan({ code: a.code, aim: a.aim, symbology: a.symbology, source: this.id }); return; }
    const error = a.fault === 'garbage' ? scannerErrors.garbage({ reason: a.reason })
      : a.fault === 'overlong' ? scannerErrors.overlong({ reason: a.reason }) : scannerErrors.badReport({ reason: a.reason });
    this.events.fault({ source: this.id, error });
  }
}
