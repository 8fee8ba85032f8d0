// FFD TLV: tag u16 LE, length u16 LE, value (reference §3). String values are CP866 on Shtrih
// (kkt-shtrih TLVString); integers are little-endian of the minimal length the FFD gives (VLN/byte).
import { CodecError, cp866 } from './codec';

export interface Tlv { tag: number; value: Uint8Array }

export function encodeTlv(tag: number, value: Uint8Array): Uint8Array {
  if (!Number.isInteger(tag) || tag < 0 || tag > 0xffff) throw new CodecError('bad-field', `TLV tag ${tag} out of range`);
  if (value.length > 0xffff) throw new CodecError('too-long', `TLV ${tag} value too long`);
  const out = new Uint8Array(4 + value.length);
  out[0] = tag & 0xff; out[1] = tag >> 8;
  out[2] = value.length & 0xff; out[3] = value.length >> 8;
  out.set(value, 4);
  return out;
}

export const tlvString = (tag: number, text: string) => encodeTlv(tag, cp866.encode(text));
export const tlvByte = (tag: number, value: number) => encodeTlv(tag, Uint8Array.of(value & 0xff));

/** Variable-length unsigned integer (VLN), little-endian, no trailing zero bytes (at least one byte). */
export function tlvVln(tag: number, value: number): Uint8Array {
  if (!Number.isInteger(value) || value < 0) throw new CodecError('bad-field', `TLV ${tag}: ${value} is not a non-negative integer`);
  const bytes: number[] = [];
  let v = value;
  do { bytes.push(v % 256); v = Math.floor(v / 256); } while (v > 0);
  return encodeTlv(tag, Uint8Array.from(bytes));
}

export function tlvStruct(tag: number, children: Uint8Array[]): Uint8Array {
  const size = children.reduce((n, c) => n + c.length, 0);
  const value = new Uint8Array(size);
  let at = 0;
  for (const c of children) { value.set(c, at); at += c.length; }
  return encodeTlv(tag, value);
}

export function decodeTlvs(bytes: Uint8Array): Tlv[] {
  const out: Tlv[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (at + 4 > bytes.length) throw new CodecError('short', 'TLV header cut short', { offset: at });
    const tag = bytes[at]! | (bytes[at + 1]! << 8);
    const len = bytes[at + 2]! | (bytes[at + 3]! << 8);
    if (at + 4 + len > bytes.length) throw new CodecError('short', `TLV ${tag} value cut short`, { offset: at, tag });
    out.push({ tag, value: bytes.slice(at + 4, at + 4 + len) });
    at += 4 + len;
  }
  return out;
}

export const TAG = {
  buyerContact: 1008,
  cashierName: 1021,
  quantity: 1023,
  cashierInn: 1203,
  measureUnit: 2108,
  productCode: 1163,
  fractionalQuantity: 1291,
  markingCode: 2000,
} as const;
