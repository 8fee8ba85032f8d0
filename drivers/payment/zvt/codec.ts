// ZVT APDUs and serial frames (ZVT Protokoll 13.x §2 "Transport layer", §3 "APDU"; reference §3).
// Pure functions: no I/O, no clock. Every failure is a ZvtCodecError with a code, never anything else.
//
// APDU: CLASS INSTR LEN DATA. LEN is one byte (0..254) or FF followed by a u16 little-endian
// (Portalum.Zvt reads it with BitConverter on little-endian hosts; ecrterm's big-endian read is marked
// "@todo: could be wrong" by its author). UNCONFIRMED against a real PT: no APDU we send is that long.
// Serial frame: DLE STX APDU' DLE ETX CRC_lo CRC_hi, where APDU' doubles every DLE, and the CRC is
// CRC-16/KERMIT (reflected poly 0x8408, init 0) over the unstuffed APDU plus ETX, low byte first.
// Over TCP the APDUs go raw; the receiver finds their end from LEN.

export const DLE = 0x10;
export const STX = 0x02;
export const ETX = 0x03;
export const ACK = 0x06;
export const NAK = 0x15;
export const MAX_APDU_DATA = 0xffff;

export type ZvtCodecErrorCode = 'short' | 'too-long' | 'trailing' | 'bad-field' | 'bad-bcd' | 'bad-frame' | 'bad-crc';

export class ZvtCodecError extends Error {
  constructor(readonly code: ZvtCodecErrorCode, message: string, readonly details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'ZvtCodecError';
  }
}

export interface Apdu {
  cls: number;
  instr: number;
  data: Uint8Array;
}

export function apdu(cls: number, instr: number, data: Uint8Array = new Uint8Array(0)): Apdu {
  return { cls, instr, data };
}

/** "06 01" — for logs and error details. */
export function commandName(a: Pick<Apdu, 'cls' | 'instr'>): string {
  return `${hex(a.cls)} ${hex(a.instr)}`;
}

export function hex(byte: number): string {
  return byte.toString(16).toUpperCase().padStart(2, '0');
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, hex).join(' ');
}

export function encodeApdu(a: Apdu): Uint8Array {
  const n = a.data.length;
  if (n > MAX_APDU_DATA) throw new ZvtCodecError('too-long', `APDU data of ${n} bytes > 65535`, { length: n });
  const head = n < 0xff ? Uint8Array.of(a.cls, a.instr, n) : Uint8Array.of(a.cls, a.instr, 0xff, n & 0xff, n >> 8);
  const out = new Uint8Array(head.length + n);
  out.set(head);
  out.set(a.data, head.length);
  return out;
}

/**
 * How many bytes the APDU at the start of `bytes` takes, or null when the header is not complete yet
 * (the TCP reader's question: how much more to wait for).
 */
export function apduSize(bytes: Uint8Array): number | null {
  if (bytes.length < 3) return null;
  if (bytes[2] !== 0xff) return 3 + bytes[2]!;
  if (bytes.length < 5) return null;
  return 5 + (bytes[3]! | (bytes[4]! << 8));
}

/** Decodes exactly one APDU. */
export function decodeApdu(bytes: Uint8Array): Apdu {
  const size = apduSize(bytes);
  if (size === null) throw new ZvtCodecError('short', `APDU header cut short (${bytes.length} bytes)`);
  if (bytes.length < size) throw new ZvtCodecError('short', `APDU needs ${size} bytes, got ${bytes.length}`, { size, got: bytes.length });
  if (bytes.length > size) throw new ZvtCodecError('trailing', `APDU has ${bytes.length - size} trailing bytes`);
  const start = bytes[2] === 0xff ? 5 : 3;
  return { cls: bytes[0]!, instr: bytes[1]!, data: bytes.slice(start, size) };
}

/** CRC-16/KERMIT: reflected 0x8408, init 0, no final xor. Check value of "123456789" is 0x2189. */
export function crc16Kermit(bytes: Uint8Array, init = 0): number {
  let crc = init;
  for (const b of bytes) {
    crc ^= b;
    for (let i = 0; i < 8; i++) crc = crc & 1 ? (crc >>> 1) ^ 0x8408 : crc >>> 1;
  }
  return crc & 0xffff;
}

/** The frame CRC covers the unstuffed APDU and the ETX. */
export function frameCrc(apduBytes: Uint8Array): number {
  return crc16Kermit(Uint8Array.of(ETX), crc16Kermit(apduBytes));
}

export function stuffDle(bytes: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (const b of bytes) {
    out.push(b);
    if (b === DLE) out.push(DLE);
  }
  return Uint8Array.from(out);
}

export function encodeSerialFrame(apduBytes: Uint8Array): Uint8Array {
  const crc = frameCrc(apduBytes);
  const body = stuffDle(apduBytes);
  const out = new Uint8Array(body.length + 6);
  out[0] = DLE;
  out[1] = STX;
  out.set(body, 2);
  out[body.length + 2] = DLE;
  out[body.length + 3] = ETX;
  out[body.length + 4] = crc & 0xff;
  out[body.length + 5] = crc >> 8;
  return out;
}

