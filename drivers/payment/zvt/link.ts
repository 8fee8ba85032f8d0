// APDUs over a ByteTransport, both ways (ZVT 13.x chapter 2 "Transport protocol"; reference §3).
// Serial: every APDU (our 80 00 00 too) goes in a DLE STX … DLE ETX CRC frame, and the receiver answers
// each frame with ACK or NAK. A NAKed frame was not taken, so it is sent again (up to 3 times, as the
// spec allows); a frame nobody ACKs may have been taken, and only the driver knows whether that matters.
// TCP: raw APDUs, their end found from LEN.
// One pump parses everything that arrives, so a reader waiting for the next APDU and a writer waiting
// for its ACK (an abort sent while an operation runs) never compete for bytes.
import type { ByteTransport } from '../../transport/byte-transport';
import { LinkClosed, ReadTimeout } from '../../transport/byte-queue';
import { ACK, NAK, SerialFrameReader, ZvtCodecError, apduSize, commandName, decodeApdu, encodeApdu, encodeSerialFrame, toHex, type Apdu } from './codec';

export { LinkClosed, ReadTimeout };

export interface ZvtLinkOptions {
  /** T1: the longest gap between two bytes of one frame or APDU. */
  byteTimeoutMs?: number;
  /** T3: how long to wait for the ACK/NAK of a serial frame. */
  ackTimeoutMs?: number;
  /** Resends of a frame the other side NAKed. */
  nakRetries?: number;
  /** Bytes outside any frame tolerated before the line counts as garbage. */
  maxNoiseBytes?: number;
  /** Fault injection for the emulator: NAK a good incoming frame, corrupt the CRC of an outgoing one. */
  faults?: { refuseFrame?: () => boolean; corruptFrame?: () => boolean };
}

export type ZvtProtocolErrorCode = 'garbage' | 'bad-crc' | 'cut' | 'codec';

/** The other side sent bytes that are not ZVT. */
export class ZvtProtocolError extends Error {
  constructor(readonly code: ZvtProtocolErrorCode, message: string, readonly details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'ZvtProtocolError';
  }
}

/** The frame was NAKed every time: certainly not taken. */
export class FrameRefused extends Error {
  constructor(readonly command: string) {
    super(`${command}: the terminal refused the frame (NAK) every time`);
    this.name = 'FrameRefused';
  }
}

/** No ACK/NAK came for the frame: the terminal may or may not have taken it. */
export class NoAck extends Error {
  constructor(readonly command: string, readonly timeoutMs: number) {
    super(`${command}: no ACK within ${timeoutMs} ms`);
    this.name = 'NoAck';
  }
}

/** Classes either side may send (ZVT 13.x chapter 14); anything else at an APDU start is garbage. */
const KNOWN_CLASSES = new Set([0x04, 0x05, 0x06, 0x08, 0x0f, 0x80, 0x84]);
const MAX_BAD_FRAMES = 3;

interface Waiter<T> { resolve(v: T): void; reject(e: Error): void; timer: NodeJS.Timeout }

export class ZvtLink {
  private readonly o: Required<Omit<ZvtLinkOptions, 'faults'>>;
  private readonly faults: NonNullable<ZvtLinkOptions['faults']>;
  private sendChain: Promise<unknown> = Promise.resolve();
  private readonly inbox: Array<Apdu | Error> = [];
  private reader: Waiter<Apdu> | null = null;
  private ackWaiter: Waiter<'ack' | 'nak'> | null = null;
  private closedError: Error | null = null;
  private readonly frames = new SerialFrameReader();
  private tcpBuffer = new Uint8Array(0);
  private gapTimer: NodeJS.Timeout | null = null;
  private noise = 0;
  private badFrames = 0;
  private readonly detach: Array<() => void> = [];
  readonly stats = { framesIn: 0, framesOut: 0, nakSent: 0, nakReceived: 0, noiseBytes: 0 };

