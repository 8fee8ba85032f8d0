// An ESC/POS printer with a cash drawer, on TCP (port 9100 in the field) or a pty. It keeps the
// printed text decoded from the selected character table, answers DLE EOT 1–4 and GS r 1 with the
// bit patterns of status.ts, and models paper, cover and drawer:
// - the drawer opens on ESC p / DLE DC4 1 and stays open until a test calls closeDrawer();
// - paperOutAfter(n): the roll ends after n more printed lines; the printer then stops (as an Epson
//   does: offline, "stopped by paper end") and drops further print data until loadPaper()
//   (a real printer keeps it buffered and resumes: UNCONFIRMED per model);
// - silent: no answers at all (a printer that prints but whose status line is dead, or is off).
import { serveDevice, type DeviceEndpoint, type EndpointOptions } from '../../transport/device-endpoint';
import type { ByteTransport } from '../../transport/byte-transport';
import { decodeText, type CodePage } from './code-page';
import { EscPosParser, type EscPosAction } from './parser';
import {
  encodeErrorCause, encodeOfflineCause, encodePaperSensor, encodePaperSync, encodePrinterStatus,
} from './status';

export interface EscPosEmulatorOptions extends EndpointOptions {
  /** ESC t n → encoding; table 0 (PC437) is the power-on default. */
  tables?: Record<number, CodePage['encoding']>;
  drawerOpenWhenPin3?: 'high' | 'low';
}

const DEFAULT_TABLES: Record<number, string> = { 0: 'cp437', 17: 'cp866', 46: 'win1251' };

export class EscPosEmulator {
  /** Completed printed lines, decoded. */
  readonly lines: string[] = [];
  /** Slips ended by a cut: their lines. */
  readonly slips: string[][] = [];
  /** Every command seen, by name (for tests of what the driver sent). */
  readonly commands: string[] = [];
  paper: 'ok' | 'near-end' | 'out' = 'ok';
  coverOpen = false;
  drawerOpen = false;
  drawerKicks = 0;
  silent = false;
  cutterJam = false;
  private stopped = false;
  private linesLeft = Infinity;
  private table = 0;
  private current: number[] = [];
  private slipStart = 0;
  private endpoint: DeviceEndpoint | null = null;
  private readonly tables: Record<number, string>;

  private constructor(private readonly o: EscPosEmulatorOptions) {
    this.tables = { ...DEFAULT_TABLES, ...(o.tables ?? {}) };
  }

  static async start(o: EscPosEmulatorOptions): Promise<EscPosEmulator> {
    const e = new EscPosEmulator(o);
    e.endpoint = await serveDevice({ baudRate: 9_600, ...o }, (link) => e.attach(link));
    return e;
  }

  get address(): string { return this.endpoint?.address ?? ''; }
  /** Everything printed, one line per entry, for a quick `toContain`. */
  get text(): string { return this.lines.join('\n'); }

  paperOutAfter(lines: number): void { this.linesLeft = lines; }
  loadPaper(): void { this.paper = 'ok'; this.stopped = false; this.linesLeft = Infinity; }
  closeDrawer(): void { this.drawerOpen = false; }

  async close(): Promise<void> { await this.endpoint?.close(); }

  private attach(link: ByteTransport): () => void {
    const parser = new EscPosParser();
    return link.onData((chunk) => {
      for (const a of parser.push(chunk)) {
        const answer = this.apply(a);
        if (answer !== null && !this.silent) link.write(Uint8Array.of(answer)).catch(() => undefined);
      }
    });
  }

  /** One action; returns the byte to answer, if any. */
  private apply(a: EscPosAction): number | null {
    // Real-time commands work even while printing is stopped (that is what they are for).
    if (a.kind === 'status-query') return this.statusByte(a.n);
    if (a.kind === 'realtime-pulse') { this.kick(); return null; }
    if (this.stopped || this.coverOpen) return null;
    switch (a.kind) {
      case 'text': this.current.push(...a.bytes); return null;
      case 'newline': this.printLine(); return null;
      case 'paper-sync': return a.n === 1 || a.n === 49 ? encodePaperSync({ nearEnd: this.paper === 'near-end', out: this.paper === 'out' }) : null;
      case 'unknown': this.commands.push(`unknown:${a.bytes.map((b) => b.toString(16)).join(' ')}`); return null;
      case 'command': {
        this.commands.push(a.name);
        if (a.name === 'initialize') { this.table = 0; this.current = []; }
        else if (a.name === 'code-page') this.table = a.args[0]!;
        else if (a.name === 'feed-lines') { if (this.current.length) this.printLine(); for (let i = 0; i < a.args[0]!; i++) this.feed(); }
        else if (a.name === 'pulse') this.kick();
        else if (a.name === 'cut') {
          if (this.current.length) this.printLine();
          this.slips.push(this.lines.slice(this.slipStart));
          this.slipStart = this.lines.length;
        }
        return null;
      }
    }
  }

  private printLine(): void {
    if (this.stopped) return;
    const encoding = this.tables[this.table] ?? 'cp437';
    this.lines.push(decodeText(Uint8Array.from(this.current), { encoding, escposTable: this.table }));
    this.current = [];
    this.feed();
  }

  /** A line of paper goes by; the roll may end here. */
  private feed(): void {
    if (this.linesLeft === Infinity) return;
    this.linesLeft--;
    if (this.linesLeft <= 0) { this.paper = 'out'; this.stopped = true; this.current = []; }
  }

  private kick(): void { this.drawerOpen = true; this.drawerKicks++; }

  private statusByte(n: number): number | null {
    const pin3High = this.drawerOpen === ((this.o.drawerOpenWhenPin3 ?? 'high') === 'high');
    switch (n) {
      case 1: return encodePrinterStatus({ drawerPin3High: pin3High, offline: this.stopped || this.coverOpen || this.paper === 'out' || this.cutterJam });
      case 2: return encodeOfflineCause({ coverOpen: this.coverOpen, paperEndStop: this.stopped, error: this.cutterJam });
      case 3: return encodeErrorCause({ cutter: this.cutterJam, unrecoverable: false });
      case 4: return encodePaperSensor({ nearEnd: this.paper !== 'ok', out: this.paper === 'out' });
      default: return null;
    }
  }
}
