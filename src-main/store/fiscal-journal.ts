// The fiscal job journal (ARCHITECTURE §5): one row per fiscal job with the FN serial and the last FD
// number read before the job's first fiscal byte, its state machine, and the document it made; and the
// job's steps (batch jobs with conditions). Sale jobs are written by SaleRepository in the sale's own
// transaction; everything else here is written by the fiscal service, each change in one transaction.
import { createHash } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';

// 'receipt': a receipt given explicitly (payload { request: ReceiptRequest }): the fiscal gateway's jobs, and
// on the lane (sales migration 8) a return's, with 1054 = 2 (docs/returns.md).
// 'correction': a correction receipt a supervisor asks for (payload { request: CorrectionRequest }); the lane
// allows it from sales migration 6, the gateway's journal does not.
export type FiscalJobKind = 'sale' | 'receipt' | 'open_shift' | 'close_shift' | 'x_report' | 'cash_in' | 'cash_out' | 'correction';
export type FiscalJobState = 'pending' | 'preparing' | 'sending' | 'reconciling' | 'done' | 'manual';
export type FiscalStepAction = 'closeShift' | 'openShift' | 'receipt' | 'xReport' | 'cashIn' | 'cashOut' | 'correction';
export type FiscalStepCondition = 'always' | 'shiftExpiring' | 'shiftClosed' | 'shiftOpen';
export type FiscalStepState = 'pending' | 'sending' | 'done' | 'skipped';

export interface JournalError { code: string; message: { ru: string; en: string }; details?: Record<string, unknown> }

/** A fiscal document as the journal keeps it. */
export interface JournalDocument {
  fdNumber: number;
  fiscalSign: string;
  dateTime: string | null;
  /** The document as read back from the FN (or, failing that, as the closing answer gave it). */
  document: unknown;
}

export interface FiscalJob {
  id: string;
  saleId: string | null;
  kind: FiscalJobKind;
  state: FiscalJobState;
  payload: unknown;
  payloadHash: string;
  createdAt: string;
  updatedAt: string;
  registerId: string | null;
  fnSerial: string | null;
  fdBefore: number | null;
  attempts: number;
  lastError: JournalError | null;
  nextAttemptAt: string | null;
  manualReason: string | null;
  fdNumber: number | null;
  fiscalSign: string | null;
  documentAt: string | null;
  document: unknown;
}

export interface FiscalJobStep {
  jobId: string;
  position: number;
  action: FiscalStepAction;
  condition: FiscalStepCondition;
  state: FiscalStepState;
  fnSerial: string | null;
  fdBefore: number | null;
  fdNumber: number | null;
  fiscalSign: string | null;
  documentAt: string | null;
  error: JournalError | null;
}

interface JobRow {
  id: string; sale_id: string | null; kind: FiscalJobKind; state: FiscalJobState; payload: string; payload_hash: string;
  created_at: string; updated_at: string; register_id: string | null; fn_serial: string | null; fd_before: number | null;
  attempts: number; last_error: string | null; next_attempt_at: string | null; manual_reason: string | null;
  fd_number: number | null; fiscal_sign: string | null; document_at: string | null; document: string | null;
}

interface StepRow {
  job_id: string; position: number; action: FiscalStepAction; condition: FiscalStepCondition; state: FiscalStepState;
  fn_serial: string | null; fd_before: number | null; fd_number: number | null; fiscal_sign: string | null;
  document_at: string | null; error: string | null;
}

const OPEN = `state NOT IN ('done','manual')`;
/** Never sent a fiscal byte: the job-level FN serial is written with the first step's journal entry. */
const UNSTARTED = `state IN ('pending','preparing') AND fn_serial IS NULL`;

/** The job is no longer in this journal (released to another register): nothing may be sent for it here. */
export class FiscalJobGone extends Error {
  constructor(readonly jobId: string) {
    super(`fiscal job ${jobId} is no longer in this journal`);
    this.name = 'FiscalJobGone';
  }
}

