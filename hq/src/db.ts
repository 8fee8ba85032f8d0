// One SQL dialect (PostgreSQL), two engines: a real server when DATABASE_URL is set, otherwise an
// embedded PGlite (PostgreSQL compiled to WebAssembly) in a data directory. Everything above this
// file sees only HqDatabase, so every query is written once and runs on both.
import { PGlite, type Transaction } from '@electric-sql/pglite';
import pg from 'pg';

export interface Sql {
  /** One statement with $1… parameters; rows as plain objects. */
  query<T = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<T[]>;
  /** Several statements without parameters (migrations). */
  exec(text: string): Promise<void>;
}

export interface HqDatabase extends Sql {
  readonly engine: 'postgres' | 'pglite';
  /** Runs fn in one transaction: committed if it resolves, rolled back if it throws. */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface DatabaseConfig {
  /** postgres://… — when absent, PGlite is used. */
  databaseUrl?: string;
  /** PGlite data directory; absent = in memory (tests that need no restart). */
  dataDir?: string;
  /** PostgreSQL schema to live in (tests use a fresh one per run); default public. */
  schema?: string;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export async function openHqDatabase(config: DatabaseConfig): Promise<HqDatabase> {
  if (config.schema !== undefined && !SCHEMA_NAME.test(config.schema)) throw new Error(`bad schema name "${config.schema}"`);
  return config.databaseUrl ? openPostgres(config.databaseUrl, config.schema) : openPglite(config.dataDir, config.schema);
}

async function openPglite(dataDir: string | undefined, schema: string | undefined): Promise<HqDatabase> {
  const db = await PGlite.create(dataDir ?? 'memory://');
  if (schema) await db.exec(`CREATE SCHEMA IF NOT EXISTS ${schema}; SET search_path TO ${schema}`);
  const wrap = (q: PGlite | Transaction): Sql => ({
    async query<T>(text: string, params: readonly unknown[] = []) {
      return (await q.query<T>(text, params as unknown[])).rows;
    },
    async exec(text: string) {
      await q.exec(text);
    },
  });
  const top = wrap(db);
  return {
    engine: 'pglite',
    query: top.query,
    exec: top.exec,
    // PGlite is one connection: its transaction() holds an exclusive lock, so transactions serialise.
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx))),
    close: () => db.close(),
  };
}

async function openPostgres(url: string, schema: string | undefined): Promise<HqDatabase> {
  if (schema) {
    const boot = new pg.Client({ connectionString: url });
    await boot.connect();
    try {
      await boot.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    } finally {
      await boot.end();
    }
  }
  const pool = new pg.Pool({ connectionString: url, max: 8, ...(schema ? { options: `-c search_path=${schema}` } : {}) });
  // An idle client losing its server must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  const wrap = (q: pg.Pool | pg.PoolClient): Sql => ({
    async query<T>(text: string, params: readonly unknown[] = []) {
      return (await q.query(text, params as unknown[])).rows as T[];
    },
    async exec(text: string) {
      await q.query(text);
    },
  });
  const top = wrap(pool);
  return {
    engine: 'postgres',
    query: top.query,
    exec: top.exec,
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(wrap(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
