// The host side shared by the scale protocols that are plain request → answer (Massa-K, CAS,
// Mettler): write a request, then read one frame found by a protocol's scanner, with a deadline.
// Bytes before a frame (line noise, a late answer to an earlier request) are skipped by the scanner;
// a frame that fails to decode is a codec error. Only read-only requests are retried
// (drivers/README.md); zero and tare are sent once and a lost answer is reported, not guessed.
import type { ByteTransport } from '../transport/byte-transport';
import { ByteQueue, LinkClosed, ReadTimeout } from '../transport/byte-queue';
import { ScaleCodecError } from './codec-error';
import { ScaleError, scaleErrors } from './scale';

/** drop: bytes at the front that cannot start a frame; length: the whole frame's length once known. */
export interface FrameScan { drop: number; length: number | null }
export type FrameScanner = (buffer: Uint8Array) => FrameScan;

/** Frames longer than this are noise, whatever a length field claims. */
const MAX_FRAME_BYTES = 1_024;
/** A device silent for longer than a few requests is not going to answer them all. */
const MAX_OWED = 4;

export interface TransactOptions<T> {
  name: string;
  /** null: just listen (a scale that streams its weight). */
  request: Uint8Array | null;
  scan: FrameScanner;
  /** Several steps instead of request → frame (CAS: ENQ → ACK, DC1 → frame); returns the frame. */
  steps?: () => Promise<Uint8Array>;
  decode(frame: Uint8Array): T;
  timeoutMs: number;
  readOnly: boolean;
  /** Attempts for a read-only request (default 3). */
  attempts?: number;
}

export class ScaleLink {
  private readonly queue: ByteQueue;
  private chain: Promise<unknown> = Promise.resolve();
  private closed = false;
  private lost = false;
  /**
   * Answers the device still owes us: requests sent whose answer timed out. A slow device answers in
   * order, so after a retry the first frame may be the late answer to the earlier request; the
   * fresher one follows it. See transactNow.
   */
  private owed = 0;
  /** How long to wait for the fresher answer behind a late one. */
  private readonly graceMs: number;
  /** The length of the last answer to each command: announced to the transport (awaitAnswer). */
  private readonly answerLengths = new Map<string, number>();

  constructor(private readonly transport: ByteTransport, readonly protocol: string, options: { graceMs?: number } = {}) {
    this.graceMs = options.graceMs ?? 60;
    this.queue = new ByteQueue(transport);
    transport.onClose(() => { this.lost = true; });
  }

  get kind(): 'serial' | 'tcp' { return this.transport.kind; }

