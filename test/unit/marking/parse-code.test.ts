import { describe, expect, it } from 'vitest';
import { gtinCheckDigit } from '../../../src-main/domain/barcode';
import { gs1Date, parseMarkingCode, type ParsedCode, type ParseResult } from '../../../src-main/marking/parse-code';
import { PRODUCT_GROUPS, layoutsOf, type CodeLayout } from '../../../src-main/marking/product-groups';
import { decodePackMrp, encodePackMrp, MRP_ALPHABET } from '../../../src-main/marking/tobacco-pack';
import { GS, STAND, blockCode, gtin, packCode, pick, prng, serial, unitCode } from './codes';

function ok(result: ParseResult): ParsedCode {
  if (!result.valid) throw new Error(`expected a valid code, got ${result.error.code}: ${result.error.details ?? ''}`);
  return result;
}

/** A code built exactly to a layout (tail elements and optional ones with their real lengths). */
function codeFor(rand: () => number, layout: CodeLayout, withOptional = false): string {
  let code = `01${gtin(rand)}21${serial(rand, layout.serialLength)}`;
  for (const t of layout.tail) code += GS + t.ai + (t.ai === '8005' ? '012300' : pick(rand, 'ABCDEFGHabcdefgh0123456789+/', t.length));
  const firstOptional = layout.optional[0];
  if (withOptional && firstOptional) code += GS + firstOptional.ai + (firstOptional.ai === '17' ? '261231' : '0'.repeat(firstOptional.length - 1) + '5');
  return code;
}

describe('marking code layouts per product group', () => {
  const rand = prng(4);
  for (const group of PRODUCT_GROUPS) {
    layoutsOf(group).forEach((layout, i) => {
      const name = `${group.short} layout ${i + 1} (serial ${layout.serialLength}, ${layout.tail.map((t) => `${t.ai}/${t.length}`).join(' ')})`;
      it(`${name}: a code built to it parses and names the group`, () => {
        const parsed = ok(parseMarkingCode(codeFor(rand, layout)));
        expect(parsed.groups).toContain(group.short);
        expect(parsed.groupIds).toContain(group.id);
        expect(parsed.cis).toBe(parsed.code.split(GS)[0]);
      });
      if (layout.optional.length > 0) {
        it(`${name}: its optional element is accepted`, () => {
          expect(ok(parseMarkingCode(codeFor(rand, layout, true))).groups).toContain(group.short);
        });
      }
      it(`${name}: a serial one character longer or shorter does not fit the group`, () => {
        for (const delta of [-1, 1]) {
          const code = codeFor(rand, { ...layout, serialLength: layout.serialLength + delta });
          const result = parseMarkingCode(code);
          if (result.valid) expect(result.groups).not.toContain(group.short);
        }
      });
      it(`${name}: a tail element of the wrong length does not fit the group`, () => {
        const code = codeFor(rand, layout).replace(/.$/, '') ;
        const result = parseMarkingCode(code);
        if (result.valid) expect(result.groups).not.toContain(group.short);
      });
    });
  }

  it('dairy: serial 6 + 93 fits milk (and the other 6-character short groups), not beer or water', () => {
    const parsed = ok(parseMarkingCode(unitCode(prng(1), { serialLength: 6, tail: 'short' })));
    expect(parsed.groups).toEqual(['milk', 'petfood', 'seafood', 'conserve', 'sweets']);
    expect(parsed.packageKind).toBe('unit');
    expect(parsed.mrpKopecks).toBeNull();
  });

  it('shoes: serial 13 + 91 + 92 of 88 fits only shoes; 92 of 44 fits clothing and the other long groups', () => {
    expect(ok(parseMarkingCode(unitCode(prng(2), { serialLength: 13, tail: 'long88' }))).groups).toEqual(['shoes']);
    const lp = ok(parseMarkingCode(unitCode(prng(2), { serialLength: 13, tail: 'long44' })));
    expect(lp.groups).toContain('lp');
    expect(lp.groups).not.toContain('shoes');
    expect(Object.keys(lp.tail)).toEqual(['ai91', 'ai92']);
    expect(lp.tail.ai92).toHaveLength(44);
  });

  it('beer: serial 7 + 93 with a 3353 volume fits beer and non-alcoholic beer', () => {
    const parsed = ok(parseMarkingCode(unitCode(prng(3), { serialLength: 7, tail: 'short', extra: '3353000500' })));
    expect(parsed.groups).toEqual(['beer', 'nabeer']);
    expect(parsed.tail.ai3353).toBe('000500');
  });

  it('dairy with net weight 3103 and expiry 17 keeps both and reads the date', () => {
    const parsed = ok(parseMarkingCode(unitCode(prng(5), { serialLength: 6, tail: 'short', extra: `3103000750${GS}17250600` })));
    expect(parsed.groups).toEqual(['milk']);
    expect(parsed.tail.ai3103).toBe('000750');
    expect(parsed.expiry).toBe('2025-06-30'); // DD = 00: the last day of the month
  });

  it('a code of a group we do not know parses with no group, and is refused in strict mode', () => {
    const code = unitCode(prng(6), { serialLength: 8, tail: 'short' });
    const parsed = ok(parseMarkingCode(code));
    expect(parsed.groups).toEqual([]);
    const strict = parseMarkingCode(code, { strictLayouts: true });
    expect(strict.valid ? null : strict.error.code).toBe('unknown_layout');
  });
});

