// Lane settings (lane identity, layout, wedge and scale-label rules): JSON values validated on read.
import type { Database, Statement } from 'better-sqlite3';
import type { z } from 'zod';

export class SettingsRepository {
  private readonly getStmt: Statement<[string], { value: string }>;
  private readonly putStmt: Statement<[string, string]>;

  constructor(db: Database) {
    this.getStmt = db.prepare('SELECT value FROM settings WHERE key = ?');
    this.putStmt = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
  }

  /** The stored value parsed by the schema; a missing or invalid value gives the fallback. */
  get<S extends z.ZodType>(key: string, schema: S, fallback: z.output<S>): z.output<S> {
    const row = this.getStmt.get(key);
    if (!row) return fallback;
    let json: unknown;
    try {
      json = JSON.parse(row.value);
    } catch {
      return fallback;
    }
    const parsed = schema.safeParse(json);
    return parsed.success ? parsed.data : fallback;
  }

  has(key: string): boolean {
    return this.getStmt.get(key) !== undefined;
  }

  put(key: string, value: unknown): void {
    this.putStmt.run(key, JSON.stringify(value));
  }
}
