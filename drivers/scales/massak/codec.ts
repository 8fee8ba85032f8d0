// Massa-K «Протокол 100» (reference peripherals.md §1 Scales): F8 55 CE | Len u16 LE | body | CRC u16 LE,
// the body being CMD + data. Pure functions; every failure is a ScaleCodecError.
//
// CRC: the manual's appendix algorithm — poly 0x1021, init 0, "augmented": for each byte b,
// a = (CRC-CCITT of the high byte of crc, computed from 0), crc = a ^ (crc << 8) ^ b. It is NOT
// CCITT with init 0xFFFF, nor "reflected 0x8005" (wrong in several open drivers, reference §1).
// Checked against the request `F8 55 CE 01 00 23 23 00` and a captured device answer
// `F8 55 CE 0D 00 24 00 00 00 00 01 01 00 01 00 00 00 00 FC 23`, both quoted in open-source tests;
// UNCONFIRMED against the manual's PDF itself, which we have not seen.
import iconv from 'iconv-lite';
import { ScaleCodecError } from '../codec-error';
import type { FrameScanner } from '../link';

export const HEADER = [0xf8, 0x55, 0xce] as const;
const P = 'massak';

export const CMD = {
  GET_MASSA: 0x23,
  ACK_MASSA: 0x24,
  SET_ZERO: 0x72,
  ACK_SET: 0x27,
  SET_TARE: 0xa3,
  ACK: 0x12,
  NACK_TARE: 0x15,
  GET_SCALE_PAR: 0x75,
  ACK_SCALE_PAR: 0x76,
  ERROR: 0x28,
  NACK: 0xf0,
} as const;

/** CMD_ERROR codes (reference §1; names ours). */
export const ERROR_CODE = {
  UNSUPPORTED: 0x07,
  OVERLOAD: 0x08,
  NOT_WEIGHING: 0x09,
  BAD_INPUT: 0x0a,
  SAVE_FAILED: 0x0b,
  NO_WIFI: 0x10,
  NO_ETHERNET: 0x11,
  ZERO_IMPOSSIBLE: 0x15,
  NO_WEIGHING_MODULE: 0x17,
  LOADED_AT_POWER_ON: 0x18,
  FAULTY: 0x19,
} as const;

/** Division codes: 0 = 0.1 g, 1 = 1 g, 2 = 10 g, 3 = 100 g, 4 = 1 kg. */
export type DivisionCode = 0 | 1 | 2 | 3 | 4;

function crcOfHighByte(high: number): number {
  let a = 0;
  let t = high << 8;
  for (let bit = 0; bit < 8; bit++) {
    a = ((t ^ a) & 0x8000) !== 0 ? ((a << 1) ^ 0x1021) & 0xffff : (a << 1) & 0xffff;
    t = (t << 1) & 0xffff;
  }
  return a;
}
const TABLE = Uint16Array.from({ length: 256 }, (_, i) => crcOfHighByte(i));

/** The manual's CRC over the body (CMD + data). A one-byte body's CRC is the byte itself. */
export function massakCrc(body: Uint8Array): number {
  let crc = 0;
  for (const b of body) crc = (TABLE[crc >> 8]! ^ (crc << 8) ^ b) & 0xffff;
  return crc;
}

export function encodeFrame(body: Uint8Array): Uint8Array {
  if (body.length === 0) throw new ScaleCodecError(P, 'short', 'empty body');
  if (body.length > 0xffff) throw new ScaleCodecError(P, 'too-long', `body of ${body.length} bytes`);
  const out = new Uint8Array(body.length + 7);
  out.set(HEADER, 0);
  out[3] = body.length & 0xff;
  out[4] = body.length >> 8;
  out.set(body, 5);
  const crc = massakCrc(body);
  out[out.length - 2] = crc & 0xff;
  out[out.length - 1] = crc >> 8;
  return out;
}

