// The relay sends each row's payload as the JSON text the outbox stored (src-main/upstream/ingest-body.ts),
// after checking it once; these tests cover what that path adds: the head office stores what the lane
// wrote, a stored text that is not JSON is parked on the lane, a slow link gets smaller batches.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { laneChange, startTestHq, type TestHq } from '../../../hq/test/support';
import { openDatabase } from '../../../src-main/store/database';
import { SalesStore } from '../../../src-main/store/sales-store';
import { OutboxRelay, type OutboxRelayOptions } from '../../../src-main/upstream';

const FAST: Partial<OutboxRelayOptions> = { backoff: { baseDelayMs: 5, maxDelayMs: 20, minDelayMs: 1 }, intervalMs: 100, requestTimeoutMs: 5000 };

describe('the relay sends the stored JSON of each row', () => {
  let t: TestHq;
  let dir: string;
  const stores: SalesStore[] = [];

  async function lane(name: string, rows: number): Promise<{ store: SalesStore; file: string; token: string; laneId: string }> {
    const reg = await t.addLane('s1', name);
    const file = path.join(dir, `${reg.id}.sqlite`);
    const store = SalesStore.open(file);
    stores.push(store);
    store.transaction(() => {
      for (let n = 1; n <= rows; n++) store.outbox.add({ ...laneChange(n), at: new Date().toISOString() });
    });
    return { store, file, token: reg.token, laneId: reg.id };
  }

  const outboxIds = (store: SalesStore) => store.outbox.due(100_000, '9999').map((r) => r.id);

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prilavok-relay-json-'));
    t = await startTestHq({ name: 'pglite' });
  });
  afterAll(async () => {
    for (const s of stores) s.close();
    await t?.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the head office holds each payload exactly as the outbox stored it, in order', async () => {
    const l = await lane('exact', 25);
    const written = l.store.outbox.due(100, '9999').map((r) => ({ id: r.id, payload: r.payload }));
    const relay = new OutboxRelay({ baseUrl: t.url, token: l.token, outbox: l.store.outbox, batchSize: 10, ...FAST });
    expect(await relay.runOnce()).toEqual({ sent: 25, parked: 0, failed: false });
    const held = await t.hq.db.query<{ id: string; payload: unknown }>('SELECT id, payload FROM documents WHERE lane_id = $1 ORDER BY received_seq', [l.laneId]);
    expect(held).toEqual(written);
  });

  it('a stored payload that is not JSON is parked with the reason and never sent; the rest go', async () => {
    const l = await lane('broken', 4);
    const [, second] = outboxIds(l.store);
    // What a damaged file could hold: bytes that do not make one JSON value.
    const db = openDatabase(l.file, 'sales');
    db.prepare(`UPDATE outbox SET payload = '{"number": 1' WHERE id = ?`).run(second);
    db.close();
    const relay = new OutboxRelay({ baseUrl: t.url, token: l.token, outbox: l.store.outbox, ...FAST });
    expect(await relay.runOnce()).toEqual({ sent: 3, parked: 1, failed: false });
    expect(l.store.outbox.parked(10)[0]).toMatchObject({ id: second, lastError: 'not sent: the stored payload is not JSON' });
    const held = await t.hq.db.query<{ id: string }>('SELECT id FROM documents WHERE lane_id = $1', [l.laneId]);
    expect(held.map((r) => r.id)).not.toContain(second);
    expect(held).toHaveLength(3);
  });

  it('a request that runs out of time is resent as half as many rows; every row arrives once, in order', async () => {
    const l = await lane('slow-link', 40);
    const ids = outboxIds(l.store);
    // A link so slow that a request of more than 5 documents is not through within the time limit.
    const sizes: number[] = [];
    const slowFetch: typeof fetch = async (input, init) => {
      const docs = (JSON.parse(Buffer.from(init!.body as Uint8Array).toString('utf8')) as { documents: unknown[] }).documents.length;
      sizes.push(docs);
      if (docs > 5) {
        await new Promise((resolve, reject) => {
          const timer = setTimeout(resolve, 2000);
          init!.signal!.addEventListener('abort', () => { clearTimeout(timer); reject(init!.signal!.reason as Error); });
        });
      }
      return fetch(input, init);
    };
    const relay = new OutboxRelay({ baseUrl: t.url, token: l.token, outbox: l.store.outbox, batchSize: 16, ...FAST, requestTimeoutMs: 150, fetch: slowFetch });
    let pass = await relay.runOnce();
    for (let i = 0; i < 20 && l.store.outbox.counts().pending > 0; i++) pass = await relay.runOnce();
    expect(pass.failed).toBe(false);
    expect(l.store.outbox.counts()).toEqual({ pending: 0, parked: 0 });
    expect(sizes.slice(0, 3)).toEqual([16, 8, 4]);
    expect(relay.status().lastError?.code).toBe('upstream.timeout');
    const held = await t.hq.db.query<{ id: string }>('SELECT id FROM documents WHERE lane_id = $1 ORDER BY received_seq', [l.laneId]);
    expect(held.map((r) => r.id)).toEqual(ids);
  }, 30_000);
});
