import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_SCALE_LABEL_RULES, classifyCode, gtinCheckDigit, isValidGtin, type ScaleLabelRule } from '../../../src-main/domain/barcode';

const GS = '\u001d';
/** Appends the correct GS1 check digit. */
const withCheck = (digits: string): string => digits + String(gtinCheckDigit(digits));
/** The same code with its check digit changed to a wrong one. */
const withWrongCheck = (digits: string): string => digits + String((gtinCheckDigit(digits) + 1) % 10);

const EAN13 = '4006381333931'; // a published, valid EAN-13
const EAN8 = '96385074';
const UPCA = '036000291452';
const MILK_GTIN14 = `0${withCheck('460700978018')}`;
const MILK_GTIN13 = MILK_GTIN14.slice(1);
const MILK_MARKING = `01${MILK_GTIN14}215Ab2xQ,dE"f1${GS}93dGVz`;

describe('gtinCheckDigit and isValidGtin', () => {
  it('computes the check digit of known codes', () => {
    expect(gtinCheckDigit('400638133393')).toBe(1);
    expect(gtinCheckDigit('9638507')).toBe(4);
    expect(gtinCheckDigit('03600029145')).toBe(2);
    expect(gtinCheckDigit('000000000000')).toBe(0);
  });

  it('accepts valid 8, 12, 13 and 14-digit GTINs and nothing else', () => {
    expect(isValidGtin(EAN13)).toBe(true);
    expect(isValidGtin(EAN8)).toBe(true);
    expect(isValidGtin(UPCA)).toBe(true);
    expect(isValidGtin(`0${EAN13}`)).toBe(true);
    expect(isValidGtin('4006381333932')).toBe(false);
    expect(isValidGtin('400638133393')).toBe(false); // as a 12-digit UPC-A its check digit would be 0
    expect(isValidGtin('400638133390')).toBe(true);
    expect(isValidGtin('4006381a33931')).toBe(false);
    expect(isValidGtin('1234567')).toBe(false);
    expect(isValidGtin('')).toBe(false);
  });

  it('a code with its computed check digit is always valid, and any other last digit is not', () => {
    fc.assert(
      fc.property(fc.constantFrom(7, 11, 12, 13), fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 1, max: 9 }), (len, seed, delta) => {
        const body = String(seed).padStart(len, '7').slice(0, len);
        const good = withCheck(body);
        expect(isValidGtin(good)).toBe(true);
        const bad = body + String((gtinCheckDigit(body) + delta) % 10);
        expect(isValidGtin(bad)).toBe(false);
      }),
    );
  });

  it('refuses non-digits rather than computing nonsense', () => {
    expect(() => gtinCheckDigit('12a4')).toThrow(RangeError);
    expect(() => gtinCheckDigit('')).toThrow(RangeError);
  });
});

