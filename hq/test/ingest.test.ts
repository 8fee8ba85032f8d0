import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogCsv } from '../src/catalog';
import { migrate, NewerSchemaError } from '../src/migrate';
import { BACKENDS, get, post, saleDocument, startTestHq, testId, wireDocument, type TestHq } from './support';

describe.each(BACKENDS)('head office on $name', (backend) => {
  let t: TestHq;
  let a: { id: string; token: string };
  let b: { id: string; token: string };
  let c: { id: string; token: string };
  let seqA = 0;
  let seqB = 0;

  const count = async (sql: string, params: unknown[] = []) => Number((await t.hq.db.query<{ n: string | number }>(sql, params))[0]!.n);

  beforeAll(async () => {
    t = await startTestHq(backend, { maxBodyBytes: 64 * 1024, maxBatchDocuments: 50 });
    a = await t.addLane('s1', 'Касса 1');
    b = await t.addLane('s1', 'Касса 2');
    c = await t.addLane('s2', 'Касса 1');
  });
  afterAll(async () => {
    await t?.destroy();
  });

  it('a repeated batch is acknowledged as duplicates and stored once', async () => {
    const docs = [wireDocument(++seqA), wireDocument(++seqA), wireDocument(++seqA)];
    const first = await post(t.url, a.token, { documents: docs });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ accepted: docs.map((d) => d.id), duplicates: [], conflicts: [] });
    const again = await post(t.url, a.token, { documents: docs });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ accepted: [], duplicates: docs.map((d) => d.id), conflicts: [] });
    expect(await count('SELECT count(*) AS n FROM documents WHERE lane_id = $1', [a.id])).toBe(3);
  });

  it('the same id with changed content is a conflict: logged, answered, and the first version kept', async () => {
    const doc = wireDocument(++seqA);
    expect((await post(t.url, a.token, { documents: [doc] })).body.accepted).toEqual([doc.id]);
    const changed = { ...doc, payload: { ...(doc.payload as object), number: 999_999 } };
    const next = wireDocument(++seqA);
    const res = await post(t.url, a.token, { documents: [changed, next] });
    expect(res.status).toBe(200);
    expect(res.body.accepted).toEqual([next.id]);
    expect(res.body.conflicts).toEqual([{ id: doc.id, reason: expect.stringMatching(/different content/) }]);
    const [stored] = await t.hq.db.query<{ payload: { number: number } }>('SELECT payload FROM documents WHERE id = $1', [doc.id]);
    expect(stored!.payload.number).toBe((doc.payload as { number: number }).number);
    expect(await count('SELECT count(*) AS n FROM document_conflicts WHERE document_id = $1', [doc.id])).toBe(1);
  });

  it('a resend whose keys come in another order is a duplicate; ids repeated in one batch and reused seqs are told apart', async () => {
    const doc = wireDocument(++seqA);
    expect((await post(t.url, a.token, { documents: [doc] })).body.accepted).toEqual([doc.id]);
    // Same content serialised with its keys reversed at every level: the same document.
    const reversed = (v: unknown): unknown => Array.isArray(v) ? v.map(reversed)
      : v !== null && typeof v === 'object' ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reversed(x)])) : v;
    const resend = await post(t.url, a.token, { documents: [reversed(doc)] });
    expect(resend.body).toEqual({ accepted: [], duplicates: [doc.id], conflicts: [] });

    const twice = wireDocument(++seqA);
    const changedTwin = { ...twice, payload: { ...(twice.payload as object), number: 424_242 } };
    const reusedSeq = wireDocument(doc.seq);
    const after = wireDocument(++seqA);
    const res = await post(t.url, a.token, { documents: [twice, twice, changedTwin, reusedSeq, after] });
    expect(res.status).toBe(200);
    expect(res.body.accepted).toEqual([twice.id, after.id]);
    expect(res.body.duplicates).toEqual([twice.id]);
    expect(res.body.conflicts).toEqual([
      { id: twice.id, reason: expect.stringMatching(/twice in the batch with different content/) },
      { id: reusedSeq.id, reason: `outbox seq ${doc.seq} of this lane was already used by document ${doc.id}` },
    ]);
    const stored = await t.hq.db.query<{ id: string; payload: { number: number } }>(
      'SELECT id, payload FROM documents WHERE lane_id = $1 AND id = ANY($2::text[]) ORDER BY received_seq', [a.id, [twice.id, reusedSeq.id, after.id]]);
    expect(stored.map((r) => r.id)).toEqual([twice.id, after.id]);
    expect(stored[0]!.payload.number).toBe((twice.payload as { number: number }).number);
    const [lane] = await t.hq.db.query<{ last_seq: string | number }>('SELECT last_seq FROM lanes WHERE id = $1', [a.id]);
    expect(Number(lane!.last_seq)).toBe(after.seq);
  });

  it('requests without a token, with a wrong token or for another lane are refused', async () => {
    const doc = wireDocument(1000);
    expect((await post(t.url, null, { documents: [doc] })).body.error.code).toBe('auth.required');
    const wrong = await post(t.url, 'plv1_not-a-real-token', { documents: [doc] });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('auth.badToken');
    const asB = await fetch(`${t.url}/v1/lanes/${b.id}/documents`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${a.token}` }, body: JSON.stringify({ documents: [doc] }),
    });
    expect(asB.status).toBe(403);
    expect(await count('SELECT count(*) AS n FROM documents WHERE id = $1', [doc.id])).toBe(0);
  });

  it("a lane cannot overwrite or claim another lane's document", async () => {
    const docB = wireDocument(++seqB);
    expect((await post(t.url, b.token, { documents: [docB] })).body.accepted).toEqual([docB.id]);
    const res = await post(t.url, a.token, { documents: [{ ...docB, seq: ++seqA }] });
    expect(res.body.conflicts).toEqual([{ id: docB.id, reason: expect.stringMatching(/another lane/) }]);
    const [row] = await t.hq.db.query<{ lane_id: string }>('SELECT lane_id FROM documents WHERE id = $1', [docB.id]);
    expect(row!.lane_id).toBe(b.id);
  });

  it("a lane of one store cannot read another store's catalog", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hq-cat-'));
    const file = path.join(dir, 'c.csv');
    fs.writeFileSync(file, 'id;name;price;vat\np-s2;Товар магазина 2;10.00;22\n');
    await loadCatalogCsv(t.hq.db, 's2', file);
    const denied = await get(t.url, a.token, '/v1/stores/s2/catalog?after=0');
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('auth.forbidden');
    const own = await get(t.url, a.token, '/v1/stores/me/catalog?after=0');
    expect(own.body.items.map((i: { id: string }) => i.id)).not.toContain('p-s2');
    const other = await get(t.url, c.token, '/v1/stores/me/catalog?after=0');
    expect(other.body.items.map((i: { id: string }) => i.id)).toEqual(['p-s2']);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('malformed batches are refused with a clear error and nothing is written', async () => {
    const before = await count('SELECT count(*) AS n FROM documents');
    const notJson = await post(t.url, a.token, null, '{"documents": [');
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.message).toMatch(/not valid JSON/);
    expect((await post(t.url, a.token, { docs: [] })).status).toBe(400);
    const good = wireDocument(++seqA);
    const badPayload = wireDocument(++seqA);
    (badPayload.payload as { lines?: unknown; totals?: unknown }).totals = { totalKopecks: 1.5 };
    const unknownType = { ...wireDocument(++seqA), type: 'no.such.type' };
    const res = await post(t.url, a.token, { documents: [good, badPayload, unknownType] });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('documents.invalid');
    expect(res.body.error.details.invalid).toEqual([
      { index: 1, id: badPayload.id, reason: expect.stringContaining('payload of') },
      { index: 2, id: unknownType.id, reason: 'unknown document type "no.such.type"' },
    ]);
    expect(await count('SELECT count(*) AS n FROM documents')).toBe(before);
  });

  it('oversized batches are refused with 413 and nothing is written', async () => {
    const before = await count('SELECT count(*) AS n FROM documents');
    const many = Array.from({ length: 51 }, () => wireDocument(++seqA));
    const tooMany = await post(t.url, a.token, { documents: many });
    expect(tooMany.status).toBe(413);
    expect(tooMany.body.error.message).toMatch(/at most 50 documents/);
    const big = wireDocument(++seqA);
    (big.payload as { cashier: { name: string } }).cashier.name = 'x'.repeat(100 * 1024);
    const tooBig = await post(t.url, a.token, { documents: [big] });
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.error.code).toBe('batch.tooLarge');
    expect(await count('SELECT count(*) AS n FROM documents')).toBe(before);
  });

  it('the lane status tells its last contact and the backlog it reported', async () => {
    const doc = wireDocument(++seqB);
    await fetch(`${t.url}/v1/lanes/me/documents`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${b.token}`, 'x-outbox-backlog': '42' },
      body: JSON.stringify({ documents: [doc] }),
    });
    const s = await get(t.url, b.token, '/v1/lanes/me/status');
    expect(s.status).toBe(200);
    expect(s.body).toMatchObject({ id: b.id, storeId: 's1', lastSeq: seqB, reportedBacklog: 42, documents: 2 });
    expect(s.body.lastContactAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('a catalog pull returns only what changed since the cursor', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hq-cat-'));
    const file = path.join(dir, 'c.csv');
    const rows = Array.from({ length: 25 }, (_, i) => `p${i};Товар ${i};${i + 1},50;10;piece;460000000${String(i).padStart(4, '0')};;;;0`);
    fs.writeFileSync(file, `id;name;price;vat;unit;barcodes;plu;marking;age_limit;weighed\n${rows.join('\n')}\nbad;x;abc;10;;;;;;0\n`);
    const loaded = await loadCatalogCsv(t.hq.db, 's1', file);
    expect(loaded).toMatchObject({ rows: 26, changed: 25, errorCount: 1 });
    let cursor = '0';
    const seen: string[] = [];
    for (;;) {
      const page = await get(t.url, a.token, `/v1/stores/me/catalog?after=${cursor}&limit=10`);
      seen.push(...page.body.items.map((i: { id: string }) => i.id));
      cursor = page.body.cursor;
      if (!page.body.more) break;
    }
    expect(seen).toHaveLength(25);
    expect((await get(t.url, a.token, `/v1/stores/me/catalog?after=${cursor}`)).body).toEqual({ items: [], cursor, more: false });
    rows[3] = 'p3;Товар 3 новый;4,50;10;piece;4600000000003;;;;0';
    fs.writeFileSync(file, `id;name;price;vat;unit;barcodes;plu;marking;age_limit;weighed\n${rows.slice(0, 20).join('\n')}\n`);
    expect(await loadCatalogCsv(t.hq.db, 's1', file, { replace: true })).toMatchObject({ changed: 1, deleted: 5 });
    const delta = await get(t.url, a.token, `/v1/stores/me/catalog?after=${cursor}`);
    expect(delta.body.items.map((i: { id: string; deleted: boolean }) => `${i.id}:${i.deleted}`))
      .toEqual(['p3:false', 'p20:true', 'p21:true', 'p22:true', 'p23:true', 'p24:true']);
    expect(delta.body.items[0].product).toMatchObject({ name: 'Товар 3 новый', priceKopecks: 450, vat: 'vat10', barcodes: ['4600000000003'] });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a receipt is found by number, fiscal sign or time, with quantities already returned', async () => {
    const sale = saleDocument(777_001, { fiscalSign: '1234567890', closedAt: '2026-03-01T10:00:00.000Z' });
    const doc = { id: testId(), seq: ++seqB, type: 'sale.closed', aggregateId: sale.id, createdAt: sale.closedAt, payload: sale };
    expect((await post(t.url, b.token, { documents: [doc] })).body.accepted).toEqual([doc.id]);
    const expected = { saleId: doc.id, storeId: 's1', laneId: b.id, laneName: 'Касса 2', lines: [{ lineId: sale.lines[0]!.id, quantityMilli: 2000, returnedMilli: 0 }] };
    const byNumber = await get(t.url, c.token, '/v1/receipts?number=777001');
    expect(byNumber.body.receipts).toEqual([{ ...expected, sale }]);
    expect((await get(t.url, a.token, '/v1/receipts?fiscalSign=1234567890')).body.receipts).toMatchObject([expected]);
    const byTime = await get(t.url, a.token, '/v1/receipts?from=2026-03-01T09:00:00Z&to=2026-03-01T11:00:00Z');
    expect(byTime.body.receipts).toMatchObject([expected]);
    expect((await get(t.url, a.token, '/v1/receipts')).status).toBe(400);
  });

  it('a sale sent before the register made its receipt is found by ФП and ФД once its fiscal.document follows', async () => {
    const sale = saleDocument(777_002, { closedAt: '2026-03-02T10:00:00.000Z' });
    const closed = { id: testId(), seq: ++seqB, type: 'sale.closed', aggregateId: sale.id, createdAt: sale.closedAt, payload: { ...sale, fiscalState: 'pending' } };
    expect((await post(t.url, b.token, { documents: [closed] })).body.accepted).toEqual([closed.id]);
    expect((await get(t.url, c.token, '/v1/receipts?fiscalSign=2914000017')).body.receipts).toEqual([]);

    const jobId = testId();
    const fiscal = (saleId: string, fiscalSign: string, fdNumber: number) => ({
      id: testId(), seq: ++seqB, type: 'fiscal.document', aggregateId: jobId, createdAt: '2026-03-02T10:00:02.000Z',
      payload: { jobId, step: 1, kind: 'receipt', saleId, returnId: null, fnSerial: '7380440800000002', fdNumber, fiscalSign, dateTime: '2026-03-02T13:00:01', tlv: { 1054: 1 } },
    });
    // Another lane's document naming this sale changes nothing: only the selling lane's counts.
    expect((await post(t.url, a.token, { documents: [{ ...fiscal(sale.id, '1111111111', 99), seq: ++seqA }] })).body.accepted).toHaveLength(1);
    expect((await post(t.url, b.token, { documents: [fiscal(sale.id, '0291400017', 4242)] })).body.accepted).toHaveLength(1);

    // Leading zeros of the ФП are not part of the number: found with or without them.
    for (const query of ['fiscalSign=291400017', 'fiscalSign=0291400017', 'fdNumber=4242']) {
      const found = (await get(t.url, c.token, `/v1/receipts?${query}`)).body.receipts;
      expect(found).toMatchObject([{ laneId: b.id, sale: { id: sale.id, fiscalState: 'done',
        fiscalDocument: { fnSerial: '7380440800000002', fdNumber: 4242, fiscalSign: '291400017' } } }]);
    }
    expect((await get(t.url, c.token, '/v1/receipts?fiscalSign=1111111111')).body.receipts).toEqual([]);
    expect((await get(t.url, c.token, '/v1/receipts?fdNumber=0')).status).toBe(400);
    expect((await get(t.url, c.token, '/v1/receipts?fdNumber=abc')).status).toBe(400);
    // A document of a sale not sold here (a shift document, a return) is stored and touches no sale.
    const shiftDoc = { ...fiscal(sale.id, '5', 4243), payload: { ...fiscal(sale.id, '5', 4243).payload, kind: 'closeShift', saleId: null } };
    expect((await post(t.url, b.token, { documents: [shiftDoc] })).body.accepted).toEqual([shiftDoc.id]);
    expect((await get(t.url, c.token, '/v1/receipts?fdNumber=4242')).body.receipts).toHaveLength(1);
  });

  it('a fiscal.document that does not match the shared schema is refused with its reason', async () => {
    const jobId = testId();
    const bad = { id: testId(), seq: seqB + 1, type: 'fiscal.document', aggregateId: jobId, createdAt: new Date().toISOString(),
      payload: { jobId, step: 0, kind: 'receipt', saleId: null, returnId: null, fnSerial: 'FN-1', fdNumber: 0, fiscalSign: '12', dateTime: 'yesterday', tlv: null } };
    const res = await post(t.url, b.token, { documents: [bad] });
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.body)).toMatch(/fnSerial/);
    expect(await count('SELECT count(*) AS n FROM documents WHERE id = $1', [bad.id])).toBe(0);
  });

  it('migrations run once; a database from a newer head office is refused', async () => {
    expect(await migrate(t.hq.db)).toEqual([]);
    await t.hq.db.query("INSERT INTO schema_version (version, name) VALUES (99, 'future')");
    await expect(migrate(t.hq.db)).rejects.toBeInstanceOf(NewerSchemaError);
    await t.hq.db.query('DELETE FROM schema_version WHERE version = 99');
  });
});
