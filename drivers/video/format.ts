// What every video format provides: an encoder from a POS event to the bytes of its messages, a framer that cuts a TCP stream back into messages, and a strict
// parser for the receiver emulators. Encoders are pure: the event and the sink's mapping in, bytes out.
import iconv from 'iconv-lite';
import type { PosEvent } from '../../src-main/services/pos-events/pos-event';

export const VIDEO_PROTOCOLS = ['trassir', 'axxon', 'textfeed'] as const;
export type VideoProtocol = (typeof VIDEO_PROTOCOLS)[number];

export const TEXT_ENCODINGS = ['utf-8', 'windows-1251', 'cp866'] as const;
export type TextEncoding = (typeof TEXT_ENCODINGS)[number];

/** How one sink presents this lane to its video system. */
export interface SinkTarget {
  /** TRASSIR `location`, Axxon `cash_number`/`TerminalId`, the text feed's КАССА field. */
  terminalId: string;
  /** The camera channel watching this lane, when the video system wants it in the data (Axxon, text feed). */
  camera: number | null;
  /** IANA zone of the store: TRASSIR and the text feed caption local time; Axxon gets UTC. */
  timeZone: string;
  /** Byte encoding of Axxon and text-feed messages (TRASSIR is always UTF-8, declared in its prolog). */
  encoding: TextEncoding;
}

export interface ParsedFrame {
  /** The protocol's own name of the event: POSNG_…, the FunctionNumber, the text marker. */
  type: string;
  fields: Record<string, string>;
}

export interface VideoFormat {
  readonly protocol: VideoProtocol;
  /** The protocol messages of one event (usually one; TRASSIR sends e.g. a payment and its change as two). */
  encode(event: PosEvent, target: SinkTarget): Buffer[];
  /** Splits a received byte stream into complete messages; keeps the incomplete tail. */
  framer(encoding: TextEncoding): (chunk: Buffer) => string[];
  /** Validates one message; throws VideoFrameError with a reason. */
  parse(message: string): ParsedFrame;
}

export class VideoFrameError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VideoFrameError';
  }
}

export function encodeText(text: string, encoding: TextEncoding): Buffer {
  return encoding === 'utf-8' ? Buffer.from(text, 'utf8') : iconv.encode(text, encoding);
}

export function decodeText(bytes: Buffer, encoding: TextEncoding): string {
  return encoding === 'utf-8' ? bytes.toString('utf8') : iconv.decode(bytes, encoding);
}

/**
 * A framer for messages that end with a fixed terminator. It keeps undecoded bytes between chunks so
 * that a multi-byte character split across TCP segments is never mangled; a tail that grows past
 * maxBytes without a terminator is reported as one oversized message (the receiver flags it).
 */
export function terminatedFramer(terminator: string, encoding: TextEncoding, maxBytes = 256 * 1024): (chunk: Buffer) => string[] {
  const end = encodeText(terminator, encoding);
  let pending: Buffer = Buffer.alloc(0);
  return (chunk) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    const out: string[] = [];
    let at: number;
    while ((at = pending.indexOf(end)) >= 0) {
      out.push(decodeText(pending.subarray(0, at + end.length), encoding));
      pending = pending.subarray(at + end.length);
    }
    if (pending.length > maxBytes) {
      out.push(decodeText(pending, encoding));
      pending = Buffer.alloc(0);
    }
    return out;
  };
}

/** Amount of `quantityMilli` at `priceKopecks`, rounded half up to the kopeck, without float overflow. */
export function amountOf(priceKopecks: number, quantityMilli: number): number {
  const raw = BigInt(Math.trunc(priceKopecks)) * BigInt(Math.trunc(quantityMilli));
  return Number((raw + 500n) / 1000n);
}
