// `prilavok bench marking`: the marking-code decision at a real lane, through its dispatcher
// (`receipt.scan` of a distinct demo code: read the code, the True API check on the emulator over HTTP
// on 127.0.0.1, decide(), the journal row and the receipt line committed), timed end to end.
// The True API and local module emulators run in processes of their own (as the real services are
// elsewhere): in this process their HTTP servers, timers and garbage would land in the lane's timings.
// - decision: the True API emulator answers every codes/check after `latencyMs` (50 ms).
// - overhead (the check's own time above the network time): the scan's own codes/check request is timed
//   where the client makes it (http-json's observeRequests: request sent → answer body read), and so is
//   the sales database's COMMIT (the fsync of synchronous=FULL, SalesStore.transaction wrapped: body done →
//   committed), which every scan pays for its receipt line, marked or not (`bench sale` measures it as part
//   of scan_to_line). overhead = scan − that request − that commit wait, paired per scan; scan_overhead =
//   scan − that request (all the cashier waits beyond the network, the disk included); commit_* is the
//   fsync alone — it follows the disk, not our code. Each scan is also followed by a raw request of the same
//   body (requestJson, the client's own HTTP layer without the client) (network_* figures, and overhead_vs_raw_*: scan − that separate round trip, which adds the
//   network's jitter of two requests to the figure).
// - failover: the best host (lowest avgTimeMs, host 0) is killed (connection refused); every decision
//   after it counts, the first ones that still try the dead host before the checker blocks it included.
// - failover_silent (informational): the best host accepts connections and never answers, as a
//   black-holed host does; only the first few decisions pay for it, so first and max are reported.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type PosAppInternals } from '../create-app';
import type { Session } from '../dispatcher';
import type { CallOutcome } from '../../contract';
import { demoMarkingCode } from '../../marking/demo-codes';
import { CODES_CHECK_PATH } from '../../marking/true-api-client';
import { CDN_INFO_PATH } from '../../marking/cdn-hosts';
import { deadline, observeRequests, requestJson } from '../../marking/http-json';
import { EmulatorProcess, type BenchProcess } from './bench-process';
import type { MarkingCheckSettingsInput } from '../../marking/check-settings';
import type { SalesStore } from '../../store/sales-store';
import { percentile, progress, report, round, type BenchReport } from './report';

export interface MarkingBenchParams {
  samples: number;
  latencyMs: number;
}

const API_KEY = 'bench-api-key';
/** Host 0 is the best one (lowest avgTimeMs), the one the failover phases take down. */
const AVG_TIME_MS = [20, 60, 120];
/** Lines per receipt before it is paid and a new one opened (keeps receipts realistic in size). */
const LINES_PER_RECEIPT = 20;
const SILENT_SAMPLES = 10;

const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

/** A lane selling through its dispatcher as the cashier (PIN 1111), with an open shift and receipt. */
class ScanningLane {
  private id = 0;
  private receiptId = '';
  private lines = 0;
  private constructor(readonly app: PosAppInternals, private readonly session: Session) {}

  static async open(dir: string, marking: MarkingCheckSettingsInput): Promise<ScanningLane> {
    const app = await createApp({ dataDir: dir, demo: true, marking });
    const lane = new ScanningLane(app, app.newSession());
    await lane.ok('session.login', { pin: '1111' });
    await lane.ok('shift.open', {});
    await lane.newReceipt();
    return lane;
  }

  call(name: string, payload: unknown): Promise<CallOutcome> {
    return this.app.dispatcher.dispatch(this.session, { type: 'call', id: ++this.id, call: name, payload });
  }

  async ok(name: string, payload: unknown): Promise<unknown> {
    const outcome = await this.call(name, payload);
    if (!outcome.ok) throw new Error(`${name} failed: ${JSON.stringify(outcome.error)}`);
    return outcome.result;
  }

