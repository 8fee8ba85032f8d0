// What a marked item puts into the fiscal document (reference §4.3): the full code (tag 2000), its control
// id (2115), the product code (1162 for FFD 1.05, 1163 for FFD 1.2) and the permissive-mode proof, the
// industry requisite 1260 (1262–1265). The TLV bytes use the FFD TLV helpers of the Shtrih codec (tag and
// length little-endian; strings CP866, which is ASCII for everything written here).
import { tlvString, tlvStruct } from '../../drivers/fiscal/shtrih/tlv';
import type { CheckAnswer } from './check-answer';
import { crc32 } from './crc32';
import type { ParsedCode } from './parse-code';

export const TAG_MARKING_CODE = 2000;
export const TAG_MARKING_CHECK_ID = 2115;
export const TAG_INDUSTRY_REQUISITE = 1260;

/** Tag 2000: the full code with its GS separators, exactly as the check got it. */
export function tag2000(parsed: Pick<ParsedCode, 'code'>): string {
  return parsed.code;
}

function asciiBytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/**
 * Tag 2115, the marking-code control id: the last four decimal digits of CRC-32/IEEE over the bytes of
 * tag 2000 (per a Shtrih source comment, reference §4.3), zero-padded. Sent as a 4-character string —
 * the value type is UNCONFIRMED against the FFD table.
 */
export function tag2115(code: string): string {
  return String(crc32(asciiBytes(code)) % 10_000).padStart(4, '0');
}

/**
 * Tag 1162 (FFD 1.05): 0x444D + GTIN as 6 bytes big-endian + serial in ASCII, plus the MRP in ASCII for a
 * tobacco block (8005 digits) or pack (its 4 base-80 characters: UNCONFIRMED) — Приказ ФНС ММВ-7-20/229@
 * as implemented by the kkt_srv item_code module (reference §4.3).
 */
export function tag1162(parsed: ParsedCode): Uint8Array {
  const gtin = BigInt(parsed.gtin);
  const head = new Uint8Array(8);
  head[0] = 0x44;
  head[1] = 0x4d;
  for (let i = 0; i < 6; i++) head[2 + i] = Number((gtin >> BigInt(8 * (5 - i))) & 0xffn);
  const mrp = parsed.packageKind === 'block' ? (parsed.tail.ai8005 ?? '') : parsed.packageKind === 'pack' ? (parsed.tail.packMrp ?? '') : '';
  const rest = asciiBytes(parsed.serial + mrp);
  const out = new Uint8Array(head.length + rest.length);
  out.set(head);
  out.set(rest, head.length);
  return out;
}

/**
 * Sub-tag of 1163 (FFD 1.2) for a marked item, and its value. UNCONFIRMED (reference §4.3 and §6 item 9:
 * only 1308/1309 = ЕГАИС are confirmed): 1305 "КТ GS1.М" holds 01 + GTIN + 21 + serial of a GS1 code,
 * 1306 "КТ КМК" the short code of a tobacco pack (its first 21 characters).
 */
export function productCode1163(parsed: ParsedCode): { tag: 1305 | 1306; value: string } {
  return parsed.packageKind === 'pack' ? { tag: 1306, value: parsed.cis } : { tag: 1305, value: parsed.cis };
}

/** Tag 1260 values: the permissive-mode proof (ПП РФ № 1944 of 21.11.2023). */
export interface IndustryRequisite1260 {
  /** ФОИВ id: "030" (Минпромторг). */
  1262: string;
  /** Date of the decree: "21.11.2023". */
  1263: string;
  /** Number of the decree: "1944". */
  1264: string;
  /** UUID=<reqId>&Time=<reqTimestamp>, plus &Inst=<inst>&Ver=<version> for an offline answer. */
  1265: string;
}

/** True when the answer came from an offline base (local module, or ТС ПИоТ answering offline). */
export function isOfflineAnswer(answer: Pick<CheckAnswer, 'channel' | 'checkedOffline'>): boolean {
  return answer.channel === 'offline' || answer.checkedOffline;
}

export function industryRequisite1260(answer: CheckAnswer): IndustryRequisite1260 {
  let value = `UUID=${answer.reqId}&Time=${answer.reqTimestamp}`;
  // Offline answers add the local module's instance and version (piot123, a ТС ПИоТ integration ТЗ).
  if (isOfflineAnswer(answer)) value += `&Inst=${answer.inst ?? ''}&Ver=${answer.version ?? ''}`;
  return { 1262: '030', 1263: '21.11.2023', 1264: '1944', 1265: value };
}

/** Tag 1260 as FFD TLV: an STLV holding 1262, 1263, 1264 and 1265 as strings. */
export function encodeIndustryRequisite1260(r: IndustryRequisite1260): Uint8Array {
  return tlvStruct(TAG_INDUSTRY_REQUISITE, [tlvString(1262, r[1262]), tlvString(1263, r[1263]), tlvString(1264, r[1264]), tlvString(1265, r[1265])]);
}
