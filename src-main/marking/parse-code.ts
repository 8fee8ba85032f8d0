// Parses a Chestny Znak marking code as scanned or typed: GS1 DataMatrix unit codes (01 + 21 + tail),
// tobacco blocks (01 + 21 + 8005 + 93) and 29-character tobacco pack codes (reference §4.1). The answer
// names the product groups whose layout fits, the КИ for the local module, the full code for tag 2000,
// the MRP the code carries and the expiry date. Outside input: never throws, every string gets a value.
import { isValidGtin } from '../domain/barcode';
import { groupsFitting } from './code-layout';
import { GS, joinElements, tokenize, type Gs1Element } from './gs1-elements';
import { PRODUCT_GROUPS } from './product-groups';
import { normaliseScan, rebuildFromLayouts, type RestoreOptions, type RestoreStep } from './restore-separators';
import { PACK_CIS_LENGTH, looksLikePackCode, readPackCode } from './tobacco-pack';

export type PackageKind = 'unit' | 'pack' | 'block';

export type ParseErrorCode =
  | 'not_text'
  | 'empty'
  | 'too_long'
  | 'too_short'
  | 'control_character'
  | 'bad_characters'
  | 'no_gtin'
  | 'bad_gtin_check_digit'
  | 'unknown_ai'
  | 'bad_field'
  | 'no_serial'
  | 'no_crypto_tail'
  | 'bad_mrp'
  | 'bad_date'
  | 'unknown_layout';

export interface ParseError {
  code: ParseErrorCode;
  message: { ru: string; en: string };
  /** For the log: which AI, at which position. */
  details: string | null;
}

/** Elements after the serial, keyed "ai91", "ai92", "ai93", "ai8005", "ai3103", "ai17"…; a pack code has "packMrp" and "packCrypto". */
export type CodeTail = Record<string, string>;

export interface ParsedCode {
  valid: true;
  /** Short names of the groups whose layout fits (product-groups.ts); empty for a group we do not know. */
  groups: string[];
  groupIds: number[];
  /** 14 digits. */
  gtin: string;
  serial: string;
  /** What the local module gets: 01 + GTIN + 21 + serial; the first 21 characters of a pack code. */
  cis: string;
  /** The full code with real GS separators: tag 2000 and codes/check. */
  code: string;
  /** MRP in kopecks carried by the code (pack: base-80 characters; block: AI 8005), else null. */
  mrpKopecks: number | null;
  /** AI 17 as an ISO date (YYYY-MM-DD), else null. */
  expiry: string | null;
  packageKind: PackageKind;
  tail: CodeTail;
  /** True when the separators were rebuilt from layouts: verify with the check's valid/printView. */
  rebuilt: boolean;
  /** Other readings when the rebuild found more than one layout that fits. */
  alternatives: ParsedCode[];
  steps: RestoreStep[];
}

export interface InvalidCode {
  valid: false;
  error: ParseError;
  steps: RestoreStep[];
}

export type ParseResult = ParsedCode | InvalidCode;

export interface ParseOptions extends RestoreOptions {
  /** Refuse a code whose layout fits no known group (default false: the online check decides). */
  strictLayouts?: boolean;
}

/** Input longer than this is refused before any work (the longest real code, shoes, is ~130 chars). */
const MAX_INPUT_LENGTH = 1024;
const MAX_CODE_LENGTH = 256;

