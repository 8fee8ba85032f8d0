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
  dateTime: 1012,
  total: 1020,
  cashierName: 1021,
  quantity: 1023,
  itemName: 1030,
  cash: 1031,
  fdNumber: 1040,
  itemAmount: 1043,
  calculationSign: 1054,
  taxSystem: 1055,
  item: 1059,
  fiscalSign: 1077,
  unitPrice: 1079,
  electronic: 1081,
  productCode: 1163,
  correctionType: 1173,
  correctionBasis: 1174,
  correctionDate: 1178,
  correctionOrderNumber: 1179,
  vatRate: 1199,
  vatAmount: 1200,
  cashierInn: 1203,
  itemType: 1212,
  paymentMethod: 1214,
  prepayment: 1215,
  postpayment: 1216,
  counterProvision: 1217,
  fractionalQuantity: 1291,
  ean13: 1302,
  markingCode: 2000,
  markingCheckResult: 2106,
  industryRequisite: 1260,
  foivId: 1262,
  industryDocumentDate: 1263,
  industryDocumentNumber: 1264,
  industryValue: 1265,
  measureUnit: 2108,
} as const;

/** Fixed 4-byte little-endian integer (FD number, shift number: FFD "uint32"). */
export function tlvU32(tag: number, value: number): Uint8Array {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff_ffff) throw new CodecError('bad-field', `TLV ${tag}: ${value} is not a uint32`);
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, value, true);
  return encodeTlv(tag, b);
}

/** FFD UnixTime: seconds since 1970 of the register's local time, taken as if it were UTC. */
export function tlvUnixTime(tag: number, localIso: string): Uint8Array {
  const ms = Date.parse(`${localIso.length === 16 ? `${localIso}:00` : localIso}Z`);
  if (Number.isNaN(ms)) throw new CodecError('bad-field', `TLV ${tag}: bad date-time ${localIso}`);
  return tlvU32(tag, Math.floor(ms / 1000));
}

/**
 * FVLN (FFD "число с плавающей точкой"): one byte with the number of digits after the point, then the
 * integer little-endian. Quantities are thousandths, so at most 3 digits after the point; trailing
 * zeros are dropped (1.500 kg → point 1, 15).
 */
export function tlvFvlnMilli(tag: number, milli: number): Uint8Array {
  if (!Number.isInteger(milli) || milli < 0) throw new CodecError('bad-field', `TLV ${tag}: ${milli} is not a quantity in thousandths`);
  let point = 3;
  let v = milli;
  while (point > 0 && v % 10 === 0) { v /= 10; point--; }
  const bytes: number[] = [point];
  do { bytes.push(v % 256); v = Math.floor(v / 256); } while (v > 0);
  return encodeTlv(tag, Uint8Array.from(bytes));
}

/**
 * 1163 product code (FFD 1.2) carrying 1302 "КТ EAN-13". 1302 as the 13 digits in a string is how we
 * read the FFD table; UNCONFIRMED against a real FN (some documents describe it as binary).
 */
export function tlvProductCodeEan13(gtin: string): Uint8Array {
  if (!/^[0-9]{13}$/.test(gtin)) throw new CodecError('bad-field', `EAN-13 '${gtin}' is not 13 digits`);
  return tlvStruct(TAG.productCode, [tlvString(TAG.ean13, gtin)]);
}

/**
 * 1260 отраслевой реквизит предмета расчёта: 1262 ФОИВ id, 1263 document date, 1264 document number,
 * 1265 value. For the permissive mode: 030 / 21.11.2023 / 1944 / UUID=…&Time=… (marking reference §4.3).
 */
export function tlvIndustryRequisite(r: { foivId: string; documentDate: string; documentNumber: string; value: string }): Uint8Array {
  return tlvStruct(TAG.industryRequisite, [tlvString(TAG.foivId, r.foivId), tlvString(TAG.industryDocumentDate, r.documentDate),
    tlvString(TAG.industryDocumentNumber, r.documentNumber), tlvString(TAG.industryValue, r.value)]);
}

