import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, laneChange, startTestHq, type TestHq } from '../../../hq/test/support';
import { openDatabase, type Database } from '../../../src-main/store/database';
import { Outbox } from '../../../src-main/store/outbox';
import { loadCatalogCsv } from '../../../hq/src/catalog';
import { CatalogPuller, OutboxRelay, type CatalogPage, type OutboxRelayOptions } from '../../../src-main/upstream';
import { startDroppingProxy } from './proxy';

interface TestLane {
  db: Database;
  outbox: Outbox;
  token: string;
  laneId: string;
  next: number;
  add(count: number): void;
  ids(): string[];
}

const FAST: Partial<OutboxRelayOptions> = { backoff: { baseDelayMs: 20, maxDelayMs: 250, minDelayMs: 5 }, intervalMs: 100, requestTimeoutMs: 5000 };

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.each(BACKENDS)('outbox relay against the head office on $name', (backend) => {
  let t: TestHq;
  let dir: string;
  const lanes: TestLane[] = [];
  const relays: OutboxRelay[] = [];
  const closers: (() => Promise<void>)[] = [];

  async function lane(name: string, storeId = 's1'): Promise<TestLane> {
    const reg = await t.addLane(storeId, name);
    const db = openDatabase(path.join(dir, `${reg.id}.sqlite`), 'sales');
    const outbox = new Outbox(db);
    const l: TestLane = {
      db, outbox, token: reg.token, laneId: reg.id, next: 1,
      add(count) {
        db.transaction(() => {
          for (let i = 0; i < count; i++) outbox.add({ ...laneChange(l.next++), at: new Date().toISOString() });
        })();
      },
      ids: () => (db.prepare('SELECT id FROM outbox ORDER BY seq').pluck().all() as string[]),
    };
    lanes.push(l);
    return l;
  }

  function relay(l: TestLane, baseUrl: string, extra: Partial<OutboxRelayOptions> = {}): OutboxRelay {
    const r = new OutboxRelay({ baseUrl, token: l.token, outbox: l.outbox, ...FAST, ...extra });
    relays.push(r);
    return r;
  }

  async function received(laneId: string): Promise<string[]> {
    const rows = await t.hq.db.query<{ id: string }>('SELECT id FROM documents WHERE lane_id = $1 ORDER BY received_seq', [laneId]);
    return rows.map((r) => r.id);
  }

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prilavok-relay-'));
    t = await startTestHq(backend);
  });
  afterEach(async () => {
    await Promise.all(relays.splice(0).map((r) => r.stop()));
    for (const c of closers.splice(0)) await c();
  });
  afterAll(async () => {
    for (const l of lanes) l.db.close();
    await t?.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('sends due rows in order and the head office holds each once, in order', async () => {
    const l = await lane('order');
    l.add(45);
    const r = relay(l, t.url, { batchSize: 10 });
    const pass = await r.runOnce();
    expect(pass).toEqual({ sent: 45, parked: 0, failed: false });
    expect(await received(l.laneId)).toEqual(l.ids());
    expect(r.status()).toMatchObject({ link: 'up', backlog: 0, parked: 0 });
  });

  it('survives the head office being stopped and restarted: every row arrives once, in order', async () => {
    const l = await lane('restart');
    l.add(20);
    const r = relay(l, t.url, { batchSize: 7 });
    r.start();
    await waitFor(() => l.outbox.counts().pending === 0, 10_000, 'the first rows');
    await t.stop();
    l.add(30);
    r.kick();
    await waitFor(() => r.status().link === 'down', 10_000, 'the link to go down');
    expect(r.status()).toMatchObject({ backlog: 30, parked: 0, lastError: { code: 'upstream.unreachable' } });
    await t.restart();
    await waitFor(() => l.outbox.counts().pending === 0, 10_000, 'the backlog to drain');
    expect(r.status()).toMatchObject({ link: 'up', backlog: 0, parked: 0 });
    expect(await received(l.laneId)).toEqual(l.ids());
  });

  it('an answer lost after commit is resent and acknowledged as a duplicate: exactly once holds', async () => {
    const l = await lane('dropped');
    l.add(12);
    const proxy = await startDroppingProxy(t.url, (n) => n === 1);
    closers.push(() => proxy.close());
    const r = relay(l, proxy.url, { batchSize: 12 });
    const first = await r.runOnce();
    expect(first.failed).toBe(true);
    expect(l.outbox.counts().pending).toBe(12);
    expect(await received(l.laneId)).toEqual(l.ids());
    const second = await r.runOnce();
    expect(second).toEqual({ sent: 12, parked: 0, failed: false });
    expect(proxy.answers).toEqual([{ accepted: [], duplicates: l.ids(), conflicts: [] }]);
    expect(await received(l.laneId)).toEqual(l.ids());
  });

  it('a row that does not match its schema is parked on the lane, never sent; the rest go', async () => {
    const l = await lane('invalid-here');
    l.add(3);
    const [, second] = l.ids();
    l.db.prepare(`UPDATE outbox SET type = 'sale.unknown' WHERE id = ?`).run(second);
    const r = relay(l, t.url);
    expect(await r.runOnce()).toEqual({ sent: 2, parked: 1, failed: false });
    expect(l.outbox.parked(10)[0]).toMatchObject({ id: second, lastError: 'not sent: unknown document type "sale.unknown"' });
    expect(await received(l.laneId)).toEqual(l.ids().filter((id) => id !== second));
  });

  it('a garbled answer marks nothing sent', async () => {
    const l = await lane('garbled');
    l.add(3);
    const fake = async () => new Response('{"accepted": [', { status: 200, headers: { 'content-type': 'application/json' } });
    const r = relay(l, t.url, { fetch: fake as typeof fetch });
    expect((await r.runOnce()).failed).toBe(true);
    expect(l.outbox.counts()).toEqual({ pending: 3, parked: 0 });
    expect(r.status().lastError?.code).toBe('upstream.garbled');
  });

  it('a conflicting row is parked with the reason, the others are sent', async () => {
    const l = await lane('conflict');
    l.add(3);
    const [firstId] = l.ids();
    // The head office already holds the first id with other content (e.g. a restored lane database).
    await t.hq.db.query(
      `INSERT INTO documents (id, lane_id, lane_seq, type, aggregate_id, created_at, payload, content_hash)
       VALUES ($1, $2, 1000, 'shift.opened', 'x', '2026-01-01T00:00:00Z', '{}'::jsonb, 'other')`, [firstId, l.laneId]);
    const r = relay(l, t.url);
    expect(await r.runOnce()).toEqual({ sent: 2, parked: 1, failed: false });
    const [parked] = l.outbox.parked(10);
    expect(parked).toMatchObject({ id: firstId, lastError: expect.stringMatching(/^conflict: .*different content/) });
    expect(r.status()).toMatchObject({ backlog: 0, parked: 1 });
  });

  it('a batch too large for the head office is split; a single row too large is parked', async () => {
    const l = await lane('large');
    l.add(8);
    l.db.prepare(`UPDATE outbox SET payload = json_set(payload, '$.cashier.name', ?) WHERE seq = (SELECT max(seq) FROM outbox)`).run('x'.repeat(300 * 1024));
    const small = await startTestHq(backend, { maxBodyBytes: 200 * 1024 });
    closers.push(() => small.destroy());
    const reg = await small.addLane('s1', 'large');
    const r = new OutboxRelay({ baseUrl: small.url, token: reg.token, outbox: l.outbox, batchSize: 8, ...FAST });
    relays.push(r);
    expect(await r.runOnce()).toEqual({ sent: 7, parked: 1, failed: false });
    expect(l.outbox.parked(10)[0]!.lastError).toMatch(/^too large/);
  });

  it('the catalog puller pulls only what changed, page by page, from its own store only', async () => {
    const reg = await t.addLane('cat-store', 'puller');
    const file = path.join(dir, 'catalog.csv');
    const header = 'id;name;price;vat;unit;barcodes;plu;marking;age_limit;weighed';
    const row = (i: number, price = '10,00') => `c${i};Товар ${i};${price};22;piece;46100000${String(i).padStart(5, '0')};;;;0`;
    fs.writeFileSync(file, [header, ...Array.from({ length: 23 }, (_, i) => row(i))].join('\n'));
    await loadCatalogCsv(t.hq.db, 'cat-store', file);
    fs.writeFileSync(file, 'id;name;price;vat\nother;Чужой товар;1;22\n');
    await loadCatalogCsv(t.hq.db, 'other-store', file);
    let stored: string | null = null;
    const applied: { ids: string[]; first: boolean; last: boolean }[] = [];
    const puller = new CatalogPuller({
      baseUrl: t.url, token: reg.token, pageSize: 10,
      cursor: () => stored,
      apply: (page: CatalogPage, pos) => {
        applied.push({ ids: page.items.map((i) => i.id), ...pos });
        stored = page.cursor; // the lead stores this in the same transaction as the items
      },
    });
    expect(await puller.pull()).toMatchObject({ pages: 3, items: 23 });
    expect(applied.map((a) => [a.ids.length, a.first, a.last])).toEqual([[10, true, false], [10, false, false], [3, false, true]]);
    expect(applied.flatMap((a) => a.ids)).not.toContain('other');
    expect(await puller.pull()).toMatchObject({ pages: 0, items: 0, cursor: stored });
    fs.writeFileSync(file, [header, row(5, '11,00'), row(99)].join('\n'));
    await loadCatalogCsv(t.hq.db, 'cat-store', file);
    applied.length = 0;
    expect(await puller.pull()).toMatchObject({ pages: 1, items: 2 });
    expect(applied[0]!.ids).toEqual(['c5', 'c99']);
  });

  it('chaos: three lanes, about 2000 documents, two restarts and lost answers; each document arrives once, in lane order', async () => {
    const PER_LANE = 700;
    const ls = [await lane('chaos-1'), await lane('chaos-2', 's2'), await lane('chaos-3', 's3')];
    let seed = 42;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const proxy = await startDroppingProxy(t.url, () => random() < 0.15);
    closers.push(() => proxy.close());
    const rs = ls.map((l) => relay(l, proxy.url, { batchSize: 40 }));
    rs.forEach((r) => r.start());
    const produce = async (l: TestLane, r: OutboxRelay) => {
      while (l.next <= PER_LANE) {
        l.add(Math.min(25, PER_LANE - l.next + 1));
        r.kick();
        await new Promise((res) => setTimeout(res, 15));
      }
    };
    const producing = Promise.all(ls.map((l, i) => produce(l, rs[i]!)));
    for (const pause of [300, 600]) {
      await new Promise((res) => setTimeout(res, pause));
      await t.stop();
      await new Promise((res) => setTimeout(res, 150));
      await t.restart();
    }
    await producing;
    await waitFor(() => ls.every((l) => l.outbox.counts().pending === 0), 40_000, 'every outbox to drain');
    expect(proxy.dropped).toBeGreaterThan(0);
    for (const l of ls) {
      expect(l.outbox.counts()).toEqual({ pending: 0, parked: 0 });
      expect(await received(l.laneId)).toEqual(l.ids());
    }
    const [total] = await t.hq.db.query<{ n: string | number }>('SELECT count(*) AS n FROM documents WHERE lane_id = ANY($1::text[])', [ls.map((l) => l.laneId)]);
    expect(Number(total!.n)).toBe(3 * PER_LANE);
  }, 60_000);
});