  /** Runs steps one exchange at a time (the live-weight watcher and a tare may overlap). */
  serial<T>(steps: () => Promise<T>): Promise<T> {
    const run = this.chain.then(() => {
      if (this.closed) throw scaleErrors.closed({ protocol: this.protocol });
      if (this.lost) throw scaleErrors.noLink({ protocol: this.protocol, reason: 'the port closed' });
      return steps();
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Drops stale bytes, then writes. */
  async send(bytes: Uint8Array): Promise<void> {
    this.transport.readPending?.();
    this.queue.clear();
    await this.transport.write(bytes);
  }

  /** Writes without dropping what arrived (a step inside one exchange). */
  write(bytes: Uint8Array): Promise<void> { return this.transport.write(bytes); }

  clear(): void { this.queue.clear(); }

  /** One frame within timeoutMs; throws ReadTimeout or LinkClosed. */
  async readFrame(scan: FrameScanner, timeoutMs: number): Promise<Uint8Array> {
    const deadline = Date.now() + timeoutMs;
    let buffer: number[] = [];
    let scanned: FrameScan = { drop: 0, length: null };
    for (;;) {
      for (;;) {
        const view = Uint8Array.from(buffer);
        const s = scan(view);
        scanned = s;
        if (s.drop > 0) { buffer = buffer.slice(Math.min(s.drop, buffer.length)); continue; }
        if (s.length !== null && (s.length > MAX_FRAME_BYTES || s.length <= 0)) { buffer = buffer.slice(1); continue; }
        if (s.length !== null && buffer.length >= s.length) return view.slice(0, s.length);
        if (buffer.length > MAX_FRAME_BYTES) { buffer = buffer.slice(1); continue; }
        break;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new ReadTimeout(timeoutMs);
      // A slow serial line waits for the rest of a frame whose length is known, and reads it at once.
      if (this.queue.available === 0) this.transport.expect?.(scanned.length !== null ? scanned.length - buffer.length : null);
      buffer.push(await this.queue.readByte(left));
      // The rest of a frame of known length that is already here: taken at once, not a byte per turn
      // (never past the frame's end: what follows it belongs to the next read).
      if (scanned.length !== null && scanned.drop === 0) {
        for (const b of this.queue.takeAvailable(scanned.length - buffer.length)) buffer.push(b);
      }
    }
  }

  /** Request → frame → decoded value, retried (read-only only) on silence and unreadable frames. */
  transact<T>(o: TransactOptions<T>): Promise<T> {
    return this.serial(() => this.transactNow(o));
  }

  async transactNow<T>(o: TransactOptions<T>): Promise<T> {
    const attempts = o.readOnly ? Math.max(1, o.attempts ?? 3) : 1;
    let last: unknown = null;
    for (let i = 0; i < attempts; i++) {
      try {
        if (o.steps) return o.decode(await o.steps());
        if (!o.request) {
          this.queue.clear();
          return o.decode(await this.readFrame(o.scan, o.timeoutMs));
        }
        await this.send(o.request);
        // A slow line's transport reads the whole answer at once when it knows how long it will be.
        const answerLength = this.answerLengths.get(o.name);
        if (answerLength !== undefined && this.owed === 0) this.transport.awaitAnswer?.(answerLength);
        this.owed = Math.min(this.owed + 1, MAX_OWED);
        const first = await this.readFrame(o.scan, o.timeoutMs);
        this.answerLengths.set(o.name, first.length);
        this.owed--;
        let value = o.decode(first);
        // Earlier requests still unanswered: this frame may be one of their late answers. Take the
        // freshest frame that follows within the grace period; if none comes, nothing more is owed.
        while (this.owed > 0) {
          let next: Uint8Array;
          try {
            next = await this.readFrame(o.scan, Math.min(this.graceMs, o.timeoutMs));
          } catch (error) {
            if (error instanceof ReadTimeout) { this.owed = 0; break; }
            throw error;
          }
          this.owed--;
          try { value = o.decode(next); } catch (error) { if (!(error instanceof ScaleCodecError)) throw error; }
        }
        return value;
      } catch (error) {
        if (error instanceof ScaleError) throw error;
        if (error instanceof LinkClosed) throw scaleErrors.noLink({ protocol: this.protocol, command: o.name });
        if (!(error instanceof ReadTimeout || error instanceof ScaleCodecError)) throw this.mapUnknown(error, o.name);
        last = error;
      }
    }
    if (last instanceof ScaleCodecError) {
      throw scaleErrors.protocol(last.message, { protocol: this.protocol, command: o.name, codec: last.code });
    }
    // Silence on every attempt of a read means no link; silence after a command means its fate is unknown.
    return Promise.reject(o.readOnly
      ? scaleErrors.noLink({ protocol: this.protocol, command: o.name, reason: 'no answer' })
      : scaleErrors.noAnswer({ protocol: this.protocol, command: o.name }));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.queue.dispose();
    await this.transport.close();
  }

  private mapUnknown(error: unknown, command: string): ScaleError {
    return scaleErrors.noLink({ protocol: this.protocol, command, reason: (error as Error)?.message ?? String(error) });
  }
}

/** A scanner for frames that start with a fixed byte sequence and end with a fixed byte. */
export function delimitedScanner(start: readonly number[], end: number, minLength = start.length + 1): FrameScanner {
  return (buffer) => {
    const at = findPrefix(buffer, start);
    if (at > 0) return { drop: at, length: null };
    if (at < 0) return { drop: buffer.length, length: null };
    // A new frame start inside this one means the first was cut short: resynchronise on it.
    for (let i = start.length; i < buffer.length; i++) {
      if (buffer[i] === end && i + 1 >= minLength) return { drop: 0, length: i + 1 };
      if (buffer[i] === start[0] && findPrefix(buffer.subarray(i), start) === 0) return { drop: i, length: null };
    }
    return { drop: 0, length: null };
  };
}

/**
 * Where `prefix` starts in `buffer`: its index; the index of a partial match at the very end (the
 * rest may be on its way); -1 when no byte can start it.
 */
export function findPrefix(buffer: Uint8Array, prefix: readonly number[]): number {
  outer: for (let i = 0; i < buffer.length; i++) {
    for (let j = 0; j < prefix.length; j++) {
      if (i + j >= buffer.length) return i;
      if (buffer[i + j] !== prefix[j]) continue outer;
    }
    return i;
  }
  return -1;
}
