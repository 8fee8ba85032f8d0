// ZVT bitmaps (BMPs, ZVT 13.x chapter 10 "Bitmaps") and the TLV container (BMP 06, chapter 9).
// A BMP is one id byte followed by a value whose size the id fixes: a fixed size, LLVAR (length as
// two bytes F<d>F<d>), LLLVAR (three such bytes) or a TLV container (BER length). An id we do not know
// makes the rest of the APDU unreadable, so it is a codec error, not something to skip.
import { ZvtCodecError, decodeBcd, decodeBcdNumber, encodeBcd, hex } from './codec';

type BmpFormat = { kind: 'fixed'; size: number } | { kind: 'll' } | { kind: 'lll' } | { kind: 'tlv' };

const fixed = (size: number): BmpFormat => ({ kind: 'fixed', size });
const LL: BmpFormat = { kind: 'll' };
const LLL: BmpFormat = { kind: 'lll' };

export const BMP = {
  timeout: 0x01, maxStatusInfos: 0x02, serviceByte: 0x03, amount: 0x04, pumpNr: 0x05, tlv: 0x06,
  trace: 0x0b, time: 0x0c, date: 0x0d, expiry: 0x0e, cardSequence: 0x17, paymentType: 0x19,
  pan: 0x22, track2: 0x23, track3: 0x24, resultCode: 0x27, terminalId: 0x29, vuNumber: 0x2a,
  track1: 0x2d, syncChip: 0x2e, traceOriginal: 0x37, cvv: 0x3a, aid: 0x3b, additionalText: 0x3c,
  password: 0x3d, currency: 0x49, totals: 0x60, receipt: 0x87, turnover: 0x88, cardType: 0x8a,
  cardName: 0x8b, cardOperator: 0x8c, resultCodeAs: 0xa0, dateYmd: 0xaa, aidParameter: 0xba,
} as const;

/** Sizes by id (ZVT 13.x chapter 10 table; ecrterm bitmaps.py lists the same). */
const FORMATS = new Map<number, BmpFormat>([
  [0x01, fixed(1)], [0x02, fixed(1)], [0x03, fixed(1)], [0x04, fixed(6)], [0x05, fixed(1)], [0x06, { kind: 'tlv' }],
  [0x0b, fixed(3)], [0x0c, fixed(3)], [0x0d, fixed(2)], [0x0e, fixed(2)], [0x17, fixed(2)], [0x19, fixed(1)],
  [0x22, LL], [0x23, LL], [0x24, LLL], [0x27, fixed(1)], [0x29, fixed(4)], [0x2a, fixed(15)],
  [0x2d, LL], [0x2e, LLL], [0x37, fixed(3)], [0x3a, fixed(2)], [0x3b, fixed(8)], [0x3c, LLL], [0x3d, fixed(3)],
  [0x49, fixed(2)], [0x60, LLL], [0x87, fixed(2)], [0x88, fixed(3)], [0x8a, fixed(1)], [0x8b, LL], [0x8c, fixed(1)],
  [0x92, LLL], [0x9a, LLL], [0xa0, fixed(1)], [0xa7, LL], [0xaa, fixed(3)], [0xaf, LLL], [0xba, fixed(5)],
  [0xd0, fixed(1)], [0xd1, LL], [0xd2, fixed(1)], [0xd3, fixed(1)], [0xe0, fixed(1)],
  [0xe1, LL], [0xe2, LL], [0xe3, LL], [0xe4, LL], [0xe5, LL], [0xe6, LL], [0xe7, LL], [0xe8, LL],
  [0xe9, fixed(1)], [0xea, fixed(1)], [0xeb, fixed(8)], [0xf0, fixed(1)],
  [0xf1, LL], [0xf2, LL], [0xf3, LL], [0xf4, LL], [0xf5, LL], [0xf6, LL], [0xf7, LL], [0xf8, LL],
  [0xf9, fixed(1)], [0xfa, fixed(1)], [0xfb, fixed(1)], [0xfc, fixed(1)],
]);

export interface BmpField { id: number; value: Uint8Array }

