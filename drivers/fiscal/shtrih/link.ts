// Host side of the Shtrih-M link layer (spec v1.17 pp.8–13, Appendix 3; reference §1.1):
// ENQ → NAK (idle) / ACK (an answer is waiting) / silence (no link); STX LEN CMD DATA LRC → ACK/NAK;
// the answer frame → our ACK. Rules that keep fiscalisation exactly-once:
// - a frame the register NAKs was not accepted, so it is resent (that is a transport error, not a command);
// - a lost ACK or answer is recovered with ENQ: if the register holds an answer it sends it again;
// - if the register is idle without an answer, only a read-only command is resent. A fiscal command
//   ends in 'outcome-unknown' and the service reconciles (ARCHITECTURE §5).
import type { ByteTransport } from '../../transport/byte-transport';
import { ByteQueue, LinkClosed, ReadTimeout } from '../../transport/byte-queue';
import { ACK, ENQ, NAK, STX, TCP_FILLER, encodeFrame, lrc } from './codec';
import { fiscalErrors } from '../fiscal-error';

export interface LinkOptions {
  /** Wait for the answer to ENQ. The spec's ACK wait is ~2 byte-times; OS and USB latency need more. */
  enqTimeoutMs?: number;
  /** Wait for ACK after our frame. */
  ackTimeoutMs?: number;
  /** Gap allowed between bytes of one frame (spec default 50 ms; cmd 14h changes it on the device). */
  byteTimeoutMs?: number;
  /** ENQ attempts before the link counts as down. */
  enqRetries?: number;
  /** Resends of a frame the register NAKed (bad LRC on the way). */
  nakRetries?: number;
  /** Resends of a read-only command whose answer was lost. */
  readOnlyRetries?: number;
}

export interface ExchangeOptions {
  commandName: string;
  commandCode: number;
  readOnly: boolean;
  answerTimeoutMs: number;
}

export interface LinkStats { enq: number; frameResends: number; nakSent: number; recoveries: number; staleAnswers: number }

type FrameRead = { ok: true; payload: Uint8Array } | { ok: false };

export class ShtrihLink {
  private readonly queue: ByteQueue;
  private readonly o: Required<LinkOptions>;
  private chain: Promise<unknown> = Promise.resolve();
  readonly stats: LinkStats = { enq: 0, frameResends: 0, nakSent: 0, recoveries: 0, staleAnswers: 0 };
  /** The last answer the register held from an earlier exchange (e.g. a lost FF45 reply with FD/FP). */
  lastStaleAnswer: Uint8Array | null = null;
  onStaleAnswer: ((payload: Uint8Array) => void) | null = null;

  constructor(private readonly transport: ByteTransport, options: LinkOptions = {}) {
    this.queue = new ByteQueue(transport);
    this.o = {
      enqTimeoutMs: options.enqTimeoutMs ?? 300,
      ackTimeoutMs: options.ackTimeoutMs ?? 300,
      byteTimeoutMs: options.byteTimeoutMs ?? 150,
      enqRetries: options.enqRetries ?? 5,
      nakRetries: options.nakRetries ?? 5,
      readOnlyRetries: options.readOnlyRetries ?? 3,
    };
  }

  get isTcp(): boolean { return this.transport.kind === 'tcp'; }

