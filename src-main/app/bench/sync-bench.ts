// `prilavok bench sync`: the lane ⇄ head office link on loopback, with the head office (hq/) built and
// forked as its own process (hq/dist/child.mjs) on PostgreSQL when DATABASE_URL is set, else PGlite.
//
// backlog_100k_drain_s: a lane whose outbox holds `receipts` sale documents (written before the clock
//   starts) drains it through the real OutboxRelay; wall time until the outbox is empty.
// ingest_receipts_per_s: three lanes with `lane_receipts` each send at once, each relay in its own
//   worker thread (its own event loop, its own SQLite connection, as each real lane is its own
//   process); documents stored by the head office per second of wall time.
// catalog_10k_propagation_s: on a lane that already holds `base_skus` pulled products, the head office
//   publishes a change of `changed` products (one transaction) and the lane pulls and applies it (one
//   transaction); from the start of the publish to the lane's commit. The lane's polling delay is not
//   included (it pulls right after the publish, as after a wake). catalog_10k_publish_s and
//   catalog_10k_apply_s split it.
// HQ_CHILD_PROFILE=DIR writes a CPU profile of the head office process there.
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Product, Sale } from '../../contract/model';
import { generatedProducts, type GeneratedProduct } from '../../store/catalog-generator';
import { CatalogStore } from '../../store/catalog-store';
import { newId } from '../../store/ids';
import type { Outbox } from '../../store/outbox';
import { SalesStore } from '../../store/sales-store';
import { CatalogPuller, OutboxRelay } from '../../upstream';
import { progress, report, round, type BenchReport } from './report';

export interface SyncBenchParams {
  receipts: number;
  laneReceipts: number;
  changed: number;
  baseSkus: number;
  batch: number;
}

/** hq/ of this checkout: from the repository root, or next to out/main/cli.js. */
function hqDir(): string {
  const candidates = [resolve(process.cwd(), 'hq'), resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'hq')];
  const dir = candidates.find((d) => existsSync(join(d, 'build.mjs')));
  if (!dir) throw new Error('bench sync needs the hq/ folder of the checkout (run it from the repository root)');
  return dir;
}

interface HqChild {
  url: string;
  engine: 'postgres' | 'pglite';
  call<T>(op: string, args: Record<string, unknown>): Promise<T>;
  stop(): Promise<void>;
}

