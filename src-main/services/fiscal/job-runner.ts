// Runs one fiscal job's steps against one register, and reconciles a step whose outcome is unknown
// (ARCHITECTURE §5, reference §5). The journal row of a step is written before its first fiscal byte;
// after any failure the step stays 'sending' and only reconcile() decides what happens next. A fiscal
// command is never sent again without that decision.
import type { FiscalRegister } from '../../../drivers/fiscal/fiscal-register';
import type { Sale } from '../../contract';
import { reconcile, type JournalledJob } from '../../domain/fiscal-reconciliation';
import { SHIFT_LIMIT_MS, type ShiftFacts } from '../../domain/fiscal-shift-plan';
import type { FiscalJob, FiscalJobStep, FiscalJournal, JournalDocument } from '../../store/fiscal-journal';
import type { Clock } from '../clock';
import { fiscalServiceErrors, FiscalJobInvalid, FiscalWait } from './fiscal-service-errors';
import type { FiscalServiceOptions, FiscalServiceSettings } from './fiscal-settings';
import { JOB_STEPS, MAIN_ACTION, conditionHolds } from './job-steps';
import { correctionForJob } from './correction-request';
import { receiptForRequestJob, receiptForSale } from './receipt-request';
import {
  findShiftOpenTime, gatherRegisterFacts, journalDocument, readDeviceFacts, receiptJournalDocument, registerTimeMs, type DeviceFacts,
} from './register-facts';

export type RunnerEvent =
  | { type: 'receiptCancelled'; jobId: string | null; reason: 'orphan' | 'reconciled' }
  | { type: 'stepDone'; jobId: string; action: FiscalJobStep['action']; fdNumber: number | null };

export type JobOutcome = { state: 'done'; document: JournalDocument | null } | { state: 'manual'; reason: string };

interface ShiftCache { fnSerial: string; openedAtMs: number | null }

export class FiscalJobRunner {
  /** When the open shift started, per FN (null: unknown or none). Cleared when a shift step runs. */
  private shiftCache: ShiftCache | null = null;

  constructor(
    private readonly journal: FiscalJournal,
    private readonly clock: Clock,
    private readonly settings: () => FiscalServiceSettings,
    private readonly options: FiscalServiceOptions,
    private readonly emit: (e: RunnerEvent) => void,
  ) {}

  /** Runs the job to done or manual; throws on a failure (the caller journals it and backs off). */
  async run(register: FiscalRegister, jobIn: FiscalJob): Promise<JobOutcome> {
    let job = jobIn;
    if (job.state === 'pending') {
      this.journal.planSteps(job.id, JOB_STEPS[job.kind], this.clock.nowIso());
      job = this.journal.job(job.id)!;
    }
    for (;;) {
      const steps = this.journal.steps(job.id);
      const current = steps.find((s) => s.state === 'pending' || s.state === 'sending');
      if (!current) return this.finish(job, steps);
      if (current.state === 'sending') {
        const outcome = await this.reconcileStep(register, job, current);
        if (outcome) return outcome;
      } else {
        await this.runStep(register, job, current);
      }
      job = this.journal.job(job.id)!;
    }
  }

  /** Reconciles the job's step in flight (startup, after a crash); returns an outcome when it parked the job. */
  async reconcileInFlight(register: FiscalRegister, job: FiscalJob): Promise<JobOutcome | null> {
    const step = this.journal.steps(job.id).find((s) => s.state === 'sending');
    if (!step) {
      this.journal.setState(job.id, 'preparing', this.clock.nowIso());
      return null;
    }
    return this.reconcileStep(register, job, step);
  }

  /** A receipt open on the register that no journalled step owns (another program, a lost journal): cancel it. */
  async cancelOrphanReceipt(register: FiscalRegister, facts: DeviceFacts, jobId: string | null): Promise<void> {
    if (!facts.status.receiptOpen && facts.fn.currentDocument !== 4) return;
    await register.cancelReceipt();
    this.emit({ type: 'receiptCancelled', jobId, reason: 'orphan' });
  }

  private finish(job: FiscalJob, steps: FiscalJobStep[]): JobOutcome {
    this.journal.jobDone(job.id, this.clock.nowIso());
    const main = steps.find((s) => s.action === MAIN_ACTION[job.kind] && s.state === 'done' && s.fdNumber !== null);
    const stored = this.journal.job(job.id)!;
    const document = main && stored.fdNumber !== null
      ? { fdNumber: stored.fdNumber, fiscalSign: stored.fiscalSign ?? '', dateTime: stored.documentAt, document: stored.document }
      : null;
    return { state: 'done', document };
  }

