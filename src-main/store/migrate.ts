// Migrations via PRAGMA user_version: every pending migration runs in one transaction, and a
// database written by a newer version of the app is refused rather than damaged.
import type { Database } from 'better-sqlite3';

export interface Migration {
  /** 1, 2, 3 … in order, no gaps. */
  version: number;
  name: string;
  up(db: Database): void;
}

export class NewerDatabaseError extends Error {
  constructor(readonly file: string, readonly found: number, readonly supported: number) {
    super(`${file}: database version ${found} is newer than this app supports (${supported}); refusing to open it`);
    this.name = 'NewerDatabaseError';
  }
}

export function latestVersion(migrations: readonly Migration[]): number {
  return migrations.reduce((max, m) => Math.max(max, m.version), 0);
}

/** Applies the pending migrations; returns the versions applied. */
export function migrate(db: Database, migrations: readonly Migration[]): number[] {
  const ordered = [...migrations].sort((a, b) => a.version - b.version);
  ordered.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migrations must be numbered 1..n without gaps; found ${m.version} at position ${i + 1}`);
  });
  const supported = latestVersion(ordered);
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > supported) throw new NewerDatabaseError(db.name, current, supported);
  const pending = ordered.filter((m) => m.version > current);
  if (pending.length === 0) return [];
  db.transaction(() => {
    for (const m of pending) m.up(db);
    db.pragma(`user_version = ${supported}`);
  }).immediate();
  return pending.map((m) => m.version);
}
