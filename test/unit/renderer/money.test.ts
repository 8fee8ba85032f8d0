import { describe, expect, it } from 'vitest';
import { formatClock, formatMoney, formatQuantity, formatTime, formatWeightKg, parseMoney, parseQuantity } from '../../../src-renderer/format/money';

const plain = (s: string) => s.replace(/\u00a0/g, ' ');

describe('money and quantity formats', () => {
  it('formats kopecks the Russian way and the English way', () => {
    expect(plain(formatMoney(123450))).toBe('1 234,50 ₽');
    expect(plain(formatMoney(5))).toBe('0,05 ₽');
    expect(plain(formatMoney(100000000))).toBe('1 000 000,00 ₽');
    expect(plain(formatMoney(123450, 'en'))).toBe('1,234.50 ₽');
    expect(plain(formatMoney(-1990))).toBe('−19,90 ₽');
  });

  it('parses what a cashier types as rubles, without floating point', () => {
    expect(parseMoney('500')).toBe(50000);
    expect(parseMoney('1 234,5')).toBe(123450);
    expect(parseMoney('0.07')).toBe(7);
    expect(parseMoney('19,999')).toBeNull();
    expect(parseMoney('abc')).toBeNull();
    expect(parseMoney('')).toBeNull();
    expect(parseMoney('4600000000015')).toBeNull(); // a barcode is not an amount
  });

  it('shows pieces as whole numbers and weights with three decimals', () => {
    expect(formatQuantity(2000, false)).toBe('2');
    expect(formatQuantity(350, true)).toBe('0,350');
    expect(formatQuantity(1500, true, 'en')).toBe('1.500');
    expect(parseQuantity('0,35')).toBe(350);
    expect(parseQuantity('3')).toBe(3000);
    expect(parseQuantity('0')).toBeNull();
  });

  it('formats times, the clock and a weight in both languages, the same on every call (cached formatters)', () => {
    const at = new Date(2026, 10, 23, 9, 5, 7);
    for (let i = 0; i < 2; i++) {
      expect(formatTime(at.toISOString())).toBe('23.11.2026, 09:05');
      expect(formatTime(at.toISOString(), 'en')).toBe('23/11/2026, 09:05');
      expect(formatClock(at)).toEqual({ date: '23.11.2026', time: '09:05:07' });
      expect(formatClock(at, 'en')).toEqual({ date: '23/11/2026', time: '09:05:07' });
      expect(formatWeightKg(1234)).toBe('1,234');
      expect(formatWeightKg(50, 'en')).toBe('0.050');
    }
    expect(formatTime('not a time')).toBe('not a time');
  });
});

