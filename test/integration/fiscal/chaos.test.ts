// Chaos: at least 1000 cash sales while the lane process (sales and fiscal service together) is killed
// with SIGKILL at random moments and the register's link drops, corrupts and delays frames, loses power
// after closing a receipt and runs out of paper. Afterwards the register holds exactly one receipt per
// paid sale, none twice, and every sale carries its FD number and fiscal sign.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ShtrihEmulator } from '../../../drivers/fiscal/shtrih/emulator';
import { parseFaultSpec, seededRandom } from '../../../drivers/fiscal/shtrih/faults';
import { tempDir } from '../../helpers/lane';
import { buildChildScript, type ChildScript } from '../../helpers/child-script';
import { receiptDocs } from './helpers';

const SALES = Number(process.env.PRILAVOK_CHAOS_SALES ?? 1000);
const work = tempDir('prilavok-fiscal-chaos-');
let childScript = '';
let child: ChildScript | null = null;
const src = (p: string) => JSON.stringify(join(process.cwd(), p));

// The child is a lane with its fiscal service: it sells while the queue is short (so that kills land
// in fiscal commands as often as in sales), and exits once TARGET sales exist and all are fiscalised.
const CHILD_SOURCE = `
import { writeSync } from 'node:fs';
import { join } from 'node:path';
import { createApp } from ${src('src-main/app/create-app.ts')};
import { DEMO_BARCODES } from ${src('src-main/store/catalog-generator.ts')};
import { openDatabase } from ${src('src-main/store/database.ts')};
import { FiscalJournal } from ${src('src-main/store/fiscal-journal.ts')};
import { FiscalService } from ${src('src-main/services/fiscal/fiscal-service.ts')};
import { ShtrihRegister } from ${src('drivers/fiscal/shtrih/driver.ts')};
import { systemClock } from ${src('src-main/services/clock.ts')};
const dataDir = process.env.DATA_DIR;
const target = Number(process.env.TARGET);
const app = await createApp({ dataDir, demo: true });
const db = openDatabase(join(dataDir, 'sales.sqlite'), 'sales');
const journal = new FiscalJournal(db);
const driver = { link: { enqTimeoutMs: 100, ackTimeoutMs: 100, enqRetries: 3 }, answerTimeoutMs: { default: 400 } };
const service = new FiscalService({ journal, clock: systemClock, connect: () => ShtrihRegister.open(process.env.REGISTER, driver) },
  { pollMs: 50, backoffBaseMs: 10, maxBackoffMs: 200 });
service.start();
const session = app.newSession();
app.services.session.login(session, '1111');
const actor = session.user;
const ctx = { session, actor, authorisedBy: null, require: () => actor };
if (!app.services.shift.current()) app.services.shift.open(actor);
writeSync(1, 'READY\\n');
const codes = [DEMO_BARCODES.beer, DEMO_BARCODES.bread, DEMO_BARCODES.water, DEMO_BARCODES.bag];
let sold = db.prepare('SELECT count(*) AS n FROM sales').get().n;
while (sold < target) {
  if (service.status().queueLength < 5) {
    const r = app.services.sale.open(actor);
    for (let k = 0; k <= sold % 3; k++) app.services.sale.scan(ctx, r.id, codes[(sold + k) % codes.length], 'scanner');
    app.services.sale.payCash(ctx, r.id, app.services.sale.get(r.id).totals.totalKopecks);
    sold++;
    service.kick();
  }
  await new Promise((resolve) => setTimeout(resolve, 1));
}
await service.whenIdle();
writeSync(1, 'IDLE\\n');
await service.stop();
await app.close();
db.close();
process.exit(0);
`;

beforeAll(async () => {
  child = await buildChildScript('fiscal-chaos-child', CHILD_SOURCE);
  childScript = child.path;
});
/** Children still running: a test that times out does not reach its own cleanup, afterAll does. */
const running = new Set<ChildProcess>();
afterAll(() => {
  for (const c of running) c.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
  child?.remove();
});