// ---- LLVAR / LLLVAR lengths: each decimal digit d goes as the byte F<d> ---------------------------

export function encodeVarLength(length: number, digits: 2 | 3): Uint8Array {
  const max = digits === 2 ? 99 : 999;
  if (!Number.isInteger(length) || length < 0 || length > max) throw new ZvtCodecError('too-long', `variable field of ${length} bytes > ${max}`);
  const s = String(length).padStart(digits, '0');
  return Uint8Array.from(s, (c) => 0xf0 | Number(c));
}

function decodeVarLength(bytes: Uint8Array, at: number, digits: 2 | 3): number {
  if (at + digits > bytes.length) throw new ZvtCodecError('short', 'variable length cut short', { at });
  let n = 0;
  for (let i = 0; i < digits; i++) {
    const b = bytes[at + i]!;
    if ((b & 0xf0) !== 0xf0 || (b & 0x0f) > 9) throw new ZvtCodecError('bad-field', `byte ${hex(b)} is not a F<d> length digit`, { at: at + i });
    n = n * 10 + (b & 0x0f);
  }
  return n;
}

// ---- BER lengths (TLV container and its objects) --------------------------------------------------

export function encodeBerLength(n: number): Uint8Array {
  if (n < 0x80) return Uint8Array.of(n);
  if (n <= 0xff) return Uint8Array.of(0x81, n);
  if (n <= 0xffff) return Uint8Array.of(0x82, n >> 8, n & 0xff);
  throw new ZvtCodecError('too-long', `TLV length ${n} > 65535`);
}

function decodeBerLength(bytes: Uint8Array, at: number): { length: number; next: number } {
  if (at >= bytes.length) throw new ZvtCodecError('short', 'TLV length missing', { at });
  const first = bytes[at]!;
  if (first < 0x80) return { length: first, next: at + 1 };
  const count = first & 0x7f;
  if (count < 1 || count > 2) throw new ZvtCodecError('bad-field', `TLV length form ${hex(first)} not supported`, { at });
  if (at + 1 + count > bytes.length) throw new ZvtCodecError('short', 'TLV length cut short', { at });
  let n = 0;
  for (let i = 0; i < count; i++) n = (n << 8) | bytes[at + 1 + i]!;
  return { length: n, next: at + 1 + count };
}

// ---- BMP lists ------------------------------------------------------------------------------------

export function encodeBmp(id: number, value: Uint8Array): Uint8Array {
  const format = FORMATS.get(id);
  if (!format) throw new ZvtCodecError('bad-field', `unknown BMP ${hex(id)}`);
  let prefix: Uint8Array;
  switch (format.kind) {
    case 'fixed':
      if (value.length !== format.size) throw new ZvtCodecError('bad-field', `BMP ${hex(id)} takes ${format.size} bytes, got ${value.length}`);
      prefix = new Uint8Array(0);
      break;
    case 'll': prefix = encodeVarLength(value.length, 2); break;
    case 'lll': prefix = encodeVarLength(value.length, 3); break;
    case 'tlv': prefix = encodeBerLength(value.length); break;
  }
  const out = new Uint8Array(1 + prefix.length + value.length);
  out[0] = id;
  out.set(prefix, 1);
  out.set(value, 1 + prefix.length);
  return out;
}

export function encodeBmps(fields: readonly BmpField[]): Uint8Array {
  return concat(fields.map((f) => encodeBmp(f.id, f.value)));
}

/** Reads BMPs from `at` to the end of `bytes`. */
export function decodeBmps(bytes: Uint8Array, at = 0): BmpList {
  const out: BmpField[] = [];
  let i = at;
  while (i < bytes.length) {
    const id = bytes[i]!;
    const format = FORMATS.get(id);
    if (!format) throw new ZvtCodecError('bad-field', `unknown BMP ${hex(id)} at ${i}`, { at: i, id });
    i++;
    let size: number;
    switch (format.kind) {
      case 'fixed': size = format.size; break;
      case 'll': size = decodeVarLength(bytes, i, 2); i += 2; break;
      case 'lll': size = decodeVarLength(bytes, i, 3); i += 3; break;
      case 'tlv': { const l = decodeBerLength(bytes, i); size = l.length; i = l.next; break; }
    }
    if (i + size > bytes.length) throw new ZvtCodecError('short', `BMP ${hex(id)} needs ${size} bytes, ${bytes.length - i} left`, { id });
    out.push({ id, value: bytes.slice(i, i + size) });
    i += size;
  }
  return new BmpList(out);
}

