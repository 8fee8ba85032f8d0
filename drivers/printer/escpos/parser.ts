// An incremental ESC/POS stream parser for the emulator (and for tests that check what a driver
// sends). It knows the argument lengths of the commands a POS slip uses (Epson APG); an unknown
// ESC/GS command is reported and skipped as two bytes, so one exotic command cannot derail the
// rest of the stream. Pure: bytes in, actions out; an incomplete command waits for its tail.
import { DLE, EOT, ESC, GS, LF } from './encoder';

export type EscPosAction =
  | { kind: 'text'; bytes: Uint8Array }
  | { kind: 'newline' }
  | { kind: 'command'; name: string; args: number[] }
  | { kind: 'status-query'; n: number }
  | { kind: 'realtime-pulse'; pin: 2 | 5; onMs: number }
  | { kind: 'paper-sync'; n: number }
  | { kind: 'unknown'; bytes: number[] };

/** ESC x → argument count and a readable name. */
const ESC_COMMANDS: Record<number, [number, string]> = {
  0x40: [0, 'initialize'], 0x74: [1, 'code-page'], 0x45: [1, 'bold'], 0x21: [1, 'print-mode'], 0x61: [1, 'align'],
  0x64: [1, 'feed-lines'], 0x4a: [1, 'feed-dots'], 0x70: [3, 'pulse'], 0x2d: [1, 'underline'], 0x4d: [1, 'font'],
  0x52: [1, 'international'], 0x47: [1, 'double-strike'], 0x32: [0, 'line-spacing-default'], 0x33: [1, 'line-spacing'],
  0x7b: [1, 'upside-down'], 0x20: [1, 'char-spacing'],
};
const GS_COMMANDS: Record<number, [number, string]> = {
  0x21: [1, 'size'], 0x72: [1, 'paper-sync'], 0x61: [1, 'auto-status-back'], 0x4c: [2, 'left-margin'], 0x57: [2, 'print-width'],
  0x68: [1, 'barcode-height'], 0x77: [1, 'barcode-width'], 0x48: [1, 'hri-position'], 0x66: [1, 'hri-font'], 0x49: [1, 'printer-id'],
  0x42: [1, 'reverse'],
};

export class EscPosParser {
  private pending: number[] = [];

  push(chunk: Uint8Array): EscPosAction[] {
    const out: EscPosAction[] = [];
    const bytes = this.pending.length ? [...this.pending, ...chunk] : Array.from(chunk);
    this.pending = [];
    let i = 0;
    let text: number[] = [];
    const flushText = () => { if (text.length) { out.push({ kind: 'text', bytes: Uint8Array.from(text) }); text = []; } };
    while (i < bytes.length) {
      const b = bytes[i]!;
      if (b >= 0x20 && b !== 0x7f) { text.push(b); i++; continue; }
      flushText();
      const need = this.lengthAt(bytes, i);
      if (need === null) { this.pending = bytes.slice(i); break; }
      out.push(this.actionOf(bytes.slice(i, i + need)));
      i += need;
    }
    flushText();
    return out;
  }

  /** The whole command's length at `i`, or null when its tail has not arrived. */
  private lengthAt(bytes: number[], i: number): number | null {
    const b = bytes[i]!;
    const has = (n: number) => i + n <= bytes.length;
    if (b === ESC || b === GS) {
      if (!has(2)) return null;
      const c = bytes[i + 1]!;
      if (b === GS && c === 0x56) { // GS V m [n]: m 65/66 take a feed amount
        if (!has(3)) return null;
        const m = bytes[i + 2]!;
        return m === 65 || m === 66 ? (has(4) ? 4 : null) : 3;
      }
      const entry = (b === ESC ? ESC_COMMANDS : GS_COMMANDS)[c];
      const n = entry ? 2 + entry[0] : 2;
      return has(n) ? n : null;
    }
    if (b === DLE) {
      if (!has(2)) return null;
      const c = bytes[i + 1]!;
      if (c === EOT) return has(3) ? 3 : null;
      if (c === 0x14) return has(5) ? 5 : null; // DLE DC4 fn m t
      return 1; // a lone DLE: not a real-time command
    }
    return 1;
  }

  private actionOf(cmd: number[]): EscPosAction {
    const [b, c] = cmd as [number, number | undefined];
    if (b === LF) return { kind: 'newline' };
    if (b === DLE && c === EOT) return { kind: 'status-query', n: cmd[2]! };
    if (b === DLE && c === 0x14 && cmd[2] === 1) return { kind: 'realtime-pulse', pin: cmd[3] === 1 ? 5 : 2, onMs: cmd[4]! * 100 };
    if (b === GS && c === 0x56) return { kind: 'command', name: 'cut', args: cmd.slice(2) };
    if (b === GS && c === 0x72) return { kind: 'paper-sync', n: cmd[2]! };
    if ((b === ESC || b === GS) && c !== undefined) {
      const entry = (b === ESC ? ESC_COMMANDS : GS_COMMANDS)[c];
      if (entry) return { kind: 'command', name: entry[1], args: cmd.slice(2) };
    }
    if (b === 0x0d) return { kind: 'command', name: 'carriage-return', args: [] };
    return { kind: 'unknown', bytes: cmd };
  }
}
