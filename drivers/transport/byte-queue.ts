// Incoming bytes buffered for a driver that reads them one protocol step at a time, each step with
// its own deadline. Reads resolve as soon as bytes arrive: no polling, no fixed sleeps.
import type { ByteTransport } from './byte-transport';

export class ReadTimeout extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no byte within ${timeoutMs} ms`);
    this.name = 'ReadTimeout';
  }
}

export class LinkClosed extends Error {
  constructor() {
    super('the link is closed');
    this.name = 'LinkClosed';
  }
}

interface Waiter { resolve(byte: number): void; reject(error: Error): void; timer: NodeJS.Timeout }

export class ByteQueue {
  private chunks: Uint8Array[] = [];
  private offset = 0;
  private waiter: Waiter | null = null;
  private closedError: Error | null = null;
  private readonly detach: Array<() => void> = [];

  constructor(transport: ByteTransport) {
    this.detach.push(transport.onData((chunk) => this.push(chunk)));
    this.detach.push(transport.onClose(() => this.fail(new LinkClosed())));
  }

  get available(): number {
    let n = -this.offset;
    for (const c of this.chunks) n += c.length;
    return n;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    const w = this.waiter;
    if (w) {
      this.waiter = null;
      clearTimeout(w.timer);
      w.resolve(this.take());
    }
  }

  /** Drops everything received so far (stale bytes before a new exchange). */
  clear(): number {
    const dropped = this.available;
    this.chunks = [];
    this.offset = 0;
    return dropped;
  }

  readByte(timeoutMs: number): Promise<number> {
    if (this.available > 0) return Promise.resolve(this.take());
    if (this.closedError) return Promise.reject(this.closedError);
    if (this.waiter) return Promise.reject(new Error('ByteQueue: concurrent readers'));
    return new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        reject(new ReadTimeout(timeoutMs));
      }, timeoutMs);
      this.waiter = { resolve, reject, timer };
    });
  }

  /** Up to `max` bytes already received, at once (none: an empty array); never waits. */
  takeAvailable(max: number): number[] {
    const out: number[] = [];
    while (out.length < max && this.chunks.length > 0) out.push(this.take());
    return out;
  }

  async readBytes(count: number, perByteTimeoutMs: number): Promise<Uint8Array> {
    const out = new Uint8Array(count);
    for (let i = 0; i < count; i++) out[i] = await this.readByte(perByteTimeoutMs);
    return out;
  }

  dispose(): void {
    for (const d of this.detach.splice(0)) d();
    this.fail(new LinkClosed());
  }

  private fail(error: Error): void {
    this.closedError = error;
    const w = this.waiter;
    if (w) {
      this.waiter = null;
      clearTimeout(w.timer);
      w.reject(error);
    }
  }

  private take(): number {
    const chunk = this.chunks[0]!;
    const byte = chunk[this.offset]!;
    this.offset++;
    if (this.offset >= chunk.length) {
      this.chunks.shift();
      this.offset = 0;
    }
    return byte;
  }
}
