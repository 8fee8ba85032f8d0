import { describe, expect, it } from 'vitest';
import { parseMarkingCode } from '../../../src-main/marking/parse-code';
import { fromRussianLayout, normaliseScan, rebuildFromLayouts, restoreSeparators } from '../../../src-main/marking/restore-separators';
import { GS, STAND, prng, unitCode } from './codes';

const MILK = STAND.milkNotApplied; // 01…21 5'W9Um ⟨GS⟩ 93dGVz
const SHOES = unitCode(prng(11), { serialLength: 13, tail: 'long88' });

/** What a keyboard-wedge scanner types through the Russian layout (the inverse of the key-position map). */
function typedInRussianLayout(text: string): string {
  const en = "qwertyuiop[]asdfghjkl;'zxcvbnm,./`QWERTYUIOP{}ASDFGHJKL:\"ZXCVBNM<>?~@#$^&|";
  const ru = 'йцукенгшщзхъфывапролджэячсмитьбю.ёЙЦУКЕНГШЩЗХЪФЫВАПРОЛДЖЭЯЧСМИТЬБЮ,Ё"№;:?/';
  return [...text].map((ch) => (en.includes(ch) ? ru[en.indexOf(ch)]! : ch)).join('');
}

describe('GS sent as a textual alias', () => {
  const aliases = ['<GS>', '<gs>', '{GS}', '[GS]', '<FNC1>', '{FNC1}', '\\u001d', '\\u001D', '\\x1d', '\\x1D', '\\x{1d}', '\\035', '^]', '\u241d'];
  for (const alias of aliases) {
    it(`${JSON.stringify(alias)} becomes GS`, () => {
      const typed = MILK.replaceAll(GS, alias);
      expect(restoreSeparators(typed)).toMatchObject({ candidates: [MILK], steps: ['alias'] });
      const parsed = parseMarkingCode(typed);
      expect(parsed.valid && parsed.code).toBe(MILK);
    });
  }

  it('every GS of a long code is restored, wherever the aliases are', () => {
    const typed = SHOES.replaceAll(GS, '\\u001d');
    expect(restoreSeparators(typed).candidates).toEqual([SHOES]);
  });
});

describe('GS sent as a configured substitute character', () => {
  for (const substitute of ['~', '|', '\ue01d']) {
    it(`${JSON.stringify(substitute)} becomes GS when configured, and only then`, () => {
      const typed = SHOES.replaceAll(GS, substitute);
      expect(restoreSeparators(typed, { substitutes: [substitute] })).toMatchObject({ candidates: [SHOES], steps: ['substitute'] });
      const parsed = parseMarkingCode(typed, { substitutes: [substitute] });
      expect(parsed.valid && parsed.groups).toEqual(['shoes']);
    });
  }
});

describe('brackets, AIM identifiers, leading FNC1', () => {
  it('bracketed AIs are read and the code rebuilt with GS where GS1 wants it', () => {
    const bracketed = `(01)04607010350246(21)5kRdG-1%2(UmV(93)dGVz`;
    const parsed = parseMarkingCode(bracketed);
    expect(parsed.valid && parsed.code).toBe(STAND.water13);
    expect(parsed.valid && parsed.cis).toBe('0104607010350246215kRdG-1%2(UmV');
  });

  it('bracketed long codes (91, 92) too', () => {
    const [head, key, crypto] = SHOES.split(GS) as [string, string, string];
    const bracketed = `(01)${head.slice(2, 16)}(21)${head.slice(18)}(91)${key.slice(2)}(92)${crypto.slice(2)}`;
    const parsed = parseMarkingCode(bracketed);
    expect(parsed.valid && parsed.code).toBe(SHOES);
  });

  for (const aim of [']d2', ']C1', ']Q3']) {
    it(`the AIM identifier ${aim} is removed`, () => {
      expect(restoreSeparators(aim + MILK)).toMatchObject({ candidates: [MILK], aim, steps: ['aim_identifier'] });
    });
  }

  it('a leading GS (FNC1) and trailing CR/LF are removed, GS inside kept', () => {
    expect(normaliseScan(`${GS}${MILK}\r\n`)).toEqual({ text: MILK, aim: null, steps: ['leading_gs'] });
    expect(normaliseScan(`]d2${GS}${MILK}`).text).toBe(MILK);
  });
});

