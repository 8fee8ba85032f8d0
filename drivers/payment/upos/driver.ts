// Sber UPOS through its command-line program sb_pilot (peripherals reference §3): one program run
// per operation in the program's own working directory, the answer in files `e` and `p`.
// One operation at a time, in this process (a flag) and in the library (code 115 = busy).
// Before each card operation we write what we are about to do to a small file next to sb_pilot, so
// that lastOperation() can say what happened even after the lane itself restarted.
import { rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  TerminalError, type CardOperationKind, type CardOperationRequest, type CardOutcome, type LastOperationReport,
  type PaymentTerminal, type ProgressListener, type SettlementResult, type TerminalReadiness,
} from '../payment-terminal';
import { commandArgs, isSafeRrn, newRequestId, type UposCommand } from './commands';
import { cardOutcome, judgeRun, type RunVerdict } from './outcome';
import { readIfPresent, RESULT_FILE, runProgram, SLIP_FILE } from './program-run';
import { parseResultFile, ResultFileError } from './result-file';
import { describeCode, UPOS_CODE } from './result-codes';
import { defaultUposEncoding, decodeUposText, type UposEncoding } from './text-encoding';

export interface UposTerminalOptions {
  /** Path to sb_pilot (sb_pilot.exe on Windows). */
  program: string;
  /** Arguments put before each command's own (for a program run through an interpreter). */
  programArgs?: string[];
  /** sb_pilot's working directory (pinpad.ini, `e`, `p`); default: the program's folder. */
  workDir?: string;
  /** Encoding of `e`, `p` and the console; default cp866 on Windows, KOI8-R elsewhere. */
  encoding?: UposEncoding;
  /** Pass `/q=<id>` with each operation and ask `52 <id>` in lastOperation() (UNCONFIRMED; default off). */
  requestIds?: boolean;
  /** A card operation, including the customer's time at the pinpad. Default 180 s. */
  operationTimeoutMs?: number;
  /** Settlement. Default 600 s. */
  settlementTimeoutMs?: number;
  /** Readiness, report, status enquiry. Default 60 s. */
  serviceTimeoutMs?: number;
  /** After SIGTERM on timeout, before SIGKILL. Default 2 s. */
  killGraceMs?: number;
  now?: () => number;
}

/** What we wrote before starting a card operation (prilavok-last-operation.json). */
interface PendingRecord {
  reference: string;
  kind: CardOperationKind;
  amountKopecks: number;
  requestId: string | null;
  startedAtMs: number;
}
const PENDING_FILE = 'prilavok-last-operation.json';

export class UposTerminal implements PaymentTerminal {
  readonly protocol = 'upos';
  private readonly o: Required<Omit<UposTerminalOptions, 'programArgs'>> & { programArgs: string[] };
  private running = false;
  private closed = false;
  private counter = 0;

  constructor(options: UposTerminalOptions) {
    this.o = {
      program: options.program,
      programArgs: options.programArgs ?? [],
      workDir: options.workDir ?? dirname(options.program),
      encoding: options.encoding ?? defaultUposEncoding(),
      requestIds: options.requestIds ?? false,
      operationTimeoutMs: options.operationTimeoutMs ?? 180_000,
      settlementTimeoutMs: options.settlementTimeoutMs ?? 600_000,
      serviceTimeoutMs: options.serviceTimeoutMs ?? 60_000,
      killGraceMs: options.killGraceMs ?? 2_000,
      now: options.now ?? Date.now,
    };
  }

  async readiness(): Promise<TerminalReadiness> {
    return this.exclusive(async () => {
      const v = await this.invoke({ op: 'readiness' }, this.o.serviceTimeoutMs);
      await this.clearFiles();
      if (v.kind === 'busy') return { ready: false, message: describeCode(UPOS_CODE.busy, '') };
      if (v.kind === 'unknown') return { ready: false, message: v.reason };
      return { ready: v.code === UPOS_CODE.ok, message: describeCode(v.code, v.text) };
    });
  }