export class FiscalJournal {
  private readonly s: {
    insertJob: Statement<[string, FiscalJobKind, string, string, string, string]>;
    byId: Statement<[string], JobRow>;
    bySale: Statement<[string], JobRow>;
    head: Statement<[], JobRow>;
    open: Statement<[], JobRow>;
    manual: Statement<[number], JobRow>;
    counts: Statement<[], { queued: number; manual: number; oldest: string | null }>;
    steps: Statement<[string], StepRow>;
    insertStep: Statement<[string, number, FiscalStepAction, FiscalStepCondition, string]>;
    setState: Statement<[FiscalJobState, string, string]>;
    failure: Statement<[FiscalJobState, number, string | null, string | null, string, string]>;
    journalStart: Statement<[string | null, string, number, string, string]>;
    stepSending: Statement<[string, number, string, string, number]>;
    stepFinish: Statement<[FiscalStepState, number | null, string | null, string | null, string, string, number]>;
    stepError: Statement<[string, string, string, number]>;
    resetSteps: Statement<[string, string]>;
    jobDocument: Statement<[number, string, string | null, string, string, string]>;
    jobDone: Statement<[string, string]>;
    park: Statement<[string, string | null, string, string]>;
    retry: Statement<[FiscalJobState, string, string]>;
    claimedJobs: Statement<[string, number, number, string], { fd: number }>;
    claimedSteps: Statement<[string, number, number, string], { fd: number }>;
    lastShiftDoc: Statement<[string], { fd: number; action: FiscalStepAction; at: string | null }>;
    unstarted: Statement<[], JobRow>;
    unstartedById: Statement<[string], JobRow>;
    startedSteps: Statement<[string], { n: number }>;
    deleteSteps: Statement<[string]>;
    deleteJob: Statement<[string]>;
  };