describe('classifyCode: retail GTINs', () => {
  it('reads a valid EAN-13', () => {
    expect(classifyCode(EAN13)).toEqual({ kind: 'gtin', gtin: EAN13, symbology: 'ean13' });
  });

  it('reads a valid EAN-8 and pads it to 13 digits', () => {
    expect(classifyCode(EAN8)).toEqual({ kind: 'gtin', gtin: '00000' + EAN8, symbology: 'ean8' });
  });

  it('reads a valid UPC-A as its EAN-13 form with a leading zero', () => {
    expect(classifyCode(UPCA)).toEqual({ kind: 'gtin', gtin: '0' + UPCA, symbology: 'upca' });
  });

  it('reads a GTIN-14 with indicator 0 as the GTIN-13 it pads', () => {
    expect(classifyCode('0' + EAN13)).toEqual({ kind: 'gtin', gtin: EAN13, symbology: 'gtin14' });
  });

  it('treats a valid GTIN-14 of a case (indicator 1–9) as a shop code to look up', () => {
    const caseCode = withCheck('1' + EAN13.slice(0, 12));
    expect(classifyCode(caseCode)).toEqual({ kind: 'internal', code: caseCode });
  });

  it('rejects a wrong check digit at every GTIN length', () => {
    for (const code of [withWrongCheck('400638133393'), withWrongCheck('9638507'), withWrongCheck('03600029145'), withWrongCheck('0400638133393')]) {
      expect(classifyCode(code)).toEqual({ kind: 'invalid', reason: 'check digit' });
    }
  });

  it('trims the CR, LF, Tab and spaces that scanners append', () => {
    expect(classifyCode(`  ${EAN13}\r\n`)).toEqual({ kind: 'gtin', gtin: EAN13, symbology: 'ean13' });
    expect(classifyCode(`${EAN8}\t`)).toMatchObject({ kind: 'gtin', symbology: 'ean8' });
  });

  it('strips AIM symbology identifiers', () => {
    expect(classifyCode(`]E0${EAN13}`)).toEqual({ kind: 'gtin', gtin: EAN13, symbology: 'ean13' });
    expect(classifyCode(`]E4${EAN8}\r`)).toMatchObject({ kind: 'gtin', symbology: 'ean8' });
    expect(classifyCode(`]E00${UPCA}`)).toEqual({ kind: 'gtin', gtin: '0' + UPCA, symbology: 'ean13' });
    expect(classifyCode(`]C1ABC-123`)).toEqual({ kind: 'internal', code: 'ABC-123' });
  });

  it('any valid EAN-13 outside the scale prefixes is a GTIN of itself', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[013-9]\d{11}$/), (body) => {
        const code = withCheck(body);
        expect(classifyCode(code)).toEqual({ kind: 'gtin', gtin: code, symbology: 'ean13' });
      }),
    );
  });
});

describe('classifyCode: scale labels', () => {
  it('reads weight labels: prefix 22, PLU 00123, 1.234 kg', () => {
    const code = withCheck('220012301234');
    expect(classifyCode(code)).toEqual({ kind: 'scaleLabel', code, prefix: '22', plu: 123, weightGrams: 1234, priceKopecks: null });
  });

  it('reads price labels: prefix 27, PLU 04567, 345.67 ₽', () => {
    const code = withCheck('270456734567');
    expect(classifyCode(code)).toEqual({ kind: 'scaleLabel', code, prefix: '27', plu: 4567, weightGrams: null, priceKopecks: 34_567 });
  });

  it('reads every default prefix with the right kind', () => {
    for (const rule of DEFAULT_SCALE_LABEL_RULES) {
      const result = classifyCode(withCheck(`${rule.prefix}0000100500`));
      expect(result).toMatchObject({ kind: 'scaleLabel', prefix: rule.prefix, plu: 1 });
      if (rule.kind === 'weight') expect(result).toMatchObject({ weightGrams: 500, priceKopecks: null });
      else expect(result).toMatchObject({ weightGrams: null, priceKopecks: 500 });
    }
    expect(DEFAULT_SCALE_LABEL_RULES.map((r) => r.prefix)).toEqual(['20', '21', '22', '23', '24', '25', '26', '27', '28', '29']);
  });

  it('rejects a scale label with a wrong check digit', () => {
    expect(classifyCode(withWrongCheck('220012301234'))).toEqual({ kind: 'invalid', reason: 'check digit' });
  });

  it('follows the store configuration instead of the defaults', () => {
    const rules: ScaleLabelRule[] = [{ prefix: '21', kind: 'price', pluDigits: 4, valueDigits: 6 }];
    const code = withCheck('210042012345');
    expect(classifyCode(code, rules)).toEqual({ kind: 'scaleLabel', code, prefix: '21', plu: 42, weightGrams: null, priceKopecks: 12_345 });
    // A prefix the store does not use is an ordinary in-store EAN-13.
    const other = withCheck('220012301234');
    expect(classifyCode(other, rules)).toEqual({ kind: 'gtin', gtin: other, symbology: 'ean13' });
  });

  it('ignores a configured rule that cannot fit a 13-digit label', () => {
    const rules: ScaleLabelRule[] = [{ prefix: '22', kind: 'weight', pluDigits: 6, valueDigits: 6 }];
    const code = withCheck('220012301234');
    expect(classifyCode(code, rules)).toEqual({ kind: 'gtin', gtin: code, symbology: 'ean13' });
  });

  it('round-trips any PLU and weight built into a weight label', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999 }), fc.integer({ min: 0, max: 99_999 }), (plu, grams) => {
        const code = withCheck(`23${String(plu).padStart(5, '0')}${String(grams).padStart(5, '0')}`);
        expect(classifyCode(code)).toEqual({ kind: 'scaleLabel', code, prefix: '23', plu, weightGrams: grams, priceKopecks: null });
      }),
    );
  });
});

