// Line pacing for emulators (the Shtrih register, the scales): a real device's UART sends and receives one byte every
// 10 bits / baud (start bit, 8 data bits, stop bit). A pty or a loopback socket moves bytes at once, so
// without pacing a benchmark of the driver measures nothing but the event loop. A paced line makes every
// byte take its line time in both directions and adds nothing else: the answer to a frame starts on the
// wire the moment the frame's last byte has arrived, so the emulator's own processing is hidden in it.
//
// Each byte's due time is computed from the moment its direction of the line went busy (start + n × byte
// time), never by sleeping once per byte, so there is no accumulated drift. libuv timers are only
// millisecond-exact, so a timer takes us to within PRECISE_WINDOW_MS of the due time and setImmediate
// turns finish the wait (they let I/O run in between; the cost is CPU for at most that window).
import { performance } from 'node:perf_hooks';
import { TransportEvents, type ByteTransport } from '../transport/byte-transport';

export const BITS_PER_BYTE = 10;

/** Pure line time of `bytes` at `baudRate` (10 bits per byte). */
export function lineTimeMs(bytes: number, baudRate: number): number {
  return (bytes * BITS_PER_BYTE * 1_000) / baudRate;
}

export interface PacingOptions {
  baudRate: number;
  /** Clock in milliseconds (performance.now by default; tests may pass their own). */
  now?: () => number;
}

const PRECISE_WINDOW_MS = 2;
/** While a long unit is on the wire, its bytes are handed over at least this often (a UART FIFO does too). */
const PROGRESS_STEP_MS = 2;

interface Unit {
  bytes: Uint8Array;
  /** When the first bit of the first byte went out; byte i is complete at startMs + (i + 1) × byteMs. */
  startMs: number;
  sent: number;
  done: () => void;
}

/** One direction of a serial line: bytes come out in order, each when its last bit has been sent. */
export class PacedDirection {
  private readonly units: Unit[] = [];
  private freeAtMs = 0;
  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private closed = false;
  readonly byteMs: number;

  /**
   * `deliver(chunk, dueMs)` gets the bytes that are complete; with `perByte` every byte on its own,
   * with the due time of that byte (the receiving side uses it to anchor its answer).
   */
  constructor(
    baudRate: number,
    private readonly now: () => number,
    private readonly deliver: (chunk: Uint8Array, dueMs: number) => void,
    private readonly perByte: boolean,
  ) {
    if (!(baudRate > 0)) throw new RangeError(`baud rate must be positive, got ${baudRate}`);
    this.byteMs = lineTimeMs(1, baudRate);
  }

  /** When the line is (or will be) free again. */
  get busyUntilMs(): number { return this.freeAtMs; }

  /** Queues bytes; they start on the wire at `notBeforeMs` (default now) or when the line is free, whichever is later. */
  send(bytes: Uint8Array, notBeforeMs?: number): Promise<void> {
    if (this.closed || bytes.length === 0) return Promise.resolve();
    const startMs = Math.max(this.freeAtMs, notBeforeMs ?? this.now());
    this.freeAtMs = startMs + bytes.length * this.byteMs;
    return new Promise<void>((resolve) => {
      this.units.push({ bytes, startMs, sent: 0, done: resolve });
      this.schedule();
    });
  }

  /** Drops everything not yet on the wire (a power cut). */
  discard(): void {
    for (const u of this.units.splice(0)) u.done();
    this.freeAtMs = 0;
    this.cancelWake();
  }

  close(): void {
    this.closed = true;
    this.discard();
  }

  private pump = (): void => {
    this.timer = null;
    this.immediate = null;
    const now = this.now();
    while (this.units.length > 0) {
      const unit = this.units[0]!;
      const due = Math.min(unit.bytes.length, Math.floor((now - unit.startMs) / this.byteMs + 1e-9));
      if (due > unit.sent) {
        if (this.perByte) {
          for (let i = unit.sent; i < due; i++) this.deliver(unit.bytes.subarray(i, i + 1), unit.startMs + (i + 1) * this.byteMs);
        } else {
          this.deliver(unit.bytes.subarray(unit.sent, due), unit.startMs + due * this.byteMs);
        }
        unit.sent = due;
      }
      if (this.closed) return;
      if (unit.sent < unit.bytes.length) break;
      this.units.shift();
      unit.done();
    }
    this.schedule();
  };

  private schedule(): void {
    if (this.closed || this.timer || this.immediate || this.units.length === 0) return;
    const unit = this.units[0]!;
    const endMs = unit.startMs + unit.bytes.length * this.byteMs;
    const waitMs = endMs - this.now();
    if (waitMs > PRECISE_WINDOW_MS) {
      this.timer = setTimeout(this.pump, Math.max(1, Math.min(waitMs - PRECISE_WINDOW_MS, PROGRESS_STEP_MS)));
    } else {
      this.immediate = setImmediate(this.pump);
    }
  }

  private cancelWake(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = null;
    this.immediate = null;
  }
}

export interface PacedTransport extends ByteTransport {
  /** Drops bytes not yet sent or received (the device lost power). */
  discardPending(): void;
}

/**
 * The device's end of a serial line at `baudRate`: incoming bytes reach the listener when they would have
 * arrived over the wire, outgoing bytes leave at the line rate. A write made while an incoming byte is
 * being handled starts on the wire when that byte arrived, not later: the device adds no time of its own.
 */
export function pacedTransport(inner: ByteTransport, options: PacingOptions): PacedTransport {
  const now = options.now ?? (() => performance.now());
  const events = new TransportEvents();
  let handlingDueMs: number | null = null;
  const rx = new PacedDirection(options.baudRate, now, (byte, dueMs) => {
    handlingDueMs = dueMs;
    try { events.emitData(byte); } finally { handlingDueMs = null; }
  }, true);
  let lastWrite: Promise<void> = Promise.resolve();
  const tx = new PacedDirection(options.baudRate, now, (chunk) => {
    lastWrite = inner.write(chunk.slice()).catch(() => undefined);
  }, false);
  const detachData = inner.onData((chunk) => { void rx.send(chunk); });
  const detachClose = inner.onClose((error) => { rx.close(); tx.close(); events.emitClose(error); });
  return {
    kind: inner.kind,
    write: async (bytes) => {
      await tx.send(bytes.slice(), handlingDueMs ?? undefined);
      await lastWrite;
    },
    onData: (l) => events.onData(l),
    onClose: (l) => events.onClose(l),
    discardPending: () => { rx.discard(); tx.discard(); },
    close: async () => {
      detachData();
      detachClose();
      rx.close();
      tx.close();
      await inner.close();
    },
  };
}
