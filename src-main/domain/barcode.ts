// What a scanner delivered, classified before anyone looks it up: a retail GTIN, an in-store scale
// label, a Chestny Znak marking code, a shop's own article code, or garbage. Scanner input is outside
// input: this never throws and answers every string with a value.
//
// References: GS1 General Specifications (§7.9 check digit, §2.1 EAN/UPC, §5.2 GS1 element strings),
// ISO/IEC 15424 (AIM symbology identifiers), Chestny Znak code formats (tobacco pack code: 29 chars).
// Only detection and GTIN extraction live here; full marking-code parsing belongs to src-main/marking/.

/** GS (group separator, ASCII 29): the FNC1 that separates variable-length GS1 fields. */
const GS = '\u001d';
const MAX_INPUT_LENGTH = 256;
const MAX_INTERNAL_CODE_LENGTH = 32;

export interface ScaleLabelRule {
  /** Two digits, '20'..'29' (GS1 restricted-circulation prefixes for in-store use). */
  prefix: string;
  /** What the value field holds: weight in grams, or price in kopecks. */
  kind: 'weight' | 'price';
  /** Usually 5. */
  pluDigits: number;
  /** Usually 5. */
  valueDigits: number;
}

/**
 * Layout PP + PLU(5) + value(5) + check. Prefixes 20–25 carry a weight in grams, 26–29 a price in
 * kopecks. This is only the default: stores program their label scales differently, so the rules are
 * configuration (per store) and passed into classifyCode.
 */
export const DEFAULT_SCALE_LABEL_RULES: ScaleLabelRule[] = [
  ...['20', '21', '22', '23', '24', '25'].map((prefix): ScaleLabelRule => ({ prefix, kind: 'weight', pluDigits: 5, valueDigits: 5 })),
  ...['26', '27', '28', '29'].map((prefix): ScaleLabelRule => ({ prefix, kind: 'price', pluDigits: 5, valueDigits: 5 })),
];

export type ScannedCode =
  | { kind: 'gtin'; gtin: string /* 13 digits, EAN-13 form */; symbology: 'ean13' | 'ean8' | 'upca' | 'gtin14' }
  | { kind: 'scaleLabel'; code: string; prefix: string; plu: number; weightGrams: number | null; priceKopecks: number | null }
  /**
   * raw: the code without AIM prefix and leading FNC1, GS separators kept (as the marking services want it).
   * gtin: 13-digit form; a GTIN-14 whose indicator digit is not 0 (a multi-pack) has no 13-digit form
   * and is given as its 14 digits.
   */
  | { kind: 'marking'; raw: string; gtin: string }
  | { kind: 'internal'; code: string }
  | { kind: 'invalid'; reason: string };

/**
 * GS1 check digit (mod 10, weights 3 and 1 alternating from the rightmost data digit).
 * Works for every GTIN length. Throws RangeError on non-digits: callers pass digits they checked.
 */
export function gtinCheckDigit(digitsWithoutCheck: string): number {
  if (!/^\d+$/.test(digitsWithoutCheck)) throw new RangeError(`gtinCheckDigit: digits only, got "${digitsWithoutCheck}"`);
  let sum = 0;
  for (let i = 0; i < digitsWithoutCheck.length; i++) {
    const digit = digitsWithoutCheck.charCodeAt(digitsWithoutCheck.length - 1 - i) - 48;
    sum += i % 2 === 0 ? digit * 3 : digit;
  }
  return (10 - (sum % 10)) % 10;
}

/** True for an 8, 12, 13 or 14-digit GTIN with a correct check digit. Never throws. */
export function isValidGtin(code: string): boolean {
  if (typeof code !== 'string' || !/^(\d{8}|\d{12,14})$/.test(code)) return false;
  return gtinCheckDigit(code.slice(0, -1)) === code.charCodeAt(code.length - 1) - 48;
}

/** GTIN-14 → 13-digit form when the indicator digit is 0 (it then only pads a GTIN-13). */
function gtin13Form(gtin14: string): string {
  return gtin14.startsWith('0') ? gtin14.slice(1) : gtin14;
}

function invalid(reason: string): ScannedCode {
  return { kind: 'invalid', reason };
}

/** AIM symbology identifier: ']' + symbology letter + modifier, e.g. ]E0 EAN-13, ]d2 GS1 DataMatrix. */
const AIM_PREFIX = /^\][A-Za-z][0-9A-Za-z]/;
/** Identifiers whose data is a GS1 element string: GS1 DataMatrix, GS1 QR Code. */
const AIM_GS1_2D = new Set([']d2', ']Q3']);

/**
 * Classifies scanner input. Order matters: marking codes first (they may start with digits), then the
 * numeric GTIN lengths (where a wrong check digit is an invalid scan, not a shop code), then shop codes.
 */