const MESSAGES: Record<ParseErrorCode, { ru: string; en: string }> = {
  not_text: { ru: 'Код не является текстом.', en: 'The code is not text.' },
  empty: { ru: 'Пустой код маркировки.', en: 'The marking code is empty.' },
  too_long: { ru: 'Слишком длинный код маркировки.', en: 'The marking code is too long.' },
  too_short: { ru: 'Слишком короткий код: это не код маркировки. Отсканируйте код DataMatrix.', en: 'Too short for a marking code. Scan the DataMatrix code.' },
  control_character: { ru: 'В коде недопустимый управляющий символ. Отсканируйте код ещё раз.', en: 'The code holds a control character. Scan it again.' },
  bad_characters: {
    ru: 'В коде недопустимые символы. Проверьте раскладку клавиатуры и настройку сканера.',
    en: 'The code holds characters a marking code cannot have. Check the keyboard layout and the scanner set-up.',
  },
  no_gtin: { ru: 'Код маркировки не начинается с GTIN (01).', en: 'The marking code does not start with a GTIN (AI 01).' },
  bad_gtin_check_digit: { ru: 'Неверная контрольная цифра GTIN. Отсканируйте код ещё раз.', en: 'The GTIN check digit is wrong. Scan the code again.' },
  unknown_ai: { ru: 'В коде неизвестный идентификатор применения.', en: 'The code holds an unknown application identifier.' },
  bad_field: { ru: 'Поле кода маркировки неверной длины.', en: 'A field of the marking code has the wrong length.' },
  no_serial: { ru: 'В коде маркировки нет серийного номера (21).', en: 'The marking code has no serial number (AI 21).' },
  no_crypto_tail: {
    ru: 'В коде нет криптохвоста. Отсканируйте код DataMatrix, а не напечатанный текст.',
    en: 'The code has no crypto tail. Scan the DataMatrix, not the printed text.',
  },
  bad_mrp: { ru: 'Неверно закодирована максимальная розничная цена.', en: 'The maximum retail price in the code is malformed.' },
  bad_date: { ru: 'Неверная дата в коде маркировки.', en: 'A date in the marking code is malformed.' },
  unknown_layout: {
    ru: 'Структура кода не распознана: возможно, сканер теряет разделитель GS. Проверьте настройку сканера.',
    en: 'The code structure is not recognised: the scanner may be losing the GS separator. Check the scanner set-up.',
  },
};

function fail(code: ParseErrorCode, steps: RestoreStep[], details: string | null = null): InvalidCode {
  return { valid: false, error: { code, message: MESSAGES[code], details }, steps };
}

