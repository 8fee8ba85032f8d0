// A pool of fiscal registers behind one door: each job runs on one register, one job at a time per
// register, in the order the jobs were given to that register. The pool chooses the register
// (balancing.ts), watches health, and moves work away from a register that goes down, but only work
// that has not started. Exactly-once (ARCHITECTURE §5) draws the line:
// - a job that has not started (waiting in a register's queue) moves to another register when its own
//   goes down or is held for reconciliation; if no register is left it is refused, never run;
// - a job that has started is never run again by the pool. If it fails with 'outcome-unknown' the document
//   may exist on that register: the job stays bound to it (RegisterJobError outcome 'unknown'), the
//   register takes no new unbound work until the fiscal service has reconciled there (a job submitted with
//   affinity) and called reconciled(jobId).
// A register is marked down on a link error (a job's or a health check's) or paper out, and up again when
// a health check (status()) answers. The pool owns its registers: close() closes them.
import type { FiscalRegister, RegisterStatus } from '../fiscal-register';
import { FiscalError } from '../fiscal-error';
import { Balancer, type BalancingStrategy, type Candidate } from './balancing';
import { RegisterJobError, poolErrors } from './pool-error';

export interface PoolMember {
  id: string;
  /** An open register. */
  register?: FiscalRegister;
  /** Opens (or reopens, after the link went down) the register; health checks call it while it is down. */
  connect?: () => Promise<FiscalRegister>;
}

export type PoolEvent =
  | { type: 'down'; registerId: string; reason: string }
  | { type: 'up'; registerId: string }
  | { type: 'moved'; jobId: string; from: string; to: string }
  | { type: 'refused'; jobId: string; from: string | null }
  | { type: 'outcome-unknown'; jobId: string; registerId: string };

export interface RegisterPoolOptions {
  strategy?: BalancingStrategy;
  /** Health check period; 0 turns the timer off (checkHealth() still works). Default 5 s. */
  healthCheckIntervalMs?: number;
  /** Weight of the newest job in the latency EWMA (0..1]. Default 0.3. */
  latencySmoothing?: number;
  onEvent?: (event: PoolEvent) => void;
  now?: () => number;
}

export interface SubmitOptions {
  /** Run on this register only: it waits there while the register is down, and is never moved. */
  affinity?: string;
  /** The caller's id for the job (e.g. the fiscal journal's job id); generated when omitted. */
  jobId?: string;
}

export interface PoolJobResult<T> { registerId: string; jobId: string; result: T }

export type FiscalJob<T> = (register: FiscalRegister) => Promise<T>;

export interface PoolRegisterStatus {
  id: string;
  health: 'up' | 'down';
  /** Why it is down (the last error), null when up. */
  reason: string | null;
  queued: number;
  /** Id of the job running now. */
  running: string | null;
  latencyEwmaMs: number | null;
  lastStatus: RegisterStatus | null;
  lastCheckAtMs: number | null;
  completed: number;
  failed: number;
  /** Jobs with an unknown outcome waiting for reconciliation on this register. */
  unresolvedJobs: string[];
}

export interface PoolStatus { strategy: BalancingStrategy; registers: PoolRegisterStatus[] }

interface Job {
  id: string;
  run: FiscalJob<unknown>;
  affinity: string | null;
  resolve(result: PoolJobResult<unknown>): void;
  reject(error: unknown): void;
}

interface Member {
  id: string;
  index: number;
  register: FiscalRegister | null;
  connect: (() => Promise<FiscalRegister>) | null;
  health: 'up' | 'down';
  reason: string | null;
  queue: Job[];
  running: Job | null;
  runningDone: Promise<void> | null;
  /** The health check in progress. */
  checking: Promise<void> | null;
  latencyEwmaMs: number | null;
  lastStatus: RegisterStatus | null;
  lastCheckAtMs: number | null;
  completed: number;
  failed: number;
  unresolved: Set<string>;
}

