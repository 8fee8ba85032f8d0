// One configured device opened through its driver, behind a handle the device manager can watch
// without knowing the kind: `check()` is the health check (scale: a reading; printer: DLE EOT status;
// scanner: the port is open; display: the current lines rewritten in place), `onLost` hears a device
// that noticed on its own that its port went away. Only drivers open ports; this file only picks one.
import type { DeviceConfig, DeviceOptions } from '../../contract/device-model';
import type { LocalizedText } from '../../contract/errors';
import { openScale, type ScaleSettings } from '../../../drivers/scales/open';
import type { Scale, ScaleProtocol, ScaleReading } from '../../../drivers/scales/scale';
import { openScanner, type ScannerSettings } from '../../../drivers/scanners/open';
import { scannerErrors, type Scanner } from '../../../drivers/scanners/scanner';
import type { ScanSuffix } from '../../../drivers/scanners/serial/codec';
import { EscPosPrinter } from '../../../drivers/printer/escpos/driver';
import type { PrinterStatus, ReceiptPrinter } from '../../../drivers/printer/receipt-printer';
import { EpsonCustomerDisplay } from '../../../drivers/display/escpos/driver';
import type { CustomerDisplay } from '../../../drivers/display/customer-display';

/** What one health check found: a scale reading, and a warning for a device that is up but needs a person. */
export interface HealthReport {
  reading?: ScaleReading;
  warning: LocalizedText | null;
}

export interface OpenedDevice {
  check(): Promise<HealthReport>;
  /** The device noticed by itself that it is gone (a scanner's port closed). */
  onLost(listener: (error: unknown) => void): void;
  close(): Promise<void>;
  readonly scale?: Scale;
  readonly printer?: ReceiptPrinter;
  readonly display?: CustomerDisplay;
  readonly scanner?: Scanner;
}

export type DeviceOpener = (config: DeviceConfig) => Promise<OpenedDevice>;

export class DeviceConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeviceConfigError';
  }
}

const str = (o: DeviceOptions, key: string): string | undefined => (typeof o[key] === 'string' ? o[key] as string : undefined);
const num = (o: DeviceOptions, key: string): number | undefined => (typeof o[key] === 'number' ? o[key] as number : undefined);

/** Opens any configured device through its driver. */
export const openConfiguredDevice: DeviceOpener = async (config) => {
  switch (config.kind) {
    case 'scale': return openScaleDevice(config);
    case 'scanner': return openScannerDevice(config);
    case 'printer': return openPrinterDevice(config);
    case 'display': return openDisplayDevice(config);
  }
};

async function openScaleDevice(config: DeviceConfig): Promise<OpenedDevice> {
  const o = config.options;
  const mode = str(o, 'mode');
  const settings: ScaleSettings = {
    protocol: config.protocol as ScaleProtocol,
    port: config.port,
    ...(num(o, 'answerTimeoutMs') !== undefined ? { answerTimeoutMs: num(o, 'answerTimeoutMs')! } : {}),
    ...(str(o, 'password') !== undefined ? { password: str(o, 'password')! } : {}),
    ...(mode === 'stream' || mode === 'command' ? { mode } : {}),
    connectTimeoutMs: num(o, 'connectTimeoutMs') ?? 3_000,
  };
  const scale = await openScale(settings);
  return {
    scale,
    check: async () => ({ reading: await scale.read(), warning: null }),
    onLost: () => undefined, // a lost scale shows on the next read (SCALE_NO_LINK)
    close: () => scale.close(),
  };
}

const SUFFIXES: readonly ScanSuffix[] = ['cr', 'lf', 'crlf', 'none'];

