// Read-only health checks of a database file, for `prilavok doctor`.
import Database from 'better-sqlite3';

export interface DatabaseHealth {
  ok: boolean;
  userVersion: number;
  journalMode: string;
  quickCheck: string;
}

export function sqliteInfo(): { version: string; fts5: boolean } {
  const db = new Database(':memory:');
  try {
    const version = (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
    let fts5 = true;
    try { db.exec("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='unicode61 remove_diacritics 2')"); } catch { fts5 = false; }
    return { version, fts5 };
  } finally {
    db.close();
  }
}

export function checkDatabaseFile(file: string): DatabaseHealth {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const quickCheck = (db.pragma('quick_check', { simple: true }) as string) ?? 'unknown';
    return {
      ok: quickCheck === 'ok',
      userVersion: db.pragma('user_version', { simple: true }) as number,
      journalMode: db.pragma('journal_mode', { simple: true }) as string,
      quickCheck,
    };
  } finally {
    db.close();
  }
}
