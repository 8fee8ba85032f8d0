// The catalog database (catalog.sqlite): a replaceable copy of head-office data, a million SKUs.
//
// - products.num INTEGER PRIMARY KEY is the stable integer key the full-text indexes point at (a
//   text primary key in a rowid table leaves the rowid free to change on VACUUM). products.id is the
//   head-office id, UNIQUE and NOT NULL: the primary key in the shop's terms.
// - barcodes is WITHOUT ROWID: the code is the key and the row is tiny, so the B-tree is the index.
// - products_fts: words, for "мол" → «Молоко …». Contentless (content=''): names are already in
//   products, keeping a second copy would double the storage; contentless_delete lets an update
//   remove a product's old entry. prefix='2 3' indexes the 2- and 3-letter prefixes cashiers type.
//   Names are stored lower-cased with ё folded to е (see catalog-text.ts), so either spelling matches.
// - search_terms: the typo fallback. A trigram index over the catalog's distinct words (its
//   vocabulary, tens of thousands of words) rather than over a million names: a query word with no
//   hits is matched to the closest real words by shared trigrams and edit distance, then the word
//   index is searched again. A trigram index over every name would be several times the size of the
//   catalog and, with detail=none (the only affordable form), cannot rank candidates at all.
//   Rebuilt from the word index after every import (rebuildSearchTerms in catalog-import.ts).
// No foreign key from barcodes to products: a replace import swaps both tables at once (see
// catalog-import.ts) and the import keeps them consistent.
import type { Database } from 'better-sqlite3';
import type { Migration } from '../migrate';

/** The catalog tables. suffix names a staging set ('' = live); indexTag keeps index names unique. */
export function createCatalogTables(db: Database, suffix: string, indexTag: string): void {
  db.exec(`
    CREATE TABLE products${suffix} (
      num           INTEGER PRIMARY KEY,
      id            TEXT NOT NULL UNIQUE,
      name          TEXT NOT NULL,
      price_kopecks INTEGER NOT NULL CHECK (price_kopecks >= 0),
      vat           TEXT NOT NULL,
      unit          TEXT NOT NULL,
      weighed       INTEGER NOT NULL CHECK (weighed IN (0, 1)),
      plu           INTEGER UNIQUE,
      marking       TEXT,
      age_limit     INTEGER
    ) STRICT;
    CREATE TABLE barcodes${suffix} (
      code       TEXT PRIMARY KEY,
      product_id TEXT NOT NULL
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX barcodes_product_${indexTag} ON barcodes${suffix}(product_id);
    CREATE VIRTUAL TABLE products_fts${suffix} USING fts5(
      name, content='', contentless_delete=1, tokenize="unicode61 remove_diacritics 2", prefix='2 3');
    CREATE VIRTUAL TABLE search_terms${suffix} USING fts5(term, tokenize='trigram');
  `);
}

export const CATALOG_TABLES = ['products', 'barcodes', 'products_fts', 'search_terms'] as const;

export const catalogMigrations: Migration[] = [
  {
    version: 1,
    name: 'initial catalog schema',
    up(db) {
      createCatalogTables(db, '', 'v1');
    },
  },
  {
    version: 2,
    name: 'catalog pulls from the head office: cursor and staging',
    up(db) {
      // The head office's cursor of the last pull applied (one row), written in the transaction that
      // applies the pull. Pages of a pull that spans several requests wait in catalog_pull_pages
      // (committed page by page, read by no reader) until the last page moves them all in at once:
      // see catalog-pull.ts.
      db.exec(`
        CREATE TABLE catalog_sync (
          one        INTEGER PRIMARY KEY CHECK (one = 1),
          cursor     TEXT NOT NULL,
          applied_at TEXT NOT NULL
        ) STRICT;
        CREATE TABLE catalog_pull_pages (
          cursor  INTEGER PRIMARY KEY,
          id      TEXT NOT NULL,
          deleted INTEGER NOT NULL CHECK (deleted IN (0, 1)),
          product TEXT
        ) STRICT;
      `);
    },
  },
];
