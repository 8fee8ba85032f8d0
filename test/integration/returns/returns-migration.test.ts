// Sales migration 8 (returns) on a database a lane in the field may hold at version 7: every fiscal job and
// step is kept with its guards, receipts become sales, and the journal now takes a return's receipt job.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate } from '../../../src-main/store/migrate';
import { salesMigrations } from '../../../src-main/store/migrations/sales';
import { FiscalJournal } from '../../../src-main/store/fiscal-journal';
import { ReceiptRepository } from '../../../src-main/store/receipt-repository';
import { tempDir } from '../../helpers/lane';

const dir = tempDir('prilavok-returns-migration-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sales migration 8', () => {
  it('keeps every fiscal job, step and guard, makes old receipts sales, and lets a return be journalled as a receipt job', () => {
    const db = new Database(join(dir, 'v7.sqlite'));
    db.pragma('foreign_keys = ON');
    migrate(db, salesMigrations.filter((m) => m.version <= 7));
    const at = '2026-11-23T09:00:00.000Z';
    db.exec(`INSERT INTO users VALUES ('u', 'Касса', 'cashier', 'x', 1, '${at}');
      INSERT INTO shifts VALUES ('sh', 1, '${at}', 'u', NULL, NULL);
      INSERT INTO receipts (id, shift_id, cashier_id, status, opened_at, updated_at, total_kopecks) VALUES ('r0', 'sh', 'u', 'closed', '${at}', '${at}', 100);
      INSERT INTO sales VALUES ('s0', 'r0', 1, 'sh', '${at}', 'u', 100, 100, '{}');`);
    const before = new FiscalJournal(db);
    db.prepare(`INSERT INTO fiscal_jobs (id, sale_id, kind, state, payload, payload_hash, created_at, updated_at) VALUES ('j0', 's0', 'sale', 'pending', '{}', 'h', ?, ?)`).run(at, at);
    before.planSteps('j0', [{ action: 'receipt', condition: 'always' }], at);
    before.beginStep('j0', 0, { registerId: 'main', fnSerial: 'FN1', fdBefore: 4, at });
    before.finishStep('j0', 0, 'done', { fdNumber: 5, fiscalSign: '123', dateTime: null, document: {} }, at, 'preparing', true);
    before.jobDone('j0', at);
    expect(() => before.addJob({ id: 'r1', kind: 'receipt', payload: {}, at })).toThrow(/CHECK/);
    const jobsBefore = db.prepare('SELECT * FROM fiscal_jobs ORDER BY rowid').all();
    const stepsBefore = db.prepare('SELECT * FROM fiscal_job_steps ORDER BY job_id, position').all();

    expect(migrate(db, salesMigrations)).toEqual([8]);
    expect(db.prepare('SELECT * FROM fiscal_jobs ORDER BY rowid').all()).toEqual(jobsBefore);
    expect(db.prepare('SELECT * FROM fiscal_job_steps ORDER BY job_id, position').all()).toEqual(stepsBefore);
    expect(new ReceiptRepository(db).header('r0')).toMatchObject({ kind: 'sale' });
    const journal = new FiscalJournal(db);
    journal.addJob({ id: 'r1', kind: 'receipt', payload: { request: {}, returnId: 'x' }, at });
    expect(journal.head()!.id).toBe('r1');
    // The guards came back with the tables: one document per job, and a step needs its job.
    db.prepare(`UPDATE fiscal_jobs SET fn_serial = 'FN1' WHERE id = 'r1'`).run();
    expect(() => db.prepare(`UPDATE fiscal_jobs SET fd_number = 5 WHERE id = 'r1'`).run()).toThrow(/UNIQUE/);
    expect(() => journal.planSteps('nobody', [{ action: 'receipt', condition: 'always' }], at)).toThrow(/FOREIGN KEY/);
    expect(db.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE name IN ('fiscal_jobs_fd_number', 'fiscal_jobs_fiscal_sign', 'sales_closed_at')`).get()).toEqual({ n: 3 });
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect((db.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE name LIKE '%v8%'`).get() as { n: number }).n).toBe(0);
    db.close();
  });
});
