// Display formats for money and quantities. Money is integer kopecks, quantities integer thousandths;
// no floating point touches a value on its way to the screen.
import type { Unit } from '../../src-main/contract';

export type Lang = 'ru' | 'en';

const NBSP = '\u00a0';

function groupThousands(digits: string, separator: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, separator);
}

/** 123450 → "1 234,50 ₽" (ru) or "1,234.50 ₽" (en). Non-breaking spaces keep an amount on one line. */
export function formatMoney(kopecks: number, lang: Lang = 'ru'): string {
  const negative = kopecks < 0;
  const abs = Math.abs(Math.trunc(kopecks));
  const rubles = Math.floor(abs / 100).toString();
  const cents = (abs % 100).toString().padStart(2, '0');
  const body = lang === 'ru'
    ? `${groupThousands(rubles, NBSP)},${cents}`
    : `${groupThousands(rubles, ',')}.${cents}`;
  return `${negative ? '−' : ''}${body}${NBSP}₽`;
}

/** Kopecks as a bare number for an input field: 123450 → "1234,50" (ru) / "1234.50" (en). */
export function formatMoneyPlain(kopecks: number, lang: Lang = 'ru'): string {
  const abs = Math.abs(kopecks);
  const text = `${Math.floor(abs / 100)}${lang === 'ru' ? ',' : '.'}${(abs % 100).toString().padStart(2, '0')}`;
  return kopecks < 0 ? `-${text}` : text;
}

/**
 * Parses what a cashier typed as an amount of rubles: "1234", "1234,5", "1 234.50".
 * Returns kopecks, or null when the text is not an amount (more than two decimals, letters, …).
 */
export function parseMoney(text: string): number | null {
  const cleaned = text.replace(/[\s\u00a0₽]/g, '').replace(',', '.');
  if (cleaned === '') return null;
  const match = /^(\d{1,9})(?:\.(\d{0,2}))?$/.exec(cleaned);
  if (!match) return null;
  const rubles = Number(match[1]);
  const cents = Number((match[2] ?? '').padEnd(2, '0'));
  return rubles * 100 + cents;
}

/** 1000 → "1", 2500 → "2,500"; weighed goods always with three decimals: 350 → "0,350". */
export function formatQuantity(quantityMilli: number, weighed: boolean, lang: Lang = 'ru'): string {
  const whole = Math.floor(quantityMilli / 1000);
  const milli = quantityMilli % 1000;
  if (!weighed && milli === 0) return whole.toString();
  const sep = lang === 'ru' ? ',' : '.';
  return `${whole}${sep}${milli.toString().padStart(3, '0')}`;
}

/** Parses a quantity typed by the cashier into thousandths: "2" → 2000, "0,35" → 350. */
export function parseQuantity(text: string): number | null {
  const cleaned = text.replace(/\s/g, '').replace(',', '.');
  const match = /^(\d{1,5})(?:\.(\d{0,3}))?$/.exec(cleaned);
  if (!match) return null;
  const value = Number(match[1]) * 1000 + Number((match[2] ?? '').padEnd(3, '0'));
  return value > 0 ? value : null;
}

export function unitKey(unit: Unit): string {
  return `unit.${unit}`;
}

export function formatTime(iso: string, lang: Lang = 'ru'): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(lang === 'ru' ? 'ru-RU' : 'en-GB', {
    day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit',
  });
}