describe('classifyCode: marking codes', () => {
  it('detects a GS1 DataMatrix code by its GS separator and gives the 13-digit GTIN', () => {
    expect(classifyCode(MILK_MARKING)).toEqual({ kind: 'marking', raw: MILK_MARKING, gtin: MILK_GTIN13 });
  });

  it('detects a marking code after the ]d2 AIM identifier and drops the identifier from raw', () => {
    expect(classifyCode(`]d2${MILK_MARKING}`)).toEqual({ kind: 'marking', raw: MILK_MARKING, gtin: MILK_GTIN13 });
    expect(classifyCode(`]Q3${MILK_MARKING}`)).toEqual({ kind: 'marking', raw: MILK_MARKING, gtin: MILK_GTIN13 });
  });

  it('drops a leading FNC1 sent as GS', () => {
    expect(classifyCode(`${GS}${MILK_MARKING}`)).toEqual({ kind: 'marking', raw: MILK_MARKING, gtin: MILK_GTIN13 });
  });

  it('detects a marking code whose GS separators the scanner did not send', () => {
    const bare = `01${MILK_GTIN14}215Ab2xQ,dE"f193dGVz`;
    expect(classifyCode(bare)).toEqual({ kind: 'marking', raw: bare, gtin: MILK_GTIN13 });
  });

  it('keeps a 14-digit GTIN when the indicator digit is not zero', () => {
    const gtin14 = withCheck('1460700978018');
    const code = `01${gtin14}21ABCDEFG${GS}93xyzw`;
    expect(classifyCode(code)).toEqual({ kind: 'marking', raw: code, gtin: gtin14 });
  });

  it('detects a 29-character tobacco pack code', () => {
    const gtin14 = `0${withCheck('460620308462')}`;
    const pack = `${gtin14}-<5TfQ!AAAAabc'`;
    expect(pack).toHaveLength(29);
    expect(classifyCode(pack)).toEqual({ kind: 'marking', raw: pack, gtin: gtin14.slice(1) });
    expect(classifyCode(`]d1${pack}\r\n`)).toEqual({ kind: 'marking', raw: pack, gtin: gtin14.slice(1) });
  });

  it('prefers the tobacco reading when a pack code only looks like 01 + GTIN + 21', () => {
    // Serial "0021abc" puts "21" where a bare GS1 code has its AI 21, so the pack code also reads as
    // 01 + "46062030846400" + 21 …, a GTIN whose check digit is wrong.
    const gtin14 = withCheck('0146062030846');
    const pack = `${gtin14}0021abcAAAAzzzz`;
    expect(pack).toHaveLength(29);
    expect(pack.slice(16, 18)).toBe('21');
    expect(isValidGtin(pack.slice(2, 16))).toBe(false);
    expect(classifyCode(pack)).toEqual({ kind: 'marking', raw: pack, gtin: gtin14.slice(1) });
  });

  it('rejects a marking code whose GTIN check digit is wrong', () => {
    const bad = `01${withWrongCheck('0460700978018')}21ABC${GS}93xyzw`;
    expect(classifyCode(bad)).toEqual({ kind: 'invalid', reason: 'check digit' });
    const badPack = `${withWrongCheck('0460620308462')}-<5TfQ!AAAAabc'`;
    expect(classifyCode(badPack)).toEqual({ kind: 'invalid', reason: 'check digit' });
  });

  it('reads a GS1 DataMatrix that holds only a GTIN as a product barcode, not a marking code', () => {
    expect(classifyCode(`]d201${MILK_GTIN14}`)).toEqual({ kind: 'gtin', gtin: MILK_GTIN13, symbology: 'gtin14' });
  });

  it('rejects GS1 data without a GTIN in AI 01', () => {
    expect(classifyCode(`]d2${GS}10LOT42${GS}17250101`)).toMatchObject({ kind: 'invalid', reason: 'marking code without GTIN (AI 01)' });
    expect(classifyCode(`ABC${GS}DEF`)).toMatchObject({ kind: 'invalid' });
  });

  it('rejects a marking code typed through a Russian keyboard layout', () => {
    expect(classifyCode(`01${MILK_GTIN14}21Фыва${GS}93ЙЦУК`)).toEqual({ kind: 'invalid', reason: 'unsupported characters' });
  });
});

