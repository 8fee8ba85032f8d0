// Migration 005 puts a sale's fiscal document on its lookup row; a head office that already holds the
// documents (ingested by a version before 5) gets the rows filled when it upgrades.
import { afterEach, expect, it } from 'vitest';
import { openHqDatabase, type HqDatabase } from '../src/db';
import { migrate, readMigrations } from '../src/migrate';

let db: HqDatabase | null = null;
afterEach(async () => { await db?.close(); db = null; });

it('fills the ФП, ФД and FN serial of sales already held from their lane\'s fiscal.document', async () => {
  db = await openHqDatabase({});
  const all = readMigrations();
  expect(await migrate(db, all.filter((m) => m.version < 5))).toEqual([1, 2, 3, 4]);
  await db.query("INSERT INTO stores (id, name) VALUES ('s1', 'Магазин')");
  for (const lane of ['lane-a', 'lane-b']) {
    await db.query("INSERT INTO lanes (id, store_id, name, token_hash) VALUES ($1, 's1', $1, $2)", [lane, `hash-${lane}`]);
  }
  const doc = (id: string, lane: string, seq: number, type: string, aggregate: string, payload: unknown) => db!.query(
    `INSERT INTO documents (id, lane_id, lane_seq, type, aggregate_id, created_at, payload) VALUES ($1, $2, $3, $4, $5, now(), $6::jsonb)`,
    [id, lane, seq, type, aggregate, JSON.stringify(payload)]);
  await doc('d-sale', 'lane-a', 1, 'sale.closed', 'sale-1', {});
  await db.query("INSERT INTO sales (document_id, sale_id, store_id, lane_id, number, closed_at, total_kopecks) VALUES ('d-sale', 'sale-1', 's1', 'lane-a', 7, now(), 100)");
  await doc('d-fiscal', 'lane-a', 2, 'fiscal.document', 'job-1', { saleId: 'sale-1', fnSerial: '7380440800000001', fdNumber: 12, fiscalSign: '0012345678' });
  // Another lane naming the same sale id is not the selling lane: ignored.
  await doc('d-other', 'lane-b', 1, 'fiscal.document', 'job-9', { saleId: 'sale-1', fnSerial: '7380440800000009', fdNumber: 99, fiscalSign: '1' });

  expect(await migrate(db, all)).toEqual(all.filter((m) => m.version >= 5).map((m) => m.version));
  const [row] = await db.query<{ fiscal_sign: string; fd_number: string | number; fn_serial: string }>('SELECT fiscal_sign, fd_number, fn_serial FROM sales');
  expect({ ...row, fd_number: Number(row!.fd_number) }).toEqual({ fiscal_sign: '12345678', fd_number: 12, fn_serial: '7380440800000001' });
});