export class RegisterPool {
  private readonly members: Member[];
  private readonly byId = new Map<string, Member>();
  private readonly balancer: Balancer;
  private readonly alpha: number;
  private readonly now: () => number;
  private readonly timer: NodeJS.Timeout | null = null;
  private sequence = 0;
  private closed = false;

  constructor(members: readonly PoolMember[], private readonly options: RegisterPoolOptions = {}) {
    if (members.length === 0) throw new RangeError('a register pool needs at least one register');
    this.balancer = new Balancer(options.strategy ?? 'shortest-queue');
    this.alpha = options.latencySmoothing ?? 0.3;
    this.now = options.now ?? Date.now;
    this.members = members.map((m, index) => {
      if (this.byId.has(m.id)) throw new RangeError(`duplicate register id ${m.id}`);
      if (!m.register && !m.connect) throw new RangeError(`register ${m.id}: give register or connect`);
      const member: Member = {
        id: m.id, index, register: m.register ?? null, connect: m.connect ?? null,
        health: m.register ? 'up' : 'down', reason: m.register ? null : 'not connected yet',
        queue: [], running: null, runningDone: null, checking: null, latencyEwmaMs: null, lastStatus: null, lastCheckAtMs: null,
        completed: 0, failed: 0, unresolved: new Set(),
      };
      this.byId.set(m.id, member);
      return member;
    });
    const interval = options.healthCheckIntervalMs ?? 5_000;
    if (interval > 0) {
      this.timer = setInterval(() => { void this.checkHealth(); }, interval);
      this.timer.unref();
    }
    if (this.members.some((m) => !m.register)) void this.checkHealth();
  }

  get strategy(): BalancingStrategy { return this.balancer.strategy; }

  /** Runs `job` on one register; resolves with which register ran it and its result. */
  submit<T>(job: FiscalJob<T>, options: SubmitOptions = {}): Promise<PoolJobResult<T>> {
    const id = options.jobId ?? `job-${++this.sequence}`;
    return new Promise<PoolJobResult<T>>((resolve, reject) => {
      const record: Job = { id, run: job, affinity: options.affinity ?? null, resolve: resolve as Job['resolve'], reject };
      if (this.closed) { reject(poolErrors.closed(id)); return; }
      if (record.affinity !== null) {
        const member = this.byId.get(record.affinity);
        if (!member) { reject(poolErrors.unknownRegister(record.affinity, id)); return; }
        this.enqueue(member, record);
        return;
      }
      this.place(record, null);
    });
  }

  /** The fiscal service has reconciled a job whose outcome was unknown: its register takes new work again. */
  reconciled(jobId: string): boolean {
    for (const m of this.members) {
      if (m.unresolved.delete(jobId)) { this.drain(m); return true; }
    }
    return false;
  }

  /** One health check of every register that is not busy now (the timer calls it too). */
  async checkHealth(): Promise<void> {
    await Promise.all(this.members.map((m) => this.checkMember(m)));
  }

  status(): PoolStatus {
    return {
      strategy: this.strategy,
      registers: this.members.map((m) => ({
        id: m.id, health: m.health, reason: m.reason, queued: m.queue.length, running: m.running?.id ?? null,
        latencyEwmaMs: m.latencyEwmaMs, lastStatus: m.lastStatus, lastCheckAtMs: m.lastCheckAtMs,
        completed: m.completed, failed: m.failed, unresolvedJobs: [...m.unresolved],
      })),
    };
  }

  /** Refuses jobs that have not started, lets running ones finish, then closes the registers. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    for (const m of this.members) {
      for (const job of m.queue.splice(0)) job.reject(poolErrors.closed(job.id));
    }
    await Promise.all(this.members.map((m) => m.runningDone));
    await Promise.all(this.members.map((m) => m.register?.close().catch(() => undefined)));
  }

  // ---- placing and running ------------------------------------------------------------------------

  /** Gives an unbound, not-started job to the register the strategy picks (excluding `from`), or refuses it. */
  private place(job: Job, from: Member | null): void {
    const candidates: Candidate[] = this.members
      .filter((m) => m !== from && this.takesUnboundWork(m))
      .map((m) => ({ id: m.id, index: m.index, load: m.queue.length + (m.running ? 1 : 0), latencyMs: m.latencyEwmaMs }));
    const chosen = this.balancer.choose(candidates);
    if (!chosen) {
      this.emit({ type: 'refused', jobId: job.id, from: from?.id ?? null });
      job.reject(poolErrors.noRegister(job.id));
      return;
    }
    if (from) this.emit({ type: 'moved', jobId: job.id, from: from.id, to: chosen.id });
    this.enqueue(this.byId.get(chosen.id)!, job);
  }

