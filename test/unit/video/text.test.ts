import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { backoffDelayMs } from '../../../drivers/video/backoff';
import { amountOf } from '../../../drivers/video/format';
import { cleanText, localTime, receiptRef, rubles, thousandths } from '../../../drivers/video/text';
import { element, escapeXml, parseFlatXml } from '../../../drivers/video/xml';

describe('text for video systems', () => {
  it('formats kopecks and thousandths without floating point', () => {
    expect([rubles(0), rubles(5), rubles(18540), rubles(-5), rubles(100_000_000_000_00)]).toEqual(['0.00', '0.05', '185.40', '-0.05', '100000000000.00']);
    expect(rubles(15980, ',')).toBe('159,80');
    expect([thousandths(1234), thousandths(2000), thousandths(500), thousandths(1), thousandths(99_999_000)]).toEqual(['1.234', '2', '0.5', '0.001', '99999']);
    expect(amountOf(100_000_000_000_00, 99_999_000)).toBe(999_990_000_000_000_000);
    expect(amountOf(7990, 1500)).toBe(11985);
    expect(amountOf(333, 500)).toBe(167);
  });

  it('strips control characters, collapses whitespace and cuts on code points', () => {
    expect(cleanText('a\u0000b\u0007c\r\nd\te', 50)).toBe('abc d e');
    expect(cleanText('  много   пробелов  ', 50)).toBe('много пробелов');
    expect(cleanText('🍎🍏🍐🍊', 3)).toBe('🍎🍏…');
    expect(cleanText('lone \ud83c surrogate', 50)).toBe('lone surrogate');
  });

  it('shows the store\'s local time', () => {
    expect(localTime('2026-11-23T21:30:05.123Z', 'Europe/Moscow')).toMatchObject({ day: '24', month: '11', year: '2026', hour: '00', minute: '30', second: '05', millis: '123' });
    expect(localTime('2026-11-23T21:30:05.123Z', 'Asia/Vladivostok').hour).toBe('07');
    expect(() => localTime('not a time', 'UTC')).toThrow();
  });

  it('makes a short receipt reference from the random end of the id', () => {
    expect(receiptRef('01936f7e-8c2a-7b1d-9e3f-4a5b6c7d8e9f')).toBe('6C7D8E9F');
  });

  it('escapes and parses back any text (property)', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
      const xml = `<root>${element('a', text, 500)}<b>${escapeXml('x')}</b></root>`;
      const parsed = parseFlatXml(xml);
      const expected = cleanText(text, 500);
      expect(parsed.fields.find(([n]) => n === 'a')?.[1] ?? '').toBe(expected);
    }), { numRuns: 500 });
  });

  it('never crashes the strict parser on garbage (fuzz)', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (garbage) => {
      try {
        parseFlatXml(garbage);
      } catch (error) {
        expect((error as Error).name).toBe('XmlFrameError');
      }
    }), { numRuns: 1000 });
  });

  it('backs off exponentially with jitter up to the cap', () => {
    const policy = { initialMs: 100, maxMs: 1000 };
    expect([1, 2, 3, 4, 5, 30].map((n) => backoffDelayMs(n, policy, () => 0.999999))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(backoffDelayMs(1, policy, () => 0)).toBe(50);
  });
});
