// A 2 × 20 display's cells, driven by the Epson command bytes (codec.ts): the device model the
// emulator keeps for tests. Pure. Unknown ESC/US commands are skipped with the byte after them.
import { decodeText } from '../../printer/escpos/code-page';

export class DisplayScreen {
  private readonly cells: number[][];
  private col = 0;
  private row = 0;
  private pending: number[] = [];
  table = 0;
  readonly unknown: number[][] = [];

  constructor(readonly columns = 20, readonly rows = 2, private readonly tables: Record<number, string> = { 0: 'cp437', 17: 'cp866' }) {
    this.cells = Array.from({ length: rows }, () => new Array<number>(columns).fill(0x20));
  }

  /** The lines as text, decoded with the selected table. */
  lines(): string[] {
    const encoding = this.tables[this.table] ?? 'cp437';
    return this.cells.map((r) => decodeText(Uint8Array.from(r), { encoding, escposTable: this.table }));
  }

  push(chunk: Uint8Array): void {
    const bytes = [...this.pending, ...chunk];
    this.pending = [];
    let i = 0;
    while (i < bytes.length) {
      const b = bytes[i]!;
      const need = b === 0x1b || b === 0x1f ? this.commandLength(bytes, i) : 1;
      if (need === null) { this.pending = bytes.slice(i); return; }
      this.apply(bytes.slice(i, i + need));
      i += need;
    }
  }

  private commandLength(bytes: number[], i: number): number | null {
    if (i + 1 >= bytes.length) return null;
    const b = bytes[i]!, c = bytes[i + 1]!;
    const n = b === 0x1f ? (c === 0x24 ? 4 : [0x43, 0x58, 0x45, 0x72].includes(c) ? 3 : 2) : (c === 0x74 || c === 0x52 ? 3 : 2);
    return i + n <= bytes.length ? n : null;
  }

  private apply(cmd: number[]): void {
    const [b, c] = cmd as [number, number | undefined];
    if (b === 0x1b && c === 0x40) { this.clear(); this.table = 0; return; }
    if (b === 0x1b && c === 0x74) { this.table = cmd[2]!; return; }
    if (b === 0x1f && c === 0x24) {
      this.col = Math.min(this.columns, Math.max(1, cmd[2]!)) - 1;
      this.row = Math.min(this.rows, Math.max(1, cmd[3]!)) - 1;
      return;
    }
    if (b === 0x1b || b === 0x1f) { if (!(b === 0x1f && (c === 0x01 || c === 0x43))) this.unknown.push(cmd); return; }
    switch (b) {
      case 0x0c: this.clear(); return;
      case 0x0b: this.col = 0; this.row = 0; return;
      case 0x0d: this.col = 0; return;
      case 0x0a: this.row = (this.row + 1) % this.rows; return;
      case 0x08: this.col = Math.max(0, this.col - 1); return;
      case 0x18: this.cells[this.row]!.fill(0x20); this.col = 0; return;
    }
    if (b < 0x20) return;
    this.cells[this.row]![this.col] = b;
    // Overwrite mode: past the last column the cursor wraps to the next line (the first after the last).
    this.col++;
    if (this.col >= this.columns) { this.col = 0; this.row = (this.row + 1) % this.rows; }
  }

  private clear(): void {
    for (const r of this.cells) r.fill(0x20);
    this.col = 0;
    this.row = 0;
  }
}