async function openScannerDevice(config: DeviceConfig): Promise<OpenedDevice> {
  const o = config.options;
  let settings: ScannerSettings;
  if (config.protocol === 'hidpos') {
    // hid://VVVV:PPPP (hex vendor and product ids) or a device path (/dev/hidraw3).
    const m = /^hid:\/\/([0-9a-f]{4}):([0-9a-f]{4})$/i.exec(config.port);
    settings = m
      ? { protocol: 'hidpos', id: config.id, vendorId: parseInt(m[1]!, 16), productId: parseInt(m[2]!, 16) }
      : { protocol: 'hidpos', id: config.id, path: config.port };
    if (o['honeywell'] === true) settings.honeywell = true;
  } else {
    const suffix = str(o, 'suffix');
    if (suffix !== undefined && !SUFFIXES.includes(suffix as ScanSuffix)) throw new DeviceConfigError(`unknown scanner suffix '${suffix}' (cr, lf, crlf, none)`);
    const aim = str(o, 'aim');
    settings = {
      protocol: 'serial', id: config.id, port: config.port,
      ...(suffix !== undefined ? { suffix: suffix as ScanSuffix } : {}),
      ...(str(o, 'prefix') !== undefined ? { prefix: str(o, 'prefix')! } : {}),
      ...(aim === 'auto' || aim === 'required' ? { aim } : {}),
      ...(num(o, 'idleMs') !== undefined ? { idleMs: num(o, 'idleMs')! } : {}),
    };
  }
  const scanner = await openScanner(settings);
  let lost: unknown = null;
  const lostListeners: Array<(error: unknown) => void> = [];
  scanner.onFault((fault) => {
    if (fault.error.code !== 'SCANNER_NO_LINK') return;
    lost = fault.error;
    for (const l of lostListeners) l(fault.error);
  });
  return {
    scanner,
    check: async () => {
      if (lost) throw lost;
      if (scanner.present && !scanner.present()) throw scannerErrors.noLink({ port: config.port, reason: 'the device is gone' });
      return { warning: null };
    },
    onLost: (l) => { lostListeners.push(l); },
    close: () => scanner.close(),
  };
}

async function openPrinterDevice(config: DeviceConfig): Promise<OpenedDevice> {
  const o = config.options;
  const pin3 = str(o, 'drawerOpenWhenPin3');
  const printer = await EscPosPrinter.open(config.port, {
    ...(pin3 === 'high' || pin3 === 'low' ? { drawerOpenWhenPin3: pin3 } : {}),
    connectTimeoutMs: num(o, 'connectTimeoutMs') ?? 3_000,
  });
  return {
    printer,
    check: async () => ({ warning: printerWarning(await printer.status()) }),
    onLost: () => undefined, // the next DLE EOT finds it
    close: () => printer.close(),
  };
}

/** A printer that answers is up; paper, cover and errors are what a person must fix. */
export function printerWarning(s: PrinterStatus): LocalizedText | null {
  if (s.paper === 'out') return { ru: 'В принтере нет бумаги', en: 'The printer is out of paper' };
  if (s.coverOpen) return { ru: 'Открыта крышка принтера', en: 'The printer cover is open' };
  if (s.errors.length > 0) return { ru: 'Ошибка принтера: выключите и включите его', en: 'Printer error: power-cycle it' };
  if (!s.online) return { ru: 'Принтер не готов', en: 'The printer is offline' };
  if (s.paper === 'near-end') return { ru: 'Бумага в принтере заканчивается', en: 'The printer paper is running out' };
  return null;
}

async function openDisplayDevice(config: DeviceConfig): Promise<OpenedDevice> {
  const columns = num(config.options, 'columns');
  const display = await EpsonCustomerDisplay.open(config.port, {
    ...(columns !== undefined && columns >= 8 && columns <= 40 ? { columns } : {}),
    connectTimeoutMs: num(config.options, 'connectTimeoutMs') ?? 3_000,
  });
  let lines: [string, string] = ['', ''];
  const show = display.show.bind(display);
  const tracked: CustomerDisplay = {
    columns: display.columns,
    show: async (l) => { lines = [l[0], l[1]]; await show(l); },
    clear: async () => { lines = ['', '']; await display.clear(); },
    close: () => display.close(),
  };
  return {
    display: tracked,
    // A display never answers: rewriting what it shows in place is the only proof the port still takes bytes.
    check: async () => { await show(lines); return { warning: null }; },
    onLost: () => undefined,
    close: () => display.close(),
  };
}
