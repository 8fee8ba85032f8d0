// Migrations are numbered SQL files in hq/migrations (NNN_name.sql), applied in order in ONE
// transaction together with their rows in schema_version; a database written by a newer hq is
// refused untouched.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HqDatabase } from './db';

export interface MigrationFile {
  version: number;
  name: string;
  sql: string;
}

/** hq/migrations, from src/ (tests) and from dist/ (the built service) alike. */
export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'migrations');

export function readMigrations(dir = MIGRATIONS_DIR): MigrationFile[] {
  const files = fs.readdirSync(dir).filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f)).sort();
  return files.map((f, i) => {
    const version = Number(f.slice(0, 3));
    if (version !== i + 1) throw new Error(`migration ${f}: expected number ${String(i + 1).padStart(3, '0')}`);
    return { version, name: f.slice(4, -4), sql: fs.readFileSync(path.join(dir, f), 'utf8') };
  });
}

export class NewerSchemaError extends Error {
  readonly code = 'hq.newerSchema';
  constructor(found: number, supported: number) {
    super(`the database has schema version ${found}; this hq knows up to ${supported}: upgrade hq`);
  }
}

/** Applies pending migrations; returns the versions applied. */
export async function migrate(db: HqDatabase, migrations = readMigrations()): Promise<number[]> {
  return db.transaction(async (tx) => {
    await tx.exec(`CREATE TABLE IF NOT EXISTS schema_version (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    // Two hq processes starting at once against one PostgreSQL: the second waits, then finds nothing to do.
    await tx.query('LOCK TABLE schema_version IN EXCLUSIVE MODE');
    const [row] = await tx.query<{ v: number | null }>('SELECT max(version)::int AS v FROM schema_version');
    const current = row?.v ?? 0;
    const supported = migrations.length;
    if (current > supported) throw new NewerSchemaError(current, supported);
    const applied: number[] = [];
    for (const m of migrations.filter((x) => x.version > current)) {
      await tx.exec(m.sql);
      await tx.query('INSERT INTO schema_version (version, name) VALUES ($1, $2)', [m.version, m.name]);
      applied.push(m.version);
    }
    return applied;
  });
}
