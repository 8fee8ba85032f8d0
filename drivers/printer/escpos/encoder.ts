// A small ESC/POS command builder: only what our slips and the drawer need (Epson ESC/POS APG). The
// hard part, text in the printer's code page, is iconv-lite's (code-page.ts). We looked at
// `@point-of-sale/receipt-printer-encoder` (reference §4): it also covers images and other languages,
// and brings five image-processing packages with it; for text, cut and drawer pulse these ten commands
// are smaller than that dependency tree, and each is checked byte for byte against the emulator's parser.
import { CP866_EPSON, encodeText, type CodePage } from './code-page';

export const ESC = 0x1b;
export const GS = 0x1d;
export const DLE = 0x10;
export const EOT = 0x04;
export const LF = 0x0a;

export class EscPosEncoder {
  private readonly parts: number[] = [];

  constructor(private readonly page: CodePage = CP866_EPSON) {}

  /** ESC @: clears the buffer's modes (not the received data). */
  initialize(): this { return this.raw(ESC, 0x40); }
  /** ESC t n: the character table for bytes 0x80–0xFF. */
  codePage(): this { return this.raw(ESC, 0x74, this.page.escposTable & 0xff); }
  text(text: string): this { for (const b of encodeText(text, this.page)) this.parts.push(b); return this; }
  line(text = ''): this { return this.text(text).newline(); }
  newline(): this { return this.raw(LF); }
  /** ESC E n. */
  bold(on: boolean): this { return this.raw(ESC, 0x45, on ? 1 : 0); }
  /** GS ! n: width and height multipliers 1–8 (upper nibble width, lower height). */
  size(width: number, height: number): this {
    const w = Math.min(8, Math.max(1, Math.trunc(width))) - 1;
    const h = Math.min(8, Math.max(1, Math.trunc(height))) - 1;
    return this.raw(GS, 0x21, (w << 4) | h);
  }
  /** ESC a n. */
  align(a: 'left' | 'center' | 'right'): this { return this.raw(ESC, 0x61, a === 'left' ? 0 : a === 'center' ? 1 : 2); }
  /** ESC d n: print and feed n lines. */
  feed(lines: number): this { return this.raw(ESC, 0x64, Math.min(255, Math.max(0, lines))); }
  /** GS V 66 n: feed n dots then cut (partial) or GS V 65 n (full). */
  cut(kind: 'full' | 'partial' = 'partial', feedDots = 0): this {
    return this.raw(GS, 0x56, kind === 'full' ? 65 : 66, Math.min(255, Math.max(0, feedDots)));
  }
  /** ESC p m t1 t2: pin 2 (m=0) or pin 5 (m=1), on/off times in 2 ms units. */
  pulse(pin: 2 | 5 = 2, onMs = 100, offMs = 200): this {
    const t = (ms: number) => Math.min(255, Math.max(1, Math.round(ms / 2)));
    return this.raw(ESC, 0x70, pin === 2 ? 0 : 1, t(onMs), t(offMs));
  }
  raw(...bytes: number[]): this { for (const b of bytes) this.parts.push(b & 0xff); return this; }

  encode(): Uint8Array { return Uint8Array.from(this.parts); }
}
