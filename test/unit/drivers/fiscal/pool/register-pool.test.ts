// RegisterPool with registers we control: which register runs a job, what happens when one goes down,
// and the exactly-once line — a job that started is never moved.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FiscalRegister, RegisterStatus } from '../../../../../drivers/fiscal/fiscal-register';
import { FiscalError, fiscalErrors } from '../../../../../drivers/fiscal/fiscal-error';
import { RegisterPool, type PoolEvent, type RegisterPoolOptions } from '../../../../../drivers/fiscal/pool/register-pool';
import { RegisterJobError } from '../../../../../drivers/fiscal/pool/pool-error';

const IDLE: RegisterStatus = { mode: 2, modeRaw: 2, submode: 0, shiftState: 'open', receiptOpen: false, paperOut: false, awaitingContinuePrint: false, operator: 30 };

/** A register whose status() answers while `alive`; the jobs themselves are plain functions in the tests. */
class FakeRegister {
  readonly protocol = 'fake';
  alive = true;
  paperOut = false;
  statusCalls = 0;
  closed = false;
  constructor(readonly name: string) {}
  async status(): Promise<RegisterStatus> {
    this.statusCalls++;
    if (!this.alive) throw fiscalErrors.noLink({ register: this.name });
    return { ...IDLE, paperOut: this.paperOut };
  }
  async close(): Promise<void> { this.closed = true; }
}
const asRegister = (f: FakeRegister) => f as unknown as FiscalRegister;

/** A job that stays running until released. */
function gate<T = string>(value?: T) {
  let release: () => void = () => undefined;
  let fail: (e: unknown) => void = () => undefined;
  const opened = new Promise<void>((resolve, reject) => { release = resolve; fail = reject; });
  const started = vi.fn();
  const job = async (r: FiscalRegister) => { started((r as unknown as FakeRegister).name); await opened; return value ?? ((r as unknown as FakeRegister).name as unknown as T); };
  return { job, release: () => release(), fail: (e: unknown) => fail(e), started };
}

let pool: RegisterPool | null = null;
afterEach(async () => { await pool?.close(); pool = null; });

function makePool(n: number, options: RegisterPoolOptions = {}) {
  const fakes = Array.from({ length: n }, (_, i) => new FakeRegister(`kkt${i + 1}`));
  const events: PoolEvent[] = [];
  pool = new RegisterPool(fakes.map((f) => ({ id: f.name, register: asRegister(f) })),
    { healthCheckIntervalMs: 0, onEvent: (e) => events.push(e), ...options });
  return { pool, fakes, events };
}

const nameOf = async (r: FiscalRegister) => (r as unknown as FakeRegister).name;
const tick = () => new Promise((r) => setImmediate(r));

describe('RegisterPool balancing', () => {
  it('round robin spreads jobs over the registers in turn', async () => {
    const { pool } = makePool(3, { strategy: 'round-robin' });
    const ids = [];
    for (let i = 0; i < 6; i++) ids.push((await pool.submit(nameOf)).registerId);
    expect(ids).toEqual(['kkt1', 'kkt2', 'kkt3', 'kkt1', 'kkt2', 'kkt3']);
  });

  it('shortest queue sends a job to the register with the fewest jobs', async () => {
    const { pool } = makePool(2, { strategy: 'shortest-queue' });
    const busy = gate();
    const first = pool.submit(busy.job, { affinity: 'kkt1' });
    void pool.submit(busy.job, { affinity: 'kkt1' }).catch(() => undefined);
    // kkt1 has one running and one waiting: the next two free jobs go to kkt2 (0, then 1 < 2).
    expect((await pool.submit(nameOf)).registerId).toBe('kkt2');
    expect((await pool.submit(nameOf)).registerId).toBe('kkt2');
    busy.release();
    expect((await first).registerId).toBe('kkt1');
  });

  it('lowest latency prefers the register that has been answering faster', async () => {
    let t = 0;
    const { pool } = makePool(2, { strategy: 'lowest-latency', now: () => t });
    const timed = (ms: number) => async () => { t += ms; };
    await pool.submit(timed(400), { affinity: 'kkt1' });
    await pool.submit(timed(100), { affinity: 'kkt2' });
    expect(pool.status().registers.map((r) => r.latencyEwmaMs)).toEqual([400, 100]);
    expect((await pool.submit(nameOf)).registerId).toBe('kkt2');
    expect((await pool.submit(nameOf)).registerId).toBe('kkt2');
  });
});