/** Decoded BMPs with typed readers. A reader returns null when the BMP is absent. */
export class BmpList {
  constructor(readonly fields: readonly BmpField[]) {}

  get(id: number): Uint8Array | null {
    return this.fields.find((f) => f.id === id)?.value ?? null;
  }

  has(id: number): boolean { return this.get(id) !== null; }

  byte(id: number): number | null {
    const v = this.get(id);
    return v ? v[0]! : null;
  }

  bcd(id: number): string | null {
    const v = this.get(id);
    return v ? decodeBcd(v) : null;
  }

  bcdNumber(id: number): number | null {
    const v = this.get(id);
    return v ? decodeBcdNumber(v) : null;
  }

  ascii(id: number): string | null {
    const v = this.get(id);
    return v ? latin1(v).trim() : null;
  }

  pan(): string | null {
    const v = this.get(BMP.pan);
    return v ? decodeMaskedBcd(v) : null;
  }

  tlv(): TlvNode[] {
    const v = this.get(BMP.tlv);
    return v ? decodeTlv(v) : [];
  }
}

// ---- Typed BMP builders ---------------------------------------------------------------------------

export const bmp = {
  amount: (kopecks: number): BmpField => {
    if (!Number.isSafeInteger(kopecks) || kopecks < 0 || kopecks > 999_999_999_999) throw new ZvtCodecError('bad-field', `amount ${kopecks} out of range`);
    return { id: BMP.amount, value: encodeBcd(kopecks, 6) };
  },
  currency: (iso: number): BmpField => ({ id: BMP.currency, value: encodeBcd(iso, 2) }),
  receipt: (n: number | string): BmpField => ({ id: BMP.receipt, value: encodeBcd(n, 2) }),
  trace: (n: number): BmpField => ({ id: BMP.trace, value: encodeBcd(n, 3) }),
  traceOriginal: (n: number): BmpField => ({ id: BMP.traceOriginal, value: encodeBcd(n, 3) }),
  turnover: (n: number): BmpField => ({ id: BMP.turnover, value: encodeBcd(n, 3) }),
  resultCode: (code: number): BmpField => ({ id: BMP.resultCode, value: Uint8Array.of(code) }),
  terminalId: (tid: string): BmpField => ({ id: BMP.terminalId, value: encodeBcd(tid, 4) }),
  vuNumber: (vu: string): BmpField => ({ id: BMP.vuNumber, value: asciiFixed(vu, 15) }),
  time: (hhmmss: string): BmpField => ({ id: BMP.time, value: encodeBcd(hhmmss, 3) }),
  date: (mmdd: string): BmpField => ({ id: BMP.date, value: encodeBcd(mmdd, 2) }),
  paymentType: (b: number): BmpField => ({ id: BMP.paymentType, value: Uint8Array.of(b) }),
  cardType: (b: number): BmpField => ({ id: BMP.cardType, value: Uint8Array.of(b) }),
  cardName: (name: string): BmpField => ({ id: BMP.cardName, value: ascii(name) }),
  pan: (masked: string): BmpField => ({ id: BMP.pan, value: encodeMaskedBcd(masked) }),
  aid: (text: string): BmpField => ({ id: BMP.aid, value: asciiFixed(text, 8) }),
  additionalText: (text: string): BmpField => ({ id: BMP.additionalText, value: ascii(text) }),
  serviceByte: (b: number): BmpField => ({ id: BMP.serviceByte, value: Uint8Array.of(b) }),
  timeout: (seconds: number): BmpField => ({ id: BMP.timeout, value: Uint8Array.of(seconds) }),
  maxStatusInfos: (n: number): BmpField => ({ id: BMP.maxStatusInfos, value: Uint8Array.of(n) }),
  tlv: (nodes: readonly TlvNode[]): BmpField => ({ id: BMP.tlv, value: encodeTlv(nodes) }),
};