async function startHqChild(dir: string, env: NodeJS.ProcessEnv): Promise<HqChild> {
  const built = spawnSync(process.execPath, ['build.mjs'], { cwd: dir, stdio: ['ignore', 'inherit', 'inherit'] });
  if (built.status !== 0) throw new Error('building hq/ failed');
  const child: ChildProcess = fork(join(dir, 'dist', 'child.mjs'), [], { env, execArgv: process.env.HQ_CHILD_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.HQ_CHILD_PROFILE] : [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let next = 1;
  const ready = new Promise<{ url: string; engine: 'postgres' | 'pglite' }>((res, rej) => {
    child.once('exit', (code) => rej(new Error(`the hq child exited (${code}) before it was ready`)));
    child.on('message', (raw) => {
      const m = raw as { ready?: boolean; url: string; engine: 'postgres' | 'pglite'; id?: number; result?: unknown; error?: string };
      if (m.ready) return res(m);
      const p = pending.get(m.id!);
      pending.delete(m.id!);
      if (m.error !== undefined) p?.reject(new Error(m.error));
      else p?.resolve(m.result);
    });
  });
  const info = await ready;
  return {
    ...info,
    call: <T>(op: string, args: Record<string, unknown>) => new Promise<T>((res, rej) => {
      const id = next++;
      pending.set(id, { resolve: (v) => res(v as T), reject: rej });
      child.send({ id, op, ...args });
    }),
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.send({ id: 0, op: 'stop', dropSchema: true });
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

/**
 * A closed cash sale of 3 lines as the sale service writes it today (shape only; the numbers are
 * consistent): the tender with its change, and the FFD payment sums.
 */
export function benchSaleDocument(number: number, shiftId: string): Sale {
  const lines = [0, 1, 2].map((i) => ({
    id: newId(), productId: `sku-${String(1 + ((number * 3 + i) % 9999)).padStart(7, '0')}`, name: `Товар ${i}`, barcode: '4600000000015',
    unit: 'piece' as const, weighed: false, marking: null, ageLimit: null, quantityMilli: 1000, priceKopecks: 8990, amountKopecks: 8990,
    vat: 'vat10' as const, vatKopecks: 817, voided: false,
  }));
  return {
    id: newId(), receiptId: newId(), number, shiftId, closedAt: new Date().toISOString(),
    cashier: { id: 'u-cashier', name: 'Иванова', role: 'cashier' }, lines,
    totals: { totalKopecks: 26970, lineCount: 3, vatTotals: [{ vat: 'vat10', amountKopecks: 26970, vatKopecks: 2451 }] },
    payments: [{ method: 'cash', amountKopecks: 26970, tenderedKopecks: 30000, changeKopecks: 3030 }],
    ffdPayments: { cashKopecks: 26970, electronicKopecks: 0, prepaymentKopecks: 0, postpaymentKopecks: 0, considerationKopecks: 0 },
    tenderedKopecks: 30000, changeKopecks: 3030, fiscalState: 'done',
    fiscalDocument: { fnSerial: '7380440800000001', fdNumber: number, fiscalSign: String(1_000_000 + number), dateTime: null },
  };
}

/** A lane's sales.sqlite opened as the app opens it (SalesStore: its pragmas), its outbox holding `receipts` sales. */
function laneOutbox(file: string, receipts: number): { outbox: Outbox; close(): void } {
  const store = SalesStore.open(file);
  const shiftId = newId();
  for (let done = 0; done < receipts;) {
    const n = Math.min(10_000, receipts - done);
    store.transaction(() => {
      for (let i = 0; i < n; i++) {
        const s = benchSaleDocument(done + i + 1, shiftId);
        store.outbox.add({ type: 'sale.closed', aggregateId: s.id, payload: s, at: s.closedAt });
      }
    });
    done += n;
  }
  return { outbox: store.outbox, close: () => store.close() };
}

function toProduct(p: GeneratedProduct, priceBump = 0): Product {
  const [r, k] = p.price.split('.');
  return { id: p.id, name: p.name, priceKopecks: Number(r) * 100 + Number(k ?? 0) + priceBump, vat: p.vat, unit: p.unit, weighed: p.weighed,
    plu: p.plu, marking: p.marking, ageLimit: p.ageLimit, barcodes: p.barcodes };
}

const LANE_WORKER = 'prilavok-bench-sync-lane';

interface LaneWorkerData {
  kind: typeof LANE_WORKER;
  file: string;
  relay: { baseUrl: string; token: string; batchSize: number; intervalMs: number; requestTimeoutMs: number };
}

interface LaneWorkerResult {
  sent: number;
  failed: boolean;
  pending: number;
  error: string | null;
}

// This bundle (out/main/cli.js) is also the lanes' worker script: loaded in a worker with LANE_WORKER
// data, it runs one lane's relay over its outbox file when told to go.
if (!isMainThread && parentPort && (workerData as Partial<LaneWorkerData> | null)?.kind === LANE_WORKER) {
  const data = workerData as LaneWorkerData;
  const port = parentPort;
  const store = SalesStore.open(data.file);
  const outbox = store.outbox;
  const relay = new OutboxRelay({ ...data.relay, outbox });
  port.once('message', () => {
    void relay.runOnce().then(
      (pass): LaneWorkerResult => ({ sent: pass.sent, failed: pass.failed, pending: outbox.counts().pending, error: pass.failed ? JSON.stringify(relay.status().lastError) : null }),
      (error: unknown): LaneWorkerResult => ({ sent: 0, failed: true, pending: -1, error: String(error) }),
    ).then((result) => {
      store.close();
      port.postMessage(result);
    });
  });
  port.postMessage('ready');
}

/** A lane in a worker thread: resolves when it is ready; go() starts its relay and resolves with its pass. */
async function laneWorker(data: Omit<LaneWorkerData, 'kind'>): Promise<{ go(): Promise<LaneWorkerResult>; stop(): Promise<number> }> {
  const script = fileURLToPath(import.meta.url);
  if (!script.endsWith('.js') && !script.endsWith('.mjs')) throw new Error('bench sync runs from the built CLI (node scripts/build-main.mjs; node bin/prilavok.mjs bench sync)');
  const worker = new Worker(script, { workerData: { kind: LANE_WORKER, ...data } satisfies LaneWorkerData });
  await new Promise<void>((res, rej) => {
    worker.once('message', () => res());
    worker.once('error', rej);
    worker.once('exit', (code) => rej(new Error(`a lane worker exited (${code}) before it was ready`)));
  });
  return {
    go: () => new Promise<LaneWorkerResult>((res, rej) => {
      worker.once('message', (m) => res(m as LaneWorkerResult));
      worker.once('error', rej);
      worker.postMessage('go');
    }),
    stop: () => worker.terminate(),
  };
}

const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;

export async function benchSync(params: SyncBenchParams): Promise<BenchReport> {
  const dir = mkdtempSync(join(tmpdir(), 'prilavok-bench-sync-'));
  const schema = `bench_sync_${randomBytes(4).toString('hex')}`;
  const env: NodeJS.ProcessEnv = { ...process.env, ...(process.env.DATABASE_URL ? { HQ_SCHEMA: schema } : { HQ_DATA_DIR: join(dir, 'hq-data') }) };
  const hq = await startHqChild(hqDir(), env);
  const closers: (() => void)[] = [];
  try {
    progress(`bench sync: head office on ${hq.engine} at ${hq.url}`);
    const relayOptions = { baseUrl: hq.url, batchSize: params.batch, intervalMs: 60_000, requestTimeoutMs: 60_000 };

    // 1. One lane's backlog drains.
    const drainLane = await hq.call<{ token: string }>('addLane', { storeId: 's1', name: 'drain' });
    progress(`writing ${params.receipts} receipts into a lane outbox`);
    const drain = laneOutbox(join(dir, 'drain.sqlite'), params.receipts);
    closers.push(drain.close);
    const relay = new OutboxRelay({ ...relayOptions, token: drainLane.token, outbox: drain.outbox });
    progress('draining the backlog');
    let t0 = process.hrtime.bigint();
    const drained = await relay.runOnce();
    const drainS = seconds(t0);
    if (drained.failed || drain.outbox.counts().pending > 0) throw new Error(`the backlog did not drain: ${JSON.stringify(relay.status().lastError)}`);
    progress(`drained ${drained.sent} in ${drainS.toFixed(1)} s`);

    // 2. Three lanes at once, each in its own worker thread.
    const lanes: Awaited<ReturnType<typeof laneWorker>>[] = [];
    const stopLanes = async () => {
      for (const l of lanes.splice(0)) await l.stop();
    };
    let passes: LaneWorkerResult[];
    let ingestS: number;
    try {
      for (let i = 1; i <= 3; i++) {
        const reg = await hq.call<{ token: string }>('addLane', { storeId: `s${i}`, name: `lane-${i}` });
        const file = join(dir, `lane-${i}.sqlite`);
        laneOutbox(file, params.laneReceipts).close();
        lanes.push(await laneWorker({ file, relay: { ...relayOptions, token: reg.token } }));
      }
      progress(`three lanes (worker threads) send ${params.laneReceipts} receipts each`);
      t0 = process.hrtime.bigint();
      passes = await Promise.all(lanes.map((l) => l.go()));
      ingestS = seconds(t0);
    } finally {
      await stopLanes();
    }
    const sent = passes.reduce((n, p) => n + p.sent, 0);
    if (passes.some((p) => p.failed || p.pending !== 0) || sent !== 3 * params.laneReceipts) {
      throw new Error(`the three lanes did not drain: ${JSON.stringify(passes)}`);
    }

    // 3. A catalog change reaches a lane.
    const catLane = await hq.call<{ token: string }>('addLane', { storeId: 'cat', name: 'catalog' });
    const base = [...generatedProducts(params.baseSkus, 7)];
    progress(`publishing a base catalog of ${base.length} products and pulling it (not timed)`);
    for (let i = 0; i < base.length; i += 10_000) await hq.call('publish', { storeId: 'cat', products: base.slice(i, i + 10_000).map((p) => toProduct(p)) });
    const catalog = CatalogStore.open(join(dir, 'catalog.sqlite'));
    closers.push(() => catalog.close());
    const puller = new CatalogPuller({ baseUrl: hq.url, token: catLane.token, pageSize: 5000, requestTimeoutMs: 60_000,
      cursor: () => catalog.pulls.cursor(), apply: (page, pos) => { catalog.pulls.apply(page, pos); } });
    await puller.pull();
    const changed = base.slice(0, Math.min(params.changed, base.length)).map((p) => toProduct(p, 100));
    progress(`publishing a change of ${changed.length} products`);
    t0 = process.hrtime.bigint();
    await hq.call('publish', { storeId: 'cat', products: changed });
    const publishS = seconds(t0);
    const t1 = process.hrtime.bigint();
    const pulled = await puller.pull();
    const applyS = seconds(t1);
    const propagationS = seconds(t0);
    const probe = changed[changed.length - 1]!;
    if (pulled.items !== changed.length || catalog.products.byId(probe.id)?.priceKopecks !== probe.priceKopecks) {
      throw new Error(`the catalog change did not arrive whole (${pulled.items} items)`);
    }

    return report('sync', {
      receipts: params.receipts, lane_receipts: params.laneReceipts, lanes: 3, changed: params.changed, base_skus: params.baseSkus,
      batch: params.batch, hq_database: hq.engine,
    }, {
      backlog_100k_drain_s: round(drainS, 2),
      backlog_drain_receipts_per_s: Math.round(params.receipts / drainS),
      ingest_receipts_per_s: Math.round(sent / ingestS),
      catalog_10k_propagation_s: round(propagationS, 2),
      catalog_10k_publish_s: round(publishS, 2),
      catalog_10k_apply_s: round(applyS, 2),
    });
  } finally {
    for (const c of closers) c();
    await hq.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