  /** A full receipt is paid and replaced (off the clock: call it before a timed scan). */
  async payWhenFull(): Promise<void> {
    if (this.lines < LINES_PER_RECEIPT) return;
    await this.ok('receipt.payCash', { receiptId: this.receiptId, tenderedKopecks: 10_000_000 });
    await this.newReceipt();
  }

  /** One timed `receipt.scan` of a marking code. */
  async scan(code: string): Promise<number> {
    await this.payWhenFull();
    const t0 = nowMs();
    const outcome = await this.call('receipt.scan', { receiptId: this.receiptId, code, source: 'scanner' });
    const ms = nowMs() - t0;
    if (!outcome.ok) throw new Error(`receipt.scan failed: ${JSON.stringify(outcome.error)}`);
    this.lines += 1;
    return ms;
  }

  /** How the last `count` decisions were made: by which channel, and how many failed attempts came first. */
  journalSummary(count: number): { online: number; offline: number; other: number; withFailedAttempts: number } {
    const rows = this.app.sales.marking.list({ limit: count });
    const summary = { online: 0, offline: 0, other: 0, withFailedAttempts: 0 };
    for (const r of rows) {
      if (r.checkedBy === 'online') summary.online += 1;
      else if (r.checkedBy === 'offline') summary.offline += 1;
      else summary.other += 1;
      const attempts = r.details['attempts'];
      if (Array.isArray(attempts) && attempts.length > 0) summary.withFailedAttempts += 1;
    }
    return summary;
  }

  private async newReceipt(): Promise<void> {
    const receipt = await this.ok('receipt.open', {}) as { id: string };
    this.receiptId = receipt.id;
    this.lines = 0;
  }
}

/** Times the True API client's own codes/check requests, from the request to the answer body read. */
function timeCodesCheckRequests(): { reset(): void; lastMs(): number | null; restore(): void } {
  let last: number | null = null;
  const stop = observeRequests((t) => { if (t.url.includes(CODES_CHECK_PATH)) last = t.ms; });
  return { reset: () => { last = null; }, lastMs: () => last, restore: stop };
}

/**
 * Times the durable COMMIT of the sales store's transactions (from the body's end to the transaction's
 * return: SQLite's commit with its WAL fsync). Bench only: the instance's method is wrapped.
 */
function timeCommits(store: SalesStore): { reset(): void; totalMs(): number; restore(): void } {
  const original = store.transaction;
  const run: SalesStore['transaction'] = original.bind(store);
  let total = 0;
  store.transaction = <T>(fn: () => T): T => {
    let bodyDone = 0;
    const result = run((): T => {
      const value = fn();
      bodyDone = performance.now();
      return value;
    });
    total += performance.now() - bodyDone;
    return result;
  };
  return { reset: () => { total = 0; }, totalMs: () => total, restore: () => { store.transaction = original; } };
}

/** The pure network round trip: the same request the True API client sends, through its HTTP layer, without the client. */
async function rawCheck(host: string, code: string): Promise<number> {
  const t0 = nowMs();
  const d = deadline(5_000);
  const reply = await requestJson({ url: host + CODES_CHECK_PATH, method: 'POST', headers: { 'X-API-KEY': API_KEY }, body: { codes: [code] }, signal: d.signal })
    .finally(d.done);
  const ms = nowMs() - t0;
  if (reply.kind !== 'reply' || reply.status !== 200) throw new Error(`codes/check answered ${reply.kind === 'reply' ? reply.status : reply.failure}`);
  return ms;
}

/**
 * A True API emulator (CDN server and hosts) in its own process, steered through its `/__control`
 * endpoint as its CLI documents, so that serving the lane's requests costs the lane's process nothing.
 */
class TrueApiProcess {
  private constructor(private readonly emulator: BenchProcess, readonly cdnBase: string, readonly hostUrls: string[]) {}