  /**
   * onDone runs inside the transaction that marks a job done, with the job as stored (its document on it):
   * the lane's sales store sends the document to the head office from there (fiscal-document-outbox.ts);
   * the fiscal gateway's journal has no outbox and passes none.
   */
  constructor(private readonly db: Database, private readonly onDone: ((job: FiscalJob, at: string) => void) | null = null) {
    this.s = {
      insertJob: db.prepare(`INSERT INTO fiscal_jobs (id, sale_id, kind, state, payload, payload_hash, created_at, updated_at)
        VALUES (?, NULL, ?, 'pending', ?, ?, ?, ?)`),
      byId: db.prepare('SELECT * FROM fiscal_jobs WHERE id = ?'),
      bySale: db.prepare('SELECT * FROM fiscal_jobs WHERE sale_id = ?'),
      // Jobs run strictly in the order they were made (rowid breaks ties within one millisecond).
      head: db.prepare(`SELECT * FROM fiscal_jobs WHERE ${OPEN} ORDER BY created_at, rowid LIMIT 1`),
      open: db.prepare(`SELECT * FROM fiscal_jobs WHERE ${OPEN} ORDER BY created_at, rowid`),
      manual: db.prepare(`SELECT * FROM fiscal_jobs WHERE state = 'manual' ORDER BY created_at, rowid LIMIT ?`),
      counts: db.prepare(`SELECT
          (SELECT count(*) FROM fiscal_jobs WHERE ${OPEN}) AS queued,
          (SELECT count(*) FROM fiscal_jobs WHERE state = 'manual') AS manual,
          (SELECT min(created_at) FROM fiscal_jobs WHERE ${OPEN}) AS oldest`),
      steps: db.prepare('SELECT * FROM fiscal_job_steps WHERE job_id = ? ORDER BY position'),
      insertStep: db.prepare(`INSERT INTO fiscal_job_steps (job_id, position, action, condition, state, updated_at)
        VALUES (?, ?, ?, ?, 'pending', ?)`),
      setState: db.prepare('UPDATE fiscal_jobs SET state = ?, updated_at = ? WHERE id = ?'),
      failure: db.prepare(`UPDATE fiscal_jobs SET state = ?, attempts = ?, last_error = ?, next_attempt_at = ?, updated_at = ?
        WHERE id = ?`),
      // The job-level FN serial and fdBefore are those of its first fiscal byte; later steps keep their own.
      journalStart: db.prepare(`UPDATE fiscal_jobs SET state = 'sending', register_id = coalesce(register_id, ?),
        fn_serial = coalesce(fn_serial, ?), fd_before = coalesce(fd_before, ?), updated_at = ? WHERE id = ?`),
      stepSending: db.prepare(`UPDATE fiscal_job_steps SET state = 'sending', fn_serial = ?, fd_before = ?, fd_number = NULL,
        fiscal_sign = NULL, document_at = NULL, updated_at = ? WHERE job_id = ? AND position = ?`),
      stepFinish: db.prepare(`UPDATE fiscal_job_steps SET state = ?, fd_number = ?, fiscal_sign = ?, document_at = ?, updated_at = ?
        WHERE job_id = ? AND position = ?`),
      stepError: db.prepare('UPDATE fiscal_job_steps SET error = ?, updated_at = ? WHERE job_id = ? AND position = ?'),
      resetSteps: db.prepare(`UPDATE fiscal_job_steps SET state = 'pending', updated_at = ? WHERE job_id = ? AND state <> 'done'`),
      jobDocument: db.prepare(`UPDATE fiscal_jobs SET fd_number = ?, fiscal_sign = ?, document_at = ?, document = ?, updated_at = ?
        WHERE id = ?`),
      jobDone: db.prepare(`UPDATE fiscal_jobs SET state = 'done', last_error = NULL, next_attempt_at = NULL, updated_at = ? WHERE id = ?`),
      park: db.prepare(`UPDATE fiscal_jobs SET state = 'manual', manual_reason = ?, last_error = coalesce(?, last_error),
        next_attempt_at = NULL, updated_at = ? WHERE id = ?`),
      retry: db.prepare(`UPDATE fiscal_jobs SET state = ?, attempts = 0, manual_reason = NULL, next_attempt_at = NULL, updated_at = ?
        WHERE id = ? AND state = 'manual'`),
      claimedJobs: db.prepare(`SELECT fd_number AS fd FROM fiscal_jobs WHERE fn_serial = ? AND fd_number BETWEEN ? AND ? AND id <> ?`),
      claimedSteps: db.prepare(`SELECT fd_number AS fd FROM fiscal_job_steps WHERE fn_serial = ? AND fd_number BETWEEN ? AND ? AND job_id <> ?`),
      lastShiftDoc: db.prepare(`SELECT fd_number AS fd, action, document_at AS at FROM fiscal_job_steps
        WHERE fn_serial = ? AND action IN ('openShift','closeShift') AND state = 'done' AND fd_number IS NOT NULL
        ORDER BY fd_number DESC LIMIT 1`),
      unstarted: db.prepare(`SELECT * FROM fiscal_jobs WHERE ${UNSTARTED} ORDER BY created_at, rowid`),
      unstartedById: db.prepare(`SELECT * FROM fiscal_jobs WHERE id = ? AND ${UNSTARTED}`),
      startedSteps: db.prepare(`SELECT count(*) AS n FROM fiscal_job_steps WHERE job_id = ? AND (state IN ('sending','done') OR fn_serial IS NOT NULL)`),
      deleteSteps: db.prepare('DELETE FROM fiscal_job_steps WHERE job_id = ?'),
      deleteJob: db.prepare('DELETE FROM fiscal_jobs WHERE id = ?'),
    };
  }

  /** Runs fn in one IMMEDIATE transaction. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  /** A job the lane asks for (shift, report, cash); sale jobs come with their sale (SaleRepository). */
  addJob(job: { id: string; kind: Exclude<FiscalJobKind, 'sale'>; payload: unknown; at: string }): void {
    const payload = JSON.stringify(job.payload ?? {});
    const hash = createHash('sha256').update(payload).digest('hex');
    this.s.insertJob.run(job.id, job.kind, payload, hash, job.at, job.at);
  }