  /** Sends one command frame and returns the answer payload (CMD ERR DATA). Exchanges are serialised. */
  exchange(payload: Uint8Array, options: ExchangeOptions): Promise<Uint8Array> {
    const run = this.chain.then(() => this.exchangeNow(payload, options));
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** ENQ once and read an answer the register still holds (the reply to a command whose answer was lost). */
  readPendingAnswer(): Promise<Uint8Array | null> {
    const run = this.chain.then(async () => {
      const before = this.stats.staleAnswers;
      await this.syncIdle();
      return this.stats.staleAnswers > before ? this.lastStaleAnswer : null;
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    this.queue.dispose();
    await this.transport.close();
  }

  private async exchangeNow(payload: Uint8Array, x: ExchangeOptions): Promise<Uint8Array> {
    const frame = encodeFrame(payload);
    try {
      await this.syncIdle();
    } catch (error) {
      throw this.linkError(error, x, false);
    }
    let sent = false;
    try {
      for (let attempt = 0; ; attempt++) {
        sent = true;
        const acked = await this.sendFrame(frame);
        let answer: Uint8Array | null = null;
        if (acked) {
          const read = await this.readFrame(x.answerTimeoutMs);
          if (read?.ok) answer = read.payload;
          else if (read && !read.ok) await this.sendNak();
        }
        answer ??= await this.recover(x);
        if (answer) {
          if (matches(answer, x.commandCode)) return answer;
          this.noteStale(answer);
          const again = await this.recover(x);
          if (again && matches(again, x.commandCode)) return again;
        }
        // The register is idle and holds no answer: the frame was lost, or the answer was (power cut).
        if (!x.readOnly) throw fiscalErrors.outcomeUnknown(x.commandName, { reason: 'register idle without an answer' });
        if (attempt >= this.o.readOnlyRetries) throw fiscalErrors.noLink({ command: x.commandName, reason: 'no answer' });
        this.stats.frameResends++;
      }
    } catch (error) {
      throw this.linkError(error, x, sent);
    }
  }

  private linkError(error: unknown, x: ExchangeOptions, sent: boolean): Error {
    if (error instanceof ReadTimeout || error instanceof LinkClosed) {
      return sent && !x.readOnly
        ? fiscalErrors.outcomeUnknown(x.commandName, { reason: error.message })
        : fiscalErrors.noLink({ command: x.commandName, reason: error.message });
    }
    return error as Error;
  }

  /** ENQ until the register says it is idle (NAK); answers it still holds are read and put aside. */
  private async syncIdle(): Promise<void> {
    for (let i = 0; i < this.o.enqRetries; i++) {
      this.queue.clear();
      this.stats.enq++;
      await this.transport.write(Uint8Array.of(ENQ));
      const reply = await this.readControl(this.o.enqTimeoutMs);
      if (reply === NAK) return;
      if (reply === ACK) {
        const read = await this.readFrame(this.o.enqTimeoutMs * 10);
        if (read?.ok) this.noteStale(read.payload);
        else if (read) await this.sendNak();
      }
    }
    throw new ReadTimeout(this.o.enqTimeoutMs);
  }

  /** Writes the frame until the register ACKs it; false when no ACK came (it may have got it anyway). */
  private async sendFrame(frame: Uint8Array): Promise<boolean> {
    for (let n = 0; n <= this.o.nakRetries; n++) {
      this.queue.clear();
      await this.transport.write(frame);
      const reply = await this.readControl(this.o.ackTimeoutMs);
      if (reply === ACK) return true;
      if (reply !== NAK) return false;
      this.stats.frameResends++;
    }
    return false;
  }

  /** After a lost ACK/answer or a bad LRC: ENQ; ACK means an answer follows (spec: resent only on ENQ). */
  private async recover(x: ExchangeOptions): Promise<Uint8Array | null> {
    for (let i = 0; i < this.o.enqRetries; i++) {
      this.stats.recoveries++;
      this.stats.enq++;
      this.queue.clear();
      await this.transport.write(Uint8Array.of(ENQ));
      const reply = await this.readControl(this.o.enqTimeoutMs);
      if (reply === NAK) return null;
      if (reply !== ACK) continue;
      const read = await this.readFrame(x.answerTimeoutMs);
      if (read?.ok) return read.payload;
      if (read) await this.sendNak();
    }
    throw new ReadTimeout(this.o.enqTimeoutMs);
  }

  private noteStale(payload: Uint8Array): void {
    this.stats.staleAnswers++;
    this.lastStaleAnswer = payload;
    this.onStaleAnswer?.(payload);
  }

  private async sendNak(): Promise<void> {
    this.stats.nakSent++;
    await this.transport.write(Uint8Array.of(NAK));
  }

  /** A control byte (ACK/NAK), skipping the TCP filler 0xFF and line noise; null on timeout. */
  private async readControl(timeoutMs: number): Promise<number | null> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0) return null;
      let b: number;
      try { b = await this.queue.readByte(left); } catch (e) { if (e instanceof ReadTimeout) return null; throw e; }
      if (b === ACK || b === NAK) return b;
      if (b === STX) return null; // an unexpected frame: let recovery sort it out
    }
  }

  /** One answer frame; null when nothing came in time, {ok:false} on a bad LRC or a cut frame. */
  private async readFrame(firstByteTimeoutMs: number): Promise<FrameRead | null> {
    const deadline = Date.now() + firstByteTimeoutMs;
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0) return null;
      let b: number;
      try { b = await this.queue.readByte(left); } catch (e) { if (e instanceof ReadTimeout) return null; throw e; }
      if (b === STX) break;
      if (b !== TCP_FILLER && b !== ACK) continue;
    }
    try {
      const len = await this.queue.readByte(this.o.byteTimeoutMs);
      if (len === 0) return { ok: false };
      const payload = await this.queue.readBytes(len, this.o.byteTimeoutMs);
      const check = await this.queue.readByte(this.o.byteTimeoutMs);
      if (check !== lrc(len, payload)) return { ok: false };
      await this.transport.write(Uint8Array.of(ACK));
      return { ok: true, payload };
    } catch (e) {
      if (e instanceof ReadTimeout) return { ok: false };
      throw e;
    }
  }
}

function matches(answer: Uint8Array, code: number): boolean {
  if (code > 0xff) return answer.length >= 2 && answer[0] === code >> 8 && answer[1] === (code & 0xff);
  return answer.length >= 1 && answer[0] === code;
}
