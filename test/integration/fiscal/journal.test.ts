// The fiscal job journal on a real SQLite file: migration 2 keeps the jobs a v1 lane left, and the
// database itself refuses to give one fiscal document to two jobs.
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from '../../../src-main/store/migrate';
import { salesMigrations } from '../../../src-main/store/migrations/sales';
import { FiscalJobGone, FiscalJournal } from '../../../src-main/store/fiscal-journal';
import { tempDir } from '../../helpers/lane';

const dir = tempDir('prilavok-fiscal-journal-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function v1WithJobs(file: string): Database.Database {
  const db = new Database(file);
  migrate(db, salesMigrations.filter((m) => m.version === 1));
  db.pragma('foreign_keys = OFF');
  const at = '2026-11-23T09:00:00.000Z';
  db.exec(`INSERT INTO users VALUES ('u', 'Касса', 'cashier', 'x', 1, '${at}');
    INSERT INTO shifts VALUES ('sh', 1, '${at}', 'u', NULL, NULL);`);
  ['pending', 'in_progress', 'failed', 'done'].forEach((state, i) => {
    db.exec(`INSERT INTO receipts VALUES ('r${i}', 'sh', 'u', 'closed', '${at}', '${at}', 100);
      INSERT INTO sales VALUES ('s${i}', 'r${i}', ${i + 1}, 'sh', '${at}', 'u', 100, 100, '{}');
      INSERT INTO fiscal_jobs VALUES ('j${i}', 's${i}', 'sale', '${state}', '{"id":"s${i}"}', 'h', '${at}', '${at}');`);
  });
  db.pragma('foreign_keys = ON');
  return db;
}