  private takesUnboundWork(m: Member): boolean {
    return m.health === 'up' && m.register !== null && m.unresolved.size === 0;
  }

  private enqueue(member: Member, job: Job): void {
    member.queue.push(job);
    this.drain(member);
  }

  /** Starts the next job of a register when it is free, up, and not in a health check. */
  private drain(member: Member): void {
    if (this.closed || member.running || member.checking || member.health !== 'up' || !member.register) return;
    const job = member.queue.shift();
    if (!job) return;
    member.running = job;
    member.runningDone = this.run(member, member.register, job);
  }

  private async run(member: Member, register: FiscalRegister, job: Job): Promise<void> {
    const t0 = this.now();
    try {
      const result = await job.run(register);
      const elapsed = this.now() - t0;
      member.latencyEwmaMs = member.latencyEwmaMs === null ? elapsed : this.alpha * elapsed + (1 - this.alpha) * member.latencyEwmaMs;
      member.completed++;
      job.resolve({ registerId: member.id, jobId: job.id, result });
    } catch (error) {
      member.failed++;
      const unknown = error instanceof FiscalError && error.kind === 'outcome-unknown';
      job.reject(new RegisterJobError(unknown ? 'unknown' : 'failed', member.id, job.id, error));
      if (unknown) {
        member.unresolved.add(job.id);
        this.emit({ type: 'outcome-unknown', jobId: job.id, registerId: member.id });
        this.moveUnbound(member);
      } else if (error instanceof FiscalError && error.kind === 'link') {
        this.markDown(member, error.message);
      }
    } finally {
      member.running = null;
      member.runningDone = null;
      this.drain(member);
    }
  }

  /** Moves the not-started jobs without affinity away from a register that cannot take them now. */
  private moveUnbound(member: Member): void {
    const staying: Job[] = [];
    const moving: Job[] = [];
    for (const job of member.queue) (job.affinity === null ? moving : staying).push(job);
    member.queue = staying;
    for (const job of moving) this.place(job, member);
  }

  // ---- health -----------------------------------------------------------------------------------------

  private markDown(member: Member, reason: string): void {
    const wasUp = member.health === 'up';
    member.health = 'down';
    member.reason = reason;
    if (wasUp) this.emit({ type: 'down', registerId: member.id, reason });
    this.moveUnbound(member);
  }

  private markUp(member: Member): void {
    if (member.health === 'up') return;
    member.health = 'up';
    member.reason = null;
    this.emit({ type: 'up', registerId: member.id });
  }

  private checkMember(member: Member): Promise<void> {
    // A running job is its own health check; a check already under way is the one to wait for.
    if (this.closed || member.running) return Promise.resolve();
    member.checking ??= this.check(member);
    return member.checking;
  }

  private async check(member: Member): Promise<void> {
    try {
      if (member.health === 'down' && member.connect) {
        await member.register?.close().catch(() => undefined);
        member.register = null;
        member.register = await member.connect();
      }
      if (!member.register) throw new Error('not connected');
      const status = await member.register.status();
      member.lastStatus = status;
      member.lastCheckAtMs = this.now();
      if (status.paperOut) this.markDown(member, 'paper out');
      else this.markUp(member);
    } catch (error) {
      member.lastCheckAtMs = this.now();
      this.markDown(member, (error as Error).message);
    } finally {
      member.checking = null;
      this.drain(member);
    }
  }

  private emit(event: PoolEvent): void {
    try { this.options.onEvent?.(event); } catch { /* a listener's bug must not stop the pool */ }
  }
}