  private async runStep(register: FiscalRegister, job: FiscalJob, step: FiscalJobStep): Promise<void> {
    const facts = await readDeviceFacts(register);
    // Preflight (reference §5.1): paper, continue-print, a receipt nobody owns.
    if (facts.status.paperOut) throw new FiscalWait(fiscalServiceErrors.paperOut());
    if (facts.status.awaitingContinuePrint) await register.continuePrint();
    await this.cancelOrphanReceipt(register, facts, job.id);

    const settings = this.settings();
    const shift = await this.shiftFacts(register, facts);
    const holds = conditionHolds(step.condition, shift, this.clock.nowMs(),
      { closeBeforeLimitMs: settings.closeBeforeLimitMs, autoOpen: settings.autoOpenShift || job.kind === 'open_shift' });
    if ('blocked' in holds) throw new FiscalWait(fiscalServiceErrors.shiftClosed());
    if (!holds.run) {
      this.journal.finishStep(job.id, step.position, 'skipped', null, this.clock.nowIso());
      return;
    }
    const request = step.action === 'receipt' ? this.saleReceipt(job).request : null;
    const correction = step.action === 'correction' ? this.correction(job) : null;
    if (correction && !register.fiscaliseCorrection) throw new FiscalJobInvalid(fiscalServiceErrors.badPayload(`the ${register.protocol} driver cannot make correction receipts`));

    // The journal row goes to disk before the first fiscal byte (ARCHITECTURE §5).
    this.journal.beginStep(job.id, step.position,
      { registerId: this.options.registerId, fnSerial: facts.fn.fnSerial, fdBefore: facts.fn.lastFdNumber, at: this.clock.nowIso() });

    let doc: JournalDocument | null = null;
    switch (step.action) {
      case 'receipt': {
        const result = await register.fiscaliseReceipt(request!);
        // Read the document back from the FN; if that fails the step is reconciled, which reads it again.
        doc = await receiptJournalDocument(register, await register.findDocument(result.fdNumber), result.fdNumber);
        break;
      }
      case 'openShift':
      case 'closeShift': {
        this.shiftCache = null;
        if (step.action === 'openShift') await register.openShift(); else await register.closeShift();
        const fn = await register.fnStatus();
        doc = fn.lastFdNumber > facts.fn.lastFdNumber ? journalDocument(await register.findDocument(fn.lastFdNumber), fn.lastFdNumber) : null;
        break;
      }
      case 'correction': {
        const result = await register.fiscaliseCorrection!(correction!);
        doc = await receiptJournalDocument(register, await register.findDocument(result.fdNumber), result.fdNumber);
        break;
      }
      case 'xReport': await register.xReport(); break;
      case 'cashIn': await register.cashIn(this.cashAmount(job)); break;
      case 'cashOut': await register.cashOut(this.cashAmount(job)); break;
    }
    this.stepDone(job, step, doc);
  }

  private stepDone(job: FiscalJob, step: FiscalJobStep, doc: JournalDocument | null): void {
    if (doc && step.action === 'openShift') this.shiftCache = { fnSerial: step.fnSerial ?? '', openedAtMs: this.docTimeMs(doc.dateTime) };
    if (step.action === 'closeShift') this.shiftCache = null;
    this.journal.finishStep(job.id, step.position, 'done', doc, this.clock.nowIso(), 'preparing', step.action === MAIN_ACTION[job.kind]);
    this.emit({ type: 'stepDone', jobId: job.id, action: step.action, fdNumber: doc?.fdNumber ?? null });
  }