  static async start(latencyMs: number): Promise<TrueApiProcess> {
    const emulator = await EmulatorProcess.start(['truapi', '--port', '0', '--hosts', String(AVG_TIME_MS.length), '--latency-ms', String(latencyMs)], 'LISTENING ');
    try {
      const cdnBase = emulator.readyLine.slice('LISTENING '.length).trim();
      const info = await fetch(cdnBase + CDN_INFO_PATH, { headers: { 'X-API-KEY': API_KEY } }).then((r) => r.json()) as { hosts: Array<{ host: string }> };
      const api = new TrueApiProcess(emulator, cdnBase, info.hosts.map((h) => h.host));
      for (const [host, avgTimeMs] of AVG_TIME_MS.entries()) await api.control({ op: 'setAvgTime', host, avgTimeMs });
      return api;
    } catch (error) {
      await emulator.stop();
      throw error;
    }
  }

  async control(command: Record<string, unknown>): Promise<void> {
    const response = await fetch(`${this.cdnBase}/__control`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(command) });
    if (!response.ok) throw new Error(`truapi control ${JSON.stringify(command)}: ${response.status} ${await response.text()}`);
  }

  /** Closes a host's server (connections refused from now on) and waits until it is gone. */
  async killHost(index: number): Promise<void> {
    await this.control({ op: 'kill', host: index });
    for (let i = 0; i < 100; i++) {
      const refused = await fetch(this.hostUrls[index]!, { method: 'GET' }).then(() => false, () => true);
      if (refused) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`host ${index} still answers after kill`);
  }

  stop(): Promise<void> { return this.emulator.stop(); }
}

function settings(truapi: TrueApiProcess, lmUrl: string): MarkingCheckSettingsInput {
  return { mode: 'trueApi', trueApi: { cdnBase: truapi.cdnBase, defaultApiKey: API_KEY }, localModule: { url: lmUrl, clientId: '9999078900001234' } };
}

