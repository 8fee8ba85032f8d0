// Monotonic lane counters (sale numbers, shift numbers). Call inside the caller's transaction.
import type { Database, Statement } from 'better-sqlite3';

export class Counters {
  private readonly nextStmt: Statement<[string], { value: number }>;
  private readonly peekStmt: Statement<[string], { value: number }>;

  constructor(db: Database) {
    this.nextStmt = db.prepare(
      'INSERT INTO counters (name, value) VALUES (?, 1) ON CONFLICT(name) DO UPDATE SET value = value + 1 RETURNING value');
    this.peekStmt = db.prepare('SELECT value FROM counters WHERE name = ?');
  }

  next(name: string): number {
    return this.nextStmt.get(name)!.value;
  }

  current(name: string): number {
    return this.peekStmt.get(name)?.value ?? 0;
  }
}