  async run(request: CardOperationRequest, onProgress?: ProgressListener): Promise<CardOutcome> {
    const rrn = request.kind === 'purchase' ? null : request.original?.rrn ?? null;
    if (!Number.isSafeInteger(request.amountKopecks) || request.amountKopecks <= 0) {
      throw new TerminalError('config', `amount must be a positive number of kopecks, got ${request.amountKopecks}`);
    }
    if (request.currency !== undefined && request.currency !== 643) {
      throw new TerminalError('config', `sb_pilot takes roubles only, got currency ${request.currency}`);
    }
    if (rrn !== null && !isSafeRrn(rrn)) throw new TerminalError('config', `unusable RRN '${rrn}'`);
    if (request.kind === 'refund' && rrn === null) {
      throw new TerminalError('config', 'a refund without the card needs the original operation\'s RRN');
    }
    return this.exclusive(async () => {
      const requestId = this.o.requestIds ? newRequestId(this.o.now(), this.counter++) : null;
      const pending: PendingRecord = {
        reference: request.reference, kind: request.kind, amountKopecks: request.amountKopecks, requestId, startedAtMs: this.o.now(),
      };
      await writeFile(join(this.o.workDir, PENDING_FILE), JSON.stringify(pending));
      let v: RunVerdict;
      try {
        v = await this.invoke({ op: 'card', kind: request.kind, amountKopecks: request.amountKopecks, rrn },
          this.o.operationTimeoutMs, requestId, onProgress);
      } catch (error) {
        await rm(join(this.o.workDir, PENDING_FILE), { force: true });
        throw error;
      }
      if (v.kind === 'busy') {
        await rm(join(this.o.workDir, PENDING_FILE), { force: true });
        throw new TerminalError('busy', describeCode(UPOS_CODE.busy, ''), { code: UPOS_CODE.busy });
      }
      if (v.kind === 'unknown') return { state: 'unknown', reason: v.reason };
      return cardOutcome(v, request.amountKopecks);
    });
  }

  async lastOperation(): Promise<LastOperationReport | null> {
    return this.exclusive(async () => {
      const pending = await this.readPending();
      // 1. The result file the last card operation left behind, if the program finished writing it.
      const left = await readIfPresent(join(this.o.workDir, RESULT_FILE));
      if (left) {
        try {
          const r = parseResultFile(decodeUposText(left, this.o.encoding));
          if (r.complete && r.code !== UPOS_CODE.busy) {
            const slipBytes = await readIfPresent(join(this.o.workDir, SLIP_FILE));
            const v = judgeRun({ started: true, timedOut: false, exitCode: 0, signal: null, returnCode: r.code, resultBytes: left, slipBytes }, this.o.encoding);
            if (v.kind === 'answered') return this.toReport(pending, cardOutcome(v, pending?.amountKopecks ?? 0));
          }
        } catch (error) {
          if (!(error instanceof ResultFileError)) throw error;
        }
      }
      // 2. Ask the terminal about the request id we sent (UNCONFIRMED `52`).
      if (!pending?.requestId) return null;
      const v = await this.invoke({ op: 'status', requestId: pending.requestId }, this.o.serviceTimeoutMs,
        newRequestId(this.o.now(), this.counter++));
      await this.clearFiles();
      if (v.kind === 'busy') throw new TerminalError('busy', describeCode(UPOS_CODE.busy, ''));
      if (v.kind === 'unknown') return this.toReport(pending, { state: 'unknown', reason: v.reason });
      if (v.code === UPOS_CODE.ok) {
        if (v.result?.requestId && v.result.requestId.toUpperCase() !== pending.requestId.toUpperCase()) {
          return this.toReport(pending, { state: 'unknown', reason: `status enquiry answered about request ${v.result.requestId}` });
        }
        return this.toReport(pending, cardOutcome(v, pending.amountKopecks));
      }
      if (v.code === UPOS_CODE.notFound || v.code === UPOS_CODE.notPerformed) {
        return this.toReport(pending, { state: 'declined', code: String(v.code), message: describeCode(v.code, v.text), slip: [] });
      }
      // Any other code may be the enquiry's own failure (no pinpad link…), not the operation's fate.
      return this.toReport(pending, { state: 'unknown', reason: `status enquiry answered ${v.code} ${v.text}`.trim() });
    });
  }