export async function benchMarking(params: MarkingBenchParams): Promise<BenchReport> {
  const warmup = Math.max(20, Math.floor(params.samples / 20));
  const dirs: string[] = [];
  const closers: Array<() => Promise<void>> = [];
  let n = 0;
  const nextCode = () => demoMarkingCode('milk', ++n);
  try {
    const lm = await EmulatorProcess.start(['lm', '--port', '0', '--status', 'ready'], 'LISTENING ');
    closers.push(() => lm.stop());
    const lmUrl = lm.readyLine.slice('LISTENING '.length).trim();
    const truapi = await TrueApiProcess.start(params.latencyMs);
    closers.push(() => truapi.stop());
    dirs.push(mkdtempSync(join(tmpdir(), 'prilavok-bench-marking-')));
    const lane = await ScanningLane.open(dirs[0]!, settings(truapi, lmUrl));
    closers.unshift(() => lane.app.close());
    const best = truapi.hostUrls[0]!;

    // 1. Decisions, each paired with a raw round trip of the same body to the same host.
    progress(`bench marking: ${params.samples} decisions + ${params.samples} raw round trips at ${params.latencyMs} ms (+${warmup} warm-up)`);
    const decisionMs: number[] = [];
    const networkMs: number[] = [];
    const overheadMs: number[] = [];
    const scanOverheadMs: number[] = [];
    const commitMs: number[] = [];
    const overheadVsRawMs: number[] = [];
    const timing = timeCodesCheckRequests();
    closers.push(async () => timing.restore());
    const commits = timeCommits(lane.app.sales);
    closers.push(async () => commits.restore());
    for (let i = 0; i < warmup + params.samples; i++) {
      const code = nextCode();
      await lane.payWhenFull();
      timing.reset();
      commits.reset();
      const decision = await lane.scan(code);
      const ownRequest = timing.lastMs();
      const commit = commits.totalMs();
      const network = await rawCheck(best, code);
      if (i < warmup) continue;
      if (ownRequest === null) throw new Error('the scan made no codes/check request');
      if (commit <= 0) throw new Error('the scan committed nothing');
      decisionMs.push(decision);
      networkMs.push(network);
      commitMs.push(commit);
      scanOverheadMs.push(decision - ownRequest);
      overheadMs.push(decision - ownRequest - commit);
      overheadVsRawMs.push(decision - network);
      if ((i - warmup + 1) % 200 === 0) progress(`  ${i - warmup + 1}/${params.samples}`);
    }
    const decided = lane.journalSummary(params.samples);
    if (decided.online !== params.samples) throw new Error(`expected online decisions only, got ${JSON.stringify(decided)}`);

    // 2. Failover: the best host dies; every decision from the first one on counts.
    progress(`bench marking: failover, host 0 (avgTimeMs ${AVG_TIME_MS[0]}) killed, ${params.samples} decisions`);
    await truapi.killHost(0);
    const failoverMs: number[] = [];
    for (let i = 0; i < params.samples; i++) failoverMs.push(await lane.scan(nextCode()));
    const failedOver = lane.journalSummary(params.samples);

    // 3. A silent best host on a fresh lane: connections accepted, no answer.
    progress(`bench marking: silent best host, ${SILENT_SAMPLES} decisions on a fresh lane`);
    const silentApi = await TrueApiProcess.start(params.latencyMs);
    closers.push(() => silentApi.stop());
    dirs.push(mkdtempSync(join(tmpdir(), 'prilavok-bench-marking-silent-')));
    const silentLane = await ScanningLane.open(dirs[1]!, settings(silentApi, lmUrl));
    closers.unshift(() => silentLane.app.close());
    await silentApi.control({ op: 'setFault', host: 0, fault: 'hang' });
    const silentMs: number[] = [];
    for (let i = 0; i < SILENT_SAMPLES; i++) silentMs.push(await silentLane.scan(nextCode()));
    const silent = silentLane.journalSummary(SILENT_SAMPLES);

    return report('marking', {
      ...params, warmup, failover_samples: params.samples, silent_samples: SILENT_SAMPLES, hosts: AVG_TIME_MS.length, host_avg_time_ms: AVG_TIME_MS,
      budget_ms: 1500, path: 'dispatcher receipt.scan, lane SQLite (WAL, synchronous=FULL), True API and local module emulators in their own processes on 127.0.0.1',
      failover_decisions: { online: failedOver.online, offline: failedOver.offline, after_failed_attempt: failedOver.withFailedAttempts },
      silent_decisions: { online: silent.online, offline: silent.offline, after_failed_attempt: silent.withFailedAttempts },
    }, {
      decision_p50_ms: round(percentile(decisionMs, 50)),
      decision_p99_ms: round(percentile(decisionMs, 99)),
      network_p50_ms: round(percentile(networkMs, 50)),
      network_p99_ms: round(percentile(networkMs, 99)),
      overhead_p50_ms: round(percentile(overheadMs, 50)),
      overhead_p99_ms: round(percentile(overheadMs, 99)),
      scan_overhead_p50_ms: round(percentile(scanOverheadMs, 50)),
      scan_overhead_p99_ms: round(percentile(scanOverheadMs, 99)),
      commit_p50_ms: round(percentile(commitMs, 50)),
      commit_p99_ms: round(percentile(commitMs, 99)),
      overhead_vs_raw_p50_ms: round(percentile(overheadVsRawMs, 50)),
      overhead_vs_raw_p99_ms: round(percentile(overheadVsRawMs, 99)),
      failover_first_ms: round(failoverMs[0]!),
      failover_p50_ms: round(percentile(failoverMs, 50)),
      failover_p99_ms: round(percentile(failoverMs, 99)),
      failover_max_ms: round(Math.max(...failoverMs)),
      failover_silent_first_ms: round(silentMs[0]!),
      failover_silent_max_ms: round(Math.max(...silentMs)),
      failover_silent_last_ms: round(silentMs[silentMs.length - 1]!),
    });
  } finally {
    for (const close of closers) await close().catch(() => undefined);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}
