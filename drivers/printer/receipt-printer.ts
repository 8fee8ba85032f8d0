// The device-neutral receipt printer with its cash drawer (ARCHITECTURE §4, issue 5). A slip is
// lines of text; the fiscal receipt itself is printed by the fiscal register, this printer prints
// everything else (bank slips, reports, copies) and opens the drawer.
import type { LocalizedText } from '../../src-main/contract/errors';

export interface PrinterStatus {
  online: boolean;
  coverOpen: boolean;
  paper: 'ok' | 'near-end' | 'out';
  /** Printing stopped because the paper ran out (DLE EOT 2 bit 5). */
  stoppedByPaperEnd: boolean;
  /** An error the printer reports (cutter jam, mechanism); details in `errors`. */
  errors: Array<'mechanical' | 'cutter' | 'unrecoverable' | 'auto-recoverable'>;
  drawer: 'open' | 'closed';
}

export interface SlipLine {
  text: string;
  align?: 'left' | 'center' | 'right';
  bold?: boolean;
  /** Double width and height. */
  double?: boolean;
}

export interface ReceiptPrinter {
  /** Checks paper and cover, prints, cuts, then checks again that the whole slip came out. */
  printSlip(lines: ReadonlyArray<string | SlipLine>, o?: { cut?: boolean }): Promise<void>;
  status(): Promise<PrinterStatus>;
  /** Pulses the drawer connector (pin 2 by default). */
  openDrawer(o?: { pin?: 2 | 5; onMs?: number; offMs?: number }): Promise<void>;
  drawerState(): Promise<'open' | 'closed'>;
  close(): Promise<void>;
}

export type PrinterErrorCode =
  | 'PRINTER_PAPER_OUT' | 'PRINTER_COVER_OPEN' | 'PRINTER_OFFLINE' | 'PRINTER_ERROR'
  | 'PRINTER_NO_ANSWER' | 'PRINTER_NO_LINK' | 'PRINTER_CLOSED' | 'PRINTER_UNAVAILABLE' | 'PRINTER_WRONG_DEVICE';

export class PrinterError extends Error {
  constructor(readonly code: PrinterErrorCode, readonly text: LocalizedText, readonly details: Record<string, unknown> = {}) {
    super(`${code}: ${text.en}`);
    this.name = 'PrinterError';
  }
}

type D = Record<string, unknown>;
export const printerErrors = {
  paperOut: (d: D = {}) => new PrinterError('PRINTER_PAPER_OUT',
    { ru: 'В принтере кончилась бумага. Заправьте ленту', en: 'The printer is out of paper. Load a new roll' }, d),
  coverOpen: (d: D = {}) => new PrinterError('PRINTER_COVER_OPEN',
    { ru: 'Открыта крышка принтера. Закройте её', en: 'The printer cover is open. Close it' }, d),
  offline: (d: D = {}) => new PrinterError('PRINTER_OFFLINE',
    { ru: 'Принтер не готов. Проверьте его индикаторы', en: 'The printer is offline. Check its lights' }, d),
  deviceError: (d: D = {}) => new PrinterError('PRINTER_ERROR',
    { ru: 'Ошибка принтера (отрезчик или механизм). Выключите и включите принтер', en: 'Printer error (cutter or mechanism). Power-cycle the printer' }, d),
  noAnswer: (d: D = {}) => new PrinterError('PRINTER_NO_ANSWER',
    { ru: 'Принтер не отвечает. Проверьте кабель и питание', en: 'The printer does not answer. Check its cable and power' }, d),
  noLink: (d: D = {}) => new PrinterError('PRINTER_NO_LINK',
    { ru: 'Нет связи с принтером. Проверьте кабель и питание', en: 'No link to the printer. Check its cable and power' }, d),
  closed: (d: D = {}) => new PrinterError('PRINTER_CLOSED', { ru: 'Принтер отключён', en: 'The printer is disconnected' }, d),
  unavailable: (reason: string, d: D = {}) => new PrinterError('PRINTER_UNAVAILABLE',
    { ru: 'Этот способ подключения принтера недоступен на кассе', en: 'This printer connection is not available on this lane' }, { reason, ...d }),
  wrongDevice: (d: D = {}) => new PrinterError('PRINTER_WRONG_DEVICE',
    { ru: 'Устройство на этом порту — не принтер. Проверьте порт в настройках', en: 'The device on this port is not a printer. Check the port setting' }, d),
};