export function parseMarkingCode(input: unknown, options: ParseOptions = {}): ParseResult {
  try {
    return parseUnsafe(input, options);
  } catch (error) {
    // Belt and braces: a bug here must not take the sale screen down with a scan.
    return fail('bad_field', [], `internal: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function parseUnsafe(input: unknown, options: ParseOptions): ParseResult {
  if (typeof input !== 'string') return fail('not_text', []);
  if (input.length > MAX_INPUT_LENGTH) return fail('too_long', []);
  const scan = normaliseScan(input, options);
  const { text, steps } = scan;
  if (text.length === 0) return fail('empty', steps);
  if (text.length > MAX_CODE_LENGTH) return fail('too_long', steps);
  if (/[\u0000-\u001c\u001e-\u001f\u007f]/.test(text)) return fail('control_character', steps);
  if (!/^[\u001d\u0021-\u007e]+$/.test(text)) return fail('bad_characters', steps);

  if (text.includes(GS)) return fromElementString(text, steps, options, steps.includes('brackets'));

  const gs1Less = /^01\d{14}21/.test(text);
  if (gs1Less && isValidGtin(text.slice(2, 16))) {
    if (options.rebuild !== false) {
      const readings = rebuildFromLayouts(text).map((r) => fromElements(r.elements, r.code, [...steps, 'rebuilt'], true));
      const [first, ...rest] = readings;
      if (first !== undefined) return { ...first, alternatives: rest };
    }
  }
  if (looksLikePackCode(text)) return fromPackCode(text, steps);
  if (gs1Less) {
    if (!isValidGtin(text.slice(2, 16))) return fail('bad_gtin_check_digit', steps);
    // 01 + GTIN + 21 + serial and nothing a layout explains: the КИ without its tail, or an unknown group.
    return fail(text.length <= 38 ? 'no_crypto_tail' : 'unknown_layout', steps);
  }
  if (/^01\d{14}/.test(text)) return fromElementString(text, steps, options, false);
  if (/^\d{8,14}$/.test(text)) return fail('too_short', steps, 'a retail barcode, not a marking code');
  if (/^\d{14}/.test(text) && text.length < 29) return fail('too_short', steps);
  if (/^\d{14}/.test(text) && text.length === 29) return fromPackCode(text, steps);
  return fail(text.length < 29 ? 'too_short' : 'no_gtin', steps);
}

function fromPackCode(text: string, steps: RestoreStep[]): ParseResult {
  const reading = readPackCode(text);
  if (!reading.ok) return fail(reading.reason, steps);
  const { pack } = reading;
  const groups = PRODUCT_GROUPS.filter((g) => g.packCode);
  return {
    valid: true,
    groups: groups.map((g) => g.short),
    groupIds: groups.map((g) => g.id),
    gtin: pack.gtin,
    serial: pack.serial,
    cis: text.slice(0, PACK_CIS_LENGTH),
    code: text,
    mrpKopecks: pack.mrpKopecks,
    expiry: null,
    packageKind: 'pack',
    tail: { packMrp: text.slice(21, 25), packCrypto: pack.crypto },
    rebuilt: false,
    alternatives: [],
    steps,
  };
}

function fromElementString(text: string, steps: RestoreStep[], options: ParseOptions, rejoin: boolean): ParseResult {
  const tokens = tokenize(text);
  if (!tokens.ok) {
    const details = `${tokens.reason} at ${tokens.at}${tokens.ai === null ? '' : ` (AI ${tokens.ai})`}`;
    if (tokens.ai === '01' && tokens.reason === 'too_short') return fail('too_short', steps, details);
    switch (tokens.reason) {
      case 'unknown_ai': return fail(tokens.at === 0 ? 'no_gtin' : 'unknown_ai', steps, details);
      case 'bad_characters': return fail('bad_characters', steps, details);
      default: return fail('bad_field', steps, details);
    }
  }
  const { elements } = tokens;
  const [gtin, serial] = elements;
  if (gtin?.ai !== '01') return fail('no_gtin', steps);
  if (!isValidGtin(gtin.value)) return fail('bad_gtin_check_digit', steps);
  if (serial?.ai !== '21') return fail(elements.length === 1 ? 'too_short' : 'no_serial', steps);
  if (!elements.some((e) => e.ai === '91' || e.ai === '93')) return fail('no_crypto_tail', steps);
  const cis = `01${gtin.value}21${serial.value}`;
  // Keep the code as scanned when it is already in the canonical shape; else the rebuilt form.
  const code = !rejoin && text.startsWith(cis + GS) ? text : joinElements(elements);
  const parsed = fromElements(elements, code, steps, false);
  if (!parsed.valid) return parsed;
  if (options.strictLayouts === true && parsed.groups.length === 0) return fail('unknown_layout', steps);
  return parsed;
}

function fromElements(elements: Gs1Element[], code: string, steps: RestoreStep[], rebuilt: true): ParsedCode;
function fromElements(elements: Gs1Element[], code: string, steps: RestoreStep[], rebuilt: boolean): ParseResult;
function fromElements(elements: Gs1Element[], code: string, steps: RestoreStep[], rebuilt: boolean): ParseResult {
  const fit = groupsFitting(elements);
  const tail: CodeTail = {};
  for (const e of elements.slice(2)) tail[`ai${e.ai}`] = e.value;
  let expiry: string | null = null;
  if (tail.ai17 !== undefined) {
    expiry = gs1Date(tail.ai17);
    if (expiry === null) return fail('bad_date', steps, `AI 17 ${tail.ai17}`);
  }
  const mrp = tail.ai8005;
  return {
    valid: true,
    groups: fit.groups.map((g) => g.short),
    groupIds: fit.groups.map((g) => g.id),
    gtin: elements[0]!.value,
    serial: elements[1]!.value,
    cis: `01${elements[0]!.value}21${elements[1]!.value}`,
    code,
    // 8005 in a tobacco block: MRP in kopecks, 6 digits (§4.1). The test-plan cases (5.3: 090000 for
    // "до 100 руб. за пачку") suggest it is the block's price, not one pack's — UNCONFIRMED.
    mrpKopecks: mrp === undefined ? null : Number(mrp),
    expiry,
    packageKind: fit.packageKind,
    tail,
    rebuilt,
    alternatives: [],
    steps,
  };
}

/**
 * GS1 date YYMMDD (§7.12): DD = 00 means the last day of the month. The century is taken as 20YY: the
 * GS1 sliding window needs today's date, and marking codes do not carry dates before 2000 or after 2099.
 */
export function gs1Date(yymmdd: string): string | null {
  const m = /^(\d\d)(\d\d)(\d\d)$/.exec(yymmdd);
  if (m === null) return null;
  const year = 2000 + Number(m[1]);
  const month = Number(m[2]);
  let day = Number(m[3]);
  if (month < 1 || month > 12) return null;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day === 0) day = lastDay;
  if (day > lastDay) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
