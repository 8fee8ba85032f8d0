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

/**
 * Intl formatters, made once per language and kind: toLocaleString with options builds a new formatter on
 * every call (~0.5 ms on a till's CPU), and the receipt's title, the live weight and the clock format on
 * every render.
 */
const formats = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();

function cached<F extends Intl.DateTimeFormat | Intl.NumberFormat>(kind: string, lang: Lang, make: (locale: string) => F): F {
  const key = `${kind}:${lang}`;
  let format = formats.get(key) as F | undefined;
  if (!format) {
    format = make(lang === 'ru' ? 'ru-RU' : 'en-GB');
    formats.set(key, format);
  }
  return format;
}

/** "23.11.2026, 22:41" (ru); an unreadable time is shown as it came. */
export function formatTime(iso: string, lang: Lang = 'ru'): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return cached('dateTime', lang, (locale) => new Intl.DateTimeFormat(locale, {
    day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit',
  })).format(date);
}

/** The status bar's clock: the date and the time to the second. */
export function formatClock(now: Date, lang: Lang = 'ru'): { date: string; time: string } {
  return {
    date: cached('date', lang, (locale) => new Intl.DateTimeFormat(locale, { day: '2-digit', month: '2-digit', year: 'numeric' })).format(now),
    time: cached('time', lang, (locale) => new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit' })).format(now),
  };
}

/** A scale's weight in kilograms with three decimals: 1234 g → "1,234" (ru) / "1.234" (en). */
export function formatWeightKg(grams: number, lang: Lang = 'ru'): string {
  return cached('kg', lang, (locale) => new Intl.NumberFormat(locale, { minimumFractionDigits: 3, maximumFractionDigits: 3 })).format(grams / 1000);
}
