// An ESC/POS receipt printer over a ByteTransport (TCP 9100, serial, USB-CDC, USB printer class).
// Paper is checked before a slip (real-time DLE EOT) and after it (GS r 1, answered only once
// everything before it is printed). A printer that runs out mid-slip stops processing, so a silent
// GS r is followed by a real-time status query that names the cause. The drawer hangs off the
// printer: ESC p opens it and DLE EOT 1 bit 2 reads its switch.
import { TransportError, type ByteTransport } from '../../transport/byte-transport';
import { ByteQueue, LinkClosed, ReadTimeout } from '../../transport/byte-queue';
import { openPort } from '../../transport/open-port';
import type { SerialLine } from '../../transport/serial-line';
import { UsbTransportError, type UsbBus } from '../../transport/usb-bus';
import { PrinterError, printerErrors, type PrinterStatus, type ReceiptPrinter, type SlipLine } from '../receipt-printer';
import { CP866_EPSON, type CodePage } from './code-page';
import { EscPosEncoder } from './encoder';
import {
  PAPER_SYNC_QUERY, decodeErrorCause, decodeOfflineCause, decodePaperSensor, decodePaperSync, decodePrinterStatus,
  isRealtimeStatusByte, isTransmitStatusByte, statusQuery, type StatusKind,
} from './status';

export interface EscPosOptions extends SerialLine {
  codePage?: CodePage;
  /** Which level of the drawer switch (connector pin 3) means "open": drawers differ (UNCONFIRMED default). */
  drawerOpenWhenPin3?: 'high' | 'low';
  /** A real-time status answer (default 1 s). */
  statusTimeoutMs?: number;
  /** The whole slip printed, GS r 1 answered (default 10 s: a long slip on a slow printer). */
  printTimeoutMs?: number;
  /** Lines fed before the cut so the last line clears the cutter (default 3). */
  feedBeforeCut?: number;
  connectTimeoutMs?: number;
  /** For `usb:` ports: node-usb's bus unless a test passes an emulated one. */
  usbBus?: UsbBus;
}

export const ESCPOS_TCP_PORT = 9_100;
/** Serial ESC/POS printers ship at 9600–115200 8N1; set the real one in the spec (`?baud=38400`). */
export const ESCPOS_LINE: SerialLine = { baudRate: 9_600 };

export class EscPosPrinter implements ReceiptPrinter {
  private readonly queue: ByteQueue;
  private chain: Promise<unknown> = Promise.resolve();
  private closed = false;
  private lost = false;
  private readonly page: CodePage;

  private constructor(private readonly transport: ByteTransport, private readonly o: EscPosOptions) {
    this.page = o.codePage ?? CP866_EPSON;
    this.queue = new ByteQueue(transport);
    transport.onClose(() => { this.lost = true; });
  }

  /**
   * `tcp://HOST[:9100]`, a serial path with line settings, or `usb:VVVV:PPPP[:SERIAL]` (a USB
   * printer-class or vendor-class device, transport/usb.ts).
   */
  static async open(spec: string, o: EscPosOptions = {}): Promise<EscPosPrinter> {
    const port = /^tcp:\/\/[^:/]+$/.test(spec) ? `${spec}:${ESCPOS_TCP_PORT}` : spec;
    const { codePage: _c, drawerOpenWhenPin3: _d, statusTimeoutMs: _s, printTimeoutMs: _p, feedBeforeCut: _f, ...portOptions } = o;
    try {
      return new EscPosPrinter(await openPort(port, ESCPOS_LINE, portOptions), o);
    } catch (error) {
      throw openFailure(port, error);
    }
  }

  static over(transport: ByteTransport, o: EscPosOptions = {}): EscPosPrinter { return new EscPosPrinter(transport, o); }

  printSlip(lines: ReadonlyArray<string | SlipLine>, opts: { cut?: boolean } = {}): Promise<void> {
    return this.serial(async () => {
      const before = await this.statusNow();
      refuseUnlessReady(before, 'before');
      const e = new EscPosEncoder(this.page).initialize().codePage();
      for (const l of lines) {
        const line: SlipLine = typeof l === 'string' ? { text: l } : l;
        if (line.align) e.align(line.align);
        if (line.bold) e.bold(true);
        if (line.double) e.size(2, 2);
        e.line(line.text);
        if (line.double) e.size(1, 1);
        if (line.bold) e.bold(false);
        if (line.align && line.align !== 'left') e.align('left');
      }
      e.feed(this.o.feedBeforeCut ?? 3);
      if (opts.cut !== false) e.cut('partial');
      this.queue.clear();
      await this.write(e.encode());
      await this.write(PAPER_SYNC_QUERY);
      let sync: number | null = null;
      try {
        sync = await this.readMatching(isTransmitStatusByte, this.o.printTimeoutMs ?? 10_000);
      } catch (error) {
        if (!(error instanceof ReadTimeout)) throw this.linkError(error);
      }
      if (sync !== null) {
        const paper = decodePaperSync(sync);
        if (paper.out) throw printerErrors.paperOut({ when: 'during', printedFully: false });
        return;
      }
      // The printer stopped before reaching GS r: find out why while it still answers real-time queries.
      const after = await this.statusNow().catch((error: unknown) => {
        throw error instanceof PrinterError && error.code === 'PRINTER_NO_ANSWER' ? printerErrors.noAnswer({ when: 'during', printedFully: 'unknown' }) : error;
      });
      refuseUnlessReady(after, 'during');
      throw printerErrors.noAnswer({ when: 'during', printedFully: 'unknown', status: after });
    });
  }

