// The fiscal gateway's use case (docs/fiscal-gateway.md): a Starrys `Complex` request becomes exactly one
// fiscal document on one register of the pool.
// - Idempotency: the (ClientId, RequestId) row is written to gateway.sqlite before the job is queued;
//   a repeat reads the row (the same body → the same answer; a different body → refused). The row
//   is written first so that a crash in between leaves a row whose job is missing — nothing was sent,
//   and start() queues it again under the same job id.
// - Exactly once on the register is the fiscal service's (journal, reconciliation): one FiscalService
//   and one journal per register. A job whose outcome is unknown stays with its register; the register
//   takes no new request until its service has reconciled.
// - The pool's balancer (drivers/fiscal/pool/balancing.ts) chooses the register for a new request.
// - Failover: a register whose service lost its link (its idle health check or a job found it) gives up the
//   jobs that never sent a fiscal byte; they move to a healthy register. A started job never moves: it is
//   reconciled on its own register.
import { createHash, timingSafeEqual } from 'node:crypto';
import { Balancer, type BalancingStrategy, type Candidate } from '../../../drivers/fiscal/pool/balancing';
import type { ReceiptRequest } from '../../../drivers/fiscal/fiscal-register';
import type { FiscalJob, FiscalJournal, JournalDocument } from '../../store/fiscal-journal';
import type { GatewayRequest, GatewayRequests } from '../../store/gateway-requests';
import { newId } from '../../store/ids';
import type { Clock } from '../clock';
import type { FiscalService } from '../fiscal/fiscal-service';
import { FiscalJobInvalid } from '../fiscal/fiscal-service-errors';
import { answers, type AnswerOf, type GatewayAnswer } from './answers';
import { CallbackSender, callbackAllowed, DEFAULT_CALLBACK_OPTIONS, type CallbackOptions } from './callbacks';
import { ComplexRequest, describeIssues, receiptFromComplex, requestHash, type ReceiptMapping } from './complex-request';

export interface GatewayRegister {
  id: string;
  service: FiscalService;
  journal: FiscalJournal;
}

export interface FiscalGatewayOptions {
  password: string;
  /** How long a request waits for its document before the answer is "in progress" (24). */
  answerTimeoutMs: number;
  strategy: BalancingStrategy;
  /** Settled requests are kept this long (at least 31 days, reference §4.1). */
  retentionDays: number;
  mapping: ReceiptMapping;
  callbacks: Partial<Omit<CallbackOptions, 'allowedHosts'>> & { allowedHosts: readonly string[] };
  clock: Clock;
  log?: (line: string) => void;
  /** How often to look for unstarted jobs on registers that are down (also on every status change). Default 1 s. */
  rebalanceMs?: number;
}

export interface GatewayReply { httpStatus: number; answer: GatewayAnswer }

const DAY_MS = 86_400_000;
export const MIN_RETENTION_DAYS = 31;

const DOCUMENT_TYPE: Record<ReceiptRequest['sign'], number> = { sale: 0, purchase: 1, saleReturn: 2, purchaseReturn: 3 };

export class FiscalGateway {
  private readonly byId = new Map<string, GatewayRegister & { index: number; latencyMs: number | null }>();
  private readonly balancer: Balancer;
  private readonly callbacks: CallbackSender;
  private readonly waiters = new Map<string, Set<() => void>>();
  private readonly startedAt = new Map<string, number>();
  private readonly unsubscribe: Array<() => void> = [];
  private readonly passwordDigest: Buffer;
  private readonly log: (line: string) => void;
  private started = false;
  private rebalanceTimer: NodeJS.Timeout | null = null;

  constructor(private readonly store: GatewayRequests, registers: readonly GatewayRegister[], private readonly options: FiscalGatewayOptions) {
    if (registers.length === 0) throw new RangeError('the gateway needs at least one register');
    if (options.retentionDays < MIN_RETENTION_DAYS) throw new RangeError(`retentionDays must be at least ${MIN_RETENTION_DAYS}`);
    registers.forEach((r, index) => {
      if (this.byId.has(r.id)) throw new RangeError(`duplicate register id ${r.id}`);
      this.byId.set(r.id, { ...r, index, latencyMs: null });
    });
    this.balancer = new Balancer(options.strategy);
    this.passwordDigest = digest(options.password);
    this.log = options.log ?? (() => undefined);
    this.callbacks = new CallbackSender(store, { ...DEFAULT_CALLBACK_OPTIONS, ...options.callbacks }, options.clock, this.log);
  }

