// Reading a polled device's answers on a slow serial line in one go (ByteTransport.awaitAnswer).
//
// A 9600-baud scale polled ~18 times a second is nearly all of an idle lane's CPU, and that CPU is
// event-loop wake-ups (~60 µs each on a small till): read as they come, an answer costs the first bytes'
// wake-up, a gathering timer's, and one more because libuv takes a paused descriptor out of epoll only
// when it next turns readable. Here the descriptor stays out of epoll altogether: after a request the
// collector sleeps until the answer should be whole — the request's and the answer's line time plus the
// device's delay, which it learns — and reads what is there with one non-blocking read. The poll timer
// and this one timer are the whole cost of a poll.
//
// Learning the delay, from the first read that finds any of the answer: when it finds only part, the
// answer began about that part's line time ago, which measures the delay; when the read planned for the
// whole answer finds it whole, the answer may have been whole a little earlier, so the sample is the
// estimate less half a byte time (the estimate probes down until a read comes early again); when the
// answer came after reads that found nothing, the latest it can have begun is the sample. The estimate
// is the median of the last DELAY_WINDOW samples, and the read is planned one byte time after it, so a
// device's usual jitter of a millisecond or two does not cost a second timer: a device the till's load
// held up for 170 ms once (it happens on a busy two-core till) must not make the next hundred answers
// wait as long, and one that really became slower is followed within half the window. The cost of a
// wrong estimate is one more timer (early) or a byte time or two of latency (late). Bytes are delivered
// either way; nothing depends on the estimate.
import { readSync } from 'node:fs';

export interface AnswerCollectorDeps {
  fd: number;
  /** Line time of one byte (start, data, parity and stop bits) in ms. */
  byteMs: number;
  deliver(chunk: Uint8Array): void;
  /** The descriptor failed (EIO: an unplugged adapter, a pty whose device end closed) or ended. */
  lost(error: Error | null): void;
  /** Stops the event-driven reader for good: from the first awaitAnswer on, this collector reads. */
  pauseReader(): void;
  now?(): number;
}

/** Bytes one read may take: far more than an answer of any polled device we drive. */
const READ_BUFFER_BYTES = 4096;
/** While nothing has come, look again after this many byte times (a device that is late, or silent). */
const WAIT_STEP_BYTES = 20;
/** A learned delay beyond this is a device that did not answer, not a slow one. */
const MAX_DELAY_MS = 200;
/** Delay samples the estimate is the median of. */
const DELAY_WINDOW = 16;
/** The read of a whole answer is planned this many byte times after it should be complete. */
const MARGIN_BYTES = 1;

interface Exchange {
  answerBytes: number;
  /** When the request's last byte has left (its line time after the write). */
  requestEndMs: number;
  got: number;
  /** Reads so far; the first is the one planned for the whole answer. */
  reads: number;
}

export class AnswerCollector {
  private readonly buffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
  private readonly now: () => number;
  private active = false;
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;
  private exchange: Exchange | null = null;
  private delayMs = 0;
  private readonly delaySamples: number[] = [];
  private lastWrite = { atMs: 0, bytes: 0 };

  constructor(private readonly deps: AnswerCollectorDeps) {
    this.now = deps.now ?? (() => performance.now());
  }

  /** True once a reader asked for answers to be collected: the event-driven reader stays paused. */
  get collecting(): boolean { return this.active; }

  /** The device's learned delay between a request's last byte and its answer's first (ms). */
  get learnedDelayMs(): number { return this.delayMs; }

  /** Called for every write: a request's line time starts when it is handed to the tty. */
  wrote(bytes: number): void {
    this.lastWrite = { atMs: this.now(), bytes };
  }

  /** The request just written will be answered with `answerBytes` bytes. */
  awaitAnswer(answerBytes: number): void {
    if (this.stopped || answerBytes <= 0) return;
    if (!this.active) {
      this.active = true;
      this.deps.pauseReader();
    }
    const requestEndMs = this.lastWrite.atMs + this.lastWrite.bytes * this.deps.byteMs;
    this.exchange = { answerBytes, requestEndMs, got: 0, reads: 0 };
    this.schedule(requestEndMs + this.delayMs + (answerBytes + MARGIN_BYTES) * this.deps.byteMs - this.now());
  }

  /**
   * The reader waits for `missing` more bytes (null: it does not know how many): read again when they
   * should be here, unless a read is due already.
   */
  expect(missing: number | null): void {
    if (!this.active || this.stopped || this.timer !== null || missing === 0) return;
    this.schedule((missing ?? WAIT_STEP_BYTES) * this.deps.byteMs);
  }

  /** Delivers at once whatever has arrived (before a new request: those bytes are older than it). */
  readPending(): void {
    if (this.active && !this.stopped) this.readNow();
  }

  stop(): void {
    this.stopped = true;
    this.clearTimer();
  }

  private schedule(inMs: number): void {
    this.clearTimer();
    // Whole milliseconds, rounded up: libuv's timers are; a read a fraction early would find a byte short.
    this.timer = setTimeout(() => { this.timer = null; this.collect(); }, Math.max(1, Math.ceil(inMs)));
  }

  private collect(): void {
    if (this.stopped) return;
    const got = this.readNow();
    const exchange = this.exchange;
    if (got === null || !exchange) return;
    exchange.reads++;
    if (exchange.got === 0 && got > 0) this.learn(exchange, got);
    exchange.got += got;
    const missing = exchange.answerBytes - exchange.got;
    if (missing <= 0) {
      this.exchange = null;
      return;
    }
    this.schedule((exchange.got === 0 ? WAIT_STEP_BYTES : missing) * this.deps.byteMs);
  }

  /** From the first read that found `got` bytes of the answer. */
  private learn(exchange: Exchange, got: number): void {
    const byteMs = this.deps.byteMs;
    let sample: number;
    if (got >= exchange.answerBytes && exchange.reads === 1) {
      sample = this.delayMs - byteMs / 2;
    } else {
      // It began `got` byte times ago at the latest (exactly, when part of it is still on the line).
      sample = this.now() - Math.min(got, exchange.answerBytes) * byteMs - exchange.requestEndMs;
    }
    this.delaySamples.push(Math.min(MAX_DELAY_MS, Math.max(0, sample)));
    if (this.delaySamples.length > DELAY_WINDOW) this.delaySamples.shift();
    this.delayMs = median(this.delaySamples);
  }

  /** Reads everything the tty holds; the byte count, or null when the descriptor failed. */
  private readNow(): number | null {
    let total = 0;
    for (;;) {
      let n: number;
      try {
        n = readSync(this.deps.fd, this.buffer, 0, this.buffer.length, null);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN' || code === 'EWOULDBLOCK') return total;
        this.fail(error as Error);
        return null;
      }
      if (n === 0) {
        this.fail(null);
        return null;
      }
      total += n;
      this.deps.deliver(new Uint8Array(this.buffer.subarray(0, n)));
      if (n < this.buffer.length) return total;
    }
  }

  private fail(error: Error | null): void {
    this.stop();
    this.deps.lost(error);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
