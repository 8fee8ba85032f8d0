// Migration 4 on a real file: it applies on top of every earlier version, and the journal's tables refuse
// rows that make no sense (a refund without its purchase, an unknown state, a zero amount).
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from '../../../src-main/store/migrate';
import { salesMigrations } from '../../../src-main/store/migrations/sales';
import { PaymentJournal } from '../../../src-main/store/payment-journal';
import { tempDir } from './helpers';

const dir = tempDir('prilavok-payment-journal-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('migration 4: the payment journal', () => {
  it.each([0, 1, 2, 3])('applies on a version %i database in one step', (from) => {
    const db = new Database(join(dir, `v${from}.sqlite`));
    migrate(db, salesMigrations.filter((m) => m.version <= from));
    expect(migrate(db, salesMigrations)).toEqual(salesMigrations.filter((m) => m.version > from).map((m) => m.version));
    expect(salesMigrations.find((m) => m.version === 4)?.name).toMatch(/payment/);
    const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name IN
      ('payment_operations','payment_terminals','internal_payment_types','terminal_settlements') ORDER BY name`).all() as Array<{ name: string }>).map((r) => r.name);
    expect(tables).toEqual(['internal_payment_types', 'payment_operations', 'payment_terminals', 'terminal_settlements']);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });

  it('refuses rows that make no sense', () => {
    const db = new Database(join(dir, 'checks.sqlite'));
    db.pragma('foreign_keys = ON');
    migrate(db, salesMigrations);
    const journal = new PaymentJournal(db);
    const at = '2026-11-23T09:00:00.000Z';
    journal.journal({ id: 'p1', receiptId: 'r1', terminalId: 'A', kind: 'purchase', amountKopecks: 100, reference: 'p1', originalId: null, at });
    expect(() => journal.journal({ id: 'x1', receiptId: 'r1', terminalId: 'A', kind: 'refund', amountKopecks: 100, reference: 'x1', originalId: null, at })).toThrow(/CHECK/);
    expect(() => journal.journal({ id: 'x2', receiptId: 'r1', terminalId: 'A', kind: 'purchase', amountKopecks: 0, reference: 'x2', originalId: null, at })).toThrow(/CHECK/);
    expect(() => journal.journal({ id: 'x3', receiptId: 'r1', terminalId: 'A', kind: 'refund', amountKopecks: 1, reference: 'x3', originalId: 'nope', at })).toThrow(/FOREIGN KEY/);
    expect(() => journal.journal({ id: 'x4', receiptId: 'r1', terminalId: 'A', kind: 'purchase', amountKopecks: 1, reference: 'p1', originalId: null, at })).toThrow(/UNIQUE/);
    expect(() => db.prepare(`UPDATE payment_operations SET state = 'maybe' WHERE id = 'p1'`).run()).toThrow(/CHECK/);
    expect(() => journal.saveInternalType({ id: 'c', name: 'Наличные?', ffdKind: 'cash' as never, enabled: true })).toThrow(/CHECK/);
    expect(journal.markSent('p1', at)).toBe(true);
    expect(journal.markSent('p1', at)).toBe(false); // only from journalled
    db.close();
  });
});