export function classifyCode(input: string, rules: readonly ScaleLabelRule[] = DEFAULT_SCALE_LABEL_RULES): ScannedCode {
  if (typeof input !== 'string') return invalid('not text');
  // Checked before trimming too, so a hostile megabyte is refused without scanning it.
  if (input.length > MAX_INPUT_LENGTH * 4) return invalid('too long');
  // Scanners end a scan with CR, LF or Tab; keyboard wedges may add spaces. JS trim keeps GS.
  let code = input.trim();
  if (code.length === 0) return invalid('empty');
  if (code.length > MAX_INPUT_LENGTH) return invalid('too long');

  let gs1Data = false;
  const aim = AIM_PREFIX.exec(code)?.[0];
  if (aim !== undefined) {
    gs1Data = AIM_GS1_2D.has(aim);
    code = code.slice(aim.length);
  }
  // Without AIM identifiers many scanners send the leading FNC1 as GS: it also announces GS1 data.
  if (code.startsWith(GS)) {
    gs1Data = true;
    code = code.slice(1);
  }
  if (code.length === 0) return invalid('empty');
  // GS is the only control character a real code carries; anything else is line noise or an attack.
  if (/[\u0000-\u001c\u001e-\u001f\u007f]/.test(code)) return invalid('control character');

  if (gs1Data || code.includes(GS)) return classifyGs1Marking(code);
  // Scanners set up without FNC1 transmission send a GS1 code as bare text: 01 + GTIN + 21 + serial.
  // A tobacco pack code can look like that by accident (its serial may contain "21" at that place),
  // so when both readings fit, the one whose GTIN check digit holds wins.
  const looksGs1 = /^01\d{14}21./s.test(code);
  if (looksGs1 && isValidGtin(code.slice(2, 16))) return classifyGs1Marking(code);
  if (isTobaccoPackCode(code)) {
    const gtin14 = code.slice(0, 14);
    return isValidGtin(gtin14) ? { kind: 'marking', raw: code, gtin: gtin13Form(gtin14) } : invalid('check digit');
  }
  if (looksGs1) return classifyGs1Marking(code);

  if (/^(\d{8}|\d{12,14})$/.test(code)) return classifyNumeric(code, rules);

  if (code.length <= MAX_INTERNAL_CODE_LENGTH && /^[0-9A-Za-z\-_.]+$/.test(code)) return { kind: 'internal', code };
  if (/^[0-9A-Za-z\-_.]+$/.test(code)) return invalid('too long for a shop code');
  // Typical cause: a keyboard-wedge scanner typing into a Russian keyboard layout.
  return invalid('unsupported characters');
}

/** GS1 element string with AI 01 first: Chestny Znak codes always start with the GTIN. */
function classifyGs1Marking(code: string): ScannedCode {
  const match = /^01(\d{14})/.exec(code);
  if (match === null || match[1] === undefined) return invalid('marking code without GTIN (AI 01)');
  const gtin14 = match[1];
  if (!isValidGtin(gtin14)) return invalid('check digit');
  // GS1 codes use printable ASCII only; anything else (often Cyrillic from a keyboard wedge typing in
  // the Russian layout) means the code was corrupted on the way and would fail the marking check.
  if (!/^[\u001d\u0021-\u007e]+$/.test(code)) return invalid('unsupported characters');
  // GS1 DataMatrix holding nothing but a GTIN is a product barcode printed in 2D, not a marking
  // code (those always carry a serial): read it like a scanned GTIN-14.
  if (code.length === 16) return classifyNumeric(gtin14, []);
  return { kind: 'marking', raw: code, gtin: gtin13Form(gtin14) };
}

/**
 * Tobacco pack code: 14-digit GTIN + 7-char serial + 4-char max retail price + 4-char crypto tail,
 * 29 printable ASCII characters, no AI prefixes and no GS (it is not a GS1 element string).
 */
function isTobaccoPackCode(code: string): boolean {
  return code.length === 29 && /^\d{14}[\u0021-\u007e]{15}$/.test(code);
}

function classifyNumeric(code: string, rules: readonly ScaleLabelRule[]): ScannedCode {
  if (!isValidGtin(code)) return invalid('check digit');
  switch (code.length) {
    case 8:
      return { kind: 'gtin', gtin: code.padStart(13, '0'), symbology: 'ean8' };
    case 12:
      return { kind: 'gtin', gtin: `0${code}`, symbology: 'upca' };
    case 14:
      // A GTIN-14 with indicator 1–9 names a case or multi-pack, not the retail item; a shop that sells
      // by the case registers that code on the product, so it is looked up as a shop code.
      return code.startsWith('0') ? { kind: 'gtin', gtin: code.slice(1), symbology: 'gtin14' } : { kind: 'internal', code };
    default: {
      const rule = rules.find((r) => isUsableRule(r) && code.startsWith(r.prefix));
      return rule === undefined ? { kind: 'gtin', gtin: code, symbology: 'ean13' } : scaleLabel(code, rule);
    }
  }
}

/** A rule from configuration is data: one that cannot describe a 13-digit label is ignored, not trusted. */
function isUsableRule(rule: ScaleLabelRule): boolean {
  return (
    typeof rule.prefix === 'string' &&
    /^\d{1,3}$/.test(rule.prefix) &&
    Number.isInteger(rule.pluDigits) &&
    Number.isInteger(rule.valueDigits) &&
    rule.pluDigits >= 1 &&
    rule.valueDigits >= 1 &&
    rule.prefix.length + rule.pluDigits + rule.valueDigits <= 12
  );
}

/** PP + PLU + value + check digit. Digits left between value and check (short rules) are ignored. */
function scaleLabel(code: string, rule: ScaleLabelRule): ScannedCode {
  const pluStart = rule.prefix.length;
  const valueStart = pluStart + rule.pluDigits;
  const plu = Number(code.slice(pluStart, valueStart));
  const value = Number(code.slice(valueStart, valueStart + rule.valueDigits));
  return {
    kind: 'scaleLabel',
    code,
    prefix: rule.prefix,
    plu,
    weightGrams: rule.kind === 'weight' ? value : null,
    priceKopecks: rule.kind === 'price' ? value : null,
  };
}
