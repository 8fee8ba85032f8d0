// A serial or USB-CDC scanner (virtual COM port): bytes → SerialScanFramer → ScannerEvent. The idle
// timer ends a code when the suffix is 'none' and reports a partial one otherwise.
import { existsSync } from 'node:fs';
import type { ByteTransport } from '../../transport/byte-transport';
import { openPort } from '../../transport/open-port';
import type { SerialLine } from '../../transport/serial-line';
import { ScannerEvents, scannerErrors, type Scanner, type ScannerError, type ScannerEvent, type ScannerFault } from '../scanner';
import { SerialScanFramer, type FramedScan, type SerialScanFormat } from './codec';

export interface SerialScannerOptions extends Partial<SerialScanFormat>, SerialLine {
  /** The scanner's id in the settings ('hand', 'table'); tags every event. */
  id: string;
  /** Quiet time that ends a code (suffix 'none') or declares it partial (default 50 / 300 ms). */
  idleMs?: number;
  connectTimeoutMs?: number;
}

/** Most CDC scanners ship at 9600 8N1 with CR (reference §2). */
export const SCANNER_LINE: SerialLine = { baudRate: 9_600 };

export class SerialScanner implements Scanner {
  readonly id: string;
  private readonly events = new ScannerEvents();
  private readonly framer: SerialScanFramer;
  private readonly idleMs: number;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  private constructor(private readonly transport: ByteTransport, o: SerialScannerOptions, private readonly devicePath: string | null = null) {
    this.id = o.id;
    const format: SerialScanFormat = { suffix: o.suffix ?? 'cr', ...(o.prefix ? { prefix: o.prefix } : {}), ...(o.aim ? { aim: o.aim } : {}), ...(o.maxLength ? { maxLength: o.maxLength } : {}) };
    this.framer = new SerialScanFramer(format);
    this.idleMs = o.idleMs ?? (format.suffix === 'none' ? 50 : 300);
    transport.onData((chunk) => this.receive(chunk));
    transport.onClose((error) => {
      if (this.closed) return;
      this.events.fault({ source: this.id, error: scannerErrors.noLink({ reason: error?.message ?? 'the port closed' }) });
    });
  }

  /** `port`: a path with optional line settings (`/dev/ttyACM0?baud=115200`) or tcp://HOST:PORT. */
  static async open(port: string, o: SerialScannerOptions): Promise<SerialScanner> {
    const { id: _id, suffix: _s, prefix: _p, aim: _a, maxLength: _m, idleMs: _i, ...portOptions } = o;
    try {
      // A serial device node (not tcp://) disappears when the scanner is unplugged: present() looks for it.
      const devicePath = port.startsWith('tcp://') ? null : port.split('?')[0]!;
      return new SerialScanner(await openPort(port, SCANNER_LINE, portOptions), o, devicePath);
    } catch (error) {
      throw scannerErrors.noLink({ port, reason: (error as Error).message });
    }
  }

  static over(transport: ByteTransport, o: SerialScannerOptions): SerialScanner { return new SerialScanner(transport, o); }

  present(): boolean { return this.devicePath === null || existsSync(this.devicePath); }

  onScan(l: (e: ScannerEvent) => void): () => void { return this.events.onScan(l); }
  onFault(l: (f: ScannerFault) => void): () => void { return this.events.onFault(l); }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.transport.close();
  }

  private receive(chunk: Uint8Array): void {
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
    this.emit(this.framer.push(chunk));
    if (this.framer.pending) {
      this.timer = setTimeout(() => { this.timer = null; this.emit(this.framer.idle()); }, this.idleMs);
    }
  }

  private emit(frames: FramedScan[]): void {
    for (const f of frames) {
      if (f.kind === 'scan') this.events.scan({ code: f.code, aim: f.aim, symbology: f.symbology, source: this.id });
      else this.events.fault({ source: this.id, error: errorOf(f.fault, f.bytes) });
    }
  }
}

function errorOf(fault: Extract<FramedScan, { kind: 'fault' }>['fault'], bytes: Uint8Array): ScannerError {
  const details = { bytesHex: Buffer.from(bytes.subarray(0, 64)).toString('hex'), length: bytes.length };
  switch (fault) {
    case 'garbage': return scannerErrors.garbage(details);
    case 'partial': return scannerErrors.partial(details);
    case 'overlong': return scannerErrors.overlong(details);
    case 'no-prefix': return scannerErrors.noPrefix(details);
    case 'no-aim': return scannerErrors.noAim(details);
  }
}