  constructor(private readonly transport: ByteTransport, options: ZvtLinkOptions = {}) {
    this.o = {
      byteTimeoutMs: options.byteTimeoutMs ?? 200,
      ackTimeoutMs: options.ackTimeoutMs ?? 5_000,
      nakRetries: options.nakRetries ?? 3,
      maxNoiseBytes: options.maxNoiseBytes ?? 64,
    };
    this.faults = options.faults ?? {};
    this.detach.push(transport.onData((chunk) => (this.isTcp ? this.onTcp(chunk) : this.onSerial(chunk))));
    this.detach.push(transport.onClose(() => this.fail(new LinkClosed())));
  }

  get isTcp(): boolean { return this.transport.kind === 'tcp'; }
  get closed(): boolean { return this.closedError !== null; }

  /** Drops APDUs nobody read (left over from an operation that ended in a timeout). */
  drain(): number {
    const n = this.inbox.length;
    this.inbox.length = 0;
    return n;
  }

  /**
   * Sends one APDU. Serial: resolves on ACK, throws FrameRefused after NAKs only, NoAck on silence.
   * A TransportError from write() means the bytes did not go out.
   */
  send(a: Apdu): Promise<void> {
    // Serialised: an abort and the 80 00 00 of the running dialog must not wait for the same ACK.
    const run = this.sendChain.then(() => this.sendNow(a));
    this.sendChain = run.catch(() => undefined);
    return run;
  }

  private async sendNow(a: Apdu): Promise<void> {
    if (this.closedError) throw this.closedError;
    const bytes = encodeApdu(a);
    if (this.isTcp) {
      await this.transport.write(bytes);
      return;
    }
    const frame = encodeSerialFrame(bytes);
    for (let attempt = 0; attempt <= this.o.nakRetries; attempt++) {
      const answer = this.waitAck();
      answer.catch(() => undefined);
      this.stats.framesOut++;
      let out = frame;
      if (this.faults.corruptFrame?.()) { out = frame.slice(); out[out.length - 1] = out[out.length - 1]! ^ 0x5a; }
      await this.transport.write(out);
      const reply = await answer;
      if (reply === 'ack') return;
      this.stats.nakReceived++;
    }
    throw new FrameRefused(commandName(a));
  }

  /** The next APDU from the other side. Throws ReadTimeout, LinkClosed or ZvtProtocolError. */
  read(timeoutMs: number): Promise<Apdu> {
    const next = this.inbox.shift();
    if (next) return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
    if (this.closedError) return Promise.reject(this.closedError);
    if (this.reader) return Promise.reject(new Error('ZvtLink: concurrent readers'));
    return new Promise<Apdu>((resolve, reject) => {
      const timer = setTimeout(() => { this.reader = null; reject(new ReadTimeout(timeoutMs)); }, Math.max(1, timeoutMs));
      this.reader = { resolve, reject, timer };
    });
  }

  async close(): Promise<void> {
    for (const d of this.detach.splice(0)) d();
    this.fail(new LinkClosed());
    await this.transport.close();
  }

  // ---- the pump -----------------------------------------------------------------------------------

