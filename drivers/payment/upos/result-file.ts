// The layout of sb_pilot's result file `e`, isolated here because Sber does not publish it.
//
// UNCONFIRMED, reconstructed from two independent open integrations that agree line for line
// (a Java SetRetail bank plugin with its unit test, and a Rust pos agent), plus a Node wrapper that
// names 23 lines. Line numbers are 0-based:
//   0  "<code>,<text>" (the text may be absent: "<code>" or "<code>,")
//   1  masked card number ("546999******4617")      6  1 = card issued by Sber
//   2  card expiry MM/YY                             7  terminal id
//   3  authorisation code                            8  date-time YYYYMMDDhhmmss
//   4  the terminal's operation (check) number       9  RRN (may be empty)
//   5  card type name ("Mastercard", "MIR")         10  hash of the card number
//  13  merchant id   17  loyalty programme   19  request id echoed from `/q=` (see commands.ts)
// Lines beyond 0 are written only for an approved operation; a declined one may have just line 0.
// Encoding: cp866 on Windows, KOI8-R on Linux (configurable, see text-encoding.ts).
export const RESULT_LINE = {
  status: 0, cardMasked: 1, cardExpiry: 2, authCode: 3, operationNumber: 4, cardType: 5,
  sberCard: 6, terminalId: 7, dateTime: 8, rrn: 9, cardHash: 10, merchantId: 13, requestId: 19,
} as const;

/** An approved card operation has written at least up to the RRN line (UNCONFIRMED heuristic). */
const APPROVED_MIN_LINES = RESULT_LINE.rrn + 1;

export interface UposResult {
  code: number;
  /** The text after the comma on line 0, trimmed; '' when absent. */
  text: string;
  cardMasked: string | null;
  cardExpiry: string | null;
  authCode: string | null;
  operationNumber: string | null;
  cardType: string | null;
  terminalId: string | null;
  dateTime: string | null;
  rrn: string | null;
  merchantId: string | null;
  requestId: string | null;
  /**
   * False when the file looks cut short (no final line break, or an approval without its card lines):
   * a program killed while writing. A caller must not trust the fields of an incomplete file.
   */
  complete: boolean;
  lines: string[];
}

export class ResultFileError extends Error {
  constructor(message: string, readonly raw: string) {
    super(message);
    this.name = 'ResultFileError';
  }
}

const MAX_RESULT_CHARS = 16_384;

/** Parses the decoded text of `e`. Throws only ResultFileError (empty, garbage, oversized). */
export function parseResultFile(text: string): UposResult {
  if (text.length > MAX_RESULT_CHARS) throw new ResultFileError(`result file too long (${text.length} chars)`, text.slice(0, 200));
  if (text.trim() === '') throw new ResultFileError('result file is empty', text);
  const endsWithBreak = /\r?\n$/.test(text);
  const lines = text.replace(/\r?\n$/, '').split(/\r?\n/).map((l) => l.replace(/\0/g, '').trimEnd());
  const head = /^\s*(-?\d{1,6})\s*(?:,(.*))?$/.exec(lines[0] ?? '');
  if (!head) throw new ResultFileError('line 1 is not "<code>,<text>"', lines[0]?.slice(0, 80) ?? '');
  const code = Number(head[1]);
  const field = (i: number): string | null => {
    const v = lines[i]?.trim();
    return v === undefined || v === '' ? null : v;
  };
  const fieldsComplete = code !== 0 || lines.length === 1 || lines.length >= APPROVED_MIN_LINES;
  return {
    code,
    text: (head[2] ?? '').trim(),
    cardMasked: field(RESULT_LINE.cardMasked),
    cardExpiry: field(RESULT_LINE.cardExpiry),
    authCode: field(RESULT_LINE.authCode),
    operationNumber: field(RESULT_LINE.operationNumber),
    cardType: field(RESULT_LINE.cardType),
    terminalId: field(RESULT_LINE.terminalId),
    dateTime: field(RESULT_LINE.dateTime),
    rrn: field(RESULT_LINE.rrn),
    merchantId: field(RESULT_LINE.merchantId),
    requestId: field(RESULT_LINE.requestId),
    complete: endsWithBreak && fieldsComplete,
    lines,
  };
}

/** For an approved card operation every card line must be present (a settlement needs only line 0). */
export function hasCardLines(r: UposResult): boolean {
  return r.lines.length >= APPROVED_MIN_LINES;
}
