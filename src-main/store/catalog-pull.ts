// Applying catalog pulls from the head office (src-main/upstream/catalog-puller.ts) to catalog.sqlite.
//
// A pull is all pages from the stored cursor to the head office's newest change. It must never be
// visible half applied — a cashier must not see the new price of one product and the old price of
// another from the same change — so pages are staged: each page is committed into
// catalog_pull_pages (no reader looks there), and the last page moves every staged item into the
// live tables, refreshes the search vocabulary and stores the new cursor in ONE transaction. A reader
// on another connection (WAL snapshot) sees the catalog before that commit or after it, nothing in
// between. A pull cut off half way leaves only staging behind; the next pull starts again from the
// stored cursor and clears it.
//
// The head office is the authority: when a product arrives with a barcode or a PLU that another
// product holds here, the other product loses it (a later item of the same pull gives it its new one).
import type { Database, Statement } from 'better-sqlite3';
import type { Product } from '../contract/model';
import { foldText } from './catalog-text';

/** One changed product as the head office publishes it (GET /v1/stores/me/catalog). */
export interface PulledItem {
  id: string;
  /** A bigint as a decimal string, increasing within a pull. */
  cursor: string;
  deleted: boolean;
  product: Product | null;
}

export interface PulledPage {
  items: readonly PulledItem[];
  cursor: string;
}

export interface PullApplyResult {
  upserted: number;
  deleted: number;
}

const APPLY_CHUNK = 1000;

interface StagedRecord {
  cursor: number;
  id: string;
  deleted: number;
  product: string | null;
}

export class CatalogPullApplier {
  private readonly cursorStmt: Statement<[], { cursor: string }>;
  private readonly saveCursor: Statement<[string, string]>;
  private readonly clearStaging: Statement<[]>;
  private readonly stage: Statement<[string, string, number, string | null]>;
  private readonly stagedAfter: Statement<[number, number], StagedRecord>;
  private readonly productNum: Statement<[string], { num: number }>;
  private readonly insertProduct: Statement<unknown[]>;
  private readonly updateProduct: Statement<unknown[]>;
  private readonly deleteProduct: Statement<[number]>;
  private readonly takePlu: Statement<[number, string]>;
  private readonly takeCode: Statement<[string, string]>;
  private readonly deleteCodes: Statement<[string]>;
  private readonly insertCode: Statement<[string, string]>;
  private readonly deleteFts: Statement<[number]>;
  private readonly insertFts: Statement<[number, string]>;
  private readonly applyTx: { immediate(page: PulledPage, first: boolean, last: boolean): PullApplyResult | null };

  /** now() gives the time recorded with the cursor. */
  constructor(private readonly db: Database, private readonly now: () => string = () => new Date().toISOString()) {
    this.cursorStmt = db.prepare('SELECT cursor FROM catalog_sync WHERE one = 1');
    this.saveCursor = db.prepare(
      'INSERT INTO catalog_sync (one, cursor, applied_at) VALUES (1, ?, ?) ON CONFLICT (one) DO UPDATE SET cursor = excluded.cursor, applied_at = excluded.applied_at');
    this.clearStaging = db.prepare('DELETE FROM catalog_pull_pages');
    this.stage = db.prepare('INSERT OR REPLACE INTO catalog_pull_pages (cursor, id, deleted, product) VALUES (CAST(? AS INTEGER), ?, ?, ?)');
    this.stagedAfter = db.prepare('SELECT cursor, id, deleted, product FROM catalog_pull_pages WHERE cursor > ? ORDER BY cursor LIMIT ?');
    this.productNum = db.prepare('SELECT num FROM products WHERE id = ?');
    this.insertProduct = db.prepare(
      'INSERT INTO products (id, name, price_kopecks, vat, unit, weighed, plu, marking, age_limit) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    this.updateProduct = db.prepare(
      'UPDATE products SET id = ?, name = ?, price_kopecks = ?, vat = ?, unit = ?, weighed = ?, plu = ?, marking = ?, age_limit = ? WHERE num = ?');
    this.deleteProduct = db.prepare('DELETE FROM products WHERE num = ?');
    this.takePlu = db.prepare('UPDATE products SET plu = NULL WHERE plu = ? AND id <> ?');
    this.takeCode = db.prepare('DELETE FROM barcodes WHERE code = ? AND product_id <> ?');
    this.deleteCodes = db.prepare('DELETE FROM barcodes WHERE product_id = ?');
    this.insertCode = db.prepare('INSERT INTO barcodes (code, product_id) VALUES (?, ?)');
    this.deleteFts = db.prepare('DELETE FROM products_fts WHERE rowid = ?');
    this.insertFts = db.prepare('INSERT INTO products_fts (rowid, name) VALUES (?, ?)');
    this.applyTx = db.transaction((page: PulledPage, first: boolean, last: boolean) => {
      if (first) this.clearStaging.run();
      for (const item of page.items) {
        this.stage.run(item.cursor, item.id, item.deleted ? 1 : 0, item.deleted || !item.product ? null : JSON.stringify(item.product));
      }
      if (!last) return null;
      const result = this.moveStagedToLive();
      this.refreshSearchTerms();
      this.saveCursor.run(page.cursor, this.now());
      this.clearStaging.run();
      return result;
    });
  }