  async settlement(): Promise<SettlementResult> {
    return this.exclusive(async () => {
      const v = await this.invoke({ op: 'settlement' }, this.o.settlementTimeoutMs);
      await this.clearFiles();
      if (v.kind === 'busy') throw new TerminalError('busy', describeCode(UPOS_CODE.busy, ''));
      if (v.kind === 'unknown') return { ok: false, slip: [], message: v.reason };
      return { ok: v.code === UPOS_CODE.ok, slip: v.slip, message: describeCode(v.code, v.text) };
    });
  }

  /** The terminal's report (контрольная лента): `9 1` full, `9 0` short. Not part of PaymentTerminal. */
  async report(full = true): Promise<SettlementResult> {
    return this.exclusive(async () => {
      const v = await this.invoke({ op: 'report', full }, this.o.serviceTimeoutMs);
      await this.clearFiles();
      if (v.kind === 'busy') throw new TerminalError('busy', describeCode(UPOS_CODE.busy, ''));
      if (v.kind === 'unknown') return { ok: false, slip: [], message: v.reason };
      return { ok: v.code === UPOS_CODE.ok, slip: v.slip, message: describeCode(v.code, v.text) };
    });
  }

  /**
   * sb_pilot has no abort we can send from outside before v33 with pinpad firmware 33.xx (reference
   * §3; the v33 mechanism is UNCONFIRMED). Killing the program would only turn the outcome into
   * 'unknown', so we do nothing: the cashier cancels on the pinpad and run() reports code 2000.
   */
  async abort(): Promise<void> {}

  async close(): Promise<void> {
    this.closed = true;
  }

  private toReport(p: PendingRecord | null, outcome: CardOutcome): LastOperationReport {
    return { reference: p?.reference ?? null, kind: p?.kind ?? null, amountKopecks: p?.amountKopecks ?? null, outcome };
  }

  private async readPending(): Promise<PendingRecord | null> {
    const bytes = await readIfPresent(join(this.o.workDir, PENDING_FILE));
    if (!bytes) return null;
    try {
      const p = JSON.parse(bytes.toString('utf8')) as Partial<PendingRecord>;
      if (typeof p.reference !== 'string' || typeof p.amountKopecks !== 'number'
        || !['purchase', 'refund', 'cancel'].includes(p.kind as string)) return null;
      return { reference: p.reference, kind: p.kind!, amountKopecks: p.amountKopecks, requestId: typeof p.requestId === 'string' ? p.requestId : null, startedAtMs: Number(p.startedAtMs) || 0 };
    } catch {
      return null;
    }
  }

  /** A non-card run's files are read at once and removed, so `e` always belongs to the last card operation. */
  private async clearFiles(): Promise<void> {
    await rm(join(this.o.workDir, RESULT_FILE), { force: true });
    await rm(join(this.o.workDir, SLIP_FILE), { force: true });
  }

  private async invoke(c: UposCommand, timeoutMs: number, requestId: string | null = null, onProgress?: ProgressListener): Promise<RunVerdict> {
    const r = await runProgram(commandArgs(c, requestId), {
      program: this.o.program, programArgs: this.o.programArgs, workDir: this.o.workDir, encoding: this.o.encoding,
      timeoutMs, killGraceMs: this.o.killGraceMs, onLine: onProgress,
    });
    if (!r.started) {
      const kind = r.error.code === 'ENOENT' || r.error.code === 'EACCES' ? 'config' : 'unavailable';
      throw new TerminalError(kind, `cannot start sb_pilot (${this.o.program}): ${r.error.message}`, { code: r.error.code });
    }
    return judgeRun(r, this.o.encoding);
  }

  private async exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (this.closed) throw new TerminalError('unavailable', 'the terminal driver is closed');
    if (this.running) throw new TerminalError('busy', 'another terminal operation is running');
    this.running = true;
    try {
      return await work();
    } finally {
      this.running = false;
    }
  }
}