/** PAN digits as BCD with E for a masked digit and F as the pad of an odd count (BMP 22). */
export function encodeMaskedBcd(masked: string): Uint8Array {
  const nibbles = Array.from(masked.replace(/\s/g, ''), (c) => {
    if (c === '*' || c === 'E' || c === 'X' || c === 'x') return 0xe;
    if (!/\d/.test(c)) throw new ZvtCodecError('bad-field', `PAN character '${c}'`);
    return Number(c);
  });
  if (nibbles.length % 2) nibbles.push(0xf);
  const out = new Uint8Array(nibbles.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = (nibbles[2 * i]! << 4) | nibbles[2 * i + 1]!;
  return out;
}

export function decodeMaskedBcd(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) {
    for (const n of [b >> 4, b & 0x0f]) {
      if (n <= 9) s += String(n);
      else if (n === 0xe) s += '*';
      else if (n !== 0xf) throw new ZvtCodecError('bad-field', `PAN nibble ${n.toString(16)}`);
    }
  }
  return s;
}

// ---- TLV container (BMP 06) -----------------------------------------------------------------------

export interface TlvNode { tag: number; value: Uint8Array; children?: TlvNode[] }

/** Tag bytes as a number (1F07 → 0x1f07). Bit 0x20 of the first byte marks a constructed object. */
function readTag(bytes: Uint8Array, at: number): { tag: number; constructed: boolean; next: number } {
  const first = bytes[at]!;
  let tag = first;
  let i = at + 1;
  if ((first & 0x1f) === 0x1f) {
    for (;;) {
      if (i >= bytes.length) throw new ZvtCodecError('short', 'TLV tag cut short', { at });
      const b = bytes[i++]!;
      tag = tag * 256 + b;
      if (!(b & 0x80)) break;
      if (i - at > 3) throw new ZvtCodecError('bad-field', 'TLV tag longer than 3 bytes', { at });
    }
  }
  return { tag, constructed: (first & 0x20) !== 0, next: i };
}

function tagBytes(tag: number): Uint8Array {
  const out: number[] = [];
  let t = tag;
  do { out.unshift(t & 0xff); t = Math.floor(t / 256); } while (t > 0);
  return Uint8Array.from(out);
}

export function decodeTlv(bytes: Uint8Array, depth = 0): TlvNode[] {
  if (depth > 8) throw new ZvtCodecError('bad-field', 'TLV nested too deep');
  const out: TlvNode[] = [];
  let i = 0;
  while (i < bytes.length) {
    const t = readTag(bytes, i);
    const l = decodeBerLength(bytes, t.next);
    if (l.next + l.length > bytes.length) throw new ZvtCodecError('short', `TLV ${t.tag.toString(16)} needs ${l.length} bytes`);
    const value = bytes.slice(l.next, l.next + l.length);
    out.push(t.constructed ? { tag: t.tag, value, children: decodeTlv(value, depth + 1) } : { tag: t.tag, value });
    i = l.next + l.length;
  }
  return out;
}

export function encodeTlv(nodes: readonly TlvNode[]): Uint8Array {
  return concat(nodes.map((n) => {
    const value = n.children ? encodeTlv(n.children) : n.value;
    return concat([tagBytes(n.tag), encodeBerLength(value.length), value]);
  }));
}

/** Finds nodes with `tag` at any depth, in order. */
export function findTlv(nodes: readonly TlvNode[], tag: number): TlvNode[] {
  const out: TlvNode[] = [];
  for (const n of nodes) {
    if (n.tag === tag) out.push(n);
    if (n.children) out.push(...findTlv(n.children, tag));
  }
  return out;
}

// ---- small helpers --------------------------------------------------------------------------------

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

export function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => { const code = c.charCodeAt(0); return code < 0x80 ? code : 0x3f; });
}

function asciiFixed(text: string, size: number): Uint8Array {
  return ascii(text.padEnd(size, ' ').slice(0, size));
}

export function latin1(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes);
}