describe('the fiscal journal', () => {
  it('migration 2 keeps every v1 job: pending stays queued, unjournalled in-progress and failed ones go to a supervisor', () => {
    const db = v1WithJobs(join(dir, 'v1.sqlite'));
    expect(migrate(db, salesMigrations)).toEqual(salesMigrations.map((m) => m.version).filter((v) => v >= 2));
    const journal = new FiscalJournal(db);
    expect(journal.jobForSale('s0')).toMatchObject({ id: 'j0', state: 'pending', payload: { id: 's0' }, attempts: 0, fdBefore: null });
    expect(journal.jobForSale('s1')).toMatchObject({ state: 'manual', manualReason: expect.stringMatching(/before the fiscal journal/) });
    expect(journal.jobForSale('s2')!.state).toBe('manual');
    expect(journal.jobForSale('s3')!.state).toBe('done');
    expect(journal.head()!.id).toBe('j0');
    expect(journal.counts()).toMatchObject({ queued: 1, manual: 2 });
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });

  it('migration 6 rebuilds the job and step tables for correction receipts and keeps every row, step and guard', () => {
    const db = v1WithJobs(join(dir, 'v5.sqlite'));
    migrate(db, salesMigrations.filter((m) => m.version <= 5));
    const before = new FiscalJournal(db);
    const at = '2026-11-23T10:00:00.000Z';
    before.planSteps('j0', [{ action: 'openShift', condition: 'shiftClosed' }, { action: 'receipt', condition: 'always' }], at);
    before.finishStep('j0', 0, 'done', { fdNumber: 2, fiscalSign: '5', dateTime: null, document: {} }, at);
    before.beginStep('j0', 1, { registerId: 'main', fnSerial: 'FN1', fdBefore: 2, at });
    before.addJob({ id: 'x1', kind: 'x_report', payload: {}, at });
    expect(() => before.addJob({ id: 'c0', kind: 'correction', payload: {}, at })).toThrow(/CHECK/);
    const jobsBefore = db.prepare('SELECT * FROM fiscal_jobs ORDER BY rowid').all();
    const stepsBefore = db.prepare('SELECT * FROM fiscal_job_steps ORDER BY job_id, position').all();

    expect(migrate(db, salesMigrations.filter((m) => m.version <= 6))).toEqual([6]);
    expect(db.prepare('SELECT * FROM fiscal_jobs ORDER BY rowid').all()).toEqual(jobsBefore);
    expect(db.prepare('SELECT * FROM fiscal_job_steps ORDER BY job_id, position').all()).toEqual(stepsBefore);
    const journal = new FiscalJournal(db);
    expect(journal.head()!.id).toBe('j0');
    journal.addJob({ id: 'c1', kind: 'correction', payload: { request: {} }, at });
    journal.planSteps('c1', [{ action: 'correction', condition: 'always' }], at);
    expect(journal.steps('c1')).toMatchObject([{ action: 'correction', state: 'pending' }]);
    // The guards came back with the tables: one document per job, and a step needs its job.
    journal.finishStep('c1', 0, 'done', { fdNumber: 9, fiscalSign: '1', dateTime: null, document: {} }, at, 'preparing', true);
    journal.planSteps('x1', [{ action: 'xReport', condition: 'always' }], at);
    journal.beginStep('x1', 0, { registerId: 'main', fnSerial: 'FN1', fdBefore: 8, at });
    db.prepare(`UPDATE fiscal_jobs SET fn_serial = 'FN1' WHERE id = 'c1'`).run();
    expect(() => db.prepare(`UPDATE fiscal_jobs SET fd_number = 9 WHERE id = 'x1'`).run()).toThrow(/UNIQUE/);
    expect(() => journal.planSteps('nobody', [{ action: 'xReport', condition: 'always' }], at)).toThrow(/FOREIGN KEY/);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect((db.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE name LIKE '%v6%'`).get() as { n: number }).n).toBe(0);
    db.close();
  });

  it('persists steps with their journal entry, and refuses one document for two jobs', () => {
    const db = v1WithJobs(join(dir, 'guard.sqlite'));
    migrate(db, salesMigrations);
    const journal = new FiscalJournal(db);
    const at = '2026-11-23T10:00:00.000Z';
    journal.planSteps('j0', [{ action: 'openShift', condition: 'shiftClosed' }, { action: 'receipt', condition: 'always' }], at);
    journal.finishStep('j0', 0, 'skipped', null, at);
    journal.beginStep('j0', 1, { registerId: 'main', fnSerial: 'FN1', fdBefore: 41, at });
    expect(journal.job('j0')).toMatchObject({ state: 'sending', fnSerial: 'FN1', fdBefore: 41, registerId: 'main' });
    expect(journal.steps('j0').map((s) => [s.action, s.state, s.fdBefore])).toEqual([['openShift', 'skipped', null], ['receipt', 'sending', 41]]);
    const doc = { fdNumber: 42, fiscalSign: '777', dateTime: '2026-11-23T13:00', document: { kind: 'receipt' } };
    journal.finishStep('j0', 1, 'done', doc, at, 'preparing', true);
    journal.jobDone('j0', at);
    expect(journal.job('j0')).toMatchObject({ state: 'done', fdNumber: 42, fiscalSign: '777', document: { kind: 'receipt' } });
    expect(journal.claimedFds('FN1', 40, 50, 'other')).toEqual(new Set([42]));

    journal.addJob({ id: 'lane-1', kind: 'x_report', payload: {}, at });
    journal.planSteps('lane-1', [{ action: 'openShift', condition: 'shiftClosed' }], at);
    journal.beginStep('lane-1', 0, { registerId: 'main', fnSerial: 'FN1', fdBefore: 41, at });
    expect(() => journal.finishStep('lane-1', 0, 'done', doc, at, 'preparing', true)).toThrow(/UNIQUE/);
    expect(journal.steps('lane-1')[0]!.state).toBe('sending'); // the whole change rolled back
    db.close();
  });

  it('releases only a job that never sent a fiscal byte, and a released job can never begin a step here', () => {
    const db = v1WithJobs(join(dir, 'release.sqlite'));
    migrate(db, salesMigrations);
    const journal = new FiscalJournal(db);
    const at = '2026-11-23T10:00:00.000Z';
    for (const id of ['a', 'b', 'c']) journal.addJob({ id, kind: 'x_report', payload: {}, at });
    journal.planSteps('a', [{ action: 'openShift', condition: 'shiftClosed' }, { action: 'xReport', condition: 'always' }], at);
    journal.beginStep('a', 0, { registerId: 'main', fnSerial: 'FN1', fdBefore: 5, at });
    journal.recordFailure('a', { state: 'preparing', attempts: 1, error: null, nextAttemptAt: null, at }); // failed after a byte went out
    journal.planSteps('b', [{ action: 'xReport', condition: 'always' }], at);
    expect(journal.unstartedJobs().map((j) => j.id)).toEqual(['j0', 'b', 'c']);
    expect(journal.releaseUnstarted('a')).toBeNull();         // started: it is reconciled on its own register
    expect(journal.releaseUnstarted('b')).toMatchObject({ id: 'b', state: 'preparing' });
    expect(journal.releaseUnstarted('b')).toBeNull();
    expect(journal.job('b')).toBeNull();
    expect(journal.steps('b')).toEqual([]);
    // The service had read 'b' before it left: its first fiscal byte is refused before it goes out.
    expect(() => journal.beginStep('b', 0, { registerId: 'main', fnSerial: 'FN1', fdBefore: 5, at })).toThrow(FiscalJobGone);
    expect(journal.job('b')).toBeNull();
    db.close();
  });
});
