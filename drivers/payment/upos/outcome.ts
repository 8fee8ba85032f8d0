// What one sb_pilot run means, decided from facts only (ARCHITECTURE §5 applied to card payments):
// a file `e` the program finished writing, or the `return:N` it printed. A run that was killed, hung
// or crashed before finishing `e` ends in 'unknown'; the service then asks lastOperation().
import type { CardOutcome } from '../payment-terminal';
import type { ProgramRunResult } from './program-run';
import { hasCardLines, parseResultFile, ResultFileError, type UposResult } from './result-file';
import { describeCode, UPOS_CODE } from './result-codes';
import { parseSlip } from './slip-file';
import { decodeUposText, type UposEncoding } from './text-encoding';

type Finished = Extract<ProgramRunResult, { started: true }>;

export type RunVerdict =
  /** The program answered: its result file (or its return code alone when it wrote none). */
  | { kind: 'answered'; result: UposResult | null; code: number; text: string; slip: string[] }
  /** The library was busy: nothing started. */
  | { kind: 'busy' }
  | { kind: 'unknown'; reason: string };

/** True when the program ended by itself: it printed return:N, or exited 0 without a signal. */
const finishedNormally = (r: Finished): boolean =>
  !r.timedOut && (r.returnCode !== null || (r.exitCode === 0 && r.signal === null));

export function judgeRun(r: Finished, encoding: UposEncoding): RunVerdict {
  const slip = r.slipBytes ? parseSlip(decodeUposText(r.slipBytes, encoding)) : [];
  let result: UposResult | null = null;
  let fileProblem: string | null = null;
  if (r.resultBytes) {
    try {
      result = parseResultFile(decodeUposText(r.resultBytes, encoding));
    } catch (error) {
      if (!(error instanceof ResultFileError)) throw error;
      fileProblem = error.message;
    }
  }
  const normal = finishedNormally(r);
  // A file cut short by a crash is not an answer; one the program finished (or said it finished) is.
  if (result && (normal || result.complete)) {
    if (result.code === UPOS_CODE.busy) return { kind: 'busy' };
    return { kind: 'answered', result, code: result.code, text: result.text, slip };
  }
  if (normal && !r.resultBytes && r.returnCode !== null && r.returnCode !== UPOS_CODE.ok) {
    if (r.returnCode === UPOS_CODE.busy) return { kind: 'busy' };
    return { kind: 'answered', result: null, code: r.returnCode, text: '', slip };
  }
  const how = r.timedOut ? 'timed out and was stopped'
    : r.signal ? `was killed (${r.signal})`
      : r.returnCode === null ? `exited (${r.exitCode}) without return:N` : `printed return:${r.returnCode}`;
  const file = fileProblem ? `result file unreadable: ${fileProblem}`
    : result ? 'result file incomplete' : 'no result file';
  return { kind: 'unknown', reason: `sb_pilot ${how}; ${file}` };
}

/** A card operation's outcome from an answered run; `e` carries no amount, so the request's is used. */
export function cardOutcome(v: Extract<RunVerdict, { kind: 'answered' }>, amountKopecks: number): CardOutcome {
  if (v.code !== UPOS_CODE.ok) {
    return { state: 'declined', code: String(v.code), message: describeCode(v.code, v.text), slip: v.slip };
  }
  // A 0 without card lines is still the program's approval; the fields are then null.
  const r = v.result && hasCardLines(v.result) ? v.result : null;
  return {
    state: 'approved', slip: v.slip, amountKopecks,
    rrn: r?.rrn ?? null,
    authCode: r?.authCode ?? null,
    receiptNumber: r?.operationNumber ?? null,
    terminalId: r?.terminalId ?? null,
    cardMasked: r?.cardMasked ?? null,
    cardType: r?.cardType ?? null,
  };
}
