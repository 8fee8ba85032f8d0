// AIM symbology identifiers (ISO/IEC 15424): `]` + code character + modifier, sent before the data
// when the scanner is set to transmit them. They tell a GS1 code (FNC1 first, which is never sent
// as a byte) from a plain one: ]d2 GS1 DataMatrix vs ]d1, ]C1 GS1-128 vs ]C0, ]Q3 GS1 QR (reference §2).
const AIM_SHAPE = /^\][A-Za-z][0-9A-Za-z]/;

/** Names for the identifiers a Russian shop meets; others fall back to the family name. */
const EXACT: Record<string, string> = {
  ']d1': 'datamatrix', ']d2': 'gs1-datamatrix',
  ']C0': 'code-128', ']C1': 'gs1-128',
  ']Q1': 'qr', ']Q3': 'gs1-qr',
  ']E0': 'ean-13', ']E4': 'ean-8', ']E3': 'ean-13+addon',
  ']e0': 'gs1-databar',
  ']A0': 'code-39',
  ']I0': 'itf', ']I1': 'itf',
  ']L0': 'pdf417',
};
const FAMILY: Record<string, string> = {
  A: 'code-39', C: 'code-128', d: 'datamatrix', E: 'ean-upc', e: 'gs1-databar', F: 'codabar', G: 'code-93',
  I: 'itf', L: 'pdf417', Q: 'qr', z: 'aztec', X: 'other',
};

export interface AimSplit { aim: string | null; code: string }

/** Splits a leading AIM identifier off the data; data without one comes back whole. */
export function splitAim(text: string): AimSplit {
  return AIM_SHAPE.test(text) ? { aim: text.slice(0, 3), code: text.slice(3) } : { aim: null, code: text };
}

/** Is `aim` a well-formed identifier (`]` + letter + digit/letter)? */
export function isAim(aim: string): boolean { return aim.length === 3 && AIM_SHAPE.test(aim); }

export function symbologyOfAim(aim: string | null): string | null {
  if (aim === null || !isAim(aim)) return null;
  return EXACT[aim] ?? FAMILY[aim[1]!] ?? null;
}

/** Does this identifier mark a GS1 code (FNC1 in the first position)? */
export function isGs1Aim(aim: string | null): boolean {
  return aim === ']d2' || aim === ']C1' || aim === ']Q3' || aim === ']e0' || aim === ']J1';
}