describe('RegisterPool queues', () => {
  it('runs one job at a time per register, in the order they were given to it', async () => {
    const { pool } = makePool(1);
    const order: string[] = [];
    let running = 0;
    let maxRunning = 0;
    const job = (name: string) => async () => {
      running++; maxRunning = Math.max(maxRunning, running);
      await tick();
      order.push(name);
      running--;
      return name;
    };
    const results = await Promise.all(['a', 'b', 'c', 'd'].map((n) => pool.submit(job(n))));
    expect(order).toEqual(['a', 'b', 'c', 'd']);
    expect(results.map((r) => r.result)).toEqual(['a', 'b', 'c', 'd']);
    expect(maxRunning).toBe(1);
  });

  it('a job with affinity runs on that register even when others are idle', async () => {
    const { pool } = makePool(3);
    for (let i = 0; i < 3; i++) expect((await pool.submit(nameOf, { affinity: 'kkt3' })).result).toBe('kkt3');
    await expect(pool.submit(nameOf, { affinity: 'nope' })).rejects.toMatchObject({ code: 'FISCAL_POOL_UNKNOWN_REGISTER' });
  });
});

describe('RegisterPool failover', () => {
  it('a register that fails with a link error is marked down and new jobs go elsewhere', async () => {
    const { pool, fakes, events } = makePool(2, { strategy: 'round-robin' });
    fakes[0]!.alive = false;
    const failed = await pool.submit(async (r) => { await r.status(); }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(RegisterJobError);
    expect(failed).toMatchObject({ registerId: 'kkt1', outcome: 'failed', code: 'FISCAL_NO_LINK' });
    expect(pool.status().registers[0]).toMatchObject({ health: 'down', failed: 1 });
    expect(events).toContainEqual(expect.objectContaining({ type: 'down', registerId: 'kkt1' }));
    for (let i = 0; i < 4; i++) expect((await pool.submit(nameOf)).registerId).toBe('kkt2');
  });

  it('jobs waiting on a register that goes down move to another register; the started one is not rerun', async () => {
    const { pool, events } = makePool(2, { strategy: 'round-robin' });
    const blocker = gate();
    const hold = gate();
    const running = pool.submit(blocker.job, { affinity: 'kkt1' });
    void pool.submit(hold.job, { affinity: 'kkt2' });
    // Both registers are busy; these two wait in kkt1's queue (round robin puts one there).
    const waiting = [pool.submit(nameOf), pool.submit(nameOf)];
    expect(pool.status().registers.map((r) => r.queued)).toEqual([1, 1]);
    blocker.fail(fiscalErrors.noLink({ reason: 'cable' }));
    await expect(running).rejects.toMatchObject({ registerId: 'kkt1', outcome: 'failed' });
    expect(blocker.started).toHaveBeenCalledTimes(1);
    hold.release();
    const moved = await Promise.all(waiting);
    expect(moved.map((r) => r.registerId)).toEqual(['kkt2', 'kkt2']);
    expect(events).toContainEqual({ type: 'moved', jobId: expect.any(String), from: 'kkt1', to: 'kkt2' });
  });

  it('a started job whose outcome is unknown is not moved: it is reported bound to its register, which waits for reconciliation', async () => {
    const { pool, events } = makePool(2, { strategy: 'round-robin' });
    const attempts: string[] = [];
    const sale = async (r: FiscalRegister) => {
      attempts.push(await nameOf(r));
      throw fiscalErrors.outcomeUnknown('closeReceiptV2', { reason: 'register idle without an answer' });
    };
    const error = await pool.submit(sale, { jobId: 'sale-42' }).catch((e: unknown) => e) as RegisterJobError;
    expect(error).toBeInstanceOf(RegisterJobError);
    expect(error).toMatchObject({ outcome: 'unknown', registerId: 'kkt1', jobId: 'sale-42', code: 'FISCAL_OUTCOME_UNKNOWN' });
    expect(error.details).toMatchObject({ started: true, registerId: 'kkt1' });
    expect(error.cause).toBeInstanceOf(FiscalError);
    expect(attempts).toEqual(['kkt1']);
    expect(events).toContainEqual({ type: 'outcome-unknown', jobId: 'sale-42', registerId: 'kkt1' });
    expect(pool.status().registers[0]!.unresolvedJobs).toEqual(['sale-42']);

    // New unbound work avoids kkt1 until the service has reconciled there.
    for (let i = 0; i < 3; i++) expect((await pool.submit(nameOf)).registerId).toBe('kkt2');
    const reconcile = await pool.submit(async (r) => (await r.status()).receiptOpen, { affinity: 'kkt1' });
    expect(reconcile.registerId).toBe('kkt1');
    expect(pool.reconciled('sale-42')).toBe(true);
    const after = [];
    for (let i = 0; i < 2; i++) after.push((await pool.submit(nameOf)).registerId);
    expect(after).toContain('kkt1');
    expect(attempts).toEqual(['kkt1']);
  });

  it('refuses a job, without running it, when no register is up', async () => {
    const { pool, fakes } = makePool(1);
    fakes[0]!.alive = false;
    await pool.checkHealth();
    const job = vi.fn(nameOf);
    await expect(pool.submit(job)).rejects.toMatchObject({ kind: 'link', code: 'FISCAL_POOL_NO_REGISTER', details: { started: false } });
    expect(job).not.toHaveBeenCalled();
  });

  it('a job with affinity waits while its register is down and runs when it is back', async () => {
    const { pool, fakes } = makePool(2);
    fakes[0]!.alive = false;
    await pool.checkHealth();
    const bound = pool.submit(nameOf, { affinity: 'kkt1' });
    await tick();
    expect(pool.status().registers[0]).toMatchObject({ health: 'down', queued: 1 });
    fakes[0]!.alive = true;
    await pool.checkHealth();
    expect((await bound).registerId).toBe('kkt1');
  });
});

describe('RegisterPool health', () => {
  it('health checks on the timer mark a register down when status() fails and up when it answers again', async () => {
    const { pool, fakes, events } = makePool(2, { healthCheckIntervalMs: 10 });
    fakes[1]!.alive = false;
    await vi.waitFor(() => expect(pool.status().registers[1]!.health).toBe('down'));
    expect(pool.status().registers[1]!.reason).toMatch(/No link/);
    for (let i = 0; i < 3; i++) expect((await pool.submit(nameOf)).registerId).toBe('kkt1');
    fakes[1]!.alive = true;
    await vi.waitFor(() => expect(pool.status().registers[1]!.health).toBe('up'));
    expect(events.map((e) => e.type)).toEqual(['down', 'up']);
    const ids = new Set<string>();
    for (let i = 0; i < 4; i++) ids.add((await pool.submit(nameOf)).registerId);
    expect(ids).toEqual(new Set(['kkt1', 'kkt2']));
  });

  it('a register out of paper is down until paper is loaded', async () => {
    const { pool, fakes } = makePool(2);
    fakes[0]!.paperOut = true;
    await pool.checkHealth();
    expect(pool.status().registers[0]).toMatchObject({ health: 'down', reason: 'paper out' });
    fakes[0]!.paperOut = false;
    await pool.checkHealth();
    expect(pool.status().registers[0]!.health).toBe('up');
  });

  it('reconnects a down register through connect() before checking it', async () => {
    const instances: FakeRegister[] = [];
    const connect = vi.fn(async () => { const f = new FakeRegister(`kkt1#${instances.length + 1}`); instances.push(f); return asRegister(f); });
    pool = new RegisterPool([{ id: 'kkt1', connect }], { healthCheckIntervalMs: 0 });
    await vi.waitFor(() => expect(pool!.status().registers[0]!.health).toBe('up'));
    instances[0]!.alive = false;
    await pool.checkHealth();
    expect(pool.status().registers[0]!.health).toBe('down');
    await pool.checkHealth();
    expect(instances[0]!.closed).toBe(true);
    expect(connect).toHaveBeenCalledTimes(2);
    expect((await pool.submit(nameOf)).result).toBe('kkt1#2');
  });

  it('does not run a health check on a register while a job runs there', async () => {
    const { pool, fakes } = makePool(1);
    const busy = gate();
    const running = pool.submit(busy.job);
    await tick();
    await pool.checkHealth();
    expect(fakes[0]!.statusCalls).toBe(0);
    busy.release();
    await running;
  });
});

describe('RegisterPool close', () => {
  it('refuses waiting jobs, lets the running one finish, and closes the registers', async () => {
    const { pool: p, fakes } = makePool(1);
    pool = null;
    const busy = gate();
    const running = p.submit(busy.job);
    const waiting = p.submit(nameOf);
    const closing = p.close();
    await expect(waiting).rejects.toMatchObject({ code: 'FISCAL_POOL_CLOSED', details: { started: false } });
    busy.release();
    await closing;
    expect((await running).result).toBe('kkt1');
    expect(fakes[0]!.closed).toBe(true);
    await expect(p.submit(nameOf)).rejects.toMatchObject({ code: 'FISCAL_POOL_CLOSED' });
  });
});
