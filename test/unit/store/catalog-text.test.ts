import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { editDistance, foldText, prefixDistance, queryWords, trigrams } from '../../../src-main/store/catalog-text';
import { parseCatalogRow, parseRoublesToKopecks, parseVatRate, CATALOG_COLUMNS } from '../../../src-main/store/catalog-import';
import { CsvRecordReader } from '../../../src-main/store/csv-records';

describe('search text', () => {
  it('folds case and ё', () => {
    expect(foldText('ЖИГУЛЁВСКОЕ Ёлка')).toBe('жигулевское елка');
  });

  it('reduces any query to words without FTS5 syntax', () => {
    expect(queryWords('"мол*" NEAR(кеф, 3) -сыр ^x:y')).toEqual(['мол', 'near', 'кеф', '3', 'сыр', 'x', 'y']);
    fc.assert(fc.property(fc.string(), (s) => queryWords(s).every((w) => /^[\p{L}\p{N}\p{M}]+$/u.test(w))));
  });

  it('measures typos with transpositions and unfinished words', () => {
    expect(editDistance('малоко', 'молоко')).toBe(1);
    expect(editDistance('млоко', 'молоко')).toBe(1);
    expect(editDistance('омлоко', 'молоко')).toBe(1);
    expect(prefixDistance('малок', 'молоко')).toBe(1);
    expect(trigrams('молоко')).toEqual(['мол', 'оло', 'лок', 'око']);
  });
});

describe('catalog CSV fields', () => {
  it('parses roubles to kopecks without floating point', () => {
    expect(parseRoublesToKopecks('89.90')).toBe(8990);
    expect(parseRoublesToKopecks('89,9')).toBe(8990);
    expect(parseRoublesToKopecks('0.29')).toBe(29);
    expect(parseRoublesToKopecks('1 299,00')).toBe(129900);
    expect(parseRoublesToKopecks('5')).toBe(500);
    for (const bad of ['', '-1', '1.234', 'abc', '1e3', '12.', '.5', 'NaN']) expect(parseRoublesToKopecks(bad)).toBeNull();
    fc.assert(fc.property(fc.integer({ min: 0, max: 99_999_999_999 }), (k) => {
      const text = `${Math.floor(k / 100)}.${String(k % 100).padStart(2, '0')}`;
      return parseRoublesToKopecks(text) === k;
    }));
  });

  it('knows the VAT rates by their common spellings', () => {
    expect(parseVatRate('22')).toBe('vat22');
    expect(parseVatRate('10%')).toBe('vat10');
    expect(parseVatRate('none')).toBe('none');
    expect(parseVatRate('22/122')).toBe('vat22_122');
    expect(parseVatRate('vat5')).toBe('vat5');
    expect(parseVatRate('20')).toBeNull();
  });

  it('refuses a weighed product sold by the piece', () => {
    const fields = ['x1', 'Яблоки', '10.00', '10', 'piece', '', '', '', '', '1'];
    expect(parseCatalogRow(fields, [...CATALOG_COLUMNS])).toMatch(/weighed goods must have unit kg/);
  });
});

describe('CSV record reader', () => {
  it('gives the same records whatever the chunking', () => {
    const text = '\ufeffa;b;c\r\n1;"x;y";3\n2;"he said ""hi""";"multi\nline"\n\n4;5;6';
    const whole = new CsvRecordReader();
    const expected = [...whole.push(text), ...whole.end()];
    expect(expected).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1', 'x;y', '3'] },
      { line: 3, fields: ['2', 'he said "hi"', 'multi\nline'] },
      { line: 6, fields: ['4', '5', '6'] },
    ]);
    fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: text.length - 1 }), { maxLength: 6 }), (cuts) => {
      const points = [...new Set(cuts)].sort((a, b) => a - b);
      const reader = new CsvRecordReader();
      const out = [];
      let from = 0;
      for (const p of [...points, text.length]) {
        out.push(...reader.push(text.slice(from, p)));
        from = p;
      }
      out.push(...reader.end());
      expect(out).toEqual(expected);
    }));
  });

  it('detects a comma delimiter from the header', () => {
    const reader = new CsvRecordReader();
    const records = [...reader.push('id,name\n1,"a, b"\n'), ...reader.end()];
    expect(reader.detectedDelimiter).toBe(',');
    expect(records[1]!.fields).toEqual(['1', 'a, b']);
  });

  it('reports an unterminated quote instead of swallowing the file', () => {
    const reader = new CsvRecordReader();
    const records = [...reader.push('a;b\n1;"open\n2;3\n'), ...reader.end()];
    expect(records[1]).toMatchObject({ line: 2, error: expect.stringMatching(/unterminated/) });
  });
});