/** Runs the child; kills it killAfterMs after READY (null: lets it finish). Resolves 'killed' or 'finished'. */
function runChild(env: Record<string, string>, killAfterMs: number | null): Promise<'killed' | 'finished'> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [childScript], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], cwd: process.cwd() });
    running.add(child);
    let err = '';
    child.stderr.on('data', (d) => { err += d; });
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      if (chunk.includes('READY') && killAfterMs !== null) setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.on('exit', (code, signal) => {
      running.delete(child);
      if (signal === 'SIGKILL') resolve('killed');
      else if (code === 0) resolve('finished');
      else reject(new Error(`child exited ${code}: ${err}`));
    });
  });
}

function lane(dataDir: string) {
  if (!existsSync(join(dataDir, 'sales.sqlite'))) return { sales: 0, jobs: [] };
  const db = new Database(join(dataDir, 'sales.sqlite'), { readonly: true });
  try {
    const sales = (db.prepare('SELECT count(*) AS n FROM sales').get() as { n: number }).n;
    const jobs = db.prepare(`SELECT s.id, s.total_kopecks AS total, j.state, j.fn_serial AS fn, j.fd_number AS fd, j.fiscal_sign AS fp
      FROM sales s LEFT JOIN fiscal_jobs j ON j.sale_id = s.id`).all() as Array<{ id: string; total: number; state: string; fn: string | null; fd: number | null; fp: string | null }>;
    return { sales, jobs };
  } finally {
    db.close();
  }
}

describe('chaos: the lane killed at random while the register misbehaves', () => {
  it(`${SALES} sales end as exactly ${SALES} fiscal documents, each with its sale`, async () => {
    const dataDir = join(work, 'lane');
    const emulator: ShtrihEmulator = await ShtrihEmulator.start({
      tcp: { host: '127.0.0.1', port: 0 }, stateFile: join(work, 'register.json'), seed: 20261123, paperReloadMs: 40,
      faults: parseFaultSpec('drop-ack:0.004,drop-frame:0.004,bad-lrc:0.004,late:0.002@500,'
        + 'power-cut-after:close-receipt~0.01,paper-out-after:close-receipt~0.01'),
      onPowerCut: () => setTimeout(() => emulator.restart(), 60),
    });
    try {
      const env = { DATA_DIR: dataDir, REGISTER: `tcp://${emulator.address}`, TARGET: String(SALES) };
      const random = seededRandom(7);
      let kills = 0;
      const started = Date.now();
      for (let life = 0; life < 400 && lane(dataDir).sales < SALES; life++) {
        if (await runChild(env, 300 + Math.floor(random() * 2000)) === 'killed') kills++;
      }
      expect(await runChild(env, null)).toBe('finished');
      console.log(`chaos: ${kills} kills, ${Date.now() - started} ms`);
      expect(kills).toBeGreaterThan(5);

      const { sales, jobs } = lane(dataDir);
      expect(sales).toBeGreaterThanOrEqual(SALES);
      const receipts = receiptDocs(emulator);
      expect(receipts).toHaveLength(sales);
      expect(emulator.device.state.receipt).toBeNull();
      const byFd = new Map(receipts.map((d) => [d.fd, d]));
      const seen = new Set<number>();
      for (const job of jobs) {
        expect(job, `sale ${job.id}`).toMatchObject({ state: 'done', fn: emulator.device.state.fnSerial });
        const doc = byFd.get(job.fd!);
        expect(doc, `sale ${job.id} FD ${job.fd}`).toBeDefined();
        expect(job.fp).toBe(String(doc!.fiscalSign));
        expect(doc!.amountKopecks).toBe(job.total);
        expect(seen.has(job.fd!)).toBe(false);
        seen.add(job.fd!);
      }
    } finally {
      await emulator.close();
    }
  }, 300_000);
});
