// GS1 element strings as Chestny Znak codes use them: the application identifiers (AIs) a marking code
// may carry, their lengths and character sets, and a tokenizer for data whose variable-length fields are
// ended by GS. GS1 General Specifications §3 (AI table), §7.11 (character set 82); reference §4.1.
// Never throws: malformed data is an answer.

/** GS (ASCII 29), FNC1 in the transmitted data: ends a variable-length field. */
export const GS = '\u001d';

export interface Gs1Element {
  ai: string;
  value: string;
}

interface AiSpec {
  /** Fixed value length, or null for a variable-length field (ended by GS or the end of data). */
  fixed: number | null;
  /** Longest value of a variable-length field. */
  max: number;
  numeric: boolean;
}

const fixedNumeric = (fixed: number): AiSpec => ({ fixed, max: fixed, numeric: true });
const variable = (max: number): AiSpec => ({ fixed: null, max, numeric: false });

/** The AIs marking codes carry (reference §4.1); anything else is refused as unknown. */
const AI_SPECS: Record<string, AiSpec> = {
  '01': fixedNumeric(14),
  '10': variable(20),
  '11': fixedNumeric(6),
  '17': fixedNumeric(6),
  '21': variable(20),
  '240': variable(30),
  '7003': fixedNumeric(10),
  '8005': fixedNumeric(6),
  '91': variable(90),
  '92': variable(90),
  '93': variable(90),
};
// Net weight kg (310n) and volume (335n), n = decimals.
for (let n = 0; n <= 5; n++) {
  AI_SPECS[`310${n}`] = fixedNumeric(6);
  AI_SPECS[`335${n}`] = fixedNumeric(6);
}

export function aiSpec(ai: string): AiSpec | undefined {
  return Object.prototype.hasOwnProperty.call(AI_SPECS, ai) ? AI_SPECS[ai] : undefined;
}

/** GS1 AI encodable character set 82 (printable ASCII without space # $ @ [ \ ] ^ ` { | } ~). */
export const CSET82 = /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]*$/;

/** The known AI that starts data at `at`, longest first (4, 3, 2 digits), or null. */
export function aiAt(data: string, at: number): string | null {
  for (const length of [4, 3, 2]) {
    const candidate = data.slice(at, at + length);
    if (candidate.length === length && aiSpec(candidate) !== undefined) return candidate;
  }
  return null;
}

export type TokenizeResult =
  | { ok: true; elements: Gs1Element[] }
  | { ok: false; reason: 'unknown_ai' | 'too_short' | 'field_too_long' | 'bad_characters' | 'empty_field'; ai: string | null; at: number };

/** Splits a GS1 element string (GS after variable-length fields; extra GS tolerated) into elements. */
export function tokenize(data: string): TokenizeResult {
  const elements: Gs1Element[] = [];
  let at = 0;
  while (at < data.length) {
    if (data[at] === GS) {
      at++;
      continue;
    }
    const ai = aiAt(data, at);
    if (ai === null) return { ok: false, reason: 'unknown_ai', ai: null, at };
    const spec = aiSpec(ai)!;
    const start = at + ai.length;
    let end: number;
    if (spec.fixed !== null) {
      end = start + spec.fixed;
      if (end > data.length || data.slice(start, end).includes(GS)) return { ok: false, reason: 'too_short', ai, at };
    } else {
      const gs = data.indexOf(GS, start);
      end = gs === -1 ? data.length : gs;
      if (end === start) return { ok: false, reason: 'empty_field', ai, at };
      if (end - start > spec.max) return { ok: false, reason: 'field_too_long', ai, at };
    }
    const value = data.slice(start, end);
    if (spec.numeric ? !/^\d+$/.test(value) : !CSET82.test(value)) return { ok: false, reason: 'bad_characters', ai, at: start };
    elements.push({ ai, value });
    at = end;
  }
  return { ok: true, elements };
}

/**
 * The element string as tag 2000 and codes/check want it: 01 and 21 joined, then GS before each further
 * element (the form of every sample in reference §4.1: "…21serial⟨GS⟩91…⟨GS⟩92…", "…⟨GS⟩8005…⟨GS⟩93…").
 */
export function joinElements(elements: readonly Gs1Element[]): string {
  let out = '';
  elements.forEach((e, i) => {
    out += (i >= 2 ? GS : '') + e.ai + e.value;
  });
  return out;
}
