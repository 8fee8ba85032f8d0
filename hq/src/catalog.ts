// The published catalog of a store, pulled by lanes with a cursor. A load is one transaction: a lane
// sees the whole previous catalog or the whole new one. Only products whose content changed take a
// new cursor, so a lane that comes back after a week pulls what changed, not everything.
import fs from 'node:fs';
import type { Product } from '../../src-main/contract/model';
import { parseCatalogHeader, parseCatalogRow, type CatalogRow } from '../../src-main/store/catalog-import';
import { CsvRecordReader, type CsvRecord } from '../../src-main/store/csv-records';
import type { HqDatabase, Sql } from './db';
import { ensureStore } from './lanes';

export interface CatalogItem {
  id: string;
  /** Decimal string of a bigint: compare as numbers, store as text. */
  cursor: string;
  deleted: boolean;
  product: Product | null;
}

export interface CatalogPage {
  items: CatalogItem[];
  /** Pass as ?after= next time; equals the request's cursor when nothing changed. */
  cursor: string;
  /** More items are waiting beyond this page. */
  more: boolean;
}

export interface CatalogLoadResult {
  rows: number;
  changed: number;
  deleted: number;
  errors: { line: number; message: string }[];
  errorCount: number;
}

const WRITE_CHUNK = 1000;
export const MAX_PAGE = 5000;

/** Upserts products in one transaction of the caller; returns how many changed. */
export async function upsertProducts(tx: Sql, storeId: string, products: readonly Product[]): Promise<number> {
  let changed = 0;
  for (let i = 0; i < products.length; i += WRITE_CHUNK) {
    // A chunk may not touch one product twice (ON CONFLICT rule): the last row of an id wins.
    const chunk = [...new Map(products.slice(i, i + WRITE_CHUNK).map((p) => [p.id, p])).values()];
    const rows = await tx.query(
      `INSERT INTO catalog_products AS c (store_id, product_id, product, cursor)
       SELECT $1, e.doc->>'id', e.doc, nextval('catalog_cursor') FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS e(doc, n) ORDER BY e.n
       ON CONFLICT (store_id, product_id) DO UPDATE
         SET product = EXCLUDED.product, deleted = false, cursor = EXCLUDED.cursor, updated_at = now()
         WHERE c.deleted OR c.product IS DISTINCT FROM EXCLUDED.product
       RETURNING 1`,
      [storeId, JSON.stringify(chunk)]);
    changed += rows.length;
  }
  return changed;
}

/** Writers of one store take turns, so cursors of one store commit in increasing order. */
async function lockStore(tx: Sql, storeId: string): Promise<void> {
  await ensureStore(tx, storeId);
  await tx.query('SELECT id FROM stores WHERE id = $1 FOR UPDATE', [storeId]);
}

function toProduct(r: CatalogRow): Product {
  return { id: r.id, name: r.name, priceKopecks: r.priceKopecks, vat: r.vat, unit: r.unit, weighed: r.weighed, plu: r.plu,
    marking: r.marking, ageLimit: r.ageLimit, barcodes: r.barcodes };
}

/**
 * Loads a catalog CSV (docs/catalog-csv.md) for a store in one transaction. Bad rows are reported
 * and skipped, like the lane's importer. With replace, products absent from the file are published
 * as deleted.
 */
export async function loadCatalogCsv(db: HqDatabase, storeId: string, file: string, options: { replace?: boolean } = {}): Promise<CatalogLoadResult> {
  const result: CatalogLoadResult = { rows: 0, changed: 0, deleted: 0, errors: [], errorCount: 0 };
  const fail = (line: number, message: string) => {
    result.errorCount++;
    if (result.errors.length < 1000) result.errors.push({ line, message });
  };
  await db.transaction(async (tx) => {
    await lockStore(tx, storeId);
    if (options.replace) await tx.exec('CREATE TEMP TABLE catalog_load_ids (id text PRIMARY KEY) ON COMMIT DROP');
    const reader = new CsvRecordReader();
    let columns: ReturnType<typeof parseCatalogHeader> | null = null;
    let pending: Product[] = [];
    const flush = async () => {
      if (pending.length === 0) return;
      result.changed += await upsertProducts(tx, storeId, pending);
      if (options.replace) {
        await tx.query(`INSERT INTO catalog_load_ids SELECT jsonb_array_elements_text($1::jsonb) ON CONFLICT DO NOTHING`,
          [JSON.stringify(pending.map((p) => p.id))]);
      }
      pending = [];
    };
    const take = async (records: CsvRecord[]) => {
      for (const rec of records) {
        if (rec.error) { fail(rec.line, rec.error); continue; }
        if (rec.fields.length === 1 && rec.fields[0]!.trim() === '') continue;
        if (columns === null) {
          columns = parseCatalogHeader(rec.fields.map((f, i) => (i === 0 ? f.replace(/^\uFEFF/, '') : f)));
          if (typeof columns === 'string') throw new Error(`${file}:${rec.line}: ${columns}`);
          continue;
        }
        if (typeof columns === 'string') return;
        result.rows++;
        const row = parseCatalogRow(rec.fields, columns);
        if (typeof row === 'string') fail(rec.line, row);
        else pending.push(toProduct(row));
        if (pending.length >= WRITE_CHUNK) await flush();
      }
    };
    for await (const chunk of fs.createReadStream(file, { encoding: 'utf8' })) await take(reader.push(chunk as string));
    await take(reader.end());
    if (columns === null) throw new Error(`${file}: no header row`);
    await flush();
    if (options.replace) {
      if (result.rows - result.errorCount === 0) throw new Error(`${file}: no row could be loaded; the catalog stays as it was`);
      const gone = await tx.query(
        `UPDATE catalog_products SET deleted = true, cursor = nextval('catalog_cursor'), updated_at = now()
          WHERE store_id = $1 AND NOT deleted AND product_id NOT IN (SELECT id FROM catalog_load_ids) RETURNING 1`, [storeId]);
      result.deleted = gone.length;
    }
  });
  return result;
}

export async function catalogPage(db: Sql, storeId: string, after: string, limit: number): Promise<CatalogPage> {
  const rows = await db.query<{ product_id: string; product: Product; deleted: boolean; cursor: string }>(
    `SELECT product_id, product, deleted, cursor::text AS cursor FROM catalog_products
      WHERE store_id = $1 AND catalog_products.cursor > $2::bigint ORDER BY catalog_products.cursor LIMIT $3`,
    [storeId, after, limit + 1]);
  const more = rows.length > limit;
  const items = rows.slice(0, limit).map((r) => ({ id: r.product_id, cursor: r.cursor, deleted: r.deleted, product: r.deleted ? null : r.product }));
  return { items, cursor: items.length > 0 ? items[items.length - 1]!.cursor : after, more };
}
