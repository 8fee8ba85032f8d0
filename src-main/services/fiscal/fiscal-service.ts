// The fiscal service: one per register. It executes the fiscal job queue (sale jobs written with their
// sale, and the shift / report / cash jobs the lane asks for) strictly in order, exactly once
// (ARCHITECTURE §5): on start it reconciles every job left in flight and a receipt left open on the
// register before it does anything else; after any failure it reconciles before going on; link
// failures are retried with backoff; what it cannot decide it parks for a supervisor.
// The sale path never waits for it: closing a sale writes the job, kick() (or the timer) picks it up.
import { FiscalError } from '../../../drivers/fiscal/fiscal-error';
import type { CorrectionRequest, DrawerNumber, FiscalRegister, ReceiptRequest } from '../../../drivers/fiscal/fiscal-register';
import { newId } from '../../store/ids';
import { FiscalJobGone, type FiscalJob, type FiscalJobKind, type FiscalJournal, type JournalError } from '../../store/fiscal-journal';
import type { Clock } from '../clock';
import { fiscalServiceErrors, FiscalJobInvalid, FiscalWait } from './fiscal-service-errors';
import { DEFAULT_FISCAL_OPTIONS, DEFAULT_FISCAL_SETTINGS, type FiscalServiceOptions, type FiscalServiceSettings } from './fiscal-settings';
import { FiscalJobRunner, type RunnerEvent } from './job-runner';
import { readDeviceFacts, registerTimeMs } from './register-facts';
import { correctionForJob } from './correction-request';
import { receiptForRequestJob } from './receipt-request';
import { RegisterErrands, registerErrandErrors } from './register-errands';

export type LaneFiscalJobKind = Exclude<FiscalJobKind, 'sale' | 'receipt' | 'correction'>;

/** How long a drawer kick may wait for the job in progress before it is refused. */
export const DRAWER_WAIT_MS = 15_000;

/** FN warning flags (FFD, FN status "предупреждения"), named for the UI. */
const FN_WARNINGS: Array<[number, string]> = [
  [0x01, 'fnReplaceUrgent'], [0x02, 'fnResourceEnding'], [0x04, 'fnMemoryAlmostFull'], [0x08, 'ofdTimeout'], [0x80, 'fnCriticalError'],
];

export interface FiscalStatus {
  registerId: string;
  running: boolean;
  connected: boolean;
  /** Jobs not done and not parked, the one running included. */
  queueLength: number;
  oldestQueuedAt: string | null;
  currentJob: { id: string; kind: FiscalJobKind; saleId: string | null; state: FiscalJob['state'] } | null;
  lastError: JournalError | null;
  manualCount: number;
  manualJobs: Array<{ id: string; kind: FiscalJobKind; saleId: string | null; reason: string; createdAt: string }>;
  /** From the register when it last answered; null before that. */
  shift: { open: boolean; expired: boolean; openedAt: string | null; closesBy: string | null } | null;
  paperOut: boolean | null;
  ofd: { unsentCount: number; oldestUnsentAt: string | null; oldestUnsentAgeMs: number | null } | null;
  fn: { serial: string; lastFd: number; warningFlags: number; warnings: string[] } | null;
  /** The drawer switch as the register last reported it; null where it reports none (or before it answered). */
  drawerOpen: boolean | null;
  updatedAt: string;
}

export type FiscalEvent =
  | { type: 'fiscal.status'; status: FiscalStatus }
  | { type: 'fiscal.jobDone'; jobId: string; kind: FiscalJobKind; saleId: string | null; fdNumber: number | null; fiscalSign: string | null }
  | { type: 'fiscal.jobParked'; jobId: string; kind: FiscalJobKind; saleId: string | null; reason: string }
  | { type: 'fiscal.receiptCancelled'; jobId: string | null; reason: 'orphan' | 'reconciled' }
  /** The service queued a Z report by itself: the shift reached its closing moment while the lane was idle. */
  | { type: 'fiscal.autoCloseShift'; closesBy: string };

export interface FiscalServiceDeps {
  journal: FiscalJournal;
  /** Opens the register (the composition root picks the driver); called again after a link failure. */
  connect: () => Promise<FiscalRegister>;
  clock: Clock;
  settings?: () => FiscalServiceSettings;
}