describe('classifyCode: shop codes and garbage', () => {
  it('reads short articles of letters, digits, dash, underscore and dot as shop codes', () => {
    expect(classifyCode('A-1234')).toEqual({ kind: 'internal', code: 'A-1234' });
    expect(classifyCode('123456')).toEqual({ kind: 'internal', code: '123456' });
    expect(classifyCode('x_y.z')).toEqual({ kind: 'internal', code: 'x_y.z' });
    expect(classifyCode('A'.repeat(32))).toEqual({ kind: 'internal', code: 'A'.repeat(32) });
  });

  it('rejects empty input', () => {
    expect(classifyCode('')).toEqual({ kind: 'invalid', reason: 'empty' });
    expect(classifyCode(' \r\n\t ')).toEqual({ kind: 'invalid', reason: 'empty' });
    expect(classifyCode(']E0')).toEqual({ kind: 'invalid', reason: 'empty' });
  });

  it('rejects input longer than 256 characters', () => {
    expect(classifyCode('1'.repeat(257))).toEqual({ kind: 'invalid', reason: 'too long' });
    expect(classifyCode('x'.repeat(1_000_000))).toEqual({ kind: 'invalid', reason: 'too long' });
  });

  it('rejects a shop code longer than 32 characters', () => {
    expect(classifyCode('A'.repeat(33))).toMatchObject({ kind: 'invalid', reason: 'too long for a shop code' });
  });

  it('rejects control characters other than GS', () => {
    expect(classifyCode(`12${'\u0000'}34`)).toEqual({ kind: 'invalid', reason: 'control character' });
    expect(classifyCode(`${EAN13.slice(0, 6)}\n${EAN13.slice(6)}`)).toEqual({ kind: 'invalid', reason: 'control character' });
    expect(classifyCode(`ABC\u001bDEF`)).toEqual({ kind: 'invalid', reason: 'control character' });
  });

  it('rejects characters a shop code cannot hold', () => {
    expect(classifyCode('молоко')).toEqual({ kind: 'invalid', reason: 'unsupported characters' });
    expect(classifyCode('a b')).toEqual({ kind: 'invalid', reason: 'unsupported characters' });
    expect(classifyCode("'; DROP TABLE products; --")).toEqual({ kind: 'invalid', reason: 'unsupported characters' });
  });

  it('answers a value for non-string input from untyped callers', () => {
    expect(classifyCode(undefined as unknown as string)).toMatchObject({ kind: 'invalid' });
    expect(classifyCode(42 as unknown as string)).toMatchObject({ kind: 'invalid' });
  });

  it('never throws on arbitrary strings and always answers a known kind', () => {
    const kinds = new Set(['gtin', 'scaleLabel', 'marking', 'internal', 'invalid']);
    const anything = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.string({ unit: fc.constantFrom('0', '1', '2', '9', GS, ']', 'd', 'E', '\r', ' '), maxLength: 60 }),
      fc.tuple(fc.constantFrom(']d2', ']E0', ']Q3', ']C1', ']', '01', GS, ''), fc.string({ maxLength: 80 })).map(([a, b]) => a + b),
    );
    fc.assert(
      fc.property(anything, (s) => {
        const result = classifyCode(s);
        expect(kinds.has(result.kind)).toBe(true);
        if (result.kind === 'invalid') expect(result.reason.length).toBeGreaterThan(0);
        if (result.kind === 'gtin') expect(result.gtin).toMatch(/^\d{13}$/);
        if (result.kind === 'marking') expect(result.gtin).toMatch(/^\d{13,14}$/);
      }),
      { numRuns: 2000 },
    );
  });
});
