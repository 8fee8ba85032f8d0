// One SQL dialect (PostgreSQL), two engines: a real server when DATABASE_URL is set, otherwise an
// embedded PGlite (PostgreSQL compiled to WebAssembly) in a data directory. Everything above this
// file sees only HqDatabase, so every query is written once and runs on both.
import { PGlite, type Transaction } from '@electric-sql/pglite';
import pg from 'pg';

/**
 * A text parameter given as its UTF-8 bytes, for a `$n::text` placeholder: both drivers send bytes in
 * binary format, which for text is the UTF-8 itself, so a large text that arrived as bytes (a request
 * body) reaches the database without being decoded and encoded again in JS (PGlite's JS protocol layer
 * would also measure a string param character by character). The server checks the encoding.
 */
export class Utf8Text {
  constructor(readonly bytes: Buffer) {}
}

export interface Sql {
  /** One statement with $1… parameters; rows as plain objects. A Utf8Text goes to a `$n::text`. */
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

const TEXT_OID = 25;

/** PGlite's text serializer, except that bytes pass through (a binary-format text parameter is its UTF-8). */
function textOrUtf8(x: unknown): string | Uint8Array {
  if (x instanceof Uint8Array) return x;
  return x instanceof Date ? x.toISOString() : String(x);
}

async function openPglite(dataDir: string | undefined, schema: string | undefined): Promise<HqDatabase> {
  const db = await PGlite.create(dataDir ?? 'memory://');
  if (schema) await db.exec(`CREATE SCHEMA IF NOT EXISTS ${schema}; SET search_path TO ${schema}`);
  const wrap = (q: PGlite | Transaction): Sql => ({
    async query<T>(text: string, params: readonly unknown[] = []) {
      if (!params.some((p) => p instanceof Utf8Text)) return (await q.query<T>(text, params as unknown[])).rows;
      const values = params.map((p) => (p instanceof Utf8Text ? p.bytes : p));
      // PGlite types a serializer as returning a string, but its bind writer sends bytes as they are.
      return (await q.query<T>(text, values, { serializers: { [TEXT_OID]: textOrUtf8 as (x: unknown) => string } })).rows;
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
      const values = params.map((p) => (p instanceof Utf8Text ? p.bytes : p));
      return (await q.query(text, values)).rows as T[];
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