  /** Purges old settled requests, starts the fiscal services, and picks up what the last run left open. */
  start(): void {
    if (this.started) return;
    this.started = true;
    const purged = this.store.purgeSettledBefore(new Date(this.options.clock.nowMs() - this.options.retentionDays * DAY_MS).toISOString());
    if (purged > 0) this.log(`purged ${purged} settled requests older than ${this.options.retentionDays} days`);
    for (const r of this.byId.values()) {
      this.unsubscribe.push(r.service.on((e) => {
        if (e.type === 'fiscal.jobDone' || e.type === 'fiscal.jobParked') this.settle(r.id, e.jobId);
        if (e.type === 'fiscal.status') this.rebalance();
      }));
      r.service.start();
    }
    for (const row of this.store.open()) {
      const register = this.byId.get(row.registerId);
      if (!register) {
        this.log(`request ${row.requestId}: its register ${row.registerId} is not in the configuration; it stays open until it is`);
        continue;
      }
      const job = register.journal.job(row.jobId);
      if (!job) {
        // The row was written and the process stopped before the job was: nothing was sent. Queue it now.
        this.enqueue(register, row.jobId, row.receipt as ReceiptRequest);
      } else {
        this.settle(register.id, row.jobId);
      }
    }
    for (const row of this.store.callbacksDue()) this.callbacks.deliver(row.jobId);
    this.rebalanceTimer = setInterval(() => this.rebalance(), this.options.rebalanceMs ?? 1_000);
    this.rebalanceTimer.unref?.();
  }

  async stop(): Promise<void> {
    if (this.rebalanceTimer) clearInterval(this.rebalanceTimer);
    this.rebalanceTimer = null;
    for (const u of this.unsubscribe.splice(0)) u();
    for (const set of this.waiters.values()) for (const w of set) w();
    this.waiters.clear();
    await this.callbacks.stop();
    await Promise.all([...this.byId.values()].map((r) => r.service.stop()));
    this.started = false;
  }

