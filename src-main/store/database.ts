// Opening a database: one place that decides the pragmas and runs the migrations.
//
// Durability differs by database on purpose:
// - sales.sqlite holds documents that exist nowhere else until the head office has them (sales,
//   shifts, the outbox, the audit chain). synchronous=FULL fsyncs the WAL on every commit, so a power
//   cut right after a receipt closes cannot lose it.
// - catalog.sqlite is a copy of head-office data that can always be pulled or imported again.
//   synchronous=NORMAL in WAL mode is still crash-safe (the database is never corrupted) but may lose
//   the last commits on power loss; in exchange bulk imports of a million rows are much faster.
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { latestVersion, migrate, NewerDatabaseError, type Migration } from './migrate';
import { salesMigrations } from './migrations/sales';
import { catalogMigrations } from './migrations/catalog';

export type { Database } from 'better-sqlite3';

export type DatabaseKind = 'sales' | 'catalog';

const MIGRATIONS: Record<DatabaseKind, readonly Migration[]> = { sales: salesMigrations, catalog: catalogMigrations };

/**
 * Opens (creating if needed) a database file, applies the pragmas of its kind and its pending
 * migrations. Throws NewerDatabaseError, without changing the file, when the file was written by a
 * newer version of the app.
 */
export function openDatabase(file: string, kind: DatabaseKind): Database {
  return openMigratedDatabase(file, MIGRATIONS[kind], { synchronous: kind === 'sales' ? 'FULL' : 'NORMAL' });
}

/**
 * The one way a database file of this app is opened (sales, catalog, and the small files of the
 * video queue and the fiscal gateway): WAL, the durability the data deserves, foreign keys, and its
 * own migrations — refusing, untouched, a file written by a newer version.
 */
export function openMigratedDatabase(file: string, migrations: readonly Migration[],
  options: { synchronous: 'FULL' | 'NORMAL'; foreignKeys?: boolean }): Database {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new BetterSqlite3(file);
  try {
    db.pragma('busy_timeout = 5000');
    // Refuse a newer database before any pragma below writes to it (journal_mode=WAL changes the header).
    const found = db.pragma('user_version', { simple: true }) as number;
    const supported = latestVersion(migrations);
    if (found > supported) throw new NewerDatabaseError(file, found, supported);
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous}`);
    if (options.foreignKeys ?? true) db.pragma('foreign_keys = ON');
    migrate(db, migrations);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
