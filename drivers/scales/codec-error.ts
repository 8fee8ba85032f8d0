// Every scale codec fails with this and nothing else (drivers/README.md: codecs throw typed errors).
export type ScaleCodecErrorCode = 'no-header' | 'short' | 'bad-checksum' | 'bad-field' | 'too-long' | 'unknown-reply' | 'trailing';

export class ScaleCodecError extends Error {
  constructor(
    readonly protocol: string,
    readonly code: ScaleCodecErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(`${protocol}: ${message}`);
    this.name = 'ScaleCodecError';
  }
}

/**
 * A decimal weight text ("  1.234", "-0.500", "1234") as whole grams, by string arithmetic (no
 * floating point ever touches a weight). `gramsPerUnit` is 1000 for kg, 1 for g. Digits below one
 * gram are rounded half away from zero.
 */
export function decimalToGrams(protocol: string, text: string, gramsPerUnit: 1000 | 1): number {
  const m = /^\s*([+-]?)\s*(\d*)(?:\.(\d*))?\s*$/.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new ScaleCodecError(protocol, 'bad-field', `not a weight: '${text}'`, { text });
  const negative = m[1] === '-';
  const whole = m[2] === '' ? 0 : Number(m[2]);
  const fraction = m[3] ?? '';
  const places = gramsPerUnit === 1000 ? 3 : 0;
  const kept = (fraction + '000').slice(0, places);
  const next = fraction.length > places ? Number(fraction[places]) : 0;
  let grams = whole * gramsPerUnit + (kept === '' ? 0 : Number(kept)) + (next >= 5 ? 1 : 0);
  if (!Number.isSafeInteger(grams)) throw new ScaleCodecError(protocol, 'bad-field', `weight out of range: '${text}'`, { text });
  if (negative && grams !== 0) grams = -grams;
  return grams;
}

/** Whole grams as a fixed-width kg text with 3 decimals, e.g. 1234 → "1.234" (width pads left). */
export function gramsToKgText(grams: number, width: number, pad = ' '): string {
  const abs = Math.abs(grams);
  const text = `${Math.floor(abs / 1000)}.${String(abs % 1000).padStart(3, '0')}`;
  return text.padStart(width, pad);
}
