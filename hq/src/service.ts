// The head office as one object: database (PostgreSQL or PGlite), migrations, HTTP server.
import { MIN_ADMIN_TOKEN_CHARS } from './admin-page';
import { openHqDatabase, type DatabaseConfig, type HqDatabase } from './db';
import { stderrLogger, type Logger } from './errors';
import { createHqServer, type HqServer } from './http';
import { migrate, readMigrations } from './migrate';

export interface HqConfig extends DatabaseConfig {
  port?: number;
  host?: string;
  maxBodyBytes?: number;
  maxBatchDocuments?: number;
  /** hq/migrations; give it when this code runs bundled somewhere else (tests' child processes). */
  migrationsDir?: string;
  /** Enables the /admin page behind this token (at least MIN_ADMIN_TOKEN_CHARS characters). */
  adminToken?: string;
  log?: Logger;
}

export interface RunningHq {
  url: string;
  db: HqDatabase;
  http: HqServer;
  stop(): Promise<void>;
}

export async function startHq(config: HqConfig): Promise<RunningHq> {
  if (config.adminToken !== undefined && config.adminToken.length < MIN_ADMIN_TOKEN_CHARS) {
    throw new Error(`the admin token must be at least ${MIN_ADMIN_TOKEN_CHARS} characters`);
  }
  const db = await openHqDatabase(config);
  try {
    await migrate(db, readMigrations(config.migrationsDir));
    const http = createHqServer({
      db, log: config.log ?? stderrLogger,
      ...(config.maxBodyBytes !== undefined ? { maxBodyBytes: config.maxBodyBytes } : {}),
      ...(config.maxBatchDocuments !== undefined ? { maxBatchDocuments: config.maxBatchDocuments } : {}),
      ...(config.adminToken !== undefined ? { adminToken: config.adminToken } : {}),
    });
    const url = await http.listen(config.port ?? 0, config.host ?? '127.0.0.1');
    return {
      url, db, http,
      async stop() {
        await http.close();
        await db.close();
      },
    };
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
}

/** The database configuration from the environment: DATABASE_URL, else PGlite in HQ_DATA_DIR (default ./hq-data). */
export function databaseConfigFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  if (env.DATABASE_URL) return { databaseUrl: env.DATABASE_URL, ...(env.HQ_SCHEMA ? { schema: env.HQ_SCHEMA } : {}) };
  return { dataDir: env.HQ_DATA_DIR ?? 'hq-data' };
}
