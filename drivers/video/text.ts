// Text that leaves the lane for a video system: names typed by people (product names, cashier names,
// comments) are hostile until cleaned. Control characters are dropped (XML 1.0 forbids most of them,
// and in a text feed a CR/LF inside a name would forge a marker line), runs of whitespace collapse,
// and long text is cut on a code-point boundary (never half a surrogate pair) with an ellipsis.

/** C0/C1 controls, DEL, lone surrogates, U+FFFE/U+FFFF: never valid in XML 1.0 or useful on a caption. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function cleanText(value: string, maxChars: number): string {
  const flat = value.replace(/[\t\r\n\v\f\u2028\u2029]+/g, ' ').replace(UNSAFE, '').replace(/ {2,}/g, ' ').trim();
  const chars = Array.from(flat);
  if (chars.length <= maxChars) return flat;
  return `${chars.slice(0, Math.max(0, maxChars - 1)).join('').trimEnd()}…`;
}

/** Kopecks as rubles with a dot and two decimals: 18540 → "185.40", -5 → "-0.05". No floating point. */
export function rubles(kopecks: number, separator = '.'): string {
  const sign = kopecks < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(kopecks));
  return `${sign}${Math.floor(abs / 100)}${separator}${String(abs % 100).padStart(2, '0')}`;
}

/** Thousandths as a decimal without trailing zeros: 1234 → "1.234", 2000 → "2", 500 → "0.5". */
export function thousandths(milli: number, separator = '.'): string {
  const sign = milli < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(milli));
  const whole = Math.floor(abs / 1000);
  const frac = String(abs % 1000).padStart(3, '0').replace(/0+$/, '');
  return frac ? `${sign}${whole}${separator}${frac}` : `${sign}${whole}`;
}

export interface LocalTime {
  year: string; month: string; day: string; hour: string; minute: string; second: string; millis: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** True when the runtime knows this IANA zone ("Europe/Moscow", "Asia/Yekaterinburg", "UTC"). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock time of an ISO instant in a zone (video systems caption in the store's local time). */
export function localTime(iso: string, timeZone: string): LocalTime {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw new Error(`not a time: ${iso.slice(0, 40)}`);
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
    });
    formatters.set(timeZone, format);
  }
  const parts: Record<string, string> = {};
  for (const p of format.formatToParts(date)) parts[p.type] = p.value;
  return {
    year: parts['year']!, month: parts['month']!, day: parts['day']!, hour: parts['hour']!, minute: parts['minute']!, second: parts['second']!,
    millis: String(date.getUTCMilliseconds()).padStart(3, '0'),
  };
}

/** A short, stable reference of a receipt for captions: the last 8 hex digits of its UUIDv7 (random bits). */
export function receiptRef(receiptId: string): string {
  const hex = receiptId.replace(/[^0-9A-Za-z]/g, '').toUpperCase();
  return hex.slice(-8) || '0';
}

/** A name that must not be empty on the wire (a position needs a caption): cleaned, or "-". */
export function nonEmpty(value: string, maxChars: number): string {
  return cleanText(value, maxChars) || '-';
}
