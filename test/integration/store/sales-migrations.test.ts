// The sales database must upgrade from every version a lane in the field may still run.
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { latestVersion, migrate, NewerDatabaseError } from '../../../src-main/store/migrate';
import { salesMigrations } from '../../../src-main/store/migrations/sales';
import { catalogMigrations } from '../../../src-main/store/migrations/catalog';
import { SalesStore } from '../../../src-main/store/sales-store';
import { tempDir } from '../../helpers/lane';

const dir = tempDir('prilavok-migrations-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each([
  ['sales', salesMigrations],
  ['catalog', catalogMigrations],
] as const)('%s migrations', (name, migrations) => {
  const latest = latestVersion(migrations);

  it.each(Array.from({ length: latest }, (_, v) => v))(`upgrade from version %i to the latest in one step`, (from) => {
    const file = join(dir, `${name}-from-${from}.sqlite`);
    const db = new Database(file);
    migrate(db, migrations.filter((m) => m.version <= from));
    expect(db.pragma('user_version', { simple: true })).toBe(from);
    const applied = migrate(db, migrations);
    expect(applied).toEqual(migrations.filter((m) => m.version > from).map((m) => m.version));
    expect(db.pragma('user_version', { simple: true })).toBe(latest);
    expect(migrate(db, migrations)).toEqual([]); // idempotent
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });

  it('refuses a database written by a newer version and leaves it untouched', () => {
    const file = join(dir, `${name}-newer.sqlite`);
    const db = new Database(file);
    db.exec('CREATE TABLE from_the_future (x)');
    db.pragma(`user_version = ${latest + 1}`);
    expect(() => migrate(db, migrations)).toThrow(NewerDatabaseError);
    expect(db.pragma('user_version', { simple: true })).toBe(latest + 1);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'from_the_future'").get()).toEqual({ n: 1 });
    db.close();
  });
});

describe('a failing migration', () => {
  it('rolls back every migration of the run, not just its own', () => {
    const file = join(dir, 'failing.sqlite');
    const db = new Database(file);
    const broken = [
      ...salesMigrations,
      { version: salesMigrations.length + 1, name: 'broken', up: (d: Database.Database) => { d.exec('CREATE TABLE half_done (x); SELECT * FROM no_such_table'); } },
    ];
    expect(() => migrate(db, broken)).toThrow(/no_such_table/);
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").get()).toEqual({ n: 0 });
    db.close();
  });
});

describe('the sales store', () => {
  it('opens with WAL and synchronous=FULL', () => {
    const store = SalesStore.open(join(dir, 'pragmas.sqlite'));
    expect(store.durability()).toEqual({ journalMode: 'wal', synchronous: 2 });
    store.close();
  });
});

describe('sales migration 7 (receipt line marking code index)', () => {
  const line = (id: string, markingCode: string | null, voided: boolean) =>
    JSON.stringify({ id, productId: 'p', name: 'Молоко', markingCode, voided });

  it('indexes the codes of lines written before it, and the duplicate-code question uses the index', () => {
    const file = join(dir, 'marking-code-index.sqlite');
    const db = new Database(file);
    migrate(db, salesMigrations.filter((m) => m.version <= 6));
    db.exec(`INSERT INTO users (id, name, role, pin_hash, created_at) VALUES ('u', 'Кассир', 'cashier', 'x', '2026-11-23T09:00:00Z');
      INSERT INTO shifts (id, number, opened_at, opened_by) VALUES ('s', 1, '2026-11-23T09:00:00Z', 'u');
      INSERT INTO receipts (id, shift_id, cashier_id, status, opened_at, updated_at) VALUES
      ('r-open', 's', 'u', 'open', '2026-11-23T10:00:00Z', '2026-11-23T10:00:00Z'),
      ('r-parked', 's', 'u', 'parked', '2026-11-23T10:00:00Z', '2026-11-23T10:00:00Z'),
      ('r-closed', 's', 'u', 'closed', '2026-11-23T10:00:00Z', '2026-11-23T10:00:00Z')`);
    const insert = db.prepare('INSERT INTO receipt_lines (id, receipt_id, position, line) VALUES (?, ?, ?, ?)');
    insert.run('l1', 'r-open', 1, line('l1', null, false));
    insert.run('l2', 'r-parked', 1, line('l2', 'CODE-PARKED', false));
    insert.run('l3', 'r-open', 2, line('l3', 'CODE-VOIDED', true));
    insert.run('l4', 'r-closed', 1, line('l4', 'CODE-SOLD', false));
    db.close();

    const store = SalesStore.open(file);
    try {
      expect(store.receipts.holderOfMarkingCode('CODE-PARKED')).toBe('r-parked');
      expect(store.receipts.holderOfMarkingCode('CODE-VOIDED')).toBeNull(); // a voided line frees its code
      expect(store.receipts.holderOfMarkingCode('CODE-SOLD')).toBeNull();   // a closed receipt holds nothing
      expect(store.receipts.holderOfMarkingCode('CODE-NEVER-SCANNED')).toBeNull();
    } finally {
      store.close();
    }
    const check = new Database(file, { readonly: true });
    const plan = check.prepare(`EXPLAIN QUERY PLAN SELECT r.id FROM receipts r JOIN receipt_lines l ON l.receipt_id = r.id
      WHERE l.marking_code = ? AND r.status IN ('open','parked') AND json_extract(l.line, '$.voided') = 0 LIMIT 1`)
      .all('x') as Array<{ detail: string }>;
    check.close();
    expect(plan.map((p) => p.detail).join('\n')).toMatch(/receipt_lines_marking_code/);
  });
});