  /** The cursor of the last pull applied; null before the first. */
  cursor(): string | null {
    return this.cursorStmt.get()?.cursor ?? null;
  }

  /**
   * One page of a pull (CatalogPuller's apply). Pages before the last are staged; the last applies
   * the whole pull with its cursor in one IMMEDIATE transaction. Returns what the pull changed, or
   * null for a staged page.
   */
  apply(page: PulledPage, position: { first: boolean; last: boolean }): PullApplyResult | null {
    return this.applyTx.immediate(page, position.first, position.last);
  }

  /** Forgets the cursor (the next pull fetches the whole catalog again), e.g. after a local replace import. */
  resetCursor(): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM catalog_sync').run();
      this.clearStaging.run();
    }).immediate();
  }

  private moveStagedToLive(): PullApplyResult {
    const result: PullApplyResult = { upserted: 0, deleted: 0 };
    let after = -1;
    for (;;) {
      // Read in chunks: better-sqlite3 cannot write while a statement iterates.
      const chunk = this.stagedAfter.all(after, APPLY_CHUNK);
      if (chunk.length === 0) return result;
      for (const r of chunk) {
        if (r.deleted === 1 || r.product === null) {
          if (this.remove(r.id)) result.deleted++;
        } else {
          this.upsert(JSON.parse(r.product) as Product);
          result.upserted++;
        }
      }
      after = chunk[chunk.length - 1]!.cursor;
    }
  }

  private remove(id: string): boolean {
    const num = this.productNum.get(id)?.num;
    if (num === undefined) return false;
    this.deleteFts.run(num);
    this.deleteCodes.run(id);
    this.deleteProduct.run(num);
    return true;
  }

  private upsert(p: Product): void {
    if (p.plu !== null) this.takePlu.run(p.plu, p.id);
    for (const code of p.barcodes) this.takeCode.run(code, p.id);
    const values = [p.id, p.name, p.priceKopecks, p.vat, p.unit, p.weighed ? 1 : 0, p.plu, p.marking, p.ageLimit];
    let num = this.productNum.get(p.id)?.num;
    if (num === undefined) {
      num = Number(this.insertProduct.run(...values).lastInsertRowid);
    } else {
      this.updateProduct.run(...values, num);
      this.deleteCodes.run(p.id);
      this.deleteFts.run(num);
    }
    for (const code of new Set(p.barcodes)) this.insertCode.run(code, p.id);
    this.insertFts.run(num, foldText(p.name));
  }

  /**
   * The typo-fallback vocabulary (search_terms, see migrations/catalog.ts) follows the word index,
   * inside the same transaction so that a reader's vocabulary matches its products.
   */
  private refreshSearchTerms(): void {
    this.db.exec(`
      CREATE VIRTUAL TABLE IF NOT EXISTS temp.catalog_pull_vocab USING fts5vocab(main, 'products_fts', 'row');
      DELETE FROM search_terms;
      INSERT INTO search_terms (term) SELECT term FROM temp.catalog_pull_vocab WHERE length(term) >= 3 AND term GLOB '*[^0-9]*';
    `);
  }
}
