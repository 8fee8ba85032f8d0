// Hostile and random input: the parser answers every string with a typed value and never throws.
import { describe, expect, it } from 'vitest';
import { parseMarkingCode, type ParseErrorCode } from '../../../src-main/marking/parse-code';
import { restoreSeparators } from '../../../src-main/marking/restore-separators';
import { GS, STAND, blockCode, packCode, prng, unitCode } from './codes';

const ERROR_CODES: ParseErrorCode[] = ['not_text', 'empty', 'too_long', 'too_short', 'control_character', 'bad_characters', 'no_gtin',
  'bad_gtin_check_digit', 'unknown_ai', 'bad_field', 'no_serial', 'no_crypto_tail', 'bad_mrp', 'bad_date', 'unknown_layout'];

function assertAnswer(input: string): void {
  const result = parseMarkingCode(input);
  if (result.valid) {
    expect(typeof result.gtin).toBe('string');
    expect(result.code.startsWith(result.cis) || result.packageKind === 'pack').toBe(true);
  } else {
    expect(ERROR_CODES).toContain(result.error.code);
    expect(result.error.details ?? '').not.toMatch(/^internal/);
  }
  restoreSeparators(input);
}

describe('fuzzing the marking-code parser', () => {
  it('20 000 random strings get a typed answer', () => {
    const rand = prng(2024);
    const pools = [
      '0123456789',
      '0123456789\u001dABCDEFabcdef!"%&\'()*+,-./:;<=>?_',
      '\u0000\u0001\u001d\u001e\u007f\u0080\uffff\ud800йцукенЁё€<>{}[]^\\',
      '()0123456789\u001d',
    ];
    for (let i = 0; i < 20_000; i++) {
      const pool = pools[i % pools.length]!;
      const length = Math.floor(rand() * 140);
      let s = i % 3 === 0 ? '01' : '';
      for (let k = 0; k < length; k++) s += pool[Math.floor(rand() * pool.length)];
      assertAnswer(s);
    }
  });

  it('20 000 random mutations of valid codes get a typed answer', () => {
    const rand = prng(77);
    const seeds = [
      ...Object.values(STAND),
      unitCode(rand, { serialLength: 13, tail: 'long88' }),
      unitCode(rand, { serialLength: 13, tail: 'long44', extra: '2406403' }),
      unitCode(rand, { serialLength: 6, tail: 'short', extra: `3103000500${GS}17250630` }),
      blockCode(rand, 177_000),
      packCode(rand, 14_500),
      `]d2${GS}${STAND.milkNotApplied}`,
      `(01)04607010350246(21)5kRdG-1%2(UmV(93)dGVz`,
    ];
    const noise = '0123456789\u001dAZaz!"%()<>^\\{}[]~|й\u0000\u241d';
    for (let i = 0; i < 20_000; i++) {
      let s = seeds[i % seeds.length]!;
      const edits = 1 + Math.floor(rand() * 4);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(rand() * (s.length + 1));
        const ch = noise[Math.floor(rand() * noise.length)]!;
        switch (Math.floor(rand() * 4)) {
          case 0: s = s.slice(0, at) + ch + s.slice(at + 1); break; // replace
          case 1: s = s.slice(0, at) + ch + s.slice(at); break; // insert
          case 2: s = s.slice(0, at) + s.slice(at + 1); break; // delete
          default: s = s.slice(0, at); break; // truncate
        }
      }
      assertAnswer(s);
    }
  });

  it('non-string input is an answer too', () => {
    for (const value of [null, undefined, 42, {}, [], Symbol('x')]) {
      expect(parseMarkingCode(value)).toMatchObject({ valid: false, error: { code: 'not_text' } });
    }
  });
});