describe('a Russian keyboard layout', () => {
  it('maps ЙЦУКЕН back to QWERTY by key position, punctuation included', () => {
    expect(fromRussianLayout('Ффыв')).toBe('Aasd');
    expect(fromRussianLayout('эЭжЖбБюЮ.,"№;:?/ё')).toBe('\'"; :,<.>/?@#$^&|`'.replace(' ', ''));
  });

  it('a code typed through the Russian layout is recovered (auto), GS and digits untouched', () => {
    const typed = typedInRussianLayout(MILK);
    expect(typed).not.toBe(MILK);
    expect(restoreSeparators(typed)).toMatchObject({ candidates: [MILK], steps: ['cyrillic_layout'] });
  });

  it('the AIM identifier typed through the Russian layout is recognised after the mapping', () => {
    const typed = typedInRussianLayout(`]d2${SHOES}`);
    const parsed = parseMarkingCode(typed);
    expect(parsed.valid && parsed.code).toBe(SHOES);
  });

  it('"never" leaves Cyrillic alone; "always" maps even without a Cyrillic letter', () => {
    expect(normaliseScan('Ффыв', { cyrillicLayout: 'never' }).text).toBe('Ффыв');
    expect(normaliseScan('.,', { cyrillicLayout: 'always' }).text).toBe('/?');
    expect(normaliseScan('.,').text).toBe('.,');
  });
});

describe('GS lost entirely: rebuilt from the group layouts', () => {
  it('dairy (serial 6 + 93) is rebuilt to the one reading', () => {
    const restored = restoreSeparators(MILK.replaceAll(GS, ''));
    expect(restored).toMatchObject({ candidates: [MILK], steps: ['rebuilt'] });
  });

  it('shoes (serial 13 + 91 + 92/88) are rebuilt', () => {
    expect(restoreSeparators(SHOES.replaceAll(GS, '')).candidates).toEqual([SHOES]);
  });

  it('clothing (serial 13 + 91 + 92/44) with a TN VED 240 after the crypto tail', () => {
    const code = `${unitCode(prng(12), { serialLength: 13, tail: 'long44' })}${GS}2406403`;
    const parsed = parseMarkingCode(code.replaceAll(GS, ''));
    expect(parsed.valid && parsed.code).toBe(code);
    expect(parsed.valid && parsed.groups).toEqual(['lp']);
  });

  it('dairy with net weight and expiry after the tail', () => {
    const code = unitCode(prng(13), { serialLength: 6, tail: 'short', extra: `3103000750${GS}17260131` });
    const parsed = parseMarkingCode(code.replaceAll(GS, ''));
    expect(parsed.valid && parsed.code).toBe(code);
    expect(parsed.valid && parsed.expiry).toBe('2026-01-31');
  });

  it('when two layouts fit, both readings come back and the parse lists the other as an alternative', () => {
    // Read as dairy: serial 6 "AbCdEf", 93 "WxYz", 7003 "2512931234" — or as electronics: serial 20, 93 "1234".
    const data = '0104670540176099' + '21' + 'AbCdEf' + '93WxYz' + '70032512' + '93' + '1234';
    const dairy = `0104670540176099` + `21AbCdEf${GS}93WxYz${GS}70032512931234`;
    const electronics = `0104670540176099` + `21AbCdEf93WxYz70032512${GS}931234`;
    const restored = restoreSeparators(data);
    expect([...restored.candidates].sort()).toEqual([dairy, electronics].sort());
    const parsed = parseMarkingCode(data);
    expect(parsed.valid).toBe(true);
    if (parsed.valid) {
      const readings = [parsed, ...parsed.alternatives];
      expect(readings.map((r) => r.code).sort()).toEqual([dairy, electronics].sort());
      expect(readings.find((r) => r.code === dairy)?.groups).toContain('milk');
      expect(readings.find((r) => r.code === electronics)?.groups).toEqual(['electronics']);
      expect(readings.every((r) => r.rebuilt)).toBe(true);
    }
  });

  it('rebuild can be switched off', () => {
    expect(restoreSeparators(MILK.replaceAll(GS, ''), { rebuild: false }).candidates).toEqual([MILK.replaceAll(GS, '')]);
    const parsed = parseMarkingCode(MILK.replaceAll(GS, ''), { rebuild: false });
    expect(parsed.valid).toBe(false);
  });

  it('nothing to rebuild in a code that already has GS or is not GS1', () => {
    expect(rebuildFromLayouts(MILK)).toEqual([]);
    expect(rebuildFromLayouts(STAND.packUpTo100)).toEqual([]);
    expect(restoreSeparators(STAND.packUpTo100).candidates).toEqual([STAND.packUpTo100]);
  });
});
