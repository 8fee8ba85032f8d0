import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src-main/store/database';
import { latestVersion, migrate, NewerDatabaseError } from '../../../src-main/store/migrate';
import { salesMigrations } from '../../../src-main/store/migrations/sales';
import { catalogMigrations } from '../../../src-main/store/migrations/catalog';

let dir: string;
beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prilavok-db-')); });
afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }); });

describe('openDatabase', () => {
  it('creates the parent directory and brings a fresh sales database to the latest version', () => {
    const file = path.join(dir, 'nested', 'deeper', 'sales.sqlite');
    const db = openDatabase(file, 'sales');
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(latestVersion(salesMigrations));
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
      const tables = db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table'`).pluck().all();
      expect(tables).toEqual(expect.arrayContaining(['outbox', 'audit_log', 'receipts', 'sales']));
    } finally {
      db.close();
    }
  });

  it('opens the catalog with synchronous=NORMAL and its own schema', () => {
    const db = openDatabase(path.join(dir, 'catalog.sqlite'), 'catalog');
    try {
      expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
      expect(db.pragma('user_version', { simple: true })).toBe(latestVersion(catalogMigrations));
      const tables = db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table'`).pluck().all();
      expect(tables).toEqual(expect.arrayContaining(['products', 'barcodes', 'products_fts', 'search_terms']));
      expect(tables).not.toContain('outbox');
    } finally {
      db.close();
    }
  });

  it('re-opening an up-to-date database applies nothing', () => {
    const file = path.join(dir, 'sales.sqlite');
    openDatabase(file, 'sales').close();
    const db = new Database(file);
    try {
      expect(migrate(db, salesMigrations)).toEqual([]);
    } finally {
      db.close();
    }
    const again = openDatabase(file, 'sales');
    expect(again.pragma('user_version', { simple: true })).toBe(latestVersion(salesMigrations));
    again.close();
  });

  it('refuses a database from a newer version and leaves it untouched', () => {
    const file = path.join(dir, 'sales.sqlite');
    const raw = new Database(file);
    raw.exec('CREATE TABLE future (x INTEGER)');
    raw.pragma('user_version = 99');
    raw.close();
    const before = fs.readFileSync(file);
    expect(() => openDatabase(file, 'sales')).toThrow(NewerDatabaseError);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    const check = new Database(file, { readonly: true });
    try {
      expect(check.pragma('user_version', { simple: true })).toBe(99);
      expect(check.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table'`).pluck().all()).toEqual(['future']);
      expect(check.pragma('journal_mode', { simple: true })).toBe('delete');
    } finally {
      check.close();
    }
  });

  it('runs migrations in one transaction: a failing one leaves the version where it was', () => {
    const db = new Database(path.join(dir, 'x.sqlite'));
    try {
      expect(() => migrate(db, [
        { version: 1, name: 'ok', up: (d) => d.exec('CREATE TABLE a (x INTEGER)') },
        { version: 2, name: 'broken', up: (d) => d.exec('CREATE TABLE nonsense (') },
      ])).toThrow();
      expect(db.pragma('user_version', { simple: true })).toBe(0);
      expect(db.prepare(`SELECT count(*) FROM sqlite_schema WHERE name = 'a'`).pluck().get()).toBe(0);
    } finally {
      db.close();
    }
  });
});
