// A lane process killed (SIGKILL, as a power cut would) in the middle of a sale transaction must
// leave a consistent database: no half sale, the receipt still open with its lines, and a restart
// that carries on selling.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openLane, tempDir, login } from '../../helpers/lane';
import { buildChildScript, type ChildScript } from '../../helpers/child-script';

const work = tempDir('prilavok-crash-');
let childScript = '';
let child: ChildScript | null = null;

// The child sells in a loop; with STOP_IN_TX it stops inside the payment transaction, after the
// sale row is written and before the commit, and tells the parent, which then kills it.
const CHILD_SOURCE = `
import { writeSync } from 'node:fs';
import { createApp } from ${JSON.stringify(join(process.cwd(), 'src-main/app/create-app.ts'))};
import { DEMO_BARCODES } from ${JSON.stringify(join(process.cwd(), 'src-main/store/catalog-generator.ts'))};
const app = await createApp({ dataDir: process.env.DATA_DIR, demo: true });
const session = app.newSession();
app.services.session.login(session, '1111');
const actor = session.user;
const ctx = { session, actor, authorisedBy: null, require: () => actor };
if (!app.services.shift.current()) app.services.shift.open(actor);
if (process.env.STOP_IN_TX) {
  const insert = app.sales.sales.insert.bind(app.sales.sales);
  app.sales.sales.insert = (...args) => {
    insert(...args);
    writeSync(1, 'IN_TX\\n');
    for (;;) { /* hold the transaction open until killed */ }
  };
}
writeSync(1, 'READY\\n');
// Marked items need their DataMatrix scanned (and checked): the plain-barcode loop sells the others.
const codes = [DEMO_BARCODES.bread, DEMO_BARCODES.water, DEMO_BARCODES.bag, DEMO_BARCODES.beer];
for (let i = 0; ; i++) {
  const r = app.services.sale.open(actor);
  app.services.sale.scan(ctx, r.id, codes[i % codes.length], 'scanner');
  app.services.sale.scan(ctx, r.id, codes[(i + 1) % codes.length], 'scanner');
  const total = app.services.sale.get(r.id).totals.totalKopecks;
  app.services.sale.payCash(ctx, r.id, total);
}
`;

beforeAll(async () => {
  child = await buildChildScript('crash-child', CHILD_SOURCE);
  childScript = child.path;
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  child?.remove();
});

function runChild(dataDir: string, env: Record<string, string>, killWhen: (line: string) => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [childScript], { env: { ...process.env, DATA_DIR: dataDir, ...env }, stdio: ['ignore', 'pipe', 'pipe'], cwd: process.cwd() });
    let err = '';
    child.stderr.on('data', (d) => { err += d; });
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      for (const line of chunk.split('\n')) if (line && killWhen(line)) child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`child exited ${code}: ${err}`))));
  });
}

function consistency(dataDir: string) {
  const db = new Database(join(dataDir, 'sales.sqlite'), { readonly: true });
  try {
    const q = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    return {
      integrity: db.pragma('integrity_check', { simple: true }),
      sales: q('SELECT count(*) AS n FROM sales'),
      closedReceipts: q("SELECT count(*) AS n FROM receipts WHERE status = 'closed'"),
      salesWithoutJob: q('SELECT count(*) AS n FROM sales s WHERE NOT EXISTS (SELECT 1 FROM fiscal_jobs j WHERE j.sale_id = s.id)'),
      salesWithoutOutbox: q("SELECT count(*) AS n FROM sales s WHERE NOT EXISTS (SELECT 1 FROM outbox o WHERE o.aggregate_id = s.id AND o.type = 'sale.closed')"),
      closedWithoutSale: q("SELECT count(*) AS n FROM receipts r WHERE r.status = 'closed' AND NOT EXISTS (SELECT 1 FROM sales s WHERE s.receipt_id = r.id)"),
      maxNumber: q('SELECT coalesce(max(number), 0) AS n FROM sales'),
      openReceipts: q("SELECT count(*) AS n FROM receipts WHERE status = 'open'"),
    };
  } finally {
    db.close();
  }
}

describe('a lane killed mid-sale', () => {
  it('killed inside the payment transaction leaves no half sale, and the receipt can be paid after restart', async () => {
    const dataDir = join(work, 'in-tx');
    await runChild(dataDir, { STOP_IN_TX: '1' }, (line) => line === 'IN_TX');
    const after = consistency(dataDir);
    expect(after).toMatchObject({ integrity: 'ok', sales: 0, closedReceipts: 0, openReceipts: 1, salesWithoutJob: 0, salesWithoutOutbox: 0 });

    const lane = await openLane({ dir: dataDir });
    try {
      const cashier = await login(lane, '1111');
      const [summary] = (await lane.ok(cashier, 'receipt.list', {})).receipts;
      expect(summary).toMatchObject({ status: 'open', lineCount: 2 });
      const receipt = await lane.ok(cashier, 'receipt.get', { receiptId: summary.id });
      const { sale } = await lane.ok(cashier, 'receipt.payCash', { receiptId: receipt.id, tenderedKopecks: receipt.totals.totalKopecks });
      expect(sale.number).toBe(1);
      expect(lane.app.sales.audit.verify().ok).toBe(true);
    } finally {
      await lane.close();
    }
  });

  it('killed at random moments of a selling loop, the database is always consistent', async () => {
    const dataDir = join(work, 'random');
    let lastMaxNumber = 0;
    for (let round = 0; round < 6; round++) {
      await new Promise<void>((resolve, reject) => {
        const child = spawn(process.execPath, [childScript], { env: { ...process.env, DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'pipe'] });
        let err = '';
        child.stderr.on('data', (d) => { err += d; });
        child.stdout.on('data', (d: Buffer) => {
          if (d.toString().includes('READY')) setTimeout(() => child.kill('SIGKILL'), 30 + ((round * 37) % 120));
        });
        child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`child exited ${code}: ${err}`))));
      });
      const c = consistency(dataDir);
      expect(c.integrity).toBe('ok');
      expect(c.salesWithoutJob).toBe(0);
      expect(c.salesWithoutOutbox).toBe(0);
      expect(c.closedWithoutSale).toBe(0);
      expect(c.closedReceipts).toBe(c.sales);
      expect(c.maxNumber).toBe(c.sales); // sale numbers have no gaps
      expect(c.openReceipts).toBeLessThanOrEqual(1);
      expect(c.maxNumber).toBeGreaterThanOrEqual(lastMaxNumber);
      lastMaxNumber = c.maxNumber;
    }
    expect(lastMaxNumber).toBeGreaterThan(0);
  }, 120_000);
});
