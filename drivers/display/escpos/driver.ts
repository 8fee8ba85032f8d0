// An Epson-command customer display on a serial port (most are 9600 8N1; a USB one is a CDC port).
// Each show() rewrites both lines in place (cursor to 1,1 and 1,2, 20 characters each) so the display
// never flickers through a clear.
import type { ByteTransport } from '../../transport/byte-transport';
import { openPort } from '../../transport/open-port';
import type { SerialLine } from '../../transport/serial-line';
import { CP866_EPSON, encodeText, type CodePage } from '../../printer/escpos/code-page';
import { displayErrors, type CustomerDisplay } from '../customer-display';
import { DISPLAY_CMD, cursorTo, selectTable } from './codec';

export interface EpsonDisplayOptions extends SerialLine {
  columns?: number;
  codePage?: CodePage;
  connectTimeoutMs?: number;
}

export const DISPLAY_LINE: SerialLine = { baudRate: 9_600 };

export class EpsonCustomerDisplay implements CustomerDisplay {
  readonly columns: number;
  private readonly page: CodePage;
  private chain: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(private readonly transport: ByteTransport, o: EpsonDisplayOptions) {
    this.columns = o.columns ?? 20;
    this.page = o.codePage ?? CP866_EPSON;
  }

  static async open(port: string, o: EpsonDisplayOptions = {}): Promise<EpsonCustomerDisplay> {
    const { columns: _c, codePage: _p, ...portOptions } = o;
    let transport: ByteTransport;
    try {
      transport = await openPort(port, DISPLAY_LINE, portOptions);
    } catch (error) {
      throw displayErrors.noLink({ port, reason: (error as Error).message });
    }
    return EpsonCustomerDisplay.over(transport, o);
  }

  static async over(transport: ByteTransport, o: EpsonDisplayOptions = {}): Promise<EpsonCustomerDisplay> {
    const d = new EpsonCustomerDisplay(transport, o);
    await d.send(concat(DISPLAY_CMD.initialize, DISPLAY_CMD.overwriteMode, DISPLAY_CMD.cursorOff, selectTable(d.page.escposTable)));
    return d;
  }

  show(lines: readonly [string, string]): Promise<void> {
    return this.send(concat(
      cursorTo(1, 1), encodeText(exactly(lines[0], this.columns), this.page),
      cursorTo(1, 2), encodeText(exactly(lines[1], this.columns), this.page),
    ));
  }

  clear(): Promise<void> { return this.send(DISPLAY_CMD.clear); }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.chain;
    await this.transport.close();
  }

  private send(bytes: Uint8Array): Promise<void> {
    const run = this.chain.then(async () => {
      if (this.closed) throw displayErrors.closed();
      try { await this.transport.write(bytes); } catch (error) { throw displayErrors.noLink({ reason: (error as Error).message }); }
    });
    this.chain = run.catch(() => undefined);
    return run;
  }
}

/** Exactly `columns` characters, spacing kept (layout.ts aligns with spaces), line breaks flattened. */
function exactly(text: string, columns: number): string {
  return [...text.replace(/[\r\n\t]/g, ' ')].slice(0, columns).join('').padEnd(columns, ' ');
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}
