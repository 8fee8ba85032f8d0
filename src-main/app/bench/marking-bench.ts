// `prilavok bench marking`: the marking-code decision at a real lane, through its dispatcher
// (`receipt.scan` of a distinct demo code: read the code, the True API check on the emulator over HTTP
// on 127.0.0.1, decide(), the journal row and the receipt line committed), timed end to end.
// - decision: the True API emulator answers every codes/check after `latencyMs` (50 ms).
// - overhead: the scan's own codes/check request is timed where the client makes it (fetch wrapped for
//   the bench: request sent → answer body read); overhead = scan − that request, paired per scan. Each
//   scan is also followed by a raw fetch of the same body (network_* figures, and overhead_vs_raw_*: scan
//   − that separate round trip, which adds the network's jitter of two requests to the figure).
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
import { TrueApiEmulator } from '../../marking/emulators/truapi-emulator';
import { LocalModuleEmulator } from '../../marking/emulators/lm-emulator';
import { demoMarkingCode } from '../../marking/demo-codes';
import { CODES_CHECK_PATH } from '../../marking/true-api-client';
import type { MarkingCheckSettingsInput } from '../../marking/check-settings';
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

  /** One timed `receipt.scan` of a marking code; the receipt is paid and replaced off the clock. */
  async scan(code: string): Promise<number> {
    if (this.lines >= LINES_PER_RECEIPT) {
      await this.ok('receipt.payCash', { receiptId: this.receiptId, tenderedKopecks: 10_000_000 });
      await this.newReceipt();
    }
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

/**
 * Times the True API client's own codes/check requests: fetch is wrapped for the bench only, from the
 * call to the answer body read (what the client waits for). The raw round trip below uses the unwrapped fetch.
 */
function timeCodesCheckFetches(): { reset(): void; lastMs(): number | null; restore(): void } {
  const original = globalThis.fetch;
  let last: number | null = null;
  globalThis.fetch = async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const started = performance.now();
    const response = await original(input, init);
    if (!url.includes(CODES_CHECK_PATH)) return response;
    const text = response.text.bind(response);
    response.text = async () => {
      const body = await text();
      last = performance.now() - started;
      return body;
    };
    return response;
  };
  return { reset: () => { last = null; }, lastMs: () => last, restore: () => { globalThis.fetch = original; } };
}

/** The pure network round trip: the same request the True API client sends, without the client. */
async function rawCheck(host: string, code: string): Promise<number> {
  const t0 = nowMs();
  const response = await fetch(host + CODES_CHECK_PATH, {
    method: 'POST',
    headers: { Accept: 'application/json', 'Content-Type': 'application/json', 'X-API-KEY': API_KEY },
    body: JSON.stringify({ codes: [code] }),
  });
  await response.text();
  const ms = nowMs() - t0;
  if (response.status !== 200) throw new Error(`codes/check answered ${response.status}`);
  return ms;
}

function settings(truapi: TrueApiEmulator, lm: LocalModuleEmulator): MarkingCheckSettingsInput {
  return { mode: 'trueApi', trueApi: { cdnBase: truapi.cdnBase, defaultApiKey: API_KEY }, localModule: { url: lm.url, clientId: '9999078900001234' } };
}

export async function benchMarking(params: MarkingBenchParams): Promise<BenchReport> {
  const warmup = Math.max(20, Math.floor(params.samples / 20));
  const dirs: string[] = [];
  const closers: Array<() => Promise<void>> = [];
  let n = 0;
  const nextCode = () => demoMarkingCode('milk', ++n);
  try {
    const lm = await LocalModuleEmulator.start({ status: 'ready' });
    closers.push(() => lm.close());
    const truapi = await TrueApiEmulator.start({ hosts: 3, latencyMs: params.latencyMs, avgTimeMs: AVG_TIME_MS });
    closers.push(() => truapi.close());
    dirs.push(mkdtempSync(join(tmpdir(), 'prilavok-bench-marking-')));
    const lane = await ScanningLane.open(dirs[0]!, settings(truapi, lm));
    closers.unshift(() => lane.app.close());
    const best = truapi.hostUrls[0]!;

    // 1. Decisions, each paired with a raw round trip of the same body to the same host.
    progress(`bench marking: ${params.samples} decisions + ${params.samples} raw round trips at ${params.latencyMs} ms (+${warmup} warm-up)`);
    const decisionMs: number[] = [];
    const networkMs: number[] = [];
    const overheadMs: number[] = [];
    const overheadVsRawMs: number[] = [];
    const timing = timeCodesCheckFetches();
    closers.push(async () => timing.restore());
    for (let i = 0; i < warmup + params.samples; i++) {
      const code = nextCode();
      timing.reset();
      const decision = await lane.scan(code);
      const ownRequest = timing.lastMs();
      const network = await rawCheck(best, code);
      if (i < warmup) continue;
      if (ownRequest === null) throw new Error('the scan made no codes/check request');
      decisionMs.push(decision);
      networkMs.push(network);
      overheadMs.push(decision - ownRequest);
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
    const silentApi = await TrueApiEmulator.start({ hosts: 3, latencyMs: params.latencyMs, avgTimeMs: AVG_TIME_MS });
    closers.push(() => silentApi.close());
    dirs.push(mkdtempSync(join(tmpdir(), 'prilavok-bench-marking-silent-')));
    const silentLane = await ScanningLane.open(dirs[1]!, settings(silentApi, lm));
    closers.unshift(() => silentLane.app.close());
    silentApi.setFault(0, 'hang');
    const silentMs: number[] = [];
    for (let i = 0; i < SILENT_SAMPLES; i++) silentMs.push(await silentLane.scan(nextCode()));
    const silent = silentLane.journalSummary(SILENT_SAMPLES);

    return report('marking', {
      ...params, warmup, failover_samples: params.samples, silent_samples: SILENT_SAMPLES, hosts: AVG_TIME_MS.length, host_avg_time_ms: AVG_TIME_MS,
      budget_ms: 1500, path: 'dispatcher receipt.scan, lane SQLite (WAL, synchronous=FULL), True API emulator on 127.0.0.1',
      failover_decisions: { online: failedOver.online, offline: failedOver.offline, after_failed_attempt: failedOver.withFailedAttempts },
      silent_decisions: { online: silent.online, offline: silent.offline, after_failed_attempt: silent.withFailedAttempts },
    }, {
      decision_p50_ms: round(percentile(decisionMs, 50)),
      decision_p99_ms: round(percentile(decisionMs, 99)),
      network_p50_ms: round(percentile(networkMs, 50)),
      network_p99_ms: round(percentile(networkMs, 99)),
      overhead_p50_ms: round(percentile(overheadMs, 50)),
      overhead_p99_ms: round(percentile(overheadMs, 99)),
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
