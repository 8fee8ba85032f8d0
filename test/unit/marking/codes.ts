// Realistic marking codes for the tests: GTINs with correct check digits, serials from GS1 set 82,
// crypto tails of the right lengths from the characters real ones use. Seeded, so failures reproduce.
import { gtinCheckDigit } from '../../../src-main/domain/barcode';
import { encodePackMrp } from '../../../src-main/marking/tobacco-pack';

export const GS = '\u001d';
const SET82 = '!"%&\'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz';
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** The seeded PRNG the emulators use (mulberry32), so failures reproduce. */
export { seededRandom as prng } from '../../../drivers/emulator-support/seeded-random';

export function pick(rand: () => number, alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(rand() * alphabet.length)];
  return out;
}

/** GTIN-14 with indicator 0 and a Russian (460–469) prefix, check digit correct. */
export function gtin(rand: () => number): string {
  const body = `0${460 + Math.floor(rand() * 10)}${pick(rand, '0123456789', 9)}`;
  return body + gtinCheckDigit(body);
}

/** A serial of the given length: set 82, but no digit pair that reads like a tail AI right after it. */
export function serial(rand: () => number, length: number): string {
  return pick(rand, SET82.replace(/[0-9]/g, ''), length);
}

export interface UnitCodeOptions {
  gtin?: string;
  serialLength: number;
  tail: 'short' | 'long44' | 'long88';
  extra?: string; // further elements, GS-joined form without the leading GS, e.g. '3103000500'
}

/** 01 + GTIN + 21 + serial ⟨GS⟩ tail, as a DataMatrix holds it. */
export function unitCode(rand: () => number, o: UnitCodeOptions): string {
  const head = `01${o.gtin ?? gtin(rand)}21${serial(rand, o.serialLength)}`;
  const tail = o.tail === 'short'
    ? `${GS}93${pick(rand, ALNUM, 4)}`
    : `${GS}91${pick(rand, ALNUM, 4)}${GS}92${pick(rand, BASE64, o.tail === 'long44' ? 44 : 88)}`;
  return head + tail + (o.extra ? GS + o.extra : '');
}

export function blockCode(rand: () => number, mrpKopecks: number): string {
  return `01${gtin(rand)}21${serial(rand, 7)}${GS}8005${String(mrpKopecks).padStart(6, '0')}${GS}93${pick(rand, ALNUM, 4)}`;
}

export function packCode(rand: () => number, mrpKopecks: number): string {
  return gtin(rand) + serial(rand, 7) + encodePackMrp(mrpKopecks) + pick(rand, ALNUM, 4);
}

/** CRPT test-stand codes (piot123 FactoryTest, the official test plan §5): crypto tail "dGVz". */
export const STAND = {
  milkNotApplied: "0104670540176099215'W9Um\u001d93dGVz", // 5.1
  blockUpTo100: '010462930887704421DzkcYt2\u001d8005090000\u001d93dGVz', // 5.3
  packUpTo100: '04601653035829H;dV)bFABVUdGVz', // 5.10
  packOver135: '04601653035829H;dV)bFACVUdGVz', // 5.11
  packMinimumPrice: '04601653035829H;dV)bFADI8dGVz', // 5.24
  ncpPack: '00840147505712Zz;ZnRbAAAAdGVz', // 5.26
  water13: '0104607010350246215kRdG-1%2(UmV\u001d93dGVz', // 5.17
  badCrypto: "0104670540176099215<pGKy\u001d93DGVz", // 5.14
};