  job(id: string): FiscalJob | null {
    const row = this.s.byId.get(id);
    return row ? toJob(row) : null;
  }

  jobForSale(saleId: string): FiscalJob | null {
    const row = this.s.bySale.get(saleId);
    return row ? toJob(row) : null;
  }

  /** The oldest job not done and not parked: the only one that may run (fiscal documents keep their order). */
  head(): FiscalJob | null {
    const row = this.s.head.get();
    return row ? toJob(row) : null;
  }

  openJobs(): FiscalJob[] { return this.s.open.all().map(toJob); }
  manualJobs(limit = 50): FiscalJob[] { return this.s.manual.all(limit).map(toJob); }

  counts(): { queued: number; manual: number; oldestQueuedAt: string | null } {
    const c = this.s.counts.get()!;
    return { queued: c.queued, manual: c.manual, oldestQueuedAt: c.oldest };
  }

  steps(jobId: string): FiscalJobStep[] { return this.s.steps.all(jobId).map(toStep); }

  /** pending → preparing: the job's steps, persisted before anything is sent. */
  planSteps(jobId: string, steps: Array<{ action: FiscalStepAction; condition: FiscalStepCondition }>, at: string): void {
    this.transaction(() => {
      steps.forEach((step, i) => this.s.insertStep.run(jobId, i, step.action, step.condition, at));
      this.s.setState.run('preparing', at, jobId);
    });
  }

  setState(jobId: string, state: FiscalJobState, at: string): void {
    this.s.setState.run(state, at, jobId);
  }

  /** A failed attempt: the state to wait in, the error, and when to try again. */
  recordFailure(jobId: string, f: { state: FiscalJobState; attempts: number; error: JournalError | null; nextAttemptAt: string | null; at: string }): void {
    this.s.failure.run(f.state, f.attempts, f.error ? JSON.stringify(f.error) : null, f.nextAttemptAt, f.at, jobId);
  }

  /**
   * Written BEFORE the step's first fiscal byte: the FN serial and the last FD number now, the step
   * and the job in 'sending'. After a crash these are what reconciliation compares the register with.
   */
  beginStep(jobId: string, position: number, j: { registerId: string | null; fnSerial: string; fdBefore: number; at: string }): void {
    this.transaction(() => {
      // A job released to another register in the meantime is gone: refuse before any byte goes out.
      if (this.s.journalStart.run(j.registerId, j.fnSerial, j.fdBefore, j.at, jobId).changes !== 1) throw new FiscalJobGone(jobId);
      if (this.s.stepSending.run(j.fnSerial, j.fdBefore, j.at, jobId, position).changes !== 1) throw new FiscalJobGone(jobId);
    });
  }

  /** Jobs that never sent a fiscal byte (pending, or preparing with no journal entry), oldest first. */
  unstartedJobs(): FiscalJob[] { return this.s.unstarted.all().map(toJob); }

  /**
   * Takes a job that never sent a fiscal byte out of this journal (to run it on another register), in one
   * transaction with the check: it returns the job, or null when the job has started (or is not here).
   * A started job never leaves its register: it is reconciled there. beginStep() refuses a released job.
   */
  releaseUnstarted(jobId: string): FiscalJob | null {
    return this.transaction(() => {
      const row = this.s.unstartedById.get(jobId);
      if (!row || this.s.startedSteps.get(jobId)!.n > 0) return null;
      this.s.deleteSteps.run(jobId);
      this.s.deleteJob.run(jobId);
      return toJob(row);
    });
  }

  /** The step is done (with its document, if it made one) or skipped (its condition did not hold). */
  finishStep(jobId: string, position: number, state: 'done' | 'skipped', doc: JournalDocument | null, at: string,
    jobState: FiscalJobState = 'preparing', jobDocument = false): void {
    this.transaction(() => {
      this.s.stepFinish.run(state, doc?.fdNumber ?? null, doc?.fiscalSign ?? null, doc?.dateTime ?? null, at, jobId, position);
      this.s.setState.run(jobState, at, jobId);
      // The job's own document (the receipt, the shift document) goes on the job row with its step.
      if (doc && jobDocument) this.s.jobDocument.run(doc.fdNumber, doc.fiscalSign, doc.dateTime, JSON.stringify(doc.document), at, jobId);
    });
  }

