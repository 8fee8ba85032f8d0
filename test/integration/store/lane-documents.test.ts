// The audit log and the card payment journal write their head-office documents (audit.record,
// payment.operation) as outbox rows in the transaction of the change; each row matches the schema the
// relay and the head office check.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditLog, GENESIS_HASH, auditHash } from '../../../src-main/store/audit-log';
import { openDatabase, type Database } from '../../../src-main/store/database';
import { Outbox } from '../../../src-main/store/outbox';
import { PaymentJournal } from '../../../src-main/store/payment-journal';
import { maskedCard } from '../../../src-main/store/payment-operation-document';
import { documentPayloadProblem } from '../../../src-main/upstream/document-schemas';

let dir: string;
let db: Database;
let outbox: Outbox;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prilavok-lane-documents-'));
  db = openDatabase(path.join(dir, 'sales.sqlite'), 'sales');
  outbox = new Outbox(db);
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const rows = (type: string) => outbox.due(1000, '9999').filter((r) => r.type === type);
const T = (s: number) => `2026-11-23T10:00:${String(s).padStart(2, '0')}.000Z`;

describe('audit records go upstream', () => {
  it('each appended record is one audit.record row with its place in the chain, written in the same transaction', () => {
    const audit = new AuditLog(db);
    audit.append({ at: T(1), actorId: 'u-cashier', authorisedBy: null, action: 'receipt.open', subjectId: 'r1', details: {} });
    audit.append({ at: T(2), actorId: 'u-cashier', authorisedBy: 'u-super', action: 'receipt.cancel', subjectId: 'r1',
      details: { totalKopecks: 4900, lines: [{ name: 'Вода «Родник»', quantityMilli: 1000 }] } });
    expect(() => db.transaction(() => {
      audit.append({ at: T(3), actorId: 'u-cashier', authorisedBy: null, action: 'receipt.addLine', subjectId: 'r2', details: { n: 1 } });
      throw new Error('the line could not be added');
    })()).toThrow('the line could not be added');

    const docs = rows('audit.record');
    expect(docs).toHaveLength(2);
    const chain = db.prepare('SELECT seq, id, hash FROM audit_log ORDER BY seq').all() as Array<{ seq: number; id: string; hash: string }>;
    let prevHash = GENESIS_HASH;
    docs.forEach((doc, i) => {
      expect(documentPayloadProblem('audit.record', doc.payload)).toBeNull();
      const record = doc.payload as { seq: number; id: string; at: string; actorId: string | null; authorisedBy: string | null; action: string;
        subjectId: string | null; details: Record<string, unknown>; prevHash: string; hash: string };
      expect(record).toMatchObject({ seq: chain[i]!.seq, id: chain[i]!.id, hash: chain[i]!.hash, prevHash });
      expect(doc).toMatchObject({ aggregateId: record.id, createdAt: record.at });
      // The head office can check the chain from the documents alone.
      expect(auditHash(record.prevHash, record)).toBe(record.hash);
      prevHash = record.hash;
    });
    expect(audit.verify()).toEqual({ ok: true, records: 2 });
  });
});

describe('card operations go upstream when they reach their outcome', () => {
  const at = T(0);

  it('the first approved or declined outcome writes one payment.operation row; an unknown one, or a repeat, writes none', () => {
    const journal = new PaymentJournal(db);
    journal.journal({ id: 'p1', receiptId: 'r1', terminalId: 'terminal-a', kind: 'purchase', amountKopecks: 5150, reference: 'p1', originalId: null, at });
    journal.recordOutcome('p1', { state: 'unknown', outcome: { code: 'UNKNOWN', message: 'no answer' }, at: T(1) });
    expect(rows('payment.operation')).toHaveLength(0);
    const approved = { amountKopecks: 5150, rrn: '123456789012', authCode: 'A1B2C3', receiptNumber: '17', terminalId: '00012345', cardMasked: '2200123456781234', cardType: 'MIR' };
    journal.transaction(() => journal.recordOutcome('p1', { state: 'approved', approved, slip: ['ОДОБРЕНО'], outcome: null, at: T(2) }));
    journal.recordOutcome('p1', { state: 'approved', approved, at: T(3) });

    journal.journal({ id: 'c1', receiptId: 'r1', terminalId: 'terminal-a', kind: 'cancel', amountKopecks: 5150, reference: 'c1', originalId: 'p1', at });
    journal.recordOutcome('c1', { state: 'declined', outcome: { code: 'HOST-REFUSED-THIS-REVERSAL-WITH-A-LONG-CODE', message: 'отказ' }, at: T(4) });

    const docs = rows('payment.operation');
    expect(docs.map((d) => d.aggregateId)).toEqual(['p1', 'c1']);
    for (const d of docs) expect(documentPayloadProblem('payment.operation', d.payload)).toBeNull();
    expect(docs[0]!.payload).toEqual({
      id: 'p1', receiptId: 'r1', originalId: null, kind: 'purchase', method: 'card', amountKopecks: 5150, outcome: 'approved',
      rrn: '123456789012', authCode: 'A1B2C3', terminalId: 'terminal-a', cardMasked: '**** 1234', declineCode: null, at: T(2),
    });
    expect(docs[1]!.payload).toMatchObject({ id: 'c1', originalId: 'p1', kind: 'cancel', outcome: 'declined', declineCode: 'HOST-REFUSED-THIS-REVERSAL-WITH-', rrn: null, cardMasked: null });
    // The full card number never reaches the outbox.
    expect(JSON.stringify(docs)).not.toContain('2200123456781234');
  });

  it('the outcome and its row are written together or not at all', () => {
    const journal = new PaymentJournal(db);
    journal.journal({ id: 'p2', receiptId: 'r1', terminalId: 'terminal-b', kind: 'purchase', amountKopecks: 100, reference: 'p2', originalId: null, at });
    expect(() => journal.transaction(() => {
      journal.recordOutcome('p2', { state: 'declined', outcome: { code: '05', message: 'отказ' }, at: T(1) });
      throw new Error('the audit record failed');
    })).toThrow('the audit record failed');
    expect(journal.operation('p2')!.state).toBe('journalled');
    expect(rows('payment.operation')).toHaveLength(0);
  });

  it('a card number goes out masked, or as its last four digits, or not at all', () => {
    expect(maskedCard('220012******1234')).toBe('220012******1234');
    expect(maskedCard('**** 1234')).toBe('**** 1234');
    expect(maskedCard(' 4276 38XX XXXX 1234 ')).toBe('4276 38XX XXXX 1234');
    expect(maskedCard('2200123456781234')).toBe('**** 1234');
    expect(maskedCard('•••• 1234')).toBe('**** 1234');
    expect(maskedCard('МИР')).toBeNull();
    expect(maskedCard(null)).toBeNull();
    expect(documentPayloadProblem('payment.operation', {
      id: 'p', receiptId: null, originalId: null, kind: 'purchase', method: 'card', amountKopecks: 1, outcome: 'approved', rrn: null, authCode: null,
      terminalId: 'terminal-a', cardMasked: '2200123456781234', declineCode: null, at: T(0),
    })).toMatch(/cardMasked/);
  });
});