describe('tobacco pack codes', () => {
  it('decodes the MRP with the first character most significant (CRPT test-stand codes)', () => {
    expect(decodePackMrp('ABVU')).toBe(8_100); // case 5.10: "до 100 руб."
    expect(decodePackMrp('ACVU')).toBe(14_500); // case 5.11: "более 135 руб."
    expect(decodePackMrp('ADI8')).toBe(19_900); // case 5.24
    expect(decodePackMrp('AAAA')).toBe(0); // case 5.26, nicotine product
    expect(decodePackMrp('????')).toBe(80 ** 4 - 1);
    expect(decodePackMrp('AB~A')).toBeNull();
    expect(MRP_ALPHABET).toHaveLength(80);
  });

  it('encodes and decodes back', () => {
    for (const kopecks of [0, 1, 79, 80, 6_399, 6_400, 12_345, 25_000, 40_959_999]) expect(decodePackMrp(encodePackMrp(kopecks))).toBe(kopecks);
    expect(() => encodePackMrp(80 ** 4)).toThrow(RangeError);
  });

  it('parses a pack: КИ is the first 21 characters, the code stays whole, MRP decoded', () => {
    const parsed = ok(parseMarkingCode(STAND.packUpTo100));
    expect(parsed).toMatchObject({
      groups: ['tobacco', 'ncp'], gtin: '04601653035829', serial: 'H;dV)bF', cis: '04601653035829H;dV)bF',
      code: STAND.packUpTo100, mrpKopecks: 8_100, packageKind: 'pack', tail: { packMrp: 'ABVU', packCrypto: 'dGVz' },
    });
    expect(ok(parseMarkingCode(STAND.packOver135)).mrpKopecks).toBe(14_500);
    expect(ok(parseMarkingCode(STAND.ncpPack)).mrpKopecks).toBe(0);
  });

  it('a generated pack round-trips its MRP', () => {
    const rand = prng(7);
    for (const mrp of [10_900, 17_700, 25_000]) expect(ok(parseMarkingCode(packCode(rand, mrp))).mrpKopecks).toBe(mrp);
  });

  it('refuses a pack with a wrong GTIN check digit or an MRP character outside the alphabet', () => {
    const badDigit = STAND.packUpTo100.replace(/^(\d{13})\d/, (_, body: string) => body + ((gtinCheckDigit(body) + 1) % 10));
    expect(parseMarkingCode(badDigit)).toMatchObject({ valid: false, error: { code: 'bad_gtin_check_digit' } });
    expect(parseMarkingCode('04601653035829H;dV)bF(BVUdGVz')).toMatchObject({ valid: false, error: { code: 'bad_mrp' } });
  });
});

