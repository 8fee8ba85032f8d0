// The catalog database (catalog.sqlite): replaceable from the head office, so it lives apart from sales.
import { Readable } from 'node:stream';
import type { Database } from 'better-sqlite3';
import { openDatabase } from './database';
import { CatalogRepository } from './catalog-repository';
import { importCatalogCsv } from './catalog-import';
import { CatalogPullApplier } from './catalog-pull';

export type CatalogImportResult = Awaited<ReturnType<typeof importCatalogCsv>>;

export class CatalogStore {
  readonly products: CatalogRepository;
  /** Pulls from the head office, applied a whole pull at a time (catalog-pull.ts). */
  readonly pulls: CatalogPullApplier;

  private constructor(private readonly db: Database) {
    this.products = new CatalogRepository(db);
    this.pulls = new CatalogPullApplier(db);
  }

  static open(file: string): CatalogStore {
    return new CatalogStore(openDatabase(file, 'catalog'));
  }

  /** Imports a CSV file (path) or CSV text; see docs/catalog-csv.md. */
  importCsv(source: { file: string } | { text: string }, options?: { replace?: boolean; onProgress?(rows: number): void }): Promise<CatalogImportResult> {
    const input = 'file' in source ? source.file : Readable.from([source.text]);
    return importCatalogCsv(this.db, input, options);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
