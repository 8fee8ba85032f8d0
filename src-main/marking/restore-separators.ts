// Gets a marking code back into its real form (GS separators in place) from what a keyboard-wedge
// scanner, a person or a shell delivered (reference §4.2): GS sent as a textual alias or a configured
// substitute character, GS lost entirely, bracketed AIs, an AIM symbology identifier in front, letters
// typed through a Russian keyboard layout. The last resort rebuilds the separators from the group
// layouts (§4.1); when several layouts fit, every reading is returned and the check narrows it.
import { GS, aiSpec, joinElements, tokenize, type Gs1Element } from './gs1-elements';
import { PRODUCT_GROUPS, layoutsOf, type CodeLayout } from './product-groups';

export interface RestoreOptions {
  /** Characters the scanner is set up to send instead of GS ('~', '|', a private-use character). */
  substitutes?: readonly string[];
  /** 'auto' (default): map from the Russian ЙЦУКЕН layout when the input holds a Cyrillic letter. */
  cyrillicLayout?: 'auto' | 'always' | 'never';
  /** Rebuild lost separators from the group layouts (default true). */
  rebuild?: boolean;
}

export type RestoreStep = 'alias' | 'cyrillic_layout' | 'substitute' | 'aim_identifier' | 'brackets' | 'leading_gs' | 'rebuilt';

export interface NormalisedScan {
  /** The data with every GS that could be recovered from aliases and substitutes, no AIM prefix. */
  text: string;
  /** The AIM symbology identifier that came in front (e.g. "]d2"), or null. */
  aim: string | null;
  steps: RestoreStep[];
}

/**
 * Textual stand-ins for GS that people, shells and scanner set-ups produce. The backslash, brace and caret
 * forms cannot occur inside a code (those characters are outside GS1 set 82). "<GS>" could in theory be
 * part of a serial ('<', '>', 'G', 'S' are all in set 82): accepted because no real serial was seen to hold it.
 */
const GS_ALIASES = /<GS>|\{GS\}|\[GS\]|<FNC1>|\{FNC1\}|\\u001d|\\x1d|\\035|\\x{1d}|\^\]|\u241d/gi;

/** ЙЦУКЕН → QWERTY by key position: what the scanner meant when the OS had the Russian layout on. */
const RU_TO_EN: Record<string, string> = (() => {
  const ru = 'йцукенгшщзхъфывапролджэячсмитьбю.ёЙЦУКЕНГШЩЗХЪФЫВАПРОЛДЖЭЯЧСМИТЬБЮ,Ё"№;:?/';
  const en = "qwertyuiop[]asdfghjkl;'zxcvbnm,./`QWERTYUIOP{}ASDFGHJKL:\"ZXCVBNM<>?~@#$^&|";
  const map: Record<string, string> = {};
  for (let i = 0; i < ru.length; i++) map[ru[i]!] = en[i]!;
  return map;
})();

const CYRILLIC = /[\u0400-\u04ff№]/;
/** AIM symbology identifier (ISO/IEC 15424): ']' + symbology letter + modifier, e.g. ]d2, ]C1, ]Q3. */
const AIM_PREFIX = /^\][A-Za-z][0-9A-Za-z]/;

/** Maps a whole string typed through the Russian layout back to the Latin characters meant. */
export function fromRussianLayout(text: string): string {
  let out = '';
  for (const ch of text) out += RU_TO_EN[ch] ?? ch;
  return out;
}

export function normaliseScan(input: string, options: RestoreOptions = {}): NormalisedScan {
  const steps: RestoreStep[] = [];
  // Scanners end a scan with CR, LF or Tab; JS trim keeps GS.
  let text = input.trim();

  const aliased = text.replace(GS_ALIASES, GS);
  if (aliased !== text) steps.push('alias');
  text = aliased;

  const layout = options.cyrillicLayout ?? 'auto';
  if (layout === 'always' || (layout === 'auto' && CYRILLIC.test(text))) {
    const mapped = fromRussianLayout(text);
    if (mapped !== text) steps.push('cyrillic_layout');
    text = mapped;
  }

  for (const substitute of options.substitutes ?? []) {
    if (substitute === '' || substitute === GS || !text.includes(substitute)) continue;
    text = text.split(substitute).join(GS);
    if (!steps.includes('substitute')) steps.push('substitute');
  }

  let aim: string | null = null;
  const aimMatch = AIM_PREFIX.exec(text);
  if (aimMatch !== null) {
    aim = aimMatch[0];
    text = text.slice(aim.length);
    steps.push('aim_identifier');
  }

  if (text.startsWith('(')) {
    const unbracketed = fromBrackets(text);
    if (unbracketed !== null) {
      text = unbracketed;
      steps.push('brackets');
    }
  }

  // A leading FNC1 arrives as GS when the scanner sends no AIM identifier; a trailing one is noise.
  if (text.startsWith(GS)) steps.push('leading_gs');
  text = text.replace(/^\u001d+|\u001d+$/g, '');
  return { text, aim, steps };
}

