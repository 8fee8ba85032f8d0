// The plumbing every scale emulator shares: it opens the device end of a pty pair (or listens on
// TCP), hands incoming bytes to a protocol device and sends the device's answers through fault
// injection. Faults are one-shot by count (or Infinity), consumed by answer frames:
// - garbage:      random high bytes (0x80–0xF7, which start no frame in any of our protocols) before the answer;
// - bad-checksum: the answer's checksum (or, without one, its terminator) is corrupted;
// - late:         the device is busy for `lateMs`: this answer, and every answer after it, goes out
//                 no earlier than that, in order (a slow device, not a reordering one);
// - silence:      no answer at all (every byte, control bytes included, while the count lasts);
// - cut:          only the first half of the answer.
import { createServer, type Server, type Socket } from 'node:net';
import type { ByteTransport } from '../transport/byte-transport';
import { openSerial } from '../transport/serial';
import { socketTransport } from '../transport/tcp';
import { pacedTransport } from '../emulator-support/line-pacing';

export type ScaleFault = 'garbage' | 'bad-checksum' | 'late' | 'silence' | 'cut';
export const SCALE_FAULTS: readonly ScaleFault[] = ['garbage', 'bad-checksum', 'late', 'silence', 'cut'];

/** What a protocol's device answers; `corruptAt` is the index of its checksum (or terminator) byte. */
export interface Answer { bytes: Uint8Array; corruptAt: number | null; control?: boolean }

export interface ScaleDevice {
  /** Bytes from the host; returns the answers to send, in order. */
  receive(chunk: Uint8Array, session: DeviceSession): Answer[];
  /** Called when a new connection starts (TCP) so per-link state is fresh. */
  connect?(session: DeviceSession): void;
  disconnect?(session: DeviceSession): void;
}

/** Per connection: lets a streaming device push answers on its own. */
export interface DeviceSession { push(answer: Answer): void; readonly kind: 'serial' | 'tcp' }

export interface HostOptions {
  serialPath?: string;
  tcp?: { host: string; port: number };
  baudRate?: number;
  /**
   * Serial only: every byte takes its line time at `baudRate` both ways, as on a real UART (a pty moves
   * bytes at once). For benchmarks of what the cashier waits for at 9600 baud.
   */
  pace?: boolean;
  lateMs?: number;
  seed?: number;
}

export class ScaleEmulatorHost {
  private readonly faults = new Map<ScaleFault, number>();
  private readonly sessions = new Set<Session>();
  private server: Server | null = null;
  private rng: () => number;
  readonly lateMs: number;
  address = '';
  /** Answers sent (after faults), for tests. */
  answersSent = 0;

  private constructor(private readonly device: ScaleDevice, o: HostOptions) {
    this.lateMs = o.lateMs ?? 1_500;
    let s = (o.seed ?? 7) >>> 0 || 7;
    this.rng = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 0x1_0000_0000; };
  }

  static async start(device: ScaleDevice, o: HostOptions): Promise<ScaleEmulatorHost> {
    const host = new ScaleEmulatorHost(device, o);
    if (o.serialPath) {
      const baudRate = o.baudRate ?? 9_600;
      const port = await openSerial({ path: o.serialPath, baudRate });
      const transport = o.pace ? pacedTransport(port, { baudRate }) : port;
      host.sessions.add(new Session(host, device, transport));
      host.address = o.serialPath;
    } else if (o.tcp) {
      const server = createServer((socket: Socket) => {
        const session = new Session(host, device, socketTransport(socket));
        host.sessions.add(session);
        socket.once('close', () => { session.dispose(); host.sessions.delete(session); });
      });
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(o.tcp!.port, o.tcp!.host, () => resolve());
      });
      const a = server.address();
      host.address = typeof a === 'object' && a ? `${o.tcp.host}:${a.port}` : String(a);
      host.server = server;
    } else {
      throw new Error('scale emulator: give serialPath or tcp');
    }
    return host;
  }

  inject(fault: ScaleFault, count = 1): void { this.faults.set(fault, (this.faults.get(fault) ?? 0) + count); }
  clearFaults(): void { this.faults.clear(); }
  pendingFaults(): Partial<Record<ScaleFault, number>> { return Object.fromEntries(this.faults); }

  /** Takes one of `fault` if any is armed. */
  take(fault: ScaleFault): boolean {
    const n = this.faults.get(fault) ?? 0;
    if (n <= 0) return false;
    if (n === 1) this.faults.delete(fault); else this.faults.set(fault, n - 1);
    return true;
  }

  garbage(): Uint8Array {
    const n = 3 + Math.floor(this.rng() * 6);
    return Uint8Array.from({ length: n }, () => 0x80 + Math.floor(this.rng() * 0x78));
  }

  async close(): Promise<void> {
    for (const s of this.sessions) { s.dispose(); await s.transport.close().catch(() => undefined); }
    this.sessions.clear();
    if (this.server) await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}

class Session implements DeviceSession {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly detach: () => void;
  /** Answers wait behind a late one: a serial device answers in order. */
  private busyUntil = 0;
  private backlog: Uint8Array[] = [];

  constructor(private readonly host: ScaleEmulatorHost, private readonly device: ScaleDevice, readonly transport: ByteTransport) {
    device.connect?.(this);
    this.detach = transport.onData((chunk) => {
      for (const a of device.receive(chunk, this)) this.push(a);
    });
  }

  get kind(): 'serial' | 'tcp' { return this.transport.kind; }

  push(answer: Answer): void {
    const h = this.host;
    if (h.take('silence')) return;
    if (answer.control) { this.send(answer.bytes); return; }
    let bytes = answer.bytes;
    if (h.take('bad-checksum')) {
      bytes = bytes.slice();
      const at = answer.corruptAt ?? bytes.length - 1;
      bytes[at] = (bytes[at]! ^ 0x5a) & 0xff;
    }
    if (h.take('cut')) bytes = bytes.slice(0, Math.max(1, bytes.length >> 1));
    if (h.take('garbage')) bytes = concat(h.garbage(), bytes);
    if (h.take('late')) this.busyUntil = Date.now() + h.lateMs;
    this.send(bytes);
  }

  dispose(): void {
    this.detach();
    this.device.disconnect?.(this);
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private send(bytes: Uint8Array): void {
    const wait = this.busyUntil - Date.now();
    if (wait > 0 || this.backlog.length > 0) {
      this.backlog.push(bytes);
      if (this.backlog.length === 1) {
        const t = setTimeout(() => { this.timers.delete(t); this.flush(); }, Math.max(0, wait));
        this.timers.add(t);
      }
      return;
    }
    this.host.answersSent++;
    this.transport.write(bytes).catch(() => undefined);
  }

  private flush(): void {
    const queued = this.backlog.splice(0);
    for (const bytes of queued) {
      this.host.answersSent++;
      this.transport.write(bytes).catch(() => undefined);
    }
  }
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}