/** One complete frame → its body. */
export function decodeFrame(bytes: Uint8Array): Uint8Array {
  if (bytes.length < 3 || bytes[0] !== HEADER[0] || bytes[1] !== HEADER[1] || bytes[2] !== HEADER[2]) {
    throw new ScaleCodecError(P, 'no-header', 'frame does not start with F8 55 CE');
  }
  if (bytes.length < 5) throw new ScaleCodecError(P, 'short', 'no length');
  const len = bytes[3]! | (bytes[4]! << 8);
  if (len === 0) throw new ScaleCodecError(P, 'short', 'zero length');
  if (bytes.length < len + 7) throw new ScaleCodecError(P, 'short', `needs ${len + 7} bytes, got ${bytes.length}`);
  if (bytes.length > len + 7) throw new ScaleCodecError(P, 'trailing', `${bytes.length - len - 7} trailing bytes`);
  const body = bytes.slice(5, 5 + len);
  const got = bytes[5 + len]! | (bytes[6 + len]! << 8);
  const expected = massakCrc(body);
  if (got !== expected) throw new ScaleCodecError(P, 'bad-checksum', 'CRC mismatch', { expected, got });
  return body;
}

/** Finds a frame in a byte stream (for ScaleLink). */
export const scanFrame: FrameScanner = (buffer) => {
  let at = -1;
  for (let i = 0; i < buffer.length; i++) {
    if (buffer[i] === HEADER[0] && (i + 1 >= buffer.length || buffer[i + 1] === HEADER[1]) && (i + 2 >= buffer.length || buffer[i + 2] === HEADER[2])) { at = i; break; }
  }
  if (at < 0) return { drop: buffer.length, length: null };
  if (at > 0) return { drop: at, length: null };
  if (buffer.length < 5) return { drop: 0, length: null };
  const len = buffer[3]! | (buffer[4]! << 8);
  if (len === 0 || len > 1_000) return { drop: 1, length: null };
  return { drop: 0, length: len + 7 };
};

// ---- requests ------------------------------------------------------------------------------------

export type MassakRequest =
  | { kind: 'get-massa' }
  | { kind: 'set-zero' }
  | { kind: 'set-tare'; tare: number }
  | { kind: 'get-scale-par' }
  | { kind: 'unknown'; cmd: number };

export function encodeRequest(r: MassakRequest): Uint8Array {
  switch (r.kind) {
    case 'get-massa': return encodeFrame(Uint8Array.of(CMD.GET_MASSA));
    case 'set-zero': return encodeFrame(Uint8Array.of(CMD.SET_ZERO));
    case 'get-scale-par': return encodeFrame(Uint8Array.of(CMD.GET_SCALE_PAR));
    case 'set-tare': {
      const body = new Uint8Array(5);
      body[0] = CMD.SET_TARE;
      writeI32(body, 1, r.tare);
      return encodeFrame(body);
    }
    case 'unknown': return encodeFrame(Uint8Array.of(r.cmd));
  }
}

export function decodeRequest(body: Uint8Array): MassakRequest {
  const cmd = body[0];
  if (cmd === undefined) throw new ScaleCodecError(P, 'short', 'empty body');
  switch (cmd) {
    case CMD.GET_MASSA: return { kind: 'get-massa' };
    case CMD.SET_ZERO: return { kind: 'set-zero' };
    case CMD.GET_SCALE_PAR: return { kind: 'get-scale-par' };
    case CMD.SET_TARE:
      if (body.length < 5) throw new ScaleCodecError(P, 'short', 'SET_TARE without a tare');
      return { kind: 'set-tare', tare: readI32(body, 1) };
    default: return { kind: 'unknown', cmd };
  }
}

// ---- replies -------------------------------------------------------------------------------------

export interface Massa {
  kind: 'massa';
  /** Net weight in divisions of `division`. */
  weight: number;
  division: DivisionCode;
  stable: boolean;
  net: boolean;
  zero: boolean;
  /** Tare in divisions; null when the model omits it (Len 9 instead of 13). */
  tare: number | null;
}

export type MassakReply =
  | Massa
  | { kind: 'ack-set' }
  | { kind: 'ack' }
  | { kind: 'nack-tare' }
  | { kind: 'nack' }
  | { kind: 'error'; code: number }
  | { kind: 'scale-par'; lines: string[] };