  status(): Promise<PrinterStatus> { return this.serial(() => this.statusNow()); }

  openDrawer(o: { pin?: 2 | 5; onMs?: number; offMs?: number } = {}): Promise<void> {
    return this.serial(() => this.write(new EscPosEncoder(this.page).pulse(o.pin ?? 2, o.onMs ?? 100, o.offMs ?? 200).encode()));
  }

  drawerState(): Promise<'open' | 'closed'> {
    return this.serial(async () => this.drawerOf(decodePrinterStatus(await this.query(1)).drawerPin3High));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.queue.dispose();
    await this.transport.close();
  }

  private async statusNow(): Promise<PrinterStatus> {
    const printer = decodePrinterStatus(await this.query(1));
    const offline = decodeOfflineCause(await this.query(2));
    const errors = decodeErrorCause(await this.query(3));
    const paper = decodePaperSensor(await this.query(4));
    const list: PrinterStatus['errors'] = [];
    if (errors.mechanical) list.push('mechanical');
    if (errors.cutter) list.push('cutter');
    if (errors.unrecoverable) list.push('unrecoverable');
    if (errors.autoRecoverable) list.push('auto-recoverable');
    return {
      online: !printer.offline,
      coverOpen: offline.coverOpen,
      paper: paper.out || offline.paperEndStop ? 'out' : paper.nearEnd ? 'near-end' : 'ok',
      stoppedByPaperEnd: offline.paperEndStop,
      errors: list,
      drawer: this.drawerOf(printer.drawerPin3High),
    };
  }

  private drawerOf(pin3High: boolean): 'open' | 'closed' {
    return pin3High === ((this.o.drawerOpenWhenPin3 ?? 'high') === 'high') ? 'open' : 'closed';
  }

  private async query(n: StatusKind): Promise<number> {
    await this.write(statusQuery(n));
    try {
      return await this.readMatching(isRealtimeStatusByte, this.o.statusTimeoutMs ?? 1_000);
    } catch (error) {
      if (error instanceof ReadTimeout) throw printerErrors.noAnswer({ query: `DLE EOT ${n}` });
      throw this.linkError(error);
    }
  }

  /** The first byte that fits; others (automatic status back, a stale answer) are skipped. */
  private async readMatching(fits: (b: number) => boolean, timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0) throw new ReadTimeout(timeoutMs);
      const b = await this.queue.readByte(left);
      if (fits(b)) return b;
    }
  }

  private async write(bytes: Uint8Array): Promise<void> {
    try { await this.transport.write(bytes); } catch (error) { throw this.linkError(error); }
  }

  private linkError(error: unknown): PrinterError {
    if (error instanceof PrinterError) return error;
    if (error instanceof LinkClosed) return printerErrors.noLink({ reason: 'the link closed' });
    return printerErrors.noLink({ reason: (error as Error)?.message ?? String(error) });
  }

  private serial<T>(steps: () => Promise<T>): Promise<T> {
    const run = this.chain.then(() => {
      if (this.closed) throw printerErrors.closed();
      if (this.lost) throw printerErrors.noLink({ reason: 'the port closed' });
      return steps();
    });
    this.chain = run.catch(() => undefined);
    return run;
  }
}

/** Why a port did not open, in the cashier's words; the transport's own message stays in `reason`. */
function openFailure(port: string, error: unknown): PrinterError {
  const reason = error instanceof Error ? error.message : String(error);
  const details = { ...(error instanceof TransportError ? error.details : {}), port, reason };
  if (error instanceof UsbTransportError && error.code === 'usb-unavailable') return printerErrors.unavailable(reason, details);
  if (error instanceof UsbTransportError && error.code === 'usb-not-a-printer') return printerErrors.wrongDevice(details);
  return printerErrors.noLink(details);
}

function refuseUnlessReady(s: PrinterStatus, when: 'before' | 'during'): void {
  const printedFully = when === 'before' ? null : false;
  if (s.paper === 'out') throw printerErrors.paperOut({ when, printedFully, status: s });
  if (s.coverOpen) throw printerErrors.coverOpen({ when, printedFully, status: s });
  if (s.errors.some((e) => e !== 'auto-recoverable')) throw printerErrors.deviceError({ when, printedFully, status: s });
  if (!s.online) throw printerErrors.offline({ when, printedFully, status: s });
}
