// The fiscal job journal on a real SQLite file: migration 2 keeps the jobs a v1 lane left, and the
// database itself refuses to give one fiscal document to two jobs.
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from '../../../src-main/store/migrate';
import { salesMigrations } from '../../../src-main/store/migrations/sales';
import { FiscalJournal } from '../../../src-main/store/fiscal-journal';
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
});
