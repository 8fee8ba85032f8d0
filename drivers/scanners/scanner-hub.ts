// The lane's scanners as one stream (a hand scanner and a table scanner at one checkout): events in
// the order they reach the main process, each tagged with its source, faults alike. A scanner that
// fails keeps the others working.
import { ScannerEvents, type Scanner, type ScannerEvent, type ScannerFault } from './scanner';

export class ScannerHub {
  private readonly events = new ScannerEvents();
  private readonly members = new Map<string, { scanner: Scanner; detach: Array<() => void> }>();

  constructor(scanners: Scanner[] = []) { for (const s of scanners) this.add(s); }

  add(scanner: Scanner): void {
    if (this.members.has(scanner.id)) throw new Error(`scanner id '${scanner.id}' is already in the hub`);
    this.members.set(scanner.id, {
      scanner,
      detach: [scanner.onScan((e) => this.events.scan(e)), scanner.onFault((f) => this.events.fault(f))],
    });
  }

  /** Stops listening to one scanner and closes it. */
  async remove(id: string): Promise<void> {
    const m = this.members.get(id);
    if (!m) return;
    this.members.delete(id);
    for (const d of m.detach) d();
    await m.scanner.close().catch(() => undefined);
  }

  get ids(): string[] { return [...this.members.keys()]; }

  onScan(l: (e: ScannerEvent) => void): () => void { return this.events.onScan(l); }
  onFault(l: (f: ScannerFault) => void): () => void { return this.events.onFault(l); }

  async close(): Promise<void> { for (const id of this.ids) await this.remove(id); }
}