/** "(01)…(21)…(91)…" → GS1 data with GS before every AI but the first; null when it is not bracketed GS1. */
function fromBrackets(text: string): string | null {
  if (!/^\(\d{2,4}\)/.test(text)) return null;
  let known = true;
  const out = text.replace(/\((\d{2,4})\)/g, (whole, ai: string, offset: number) => {
    if (aiSpec(ai) === undefined) {
      // Brackets inside a value (set 82 allows them) stay; an unknown AI at the very start does not parse.
      if (offset === 0) known = false;
      return whole;
    }
    return offset === 0 ? ai : GS + ai;
  });
  return known ? out : null;
}

export interface RebuiltReading {
  /** The code with GS separators in place (tag 2000 form). */
  code: string;
  elements: Gs1Element[];
}

/**
 * Every way GS-less data (01 + GTIN + 21 + serial + tail, separators lost) can be read with the known
 * layouts, one entry per distinct code. Serial length is known per layout; 91/93 are 4 long, 8005/3103/
 * 335x 6, 92 44 or 88 (per layout) and then only optional fixed-length elements may follow.
 */
export function rebuildFromLayouts(data: string): RebuiltReading[] {
  if (!/^01\d{14}21/.test(data) || data.includes(GS)) return [];
  const readings = new Map<string, RebuiltReading>();
  for (const group of PRODUCT_GROUPS) {
    for (const layout of layoutsOf(group)) {
      const elements = readWithLayout(data, layout);
      if (elements === null) continue;
      const code = joinElements(elements);
      // The rebuilt form must tokenize back to the same elements (character sets, numeric fields).
      const check = tokenize(code);
      if (!check.ok || check.elements.length !== elements.length) continue;
      if (!readings.has(code)) readings.set(code, { code, elements });
    }
  }
  return [...readings.values()];
}

function readWithLayout(data: string, layout: CodeLayout): Gs1Element[] | null {
  const serialEnd = 18 + layout.serialLength;
  if (data.length <= serialEnd) return null;
  const elements: Gs1Element[] = [
    { ai: '01', value: data.slice(2, 16) },
    { ai: '21', value: data.slice(18, serialEnd) },
  ];
  let at = serialEnd;
  for (const t of layout.tail) {
    const end = at + t.ai.length + t.length;
    if (!data.startsWith(t.ai, at) || end > data.length) return null;
    elements.push({ ai: t.ai, value: data.slice(at + t.ai.length, end) });
    at = end;
  }
  const used = new Set<string>();
  while (at < data.length) {
    const next = layout.optional.find((o) => !used.has(o.ai) && data.startsWith(o.ai, at) && at + o.ai.length + o.length <= data.length);
    if (next === undefined) return null;
    used.add(next.ai);
    const end = at + next.ai.length + next.length;
    elements.push({ ai: next.ai, value: data.slice(at + next.ai.length, end) });
    at = end;
  }
  return elements;
}

export interface RestoredCode {
  /** Candidate codes, GS restored; several when the layouts disagree (the check narrows them). */
  candidates: string[];
  steps: RestoreStep[];
  aim: string | null;
}

/**
 * Aliases, substitutes, layout, AIM prefix and brackets undone; when no GS is left in a GS1 code, the
 * layout rebuild. Data that needs no GS (a tobacco pack code) or cannot be rebuilt comes back as it is.
 */
export function restoreSeparators(input: string, options: RestoreOptions = {}): RestoredCode {
  if (typeof input !== 'string') return { candidates: [], steps: [], aim: null };
  const scan = normaliseScan(input, options);
  if (options.rebuild !== false && !scan.text.includes(GS)) {
    const rebuilt = rebuildFromLayouts(scan.text);
    if (rebuilt.length > 0) return { candidates: rebuilt.map((r) => r.code), steps: [...scan.steps, 'rebuilt'], aim: scan.aim };
  }
  return { candidates: scan.text === '' ? [] : [scan.text], steps: scan.steps, aim: scan.aim };
}