  /** Reference §5.4–5.6: facts first, then done (continue-print only) / redo / cancel and redo / manual. */
  private async reconcileStep(register: FiscalRegister, job: FiscalJob, step: FiscalJobStep): Promise<JobOutcome | null> {
    const at = () => this.clock.nowIso();
    if (job.state !== 'reconciling') this.journal.setState(job.id, 'reconciling', at());
    if (step.action === 'xReport') {
      // Not a fiscal document: printing it twice costs a strip of paper, nothing else.
      this.journal.resetUnfinishedSteps(job.id, at());
      return null;
    }
    if (step.action === 'cashIn' || step.action === 'cashOut') {
      if (job.lastError?.details?.kind === 'device') {
        // The register refused it (it did not execute): safe to try again, within the refusal budget.
        if (job.attempts >= this.options.maxDeviceRefusals) return this.park(job, `the register refused the ${step.action}: ${job.lastError.message.en}`);
        this.journal.resetUnfinishedSteps(job.id, at());
        return null;
      }
      return this.park(job, `no answer to ${step.action}; the FN does not record it: check the register's last document before retrying`);
    }
    if (step.fnSerial === null || step.fdBefore === null) return this.park(job, 'the step was sent without a journal entry');
    const expect: JournalledJob['expect'] = step.action === 'receipt'
      ? { documentType: 'receipt', calculationSign: this.saleReceipt(job).receipt.sign, totalKopecks: this.saleReceipt(job).receipt.totalKopecks }
      : step.action === 'correction'
        ? { documentType: 'correction', calculationSign: correctionForJob(job.payload).expect.sign, totalKopecks: correctionForJob(job.payload).expect.totalKopecks }
        : { documentType: step.action === 'openShift' ? 'shiftOpen' : 'shiftClose' };
    const gathered = await gatherRegisterFacts(register, step.fdBefore,
      (from, to) => this.journal.claimedFds(step.fnSerial!, from, to, job.id), this.options.maxReconcileScan);
    if ('tooMany' in gathered) return this.park(job, `${gathered.tooMany} documents were made since the job started; reconcile it by hand`);
    const decision = reconcile({ fnSerial: step.fnSerial, fdBefore: step.fdBefore, expect }, gathered.facts);
    switch (decision.action) {
      case 'done': {
        const fd = decision.document.fdNumber;
        const summary = gathered.documents.get(fd)!;
        const doc = step.action === 'receipt' || step.action === 'correction' ? await receiptJournalDocument(register, summary, fd) : journalDocument(summary, fd);
        this.stepDone(job, step, doc);
        if (decision.continuePrint) {
          // Paper ran out after the document was made (reference §5.6): only continue printing. If the
          // paper is still out, the next step's preflight waits for it and sends B0 then.
          await register.continuePrint().catch(() => undefined);
        }
        return null;
      }
      case 'cancelAndRedo':
        await register.cancelReceipt();
        this.emit({ type: 'receiptCancelled', jobId: job.id, reason: 'reconciled' });
        return this.redo(job);
      case 'redo':
        return this.redo(job);
      case 'manual':
        return this.park(job, decision.reason);
    }
  }

  private redo(job: FiscalJob): JobOutcome | null {
    if (job.lastError?.details?.kind === 'device' && job.attempts >= this.options.maxDeviceRefusals) {
      return this.park(job, `the register refused the job ${job.attempts} times: ${job.lastError.message.en}`);
    }
    this.journal.resetUnfinishedSteps(job.id, this.clock.nowIso());
    return null;
  }

  private park(job: FiscalJob, reason: string): JobOutcome {
    this.journal.park(job.id, reason, null, this.clock.nowIso());
    return { state: 'manual', reason };
  }

  private saleReceipt(job: FiscalJob) {
    try {
      if (job.kind === 'receipt') return receiptForRequestJob(job.payload);
      return receiptForSale(job.payload as Sale, { taxSystem: this.settings().taxSystem, cashierInn: this.settings().cashierInn });
    } catch (error) {
      throw new FiscalJobInvalid(fiscalServiceErrors.badPayload((error as Error).message));
    }
  }

  private correction(job: FiscalJob) {
    try {
      return correctionForJob(job.payload).request;
    } catch (error) {
      throw new FiscalJobInvalid(fiscalServiceErrors.badPayload((error as Error).message));
    }
  }

  private cashAmount(job: FiscalJob): number {
    const amount = (job.payload as { amountKopecks?: unknown } | null)?.amountKopecks;
    if (typeof amount !== 'number' || !Number.isInteger(amount) || amount <= 0) throw new FiscalJobInvalid(fiscalServiceErrors.badPayload('amountKopecks'));
    return amount;
  }

  private docTimeMs(dateTime: string | null): number | null {
    return registerTimeMs(dateTime, this.settings().registerUtcOffsetMinutes);
  }

  /** Shift facts for conditions: open, expired (mode 3), and when it opened (from the shift-open document). */
  async shiftFacts(register: FiscalRegister, facts: DeviceFacts): Promise<ShiftFacts> {
    const open = facts.fn.shiftOpen || facts.status.shiftState !== 'closed';
    const expired = facts.status.shiftState === 'expired';
    if (!open) {
      this.shiftCache = null;
      return { shiftOpen: false, shiftOpenedAtMs: null, shiftExpired: false };
    }
    if (!this.shiftCache || this.shiftCache.fnSerial !== facts.fn.fnSerial) {
      const text = await findShiftOpenTime(register, facts.fn.lastFdNumber, {
        last: this.journal.lastShiftDocument(facts.fn.fnSerial),
        known: (from, to) => this.journal.claimedFds(facts.fn.fnSerial, from, to, ''),
      }, this.options.maxShiftScan);
      this.shiftCache = { fnSerial: facts.fn.fnSerial, openedAtMs: this.docTimeMs(text) };
    }
    return { shiftOpen: true, shiftOpenedAtMs: this.shiftCache.openedAtMs, shiftExpired: expired };
  }

  /** The open shift's age limit for the UI. */
  shiftDeadlineMs(): number | null {
    return this.shiftCache?.openedAtMs != null ? this.shiftCache.openedAtMs + SHIFT_LIMIT_MS : null;
  }
}