describe('tobacco block codes', () => {
  it('parses the test-stand block: 8005 gives the MRP in kopecks, КИ cut at the first GS', () => {
    const parsed = ok(parseMarkingCode(STAND.blockUpTo100));
    expect(parsed).toMatchObject({
      groups: ['tobacco'], gtin: '04629308877044', serial: 'DzkcYt2', cis: '010462930887704421DzkcYt2',
      code: STAND.blockUpTo100, mrpKopecks: 90_000, packageKind: 'block', tail: { ai8005: '090000', ai93: 'dGVz' },
    });
    expect(parsed.code).toHaveLength(43);
  });

  it('a block without its GS separators is rebuilt to the same code', () => {
    const parsed = ok(parseMarkingCode(STAND.blockUpTo100.replaceAll(GS, '')));
    expect(parsed.code).toBe(STAND.blockUpTo100);
    expect(parsed.rebuilt).toBe(true);
    expect(parsed.packageKind).toBe('block');
  });

  it('a generated block carries its MRP', () => {
    expect(ok(parseMarkingCode(blockCode(prng(8), 177_000))).mrpKopecks).toBe(177_000);
  });
});

describe('malformed codes answer with a typed error', () => {
  const cases: Array<[string, unknown, string]> = [
    ['empty', '   \r\n', 'empty'],
    ['not text', 42, 'not_text'],
    ['a retail EAN-13', '4607001234567', 'too_short'],
    ['01 + GTIN only', '0104601234567893', 'too_short'],
    ['wrong GTIN check digit', "0104670540176098215'W9Um\u001d93dGVz", 'bad_gtin_check_digit'],
    ['a control character', "0104670540176099215'W9Um\u0007\u001d93dGVz", 'control_character'],
    ['a non-ASCII letter in the serial', '0104670540176099215Üfyva\u001d93dGVz', 'bad_characters'],
    ['no crypto tail', "0104670540176099215'W9Um", 'no_crypto_tail'],
    ['no crypto tail, with GS', "0104670540176099215'W9Um\u001d", 'no_crypto_tail'],
    ['an unknown AI after the serial', "0104670540176099215'W9Um\u001d99dGVz", 'unknown_ai'],
    ['a serial longer than 20', `0104670540176099215${'A'.repeat(21)}\u001d93dGVz`, 'bad_field'],
    ['no serial', '0104670540176099\u001d93dGVz', 'no_serial'],
    ['a bad date in 17', "0104670540176099215'W9Um\u001d93dGVz\u001d17251340", 'bad_date'],
    ['GS lost and no layout fits', `0104670540176099215${'A'.repeat(30)}`, 'unknown_layout'],
    ['a megabyte', 'A'.repeat(1_000_000), 'too_long'],
    ['plain text', 'молоко', 'too_short'],
  ];
  for (const [what, input, code] of cases) {
    it(`${what} → ${code}`, () => {
      const result = parseMarkingCode(input);
      expect(result.valid).toBe(false);
      if (!result.valid) {
        expect(result.error.code).toBe(code);
        expect(result.error.message.ru.length).toBeGreaterThan(0);
        expect(result.error.message.en.length).toBeGreaterThan(0);
      }
    });
  }

  it('Cyrillic left in the code is refused when the layout mapping is off', () => {
    const result = parseMarkingCode('0104670540176099215Ыфыва\u001d93dGVz', { cyrillicLayout: 'never' });
    expect(result).toMatchObject({ valid: false, error: { code: 'bad_characters' } });
  });

  it('the test-stand code with a changed crypto character still parses: only the check can tell (case 5.14)', () => {
    expect(ok(parseMarkingCode(STAND.badCrypto)).tail.ai93).toBe('DGVz');
  });
});

describe('GS1 dates', () => {
  it('reads YYMMDD, DD 00 as the last day, and refuses impossible dates', () => {
    expect(gs1Date('240229')).toBe('2024-02-29');
    expect(gs1Date('230200')).toBe('2023-02-28');
    expect(gs1Date('230229')).toBeNull();
    expect(gs1Date('241301')).toBeNull();
    expect(gs1Date('2412')).toBeNull();
  });
});
