// The 29-character tobacco (and nicotine-containing) pack code: GTIN14 + serial7 + MRP4 + crypto4, no
// AIs and no GS (reference §4.1). The КИ sent to the local module is its first 21 characters (§2).
//
// MRP: the price in kopecks written in base 80 over the alphabet below, FIRST character MOST significant:
// MRP = idx(c21)·80³ + idx(c22)·80² + idx(c23)·80 + idx(c24). The order is the one in the CRPT sample code
// quoted by several implementations ("МРЦ = МРЦ + Pow(80, 4 - Индекс) * ИндексСимвола", Индекс 1..4), and
// it is confirmed by the CRPT test-stand plan codes (piot123 FactoryTest): "…H;dV)bFABVUdGVz" (case 5.10,
// "до 100 руб.") decodes to 8 100 kopecks and "…H;dV)bFACVUdGVz" (case 5.11, "более 135 руб.") to 14 500.
import { isValidGtin } from '../domain/barcode';
import { CSET82 } from './gs1-elements';

export const MRP_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!"%&\'*+-./_,:;=<>?';
export const PACK_CODE_LENGTH = 29;
export const PACK_CIS_LENGTH = 21;

/** MRP in kopecks from 4 base-80 characters, or null when a character is not in the alphabet. */
export function decodePackMrp(chars: string): number | null {
  if (chars.length !== 4) return null;
  let kopecks = 0;
  for (const ch of chars) {
    const index = MRP_ALPHABET.indexOf(ch);
    if (index < 0) return null;
    kopecks = kopecks * 80 + index;
  }
  return kopecks;
}

/** The 4 characters for an MRP (for tests and the demo data); RangeError outside 0 … 80⁴−1. */
export function encodePackMrp(kopecks: number): string {
  if (!Number.isInteger(kopecks) || kopecks < 0 || kopecks >= 80 ** 4) throw new RangeError(`MRP ${kopecks} does not fit 4 base-80 digits`);
  let out = '';
  let rest = kopecks;
  for (let i = 0; i < 4; i++) {
    out = MRP_ALPHABET[rest % 80]! + out;
    rest = Math.floor(rest / 80);
  }
  return out;
}

export interface PackCode {
  gtin: string;
  serial: string;
  mrpKopecks: number;
  crypto: string;
}

export type PackReading = { ok: true; pack: PackCode } | { ok: false; reason: 'bad_gtin_check_digit' | 'bad_characters' | 'bad_mrp' };

/** Shape test only: 29 chars, 14 digits first, no GS. */
export function looksLikePackCode(code: string): boolean {
  return code.length === PACK_CODE_LENGTH && /^\d{14}[\u0021-\u007e]{15}$/.test(code);
}

export function readPackCode(code: string): PackReading {
  const gtin = code.slice(0, 14);
  if (!isValidGtin(gtin)) return { ok: false, reason: 'bad_gtin_check_digit' };
  const serial = code.slice(14, PACK_CIS_LENGTH);
  const crypto = code.slice(25, 29);
  if (!CSET82.test(serial) || !CSET82.test(crypto)) return { ok: false, reason: 'bad_characters' };
  const mrpKopecks = decodePackMrp(code.slice(PACK_CIS_LENGTH, 25));
  if (mrpKopecks === null) return { ok: false, reason: 'bad_mrp' };
  return { ok: true, pack: { gtin, serial, mrpKopecks, crypto } };
}
