// Chaos: three lanes send 10 000 documents while the head office (its own process) is killed with
// SIGKILL and restarted, answers are lost after commit, and the network is cut (connections reset).
// Afterwards the head office holds exactly the lanes' documents, each once, in each lane's order.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { laneChange } from '../../../hq/test/support';
import { openHqDatabase, type DatabaseConfig } from '../../../hq/src/db';
import { registerLane } from '../../../hq/src/lanes';
import { migrate } from '../../../hq/src/migrate';
import { openDatabase, type Database } from '../../../src-main/store/database';
import { Outbox } from '../../../src-main/store/outbox';
import { OutboxRelay } from '../../../src-main/upstream';
import { buildChildScript, projectFile, type ChildScript } from '../../helpers/child-script';
import { startDroppingProxy, type DroppingProxy } from './proxy';

const TOTAL = 10_000;
const MIGRATIONS = path.join(process.cwd(), 'hq', 'migrations');

let script: ChildScript;
let dir: string;
let db: DatabaseConfig;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prilavok-chaos-'));
  const schema = `hq_chaos_${process.pid}_${randomBytes(3).toString('hex')}`;
  db = process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL, schema } : { dataDir: path.join(dir, 'hq-data') };
  // The head office as its own process: its database engine and HTTP server die with it.
  script = await buildChildScript('hq-chaos', `
    import { startHq } from ${projectFile('hq/src/service.ts')};
    const config = JSON.parse(process.env.HQ_CHAOS_CONFIG);
    const hq = await startHq({ ...config, log: () => undefined });
    process.stdout.write('READY ' + hq.url + '\\n');
  `, { external: ['@electric-sql/pglite', 'pg'] });
});

afterAll(async () => {
  script?.remove();
  if (db?.databaseUrl) {
    const h = await openHqDatabase({ databaseUrl: db.databaseUrl });
    await h.exec(`DROP SCHEMA IF EXISTS ${db.schema!} CASCADE`);
    await h.close();
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

function startChild(port: number): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [script.path], {
    env: { ...process.env, HQ_CHAOS_CONFIG: JSON.stringify({ ...db, port, migrationsDir: MIGRATIONS }) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /READY (\S+)/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.once('exit', (code) => reject(new Error(`the head office exited (${code}) before it was ready`)));
  });
}

function kill9(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it('three lanes, 10 000 documents, SIGKILLed head office, lost answers and a cut network: each document arrives once, in lane order', async () => {
  // Lanes are registered before the head office process starts (PGlite is one process's database).
  const setup = await openHqDatabase(db);
  await migrate(setup);
  const regs = [await registerLane(setup, 'c1', 'chaos-1'), await registerLane(setup, 'c1', 'chaos-2'), await registerLane(setup, 'c2', 'chaos-3')];
  await setup.close();

  let hq = await startChild(0);
  const port = Number(new URL(hq.url).port);
  let seed = 7;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const proxy: DroppingProxy = await startDroppingProxy(hq.url, () => random() < 0.1);

  const lanes = regs.map((reg, i) => {
    const laneDb: Database = openDatabase(path.join(dir, `lane-${i}.sqlite`), 'sales');
    const outbox = new Outbox(laneDb);
    const relay = new OutboxRelay({ baseUrl: proxy.url, token: reg.token, outbox, batchSize: 100, intervalMs: 100, requestTimeoutMs: 5000,
      backoff: { baseDelayMs: 20, maxDelayMs: 300, minDelayMs: 5 } });
    return { reg, db: laneDb, outbox, relay, next: 1, quota: Math.floor(TOTAL / 3) + (i < TOTAL % 3 ? 1 : 0) };
  });
  try {
    lanes.forEach((l) => l.relay.start());
    const produce = async (l: (typeof lanes)[number]) => {
      while (l.next <= l.quota) {
        const n = Math.min(50, l.quota - l.next + 1);
        l.db.transaction(() => {
          for (let k = 0; k < n; k++) l.outbox.add({ ...laneChange(l.next++), at: new Date().toISOString() });
        })();
        l.relay.kick();
        await sleep(10);
      }
    };
    const producing = Promise.all(lanes.map(produce));

    // The chaos, while the lanes keep selling.
    for (let round = 0; round < 2; round++) {
      await sleep(700);
      await kill9(hq.child); // a crash: mid-transaction, mid-answer
      await sleep(200);
      hq = await startChild(port);
      await sleep(500);
      proxy.cut = true; // the network goes away: every connection reset
      await sleep(800);
      proxy.cut = false;
      lanes.forEach((l) => l.relay.linkChanged());
    }
    await producing;
    const until = Date.now() + 60_000;
    while (lanes.some((l) => l.outbox.counts().pending > 0)) {
      if (Date.now() > until) throw new Error(`not drained: ${lanes.map((l) => JSON.stringify(l.relay.status())).join(' ')}`);
      await sleep(50);
    }
    expect(proxy.dropped).toBeGreaterThan(0);
    expect(proxy.reset).toBeGreaterThan(0);
  } finally {
    await Promise.all(lanes.map((l) => l.relay.stop()));
    await proxy.close();
    await kill9(hq.child);
  }

  // What the head office holds, read after its last crash (recovery included).
  const check = await openHqDatabase(db);
  try {
    await migrate(check);
    let total = 0;
    for (const l of lanes) {
      expect(l.outbox.counts()).toEqual({ pending: 0, parked: 0 });
      const expected = l.db.prepare('SELECT id, seq FROM outbox ORDER BY seq').all() as { id: string; seq: number }[];
      const stored = await check.query<{ id: string; lane_seq: string | number }>(
        'SELECT id, lane_seq FROM documents WHERE lane_id = $1 ORDER BY received_seq', [l.reg.id]);
      expect(stored.length).toBe(l.quota);
      expect(stored.map((r) => r.id)).toEqual(expected.map((r) => r.id));
      expect(stored.map((r) => Number(r.lane_seq))).toEqual(expected.map((r) => r.seq));
      total += stored.length;
    }
    expect(total).toBe(TOTAL);
    const [all] = await check.query<{ n: string | number }>('SELECT count(*) AS n FROM documents');
    expect(Number(all!.n)).toBe(TOTAL);
    const [conflicts] = await check.query<{ n: string | number }>('SELECT count(*) AS n FROM document_conflicts');
    expect(Number(conflicts!.n)).toBe(0);
  } finally {
    await check.close();
    lanes.forEach((l) => l.db.close());
  }
}, 120_000);