  private waitAck(): Promise<'ack' | 'nak'> {
    if (this.closedError) return Promise.reject(this.closedError);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { this.ackWaiter = null; reject(new NoAck('frame', this.o.ackTimeoutMs)); }, this.o.ackTimeoutMs);
      this.ackWaiter = { resolve, reject, timer };
    });
  }

  private deliver(item: Apdu | Error): void {
    const r = this.reader;
    if (r) {
      this.reader = null;
      clearTimeout(r.timer);
      if (item instanceof Error) r.reject(item); else r.resolve(item);
      return;
    }
    this.inbox.push(item);
  }

  private write(bytes: Uint8Array): void {
    this.transport.write(bytes).catch(() => undefined);
  }

  private onSerial(chunk: Uint8Array): void {
    for (const b of chunk) {
      const ev = this.frames.push(b);
      this.armGap(this.frames.inFrame, () => {
        this.frames.reset();
        this.badFrame('cut', 'a frame stopped in the middle');
      });
      if (!ev) continue;
      switch (ev.kind) {
        case 'ack':
        case 'nak': {
          const w = this.ackWaiter;
          if (w) { this.ackWaiter = null; clearTimeout(w.timer); w.resolve(ev.kind); }
          break;
        }
        case 'frame':
          this.badFrames = 0;
          this.noise = 0;
          if (this.faults.refuseFrame?.()) { this.stats.nakSent++; this.write(Uint8Array.of(NAK)); break; }
          this.stats.framesIn++;
          this.write(Uint8Array.of(ACK));
          try {
            this.deliver(decodeApdu(ev.apdu));
          } catch (error) {
            this.deliver(codecError(error, ev.apdu));
          }
          break;
        case 'bad-crc':
          this.badFrame('bad-crc', `frame CRC ${ev.got.toString(16)} ≠ ${ev.expected.toString(16)}`);
          break;
        case 'noise':
          this.stats.noiseBytes++;
          if (++this.noise > this.o.maxNoiseBytes) {
            this.noise = 0;
            this.deliver(new ZvtProtocolError('garbage', `more than ${this.o.maxNoiseBytes} bytes outside any frame`));
          }
      }
    }
  }

  /** NAK asks for the frame again; after three bad ones in a row the line is not speaking ZVT. */
  private badFrame(code: 'bad-crc' | 'cut', message: string): void {
    this.stats.nakSent++;
    this.write(Uint8Array.of(NAK));
    if (++this.badFrames >= MAX_BAD_FRAMES) {
      this.badFrames = 0;
      this.deliver(new ZvtProtocolError(code, `${message} (${MAX_BAD_FRAMES} times)`));
    }
  }

  private onTcp(chunk: Uint8Array): void {
    const joined = new Uint8Array(this.tcpBuffer.length + chunk.length);
    joined.set(this.tcpBuffer);
    joined.set(chunk, this.tcpBuffer.length);
    let buf = joined;
    for (;;) {
      if (buf.length === 0) break;
      if (!KNOWN_CLASSES.has(buf[0]!)) {
        this.stats.noiseBytes += buf.length;
        this.deliver(new ZvtProtocolError('garbage', `bytes that are not a ZVT APDU: ${toHex(buf.subarray(0, 16))}`));
        buf = new Uint8Array(0);
        break;
      }
      const size = apduSize(buf);
      if (size === null || buf.length < size) break;
      this.stats.framesIn++;
      this.deliver(decodeApdu(buf.slice(0, size)));
      buf = buf.slice(size);
    }
    this.tcpBuffer = buf;
    this.armGap(buf.length > 0, () => {
      this.deliver(new ZvtProtocolError('cut', `an APDU stopped after ${this.tcpBuffer.length} bytes`));
      this.tcpBuffer = new Uint8Array(0);
    });
  }

  private armGap(active: boolean, onGap: () => void): void {
    if (this.gapTimer) clearTimeout(this.gapTimer);
    this.gapTimer = active ? setTimeout(() => { this.gapTimer = null; onGap(); }, this.o.byteTimeoutMs) : null;
  }

  private fail(error: Error): void {
    if (this.closedError) return;
    this.closedError = error;
    if (this.gapTimer) clearTimeout(this.gapTimer);
    const r = this.reader;
    if (r) { this.reader = null; clearTimeout(r.timer); r.reject(error); }
    const w = this.ackWaiter;
    if (w) { this.ackWaiter = null; clearTimeout(w.timer); w.reject(error); }
  }
}

function codecError(error: unknown, bytes: Uint8Array): Error {
  if (error instanceof ZvtCodecError) return new ZvtProtocolError('codec', error.message, { apdu: toHex(bytes) });
  return error as Error;
}