  stepError(jobId: string, position: number, error: JournalError, at: string): void {
    this.s.stepError.run(JSON.stringify(error), at, jobId, position);
  }

  /** Redo: every step not done runs again from its condition. */
  resetUnfinishedSteps(jobId: string, at: string): void {
    this.transaction(() => {
      this.s.resetSteps.run(at, jobId);
      this.s.setState.run('preparing', at, jobId);
    });
  }

  /** Every step is done or skipped: the job is done (its document is already on the row). */
  jobDone(jobId: string, at: string): void {
    const onDone = this.onDone;
    if (onDone === null) {
      this.s.jobDone.run(at, jobId);
      return;
    }
    this.transaction(() => {
      this.s.jobDone.run(at, jobId);
      const row = this.s.byId.get(jobId);
      if (row) onDone(toJob(row), at);
    });
  }

  /** manual: a supervisor must look. The job keeps its journal (and its register). */
  park(jobId: string, reason: string, error: JournalError | null, at: string): void {
    this.s.park.run(reason, error ? JSON.stringify(error) : null, at, jobId);
  }

  /** A supervisor sends a parked job back: to reconciliation when it ever sent a byte, else to the queue. */
  retryManual(jobId: string, at: string): boolean {
    const job = this.job(jobId);
    if (!job || job.state !== 'manual') return false;
    const sent = this.steps(jobId).some((s) => s.state === 'sending');
    return this.s.retry.run(sent ? 'reconciling' : 'preparing', at, jobId).changes === 1;
  }

  /** FD numbers in [from, to] on this FN that other jobs (or their steps) already own. */
  claimedFds(fnSerial: string, from: number, to: number, exceptJobId: string): Set<number> {
    const out = new Set<number>();
    for (const r of this.s.claimedJobs.all(fnSerial, from, to, exceptJobId)) out.add(r.fd);
    for (const r of this.s.claimedSteps.all(fnSerial, from, to, exceptJobId)) out.add(r.fd);
    return out;
  }

  /** The newest shift document this journal made on the FN (a hint for finding when the shift opened). */
  lastShiftDocument(fnSerial: string): { fdNumber: number; kind: 'shiftOpen' | 'shiftClose'; dateTime: string | null } | null {
    const r = this.s.lastShiftDoc.get(fnSerial);
    return r ? { fdNumber: r.fd, kind: r.action === 'openShift' ? 'shiftOpen' : 'shiftClose', dateTime: r.at } : null;
  }
}

function parse<T>(text: string | null): T | null {
  return text === null ? null : JSON.parse(text) as T;
}

function toJob(r: JobRow): FiscalJob {
  return {
    id: r.id, saleId: r.sale_id, kind: r.kind, state: r.state, payload: JSON.parse(r.payload), payloadHash: r.payload_hash,
    createdAt: r.created_at, updatedAt: r.updated_at, registerId: r.register_id, fnSerial: r.fn_serial, fdBefore: r.fd_before,
    attempts: r.attempts, lastError: parse<JournalError>(r.last_error), nextAttemptAt: r.next_attempt_at, manualReason: r.manual_reason,
    fdNumber: r.fd_number, fiscalSign: r.fiscal_sign, documentAt: r.document_at, document: parse<unknown>(r.document),
  };
}

function toStep(r: StepRow): FiscalJobStep {
  return {
    jobId: r.job_id, position: r.position, action: r.action, condition: r.condition, state: r.state, fnSerial: r.fn_serial,
    fdBefore: r.fd_before, fdNumber: r.fd_number, fiscalSign: r.fiscal_sign, documentAt: r.document_at, error: parse<JournalError>(r.error),
  };
}