export class FiscalService {
  private readonly options: FiscalServiceOptions;
  private readonly settings: () => FiscalServiceSettings;
  private readonly runner: FiscalJobRunner;
  private readonly listeners = new Set<(e: FiscalEvent) => void>();
  private register: FiscalRegister | null = null;
  private recovered = false;
  private loop: Promise<void> | null = null;
  private stopping = false;
  private wake: (() => void) | null = null;
  private kicked = false;
  private serviceAttempts = 0;
  private currentJobId: string | null = null;
  private lastError: JournalError | null = null;
  private device: Pick<FiscalStatus, 'shift' | 'paperOut' | 'ofd' | 'fn' | 'drawerOpen'> = { shift: null, paperOut: null, ofd: null, fn: null, drawerOpen: null };
  private readonly errands = new RegisterErrands();
  private deviceReadAtMs = 0;
  private healthAtMs = 0;
  private deviceDirty = true;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly deps: FiscalServiceDeps, options: Partial<FiscalServiceOptions> = {}) {
    this.options = { ...DEFAULT_FISCAL_OPTIONS, ...options };
    this.settings = deps.settings ?? (() => DEFAULT_FISCAL_SETTINGS);
    this.runner = new FiscalJobRunner(deps.journal, deps.clock, this.settings, this.options, (e) => this.onRunnerEvent(e));
  }

  // ---- public API ------------------------------------------------------------------------------------------

  /** Starts the loop. Its first work is reconciliation; nothing is sent before that. */
  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.loop = this.run().finally(() => { this.loop = null; });
  }

  /** Something was queued (a sale closed): look at the queue now instead of at the next tick. */
  kick(): void {
    this.kicked = true;
    this.wake?.();
  }

  /** Queues a job the lane asks for (shift open/close, X/Z report, cash in/out); returns its id. */
  request(kind: LaneFiscalJobKind, payload: Record<string, unknown> = {}): string {
    if ((kind === 'cash_in' || kind === 'cash_out')
      && !(typeof payload.amountKopecks === 'number' && Number.isInteger(payload.amountKopecks) && payload.amountKopecks > 0)) {
      throw new FiscalJobInvalid(fiscalServiceErrors.badPayload('amountKopecks must be a positive integer'));
    }
    const id = newId(this.deps.clock.nowMs());
    this.deps.journal.addJob({ id, kind, payload, at: this.deps.clock.nowIso() });
    this.kick();
    return id;
  }

  /**
   * Queues an explicit receipt (the fiscal gateway): checked now, so a receipt that can never be made is
   * refused before it is journalled. The caller may give the job id (it records it first, for idempotency).
   */
  requestReceipt(request: ReceiptRequest, jobId?: string): string {
    const payload = { request };
    try {
      receiptForRequestJob(payload);
    } catch (error) {
      throw new FiscalJobInvalid(fiscalServiceErrors.badPayload((error as Error).message));
    }
    const id = jobId ?? newId(this.deps.clock.nowMs());
    this.deps.journal.addJob({ id, kind: 'receipt', payload, at: this.deps.clock.nowIso() });
    this.kick();
    return id;
  }

  /**
   * Queues a correction receipt (a supervisor's): checked now, so one that can never be made is refused
   * before it is journalled. It runs in queue order like every job (journal before the first byte,
   * reconciliation by FD number and document type 31 after a failure).
   */
  requestCorrection(request: CorrectionRequest, requestedBy: { actorId: string; authorisedBy: string | null } | null = null): string {
    // Who asked stays with the job (the journal is append-only): a correction is a supervisor's decision.
    const payload = { request, ...(requestedBy ? { requestedBy } : {}) };
    try {
      correctionForJob(payload);
    } catch (error) {
      throw new FiscalJobInvalid(fiscalServiceErrors.badPayload((error as Error).message));
    }
    const id = newId(this.deps.clock.nowMs());
    this.deps.journal.addJob({ id, kind: 'correction', payload, at: this.deps.clock.nowIso() });
    this.kick();
    return id;
  }

  /**
   * Opens the cash drawer wired to the register (a cash payment, "no sale"). It goes over the service's
   * own connection, between fiscal jobs — never inside one, never before an unfinished job is reconciled —
   * and is refused (FISCAL_REGISTER_BUSY) when it cannot start within waitMs. The register's refusal or a
   * lost answer comes back as its FiscalError.
   */
  openDrawer(drawer: DrawerNumber, waitMs = DRAWER_WAIT_MS): Promise<void> {
    if (!this.loop || this.stopping) return Promise.reject(registerErrandErrors.unavailable('the fiscal service is not running'));
    const done = this.errands.add(async (register) => {
      if (!register.openDrawer) throw registerErrandErrors.drawerUnsupported(register.protocol);
      await register.openDrawer(drawer);
      this.deviceDirty = true; // the drawer switch shows in the next status read
    }, waitMs);
    this.kick();
    return done;
  }

  job(jobId: string): FiscalJob | null { return this.deps.journal.job(jobId); }

  /**
   * Takes a job that never sent a fiscal byte out of this register's journal, to run it elsewhere (the
   * gateway moves such jobs off a register that is down). Null when it has started: it stays here.
   */
  releaseUnstarted(jobId: string): FiscalJob | null {
    const job = this.deps.journal.releaseUnstarted(jobId);
    if (job) this.kick();
    return job;
  }

  /** Jobs that never sent a fiscal byte, oldest first. */
  unstartedJobs(): FiscalJob[] { return this.deps.journal.unstartedJobs(); }

  /** The settings in force now (the tax system a correction receipt carries, …). */
  currentSettings(): FiscalServiceSettings { return this.settings(); }

  /** A supervisor sends a parked job back to reconciliation (or to the queue when it never sent a byte). */
  retryManual(jobId: string): boolean {
    const ok = this.deps.journal.retryManual(jobId, this.deps.clock.nowIso());
    if (ok) this.kick();
    return ok;
  }

  status(): FiscalStatus {
    const counts = this.deps.journal.counts();
    const current = this.currentJobId ? this.deps.journal.job(this.currentJobId) : null;
    return {
      registerId: this.options.registerId,
      running: this.loop !== null && !this.stopping,
      connected: this.register !== null,
      queueLength: counts.queued,
      oldestQueuedAt: counts.oldestQueuedAt,
      currentJob: current && current.state !== 'done' && current.state !== 'manual'
        ? { id: current.id, kind: current.kind, saleId: current.saleId, state: current.state } : null,
      lastError: this.lastError,
      manualCount: counts.manual,
      manualJobs: this.deps.journal.manualJobs(20).map((j) => ({ id: j.id, kind: j.kind, saleId: j.saleId, reason: j.manualReason ?? '', createdAt: j.createdAt })),
      ...this.device,
      updatedAt: this.deps.clock.nowIso(),
    };
  }

  on(listener: (e: FiscalEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves when the queue is empty (everything done or parked) — for tests and the shutdown path. */
  whenIdle(): Promise<void> {
    if (this.deps.journal.counts().queued === 0) return Promise.resolve();
    return new Promise((resolve) => { this.idleWaiters.push(resolve); this.kick(); });
  }

  /** Stops after the command in progress (a fiscal command is never abandoned half-way by us). */
  async stop(): Promise<void> {
    this.stopping = true;
    this.errands.failAll(registerErrandErrors.unavailable('the fiscal service is stopping'));
    this.wake?.();
    await this.loop;
    await this.dropRegister();
  }

  // ---- the loop --------------------------------------------------------------------------------------------

  private async run(): Promise<void> {
    while (!this.stopping) {
      let delayMs: number;
      try {
        delayMs = await this.tick();
      } catch (error) {
        // Nothing may kill the loop: a device error never crashes the app.
        this.lastError = toJournalError(error);
        delayMs = this.backoff(++this.serviceAttempts);
      }
      if (this.stopping) break;
      if (delayMs > 0 && !this.kicked) await this.sleep(delayMs);
      this.kicked = false;
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref?.();
      function done() { clearTimeout(timer); resolve(); }
      this.wake = () => { this.wake = null; done(); };
    });
  }

  /** One unit of work; returns how long to wait before the next. */
  private async tick(): Promise<number> {
    let register: FiscalRegister;
    try {
      register = await this.ensureRegister();
      if (!this.recovered) {
        await this.recoverAtStart(register);
        this.recovered = true;
      }
    } catch (error) {
      // A drawer kick waiting for the register hears now that it cannot be reached, not at its timeout.
      this.errands.failAll(registerErrandErrors.unavailable(error instanceof Error ? error.message : String(error)));
      return this.serviceFailure(error);
    }

    const job = this.deps.journal.head();
    // Errands go between jobs: not while a job's command is out or its outcome is still being reconciled.
    if (this.errands.pending > 0 && !(job && (job.state === 'sending' || job.state === 'reconciling'))) {
      const failures = await this.errands.serve(register);
      const linkFailure = failures.find((e) => e instanceof FiscalError && (e.kind === 'link' || e.kind === 'protocol'));
      if (linkFailure) return this.serviceFailure(linkFailure);
    }
    if (!job) {
      this.currentJobId = null;
      this.serviceAttempts = 0;
      // Idle health check: a link that died shows now, not at the next job (a read-only command).
      const now = this.deps.clock.nowMs();
      if (now - this.healthAtMs >= this.options.healthCheckMs) {
        this.healthAtMs = now;
        try { await register.status(); } catch (error) { return this.serviceFailure(error); }
        // The link answers again: a link error no longer describes the register.
        if (this.lastError?.details?.kind === 'link') {
          this.lastError = null;
          this.publishStatus();
        }
      }
      // Read the register's shift, paper, OFD and FN state once the queue is empty, not between jobs.
      await this.refreshDevice(register, this.deviceDirty).catch((error) => this.serviceFailure(error));
      if (this.autoCloseDue()) {
        // The Z report is a job like any other: journalled, reconciled after a failure, shown on the shift screen.
        this.request('close_shift', { reason: 'autoBeforeLimit' });
        this.publish({ type: 'fiscal.autoCloseShift', closesBy: this.device.shift!.closesBy! });
        this.deviceDirty = true;
        return 0;
      }
      for (const w of this.idleWaiters.splice(0)) w();
      return this.options.pollMs;
    }
    const dueMs = job.nextAttemptAt ? Date.parse(job.nextAttemptAt) - this.deps.clock.nowMs() : 0;
    if (dueMs > 0) return Math.min(dueMs, this.options.pollMs);

    this.currentJobId = job.id;
    try {
      const outcome = await this.runner.run(register, job);
      this.lastError = null;
      this.serviceAttempts = 0;
      if (outcome.state === 'done') {
        this.publish({ type: 'fiscal.jobDone', jobId: job.id, kind: job.kind, saleId: job.saleId,
          fdNumber: outcome.document?.fdNumber ?? null, fiscalSign: outcome.document?.fiscalSign ?? null });
      } else {
        this.publish({ type: 'fiscal.jobParked', jobId: job.id, kind: job.kind, saleId: job.saleId, reason: outcome.reason });
      }
      this.deviceDirty = true;
      this.publishStatus();
      return 0;
    } catch (error) {
      return this.jobFailure(job.id, error);
    }
  }

  /** Reconcile first (ARCHITECTURE §5): every job left in flight, then a receipt nobody owns. */
  private async recoverAtStart(register: FiscalRegister): Promise<void> {
    for (const job of this.deps.journal.openJobs()) {
      if (job.state !== 'sending' && job.state !== 'reconciling') continue;
      this.currentJobId = job.id;
      const parked = await this.runner.reconcileInFlight(register, job);
      if (parked?.state === 'manual') this.publish({ type: 'fiscal.jobParked', jobId: job.id, kind: job.kind, saleId: job.saleId, reason: parked.reason });
    }
    const facts = await readDeviceFacts(register);
    await this.runner.cancelOrphanReceipt(register, facts, null);
    if (facts.status.awaitingContinuePrint) await register.continuePrint();
    await this.refreshDevice(register, true);
  }

  private async ensureRegister(): Promise<FiscalRegister> {
    if (!this.register) this.register = await this.deps.connect();
    return this.register;
  }

  private async dropRegister(): Promise<void> {
    const r = this.register;
    this.register = null;
    await r?.close().catch(() => undefined);
  }

  private async serviceFailure(error: unknown): Promise<number> {
    this.lastError = toJournalError(error);
    if (!(error instanceof FiscalError) || error.kind === 'link' || error.kind === 'protocol') await this.dropRegister();
    this.publishStatus();
    return this.backoff(++this.serviceAttempts);
  }

  /** Journals a failed attempt; the job waits in 'reconciling' when a fiscal byte may have gone out. */
  private async jobFailure(jobId: string, error: unknown): Promise<number> {
    const job = this.deps.journal.job(jobId);
    // Released to another register before its first fiscal byte (beginStep refused it): not ours any more.
    if (!job || error instanceof FiscalJobGone) return 0;
    const now = this.deps.clock.nowMs();
    const at = this.deps.clock.nowIso();
    const journalError = toJournalError(error);
    this.lastError = journalError;
    if (error instanceof FiscalJobInvalid) {
      this.deps.journal.park(jobId, journalError.message.en, journalError, at);
      this.publish({ type: 'fiscal.jobParked', jobId, kind: job.kind, saleId: job.saleId, reason: journalError.message.en });
      return 0;
    }
    const inFlight = this.deps.journal.steps(jobId).some((s) => s.state === 'sending');
    const attempts = job.attempts + 1;
    let delayMs: number;
    if (error instanceof FiscalWait) {
      delayMs = Math.min(this.options.pollMs, this.backoff(attempts));
    } else if (error instanceof FiscalError && error.kind === 'outcome-unknown') {
      delayMs = 0; // reconcile at once: the register is there, only an answer was lost
    } else {
      delayMs = this.backoff(attempts);
    }
    if (!(error instanceof FiscalError) || error.kind === 'link' || error.kind === 'protocol') await this.dropRegister();
    const step = this.deps.journal.steps(jobId).find((s) => s.state === 'sending' || s.state === 'pending');
    if (step) this.deps.journal.stepError(jobId, step.position, journalError, at);
    this.deps.journal.recordFailure(jobId, {
      state: inFlight ? 'reconciling' : 'preparing', attempts: error instanceof FiscalWait ? job.attempts : attempts,
      error: journalError, nextAttemptAt: new Date(now + delayMs).toISOString(), at,
    });
    this.publishStatus();
    return 0;
  }

  private backoff(attempts: number): number {
    return Math.min(this.options.maxBackoffMs, this.options.backoffBaseMs * 2 ** Math.max(0, Math.min(attempts - 1, 20)));
  }

  /** Idle, the shift open and its closing moment (24 h limit minus the margin) reached. */
  private autoCloseDue(): boolean {
    const shift = this.device?.shift;
    if (!this.settings().autoCloseShift || !shift?.open || !shift.closesBy) return false;
    return Date.parse(shift.closesBy) <= this.deps.clock.nowMs();
  }

  /** Shift, paper, OFD queue and FN warnings for the UI; re-read when idle at most every statusRefreshMs. */
  private async refreshDevice(register: FiscalRegister, force: boolean): Promise<void> {
    const now = this.deps.clock.nowMs();
    if (!force && now - this.deviceReadAtMs < this.options.statusRefreshMs) return;
    this.deviceReadAtMs = now;
    this.deviceDirty = false;
    const facts = await readDeviceFacts(register);
    const offset = this.settings().registerUtcOffsetMinutes;
    const shift = await this.runner.shiftFacts(register, facts);
    const ofd = await register.ofdStatus().catch(() => null);
    const oldestMs = ofd ? registerTimeMs(ofd.firstUnsentDateTime, offset) : null;
    const deadline = this.runner.shiftDeadlineMs();
    this.device = {
      shift: {
        open: shift.shiftOpen, expired: shift.shiftExpired,
        openedAt: shift.shiftOpenedAtMs !== null ? new Date(shift.shiftOpenedAtMs).toISOString() : null,
        closesBy: shift.shiftOpen && deadline !== null ? new Date(deadline - this.settings().closeBeforeLimitMs).toISOString() : null,
      },
      paperOut: facts.status.paperOut,
      ofd: ofd ? { unsentCount: ofd.unsentCount, oldestUnsentAt: oldestMs !== null ? new Date(oldestMs).toISOString() : null,
        oldestUnsentAgeMs: oldestMs !== null ? Math.max(0, now - oldestMs) : null } : null,
      fn: { serial: facts.fn.fnSerial, lastFd: facts.fn.lastFdNumber, warningFlags: facts.fn.warningFlags,
        warnings: FN_WARNINGS.filter(([bit]) => (facts.fn.warningFlags & bit) !== 0).map(([, name]) => name) },
      drawerOpen: facts.status.drawerOpen ?? null,
    };
    this.publishStatus();
  }

  private onRunnerEvent(e: RunnerEvent): void {
    if (e.type === 'receiptCancelled') this.publish({ type: 'fiscal.receiptCancelled', jobId: e.jobId, reason: e.reason });
  }

  private publishStatus(): void {
    if (this.listeners.size > 0) this.publish({ type: 'fiscal.status', status: this.status() });
  }

  private publish(e: FiscalEvent): void {
    for (const l of this.listeners) {
      try { l(e); } catch { /* a listener's failure is not the register's */ }
    }
  }
}

function toJournalError(error: unknown): JournalError {
  if (error instanceof FiscalError) return { code: error.code, message: error.text, details: { ...error.details, kind: error.kind } };
  if (error instanceof FiscalWait || error instanceof FiscalJobInvalid) return error.error;
  return fiscalServiceErrors.unexpected(error instanceof Error ? error.message : String(error));
}
