// The device-neutral barcode scanner (ARCHITECTURE §4, issue 5). Services see scans and faults,
// never bytes. A code is kept verbatim: GS (0x1D) separators of GS1 / Честный знак codes survive.
import type { LocalizedText } from '../../src-main/contract/errors';

export interface ScannerEvent {
  /** The decoded data without prefix, AIM identifier and suffix; GS stays '\u001d'. */
  readonly code: string;
  /** The AIM symbology identifier ']d2', ']E0', … when the scanner sent one. */
  readonly aim: string | null;
  /** A short symbology name from the AIM identifier or the vendor code ('gs1-datamatrix', 'ean-13'); null when unknown. */
  readonly symbology: string | null;
  /** The scanner's id from its settings ('hand', 'table'): which device read it. */
  readonly source: string;
}

export type ScannerFaultCode =
  | 'SCANNER_GARBAGE' | 'SCANNER_PARTIAL' | 'SCANNER_OVERLONG' | 'SCANNER_NO_PREFIX'
  | 'SCANNER_NO_AIM' | 'SCANNER_BAD_REPORT' | 'SCANNER_NO_LINK' | 'SCANNER_UNAVAILABLE';

export class ScannerError extends Error {
  constructor(readonly code: ScannerFaultCode, readonly text: LocalizedText, readonly details: Record<string, unknown> = {}) {
    super(`${code}: ${text.en}`);
    this.name = 'ScannerError';
  }
}

/** A fault heard from a scanner; the scan it spoiled is dropped whole, never merged with the next. */
export interface ScannerFault { readonly error: ScannerError; readonly source: string }

type D = Record<string, unknown>;
const RESCAN = { ru: 'Отсканируйте ещё раз', en: 'Scan it again' };
export const scannerErrors = {
  garbage: (d: D = {}) => new ScannerError('SCANNER_GARBAGE',
    { ru: `Сканер передал непонятные данные. ${RESCAN.ru}`, en: `The scanner sent unreadable data. ${RESCAN.en}` }, d),
  partial: (d: D = {}) => new ScannerError('SCANNER_PARTIAL',
    { ru: `Код считан не полностью. ${RESCAN.ru}`, en: `The code was read only partly. ${RESCAN.en}` }, d),
  overlong: (d: D = {}) => new ScannerError('SCANNER_OVERLONG',
    { ru: `Слишком длинный код. Проверьте суффикс в настройках сканера`, en: 'The code is too long. Check the scanner suffix setting' }, d),
  noPrefix: (d: D = {}) => new ScannerError('SCANNER_NO_PREFIX',
    { ru: 'Код пришёл без префикса. Проверьте настройки сканера', en: 'The code came without its prefix. Check the scanner settings' }, d),
  noAim: (d: D = {}) => new ScannerError('SCANNER_NO_AIM',
    { ru: 'Сканер не передаёт AIM-идентификатор. Включите его в настройках сканера', en: 'The scanner sends no AIM identifier. Turn it on in the scanner' }, d),
  badReport: (d: D = {}) => new ScannerError('SCANNER_BAD_REPORT',
    { ru: `Сканер передал повреждённый отчёт. ${RESCAN.ru}`, en: `The scanner sent a damaged report. ${RESCAN.en}` }, d),
  noLink: (d: D = {}) => new ScannerError('SCANNER_NO_LINK',
    { ru: 'Нет связи со сканером. Проверьте кабель', en: 'No link to the scanner. Check its cable' }, d),
  unavailable: (reason: string, d: D = {}) => new ScannerError('SCANNER_UNAVAILABLE',
    { ru: 'Сканер недоступен на этой кассе', en: 'The scanner is not available on this lane' }, { reason, ...d }),
};

export interface Scanner {
  readonly id: string;
  /** Returns a function that unsubscribes. Listener exceptions are caught and never reach the device. */
  onScan(listener: (event: ScannerEvent) => void): () => void;
  onFault(listener: (fault: ScannerFault) => void): () => void;
  /**
   * Whether the device is still there, for the health check: a scanner only talks when it scans, and a
   * port whose device vanished does not always report it (a USB-CDC node removed, a pty hung up).
   * Absent: only the port's own close tells.
   */
  present?(): boolean;
  close(): Promise<void>;
}

/** Listener bookkeeping shared by the drivers: a throwing listener cannot break the device loop. */
export class ScannerEvents {
  private readonly scans = new Set<(e: ScannerEvent) => void>();
  private readonly faults = new Set<(f: ScannerFault) => void>();

  onScan(l: (e: ScannerEvent) => void): () => void { this.scans.add(l); return () => { this.scans.delete(l); }; }
  onFault(l: (f: ScannerFault) => void): () => void { this.faults.add(l); return () => { this.faults.delete(l); }; }

  scan(e: ScannerEvent): void { for (const l of this.scans) safely(() => l(e)); }
  fault(f: ScannerFault): void { for (const l of this.faults) safely(() => l(f)); }
}

function safely(f: () => void): void {
  try { f(); } catch { /* a listener's bug is its own; the scanner keeps reading */ }
}