export function encodeReply(r: MassakReply): Uint8Array {
  switch (r.kind) {
    case 'massa': {
      const body = new Uint8Array(r.tare === null ? 9 : 13);
      body[0] = CMD.ACK_MASSA;
      writeI32(body, 1, r.weight);
      body[5] = r.division;
      body[6] = r.stable ? 1 : 0;
      body[7] = r.net ? 1 : 0;
      body[8] = r.zero ? 1 : 0;
      if (r.tare !== null) writeI32(body, 9, r.tare);
      return encodeFrame(body);
    }
    case 'ack-set': return encodeFrame(Uint8Array.of(CMD.ACK_SET));
    case 'ack': return encodeFrame(Uint8Array.of(CMD.ACK));
    case 'nack-tare': return encodeFrame(Uint8Array.of(CMD.NACK_TARE));
    case 'nack': return encodeFrame(Uint8Array.of(CMD.NACK));
    case 'error': return encodeFrame(Uint8Array.of(CMD.ERROR, r.code & 0xff));
    case 'scale-par': {
      const text = new Uint8Array(iconv.encode(r.lines.join('\r\n'), 'win1251'));
      const body = new Uint8Array(text.length + 1);
      body[0] = CMD.ACK_SCALE_PAR;
      body.set(text, 1);
      return encodeFrame(body);
    }
  }
}

export function decodeReply(body: Uint8Array): MassakReply {
  const cmd = body[0];
  if (cmd === undefined) throw new ScaleCodecError(P, 'short', 'empty body');
  switch (cmd) {
    case CMD.ACK_MASSA: {
      if (body.length !== 9 && body.length !== 13) throw new ScaleCodecError(P, 'bad-field', `ACK_MASSA body of ${body.length} bytes`);
      const division = body[5]!;
      if (division > 4) throw new ScaleCodecError(P, 'bad-field', `division code ${division}`);
      return {
        kind: 'massa',
        weight: readI32(body, 1),
        division: division as DivisionCode,
        stable: body[6] === 1,
        net: body[7] === 1,
        zero: body[8] === 1,
        tare: body.length === 13 ? readI32(body, 9) : null,
      };
    }
    case CMD.ACK_SET: return { kind: 'ack-set' };
    case CMD.ACK: return { kind: 'ack' };
    case CMD.NACK_TARE: return { kind: 'nack-tare' };
    case CMD.NACK: return { kind: 'nack' };
    case CMD.ERROR:
      if (body.length < 2) throw new ScaleCodecError(P, 'short', 'CMD_ERROR without a code');
      return { kind: 'error', code: body[1]! };
    case CMD.ACK_SCALE_PAR:
      return { kind: 'scale-par', lines: iconv.decode(Buffer.from(body.subarray(1)), 'win1251').split('\r\n') };
    default:
      throw new ScaleCodecError(P, 'unknown-reply', `reply 0x${cmd.toString(16)}`, { cmd });
  }
}

/** Divisions → whole grams. 0.1 g divisions are rounded half away from zero (a sale takes whole grams). */
export function divisionsToGrams(value: number, division: DivisionCode): number {
  switch (division) {
    case 0: return value >= 0 ? Math.floor((value + 5) / 10) : -Math.floor((-value + 5) / 10);
    case 1: return value;
    case 2: return value * 10;
    case 3: return value * 100;
    case 4: return value * 1000;
  }
}

/** Whole grams → divisions (for SET_TARE); exact for 0.1 g and 1 g, rounded for coarser ones. */
export function gramsToDivisions(grams: number, division: DivisionCode): number {
  switch (division) {
    case 0: return grams * 10;
    case 1: return grams;
    case 2: return Math.round(grams / 10);
    case 3: return Math.round(grams / 100);
    case 4: return Math.round(grams / 1000);
  }
}

function readI32(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) | 0;
}

function writeI32(b: Uint8Array, at: number, v: number): void {
  if (!Number.isInteger(v) || v < -0x8000_0000 || v > 0x7fff_ffff) throw new ScaleCodecError(P, 'bad-field', `i32 out of range: ${v}`);
  b[at] = v & 0xff;
  b[at + 1] = (v >> 8) & 0xff;
  b[at + 2] = (v >> 16) & 0xff;
  b[at + 3] = (v >>> 24) & 0xff;
}