/** Decodes one complete serial frame; returns the unstuffed APDU bytes. */
export function decodeSerialFrame(frame: Uint8Array): Uint8Array {
  const reader = new SerialFrameReader();
  let result: Uint8Array | null = null;
  for (let i = 0; i < frame.length; i++) {
    const ev = reader.push(frame[i]!);
    if (ev === null) continue;
    if (ev.kind === 'frame') {
      if (i !== frame.length - 1) throw new ZvtCodecError('trailing', `${frame.length - 1 - i} bytes after the frame`);
      result = ev.apdu;
    } else if (ev.kind === 'bad-crc') {
      throw new ZvtCodecError('bad-crc', 'frame CRC mismatch', { expected: ev.expected, got: ev.got });
    } else {
      const what = ev.kind === 'noise' ? hex(ev.byte) : ev.kind.toUpperCase();
      throw new ZvtCodecError('bad-frame', `unexpected byte ${what} at ${i}`, { at: i });
    }
  }
  if (!result) throw new ZvtCodecError('short', 'frame cut short');
  return result;
}

export type SerialEvent =
  | { kind: 'frame'; apdu: Uint8Array }
  | { kind: 'bad-crc'; apdu: Uint8Array; expected: number; got: number }
  /** A byte outside a frame that is not DLE STX, or a DLE inside a frame followed by neither DLE nor ETX. */
  | { kind: 'noise'; byte: number }
  | { kind: 'ack' }
  | { kind: 'nak' };

/**
 * Incremental frame reader, one byte at a time (driver and emulator both use it). It never throws:
 * anything that is not a frame comes out as an event, and the caller decides what it means.
 */
export class SerialFrameReader {
  private state: 'idle' | 'dle' | 'body' | 'body-dle' | 'crc1' | 'crc2' = 'idle';
  private body: number[] = [];
  private crcLo = 0;

  /** True while inside a frame (the caller applies the inter-byte timeout T1 then). */
  get inFrame(): boolean { return this.state !== 'idle'; }

  reset(): void {
    this.state = 'idle';
    this.body = [];
  }

  push(b: number): SerialEvent | null {
    switch (this.state) {
      case 'idle':
        if (b === DLE) { this.state = 'dle'; return null; }
        if (b === ACK) return { kind: 'ack' };
        if (b === NAK) return { kind: 'nak' };
        return { kind: 'noise', byte: b };
      case 'dle':
        if (b === STX) { this.state = 'body'; this.body = []; return null; }
        this.state = 'idle';
        return { kind: 'noise', byte: b };
      case 'body':
        if (b === DLE) this.state = 'body-dle'; else this.body.push(b);
        return null;
      case 'body-dle':
        if (b === DLE) { this.body.push(DLE); this.state = 'body'; return null; }
        if (b === ETX) { this.state = 'crc1'; return null; }
        this.reset();
        return { kind: 'noise', byte: b };
      case 'crc1':
        this.crcLo = b;
        this.state = 'crc2';
        return null;
      case 'crc2': {
        const apduBytes = Uint8Array.from(this.body);
        const got = this.crcLo | (b << 8);
        const expected = frameCrc(apduBytes);
        this.reset();
        return got === expected ? { kind: 'frame', apdu: apduBytes } : { kind: 'bad-crc', apdu: apduBytes, expected, got };
      }
    }
  }
}

// ---- BCD ------------------------------------------------------------------------------------------

/** Packs decimal digits into `size` bytes, right-aligned with leading zeros. */
export function encodeBcd(value: number | bigint | string, size: number): Uint8Array {
  const digits = typeof value === 'string' ? value : value.toString();
  if (!/^\d*$/.test(digits)) throw new ZvtCodecError('bad-bcd', `not a decimal number: '${digits}'`);
  if (digits.length > size * 2) throw new ZvtCodecError('bad-bcd', `${digits} does not fit ${size} BCD bytes`);
  const padded = digits.padStart(size * 2, '0');
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = (Number(padded[2 * i]) << 4) | Number(padded[2 * i + 1]);
  return out;
}

/** The digits of a BCD field; a nibble above 9 is a codec error. */
export function decodeBcd(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) {
    const hi = b >> 4;
    const lo = b & 0x0f;
    if (hi > 9 || lo > 9) throw new ZvtCodecError('bad-bcd', `byte ${hex(b)} is not BCD`);
    s += String(hi) + String(lo);
  }
  return s;
}

export function decodeBcdNumber(bytes: Uint8Array): number {
  const n = Number(decodeBcd(bytes));
  if (!Number.isSafeInteger(n)) throw new ZvtCodecError('bad-bcd', 'BCD number too large');
  return n;
}
