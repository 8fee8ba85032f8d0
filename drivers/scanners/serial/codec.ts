// Framing of a serial / USB-CDC scanner's byte stream (reference §2): every code arrives verbatim,
// GS (0x1D) included, optionally after a prefix and an AIM identifier, ended by the configured suffix
// — or, with suffix 'none', by a pause. Pure: the driver feeds chunks and calls idle() when the line
// has been quiet for its idle time.
//
// Never merge two codes, never pass on a spoiled one: a frame with a control byte or invalid UTF-8
// is garbage; one cut short by silence is partial; one that runs past maxLength is overlong and
// everything up to the next suffix is thrown away with it.
import { splitAim, symbologyOfAim } from '../aim';
import { decodeCodeBytes } from '../code-text';

export type ScanSuffix = 'cr' | 'lf' | 'crlf' | 'none';
export const SCAN_SUFFIXES: readonly ScanSuffix[] = ['cr', 'lf', 'crlf', 'none'];

export interface SerialScanFormat {
  suffix: ScanSuffix;
  /** Bytes the scanner puts before each code (programmed in the scanner), stripped here. */
  prefix?: Uint8Array;
  /** 'auto': take an AIM identifier when present; 'required': a code without one is a fault. */
  aim?: 'auto' | 'required';
  /** Longest accepted code in bytes, prefix and AIM included (a Честный знак code is < 160). */
  maxLength?: number;
}

export type FramedScan =
  | { kind: 'scan'; code: string; aim: string | null; symbology: string | null }
  | { kind: 'fault'; fault: 'garbage' | 'partial' | 'overlong' | 'no-prefix' | 'no-aim'; bytes: Uint8Array };

const CR = 0x0d;
const LF = 0x0a;
const DEFAULT_MAX = 512;

export function suffixBytes(suffix: ScanSuffix): Uint8Array {
  switch (suffix) {
    case 'cr': return Uint8Array.of(CR);
    case 'lf': return Uint8Array.of(LF);
    case 'crlf': return Uint8Array.of(CR, LF);
    case 'none': return new Uint8Array(0);
  }
}

export class SerialScanFramer {
  private buffer: number[] = [];
  /** After an overlong frame: drop bytes until the next suffix. */
  private skipping = false;
  private readonly end: number;
  private readonly prefix: Uint8Array;
  private readonly max: number;

  constructor(private readonly format: SerialScanFormat) {
    // The last suffix byte ends a frame; with CRLF a trailing CR is stripped, a stray one is tolerated.
    this.end = format.suffix === 'cr' ? CR : format.suffix === 'none' ? -1 : LF;
    this.prefix = format.prefix ?? new Uint8Array(0);
    this.max = format.maxLength ?? DEFAULT_MAX;
  }

  /** True while part of a frame is buffered (the driver arms its idle timer). */
  get pending(): boolean { return this.buffer.length > 0 || this.skipping; }

  push(chunk: Uint8Array): FramedScan[] {
    const out: FramedScan[] = [];
    for (const b of chunk) {
      if (b === this.end) {
        if (this.skipping) { this.skipping = false; this.buffer = []; continue; }
        const frame = this.buffer;
        this.buffer = [];
        if (frame.length === 0 || (frame.length === 1 && (frame[0] === CR || frame[0] === LF))) continue; // empty line
        out.push(this.decode(frame));
        continue;
      }
      if (this.skipping) continue;
      // A stray terminator from a scanner set to CRLF/LF while we expect CR (or vice versa) before a code.
      if (this.buffer.length === 0 && (b === CR || b === LF)) continue;
      // A new prefix while a frame is open: the frame before it was cut short.
      if (this.prefix.length > 0 && this.buffer.length > 0 && this.endsWithPrefixAfter(b)) {
        const cut = this.buffer.slice(0, this.buffer.length - (this.prefix.length - 1));
        this.buffer = Array.from(this.prefix);
        if (cut.length > 0) out.push({ kind: 'fault', fault: 'partial', bytes: Uint8Array.from(cut) });
        continue;
      }
      this.buffer.push(b);
      if (this.buffer.length > this.max) {
        out.push({ kind: 'fault', fault: 'overlong', bytes: Uint8Array.from(this.buffer.slice(0, 64)) });
        this.buffer = [];
        // With suffix 'none' there is nothing to resynchronise on but the next pause.
        this.skipping = true;
      }
    }
    return out;
  }

  /** The line has been quiet: with suffix 'none' the buffered frame is a code, otherwise it is partial. */
  idle(): FramedScan[] {
    if (this.skipping) { this.skipping = false; this.buffer = []; return []; }
    if (this.buffer.length === 0) return [];
    const frame = this.buffer;
    this.buffer = [];
    if (this.format.suffix === 'none') return [this.decode(frame)];
    return [{ kind: 'fault', fault: 'partial', bytes: Uint8Array.from(frame) }];
  }

  private endsWithPrefixAfter(b: number): boolean {
    const p = this.prefix;
    if (b !== p[p.length - 1]) return false;
    const n = this.buffer.length;
    if (n < p.length - 1) return false;
    for (let i = 0; i < p.length - 1; i++) if (this.buffer[n - (p.length - 1) + i] !== p[i]) return false;
    // The prefix at the very start is this frame's own.
    return n > p.length - 1;
  }

  private decode(frameIn: number[]): FramedScan {
    let frame = frameIn;
    const bytes = Uint8Array.from(frame);
    if (this.format.suffix === 'crlf' || this.format.suffix === 'lf') {
      if (frame[frame.length - 1] === CR) frame = frame.slice(0, -1);
    }
    if (this.prefix.length > 0) {
      for (let i = 0; i < this.prefix.length; i++) {
        if (frame[i] !== this.prefix[i]) return { kind: 'fault', fault: 'no-prefix', bytes };
      }
      frame = frame.slice(this.prefix.length);
    }
    const text = decodeCodeBytes(frame);
    if (text === null || text.length === 0) return { kind: 'fault', fault: 'garbage', bytes };
    const { aim, code } = splitAim(text);
    if (code.length === 0) return { kind: 'fault', fault: 'garbage', bytes };
    if (aim === null && this.format.aim === 'required') return { kind: 'fault', fault: 'no-aim', bytes };
    return { kind: 'scan', code, aim, symbology: symbologyOfAim(aim) };
  }
}