// ---- reading a document back (FF3A/FF3B give the FD as a TLV list) ---------------------------------

/** A document's fields as JSON: tag → value; a repeated tag (and 1059 always) → an array. */
export interface DocumentFields { [tag: string]: DocumentValue | DocumentValue[] }
export type DocumentValue = string | number | DocumentFields;

type TagKind = 'stlv' | 'string' | 'uint' | 'unixTime' | 'fvln' | 'fiscalSign';
/**
 * Value types of the tags we send or the FN adds (FFD 1.2 tag table, reference §3). A tag not listed
 * comes back as hex. 1077 in the FN's TLV is 6 bytes, the printed FP being the last 4 big-endian:
 * UNCONFIRMED, it is what the emulator writes.
 */
const TAG_KIND: Record<number, TagKind> = {
  1059: 'stlv', 1163: 'stlv', 1174: 'stlv', 1084: 'stlv', 1223: 'stlv', 1224: 'stlv', 1226: 'stlv', 1260: 'stlv', 1291: 'stlv',
  1008: 'string', 1009: 'string', 1018: 'string', 1021: 'string', 1030: 'string', 1041: 'string', 1048: 'string',
  1177: 'string', 1179: 'string', 1187: 'string', 1203: 'string', 1300: 'string', 1302: 'string', 2000: 'string',
  1262: 'string', 1263: 'string', 1264: 'string', 1265: 'string',
  1012: 'unixTime', 1178: 'unixTime',
  1023: 'fvln',
  1077: 'fiscalSign',
  1020: 'uint', 1031: 'uint', 1038: 'uint', 1040: 'uint', 1042: 'uint', 1043: 'uint', 1054: 'uint', 1055: 'uint', 1079: 'uint',
  1081: 'uint', 1173: 'uint', 1199: 'uint', 1200: 'uint', 1209: 'uint', 1212: 'uint', 1214: 'uint', 1215: 'uint', 1216: 'uint',
  1217: 'uint', 1293: 'uint', 1294: 'uint', 2106: 'uint', 2107: 'uint', 2108: 'uint',
};
const ALWAYS_ARRAY = new Set<number>([TAG.item]);

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function readUintLe(b: Uint8Array, tag: number): number {
  if (b.length > 6) throw new CodecError('bad-field', `TLV ${tag}: ${b.length}-byte integer is too long`);
  let v = 0;
  for (let i = b.length - 1; i >= 0; i--) v = v * 256 + b[i]!;
  return v;
}

function decodeValue(tag: number, value: Uint8Array, depth: number): DocumentValue {
  switch (TAG_KIND[tag]) {
    case 'stlv': return decodeDocumentTlv(value, depth + 1);
    case 'string': return cp866.decode(value);
    case 'uint': return readUintLe(value, tag);
    case 'unixTime': return new Date(readUintLe(value, tag) * 1000).toISOString().slice(0, 16);
    case 'fvln': {
      if (value.length < 2) throw new CodecError('short', `TLV ${tag}: FVLN cut short`);
      return readUintLe(value.subarray(1), tag) / 10 ** value[0]!;
    }
    case 'fiscalSign': return value.length >= 4 ? new DataView(value.buffer, value.byteOffset + value.length - 4, 4).getUint32(0, false) : hex(value);
    default: return hex(value);
  }
}

/** A TLV list (a document or an STLV's value) as JSON fields; throws CodecError on malformed bytes. */
export function decodeDocumentTlv(bytes: Uint8Array, depth = 0): DocumentFields {
  if (depth > 8) throw new CodecError('bad-field', 'STLV nested too deep');
  const out: DocumentFields = {};
  for (const { tag, value } of decodeTlvs(bytes)) {
    const key = String(tag);
    const v = decodeValue(tag, value, depth);
    const prev = out[key];
    if (prev === undefined) out[key] = ALWAYS_ARRAY.has(tag) ? [v] : v;
    else if (Array.isArray(prev)) prev.push(v);
    else out[key] = [prev, v];
  }
  return out;
}