  /** One `Complex` request (the parsed JSON body) → its answer. Never throws. */
  async complex(body: unknown): Promise<GatewayReply> {
    const of = loose(body);
    try {
      if (!this.passwordMatches((body as { Password?: unknown } | null)?.Password)) return { httpStatus: 401, answer: answers.wrongPassword(of) };
      const parsed = ComplexRequest.safeParse(body);
      if (!parsed.success) return { httpStatus: 400, answer: answers.badRequest(of, describeIssues(parsed.error)) };
      const req = parsed.data;
      const callback = req.Callback ? { url: req.Callback.Host, headers: req.Callback.Headers ?? {} } : null;
      if (callback && !callbackAllowed(callback.url, this.options.callbacks.allowedHosts)) {
        return { httpStatus: 400, answer: answers.callbackNotAllowed(of, new URL(callback.url).host) };
      }
      const mapped = receiptFromComplex(req, this.options.mapping);
      if (!mapped.ok) return { httpStatus: 400, answer: answers.badRequest(of, mapped.problems) };
      const clientId = req.ClientId ?? '';
      const bodyHash = requestHash(req);

      const known = this.store.get(clientId, req.RequestId);
      if (known) return this.repeat(known, bodyHash, of);

      const register = this.choose();
      if (!register) return { httpStatus: 503, answer: answers.noRegister(of) };
      const jobId = newId(this.options.clock.nowMs());
      const claim = this.store.claim({ clientId, requestId: req.RequestId, bodyHash, registerId: register.id, jobId,
        receipt: mapped.receipt, callback, at: this.options.clock.nowIso() });
      if (!claim.created) return this.repeat(claim.existing, bodyHash, of); // the same RequestId arrived twice at once
      this.startedAt.set(jobId, this.options.clock.nowMs());
      this.enqueue(register, jobId, mapped.receipt);
      return await this.answerWhenSettled(jobId, of);
    } catch (error) {
      this.log(`request ${of.requestId ?? '?'}: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      return { httpStatus: 500, answer: answers.internal(of) };
    }
  }

  /** Resolves when the request is settled (done / error) or after timeoutMs; returns its row. */
  async whenSettled(requestId: string, clientId = '', timeoutMs = 30_000): Promise<GatewayRequest | null> {
    const row = this.store.get(clientId, requestId);
    if (!row || row.state === 'done' || row.state === 'error') return row;
    await this.waitSettled(row.jobId, timeoutMs);
    return this.store.get(clientId, requestId);
  }

  /** Each register's fiscal service status (link, queue, last error), in configuration order. */
  registers(): Array<{ id: string; down: boolean; status: ReturnType<FiscalService['status']> }> {
    return [...this.byId.values()].map((r) => ({ id: r.id, down: isDown(r.service), status: r.service.status() }));
  }

  /** For tests and the status command: the cached row of a request. */
  request(requestId: string, clientId = ''): GatewayRequest | null { return this.store.get(clientId, requestId); }

  private async repeat(row: GatewayRequest, bodyHash: string, of: AnswerOf): Promise<GatewayReply> {
    if (row.bodyHash !== bodyHash) return { httpStatus: 409, answer: answers.requestIdReused(of) };
    return this.answerWhenSettled(row.jobId, of);
  }

  private enqueue(register: GatewayRegister, jobId: string, receipt: ReceiptRequest): void {
    try {
      register.service.requestReceipt(receipt, jobId);
    } catch (error) {
      if (!(error instanceof FiscalJobInvalid)) throw error;
      const row = this.store.byJob(jobId)!;
      this.finish(row, 'error', answers.notFiscalised(ofRow(row), error.message));
    }
  }

  private async answerWhenSettled(jobId: string, of: AnswerOf): Promise<GatewayReply> {
    let row = this.store.byJob(jobId)!;
    if (row.state === 'in_progress' || row.state === 'undefined_outcome') {
      await this.waitSettled(jobId, this.options.answerTimeoutMs);
      row = this.store.byJob(jobId)!;
    }
    if (row.state === 'done' || row.state === 'error') return { httpStatus: 200, answer: withOf(row.response as GatewayAnswer, of) };
    const register = this.byId.get(row.registerId);
    const job = register?.journal.job(jobId) ?? null;
    const unknown = job && register ? outcomeUnknown(register.journal, job) : null;
    if (unknown) {
      if (row.state !== 'undefined_outcome') this.store.mark(jobId, 'undefined_outcome', this.options.clock.nowIso());
      return { httpStatus: 200, answer: answers.undefinedOutcome(of, unknown) };
    }
    return { httpStatus: 200, answer: answers.inProgress(of) };
  }

  private waitSettled(jobId: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      let set = this.waiters.get(jobId);
      if (!set) this.waiters.set(jobId, set = new Set());
      const done = () => { clearTimeout(timer); set.delete(done); if (set.size === 0) this.waiters.delete(jobId); resolve(); };
      const timer = setTimeout(done, ms);
      set.add(done);
    });
  }

  /** The fiscal service finished or parked a job: settle its request (or mark it as waiting for a person). */
  private settle(registerId: string, jobId: string): void {
    const row = this.store.byJob(jobId);
    const register = this.byId.get(registerId);
    if (!row || !register || (row.state !== 'in_progress' && row.state !== 'undefined_outcome')) return;
    const job = register.journal.job(jobId);
    if (!job) return;
    const receipt = row.receipt as ReceiptRequest;
    if (job.state === 'done' && job.fdNumber !== null && job.fnSerial !== null) {
      const doc: JournalDocument = { fdNumber: job.fdNumber, fiscalSign: job.fiscalSign ?? '', dateTime: job.documentAt, document: job.document };
      const totalKopecks = receipt.items.reduce((sum, item) => sum + (item.amountKopecks ?? 0), 0);
      this.finish(row, 'done', answers.done(ofRow(row), { registerId, fnSerial: job.fnSerial, doc, totalKopecks, documentType: DOCUMENT_TYPE[receipt.sign] }));
      const started = this.startedAt.get(jobId);
      if (started !== undefined) {
        this.startedAt.delete(jobId);
        const ms = this.options.clock.nowMs() - started;
        const r = this.byId.get(registerId)!;
        r.latencyMs = r.latencyMs === null ? ms : 0.7 * r.latencyMs + 0.3 * ms;
      }
    } else if (job.state === 'manual') {
      if (this.journalledUnknown(register.journal, job)) {
        // A person must reconcile on the register: the document may exist. Never an error answer here.
        this.store.mark(jobId, 'undefined_outcome', this.options.clock.nowIso());
        this.log(`request ${row.requestId}: outcome unknown on ${registerId}, parked for a person: ${job.manualReason ?? ''}`);
      } else {
        this.finish(row, 'error', answers.notFiscalised(ofRow(row), job.manualReason ?? job.lastError?.message.en ?? 'refused'));
      }
    }
  }

  private finish(row: GatewayRequest, state: 'done' | 'error', answer: GatewayAnswer): void {
    if (this.store.settle(row.jobId, state, answer, this.options.clock.nowIso())) {
      this.callbacks.deliver(row.jobId);
    }
    const set = this.waiters.get(row.jobId);
    if (set) for (const w of [...set]) w();
  }

  private journalledUnknown(journal: FiscalJournal, job: FiscalJob): boolean {
    return journal.steps(job.id).some((s) => s.state === 'sending');
  }

  /**
   * Moves the jobs that never sent a fiscal byte off registers that are down, to registers that may take
   * new work. Per job: out of the old journal (atomically, only if still unstarted), the request row
   * re-pointed, into the new journal under the same job id. Synchronous: nothing else of the gateway runs
   * in between; the old service's beginStep() refuses a job that has left.
   */
  private rebalance(): void {
    if (!this.started) return;
    try {
      for (const r of this.byId.values()) {
        if (!isDown(r.service)) continue;
        for (const job of r.service.unstartedJobs()) {
          const row = this.store.byJob(job.id);
          if (!row || row.state !== 'in_progress' || row.registerId !== r.id) continue;
          const target = this.choose(r.id);
          if (!target) return; // nowhere to go: the jobs wait for their register
          if (!r.service.releaseUnstarted(job.id)) continue; // it started meanwhile: it stays and is reconciled there
          this.store.reassign(job.id, r.id, target.id, this.options.clock.nowIso());
          this.enqueue(target, job.id, row.receipt as ReceiptRequest);
          this.log(`request ${row.requestId}: moved from ${r.id} (down: ${r.service.status().lastError?.message.en ?? 'no link'}) to ${target.id} before it started`);
        }
      }
    } catch (error) {
      this.log(`rebalancing: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    }
  }

  /** Registers that may take a new request: up, and nothing waiting for reconciliation on them. */
  private choose(except?: string): GatewayRegister | null {
    const candidates: Candidate[] = [];
    for (const r of this.byId.values()) {
      if (r.id === except) continue;
      const status = r.service.status();
      if (isDown(r.service)) continue; // down: the service cannot reach it
      if (r.journal.openJobs().some((j) => outcomeUnknown(r.journal, j) !== null)) continue;
      if (r.journal.manualJobs(100).some((j) => this.journalledUnknown(r.journal, j))) continue;
      candidates.push({ id: r.id, index: r.index, load: status.queueLength, latencyMs: r.latencyMs });
    }
    const chosen = this.balancer.choose(candidates);
    return chosen ? this.byId.get(chosen.id)! : null;
  }

  private passwordMatches(given: unknown): boolean {
    if (typeof given !== 'string' && typeof given !== 'number') return false;
    // Digests of equal length, compared in constant time: neither the content nor the length leaks.
    return timingSafeEqual(digest(String(given)), this.passwordDigest);
  }
}

/** The service cannot reach its register (it lost the link and has not got it back). */
function isDown(service: FiscalService): boolean {
  const status = service.status();
  return !status.connected && status.lastError !== null;
}

/** Why the job's outcome is unknown (a fiscal step was sent and not confirmed), or null. */
function outcomeUnknown(journal: FiscalJournal, job: FiscalJob): string | null {
  if (job.state === 'reconciling') return job.lastError?.message.en ?? 'waiting for the register';
  if (job.state === 'manual' && journal.steps(job.id).some((s) => s.state === 'sending')) return job.manualReason ?? 'a person must reconcile';
  return null;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** RequestId / ClientId for the answer, from a body that may not have parsed. */
function loose(body: unknown): AnswerOf {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const requestId = typeof b.RequestId === 'string' && b.RequestId.length <= 64 ? b.RequestId : null;
  const clientId = typeof b.ClientId === 'string' && b.ClientId.length <= 64 ? b.ClientId : undefined;
  return { requestId, ...(clientId ? { clientId } : {}) };
}

function ofRow(row: GatewayRequest): AnswerOf {
  return { requestId: row.requestId, ...(row.clientId ? { clientId: row.clientId } : {}) };
}

function withOf(answer: GatewayAnswer, of: AnswerOf): GatewayAnswer {
  return { ...answer, RequestId: of.requestId ?? answer.RequestId };
}
