// What the customer sees, as two fixed-width lines: the last item with its price, then the total.
// Pure; money is integer kopecks and printed as roubles with a comma (Russian custom) — no ₽ sign,
// which display character tables lack.
export const DISPLAY_COLUMNS = 20;

export function formatRoubles(kopecks: number): string {
  if (!Number.isSafeInteger(kopecks)) throw new RangeError(`not an amount in kopecks: ${kopecks}`);
  const abs = Math.abs(kopecks);
  return `${kopecks < 0 ? '-' : ''}${Math.floor(abs / 100)},${String(abs % 100).padStart(2, '0')}`;
}

/** Left text and right text in one line of `width`: the left side is cut to make room, never the amount. */
export function splitLine(left: string, right: string, width = DISPLAY_COLUMNS): string {
  const r = right.length > width ? right.slice(right.length - width) : right;
  const room = width - r.length - (r.length > 0 && r.length < width ? 1 : 0);
  const l = [...left].slice(0, Math.max(0, room)).join('');
  return l + ' '.repeat(width - l.length - r.length) + r;
}

export function fit(text: string, width = DISPLAY_COLUMNS): string {
  const chars = [...text.replace(/\s+/g, ' ').trim()];
  return chars.slice(0, width).join('').padEnd(width, ' ');
}

/** Line 1 the item's name (cut to fit), line 2 quantity × price = sum or just the price. */
export function itemScreen(name: string, priceKopecks: number, o: { quantityText?: string; width?: number } = {}): [string, string] {
  const width = o.width ?? DISPLAY_COLUMNS;
  const price = formatRoubles(priceKopecks);
  return [fit(name, width), o.quantityText ? splitLine(`${o.quantityText} x`, price, width) : splitLine('', price, width)];
}

/** 'ИТОГО' and the total on line 1; line 2 free for 'СДАЧА …' or a greeting. */
export function totalScreen(totalKopecks: number, o: { second?: string; width?: number } = {}): [string, string] {
  const width = o.width ?? DISPLAY_COLUMNS;
  return [splitLine('ИТОГО', formatRoubles(totalKopecks), width), fit(o.second ?? '', width)];
}
