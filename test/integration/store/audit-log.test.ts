import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database as Db } from '../../../src-main/store/database';
import { AuditLog, canonicalJson, GENESIS_HASH } from '../../../src-main/store/audit-log';

let dir: string;
let file: string;
let db: Db;
let audit: AuditLog;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prilavok-audit-'));
  file = path.join(dir, 'sales.sqlite');
  db = openDatabase(file, 'sales');
  audit = new AuditLog(db);
  for (let i = 1; i <= 5; i++) {
    audit.append({ at: `2026-03-01T10:00:0${i}.000Z`, actorId: 'u1', authorisedBy: i === 3 ? 'u2' : null, action: 'receipt.addLine',
      subjectId: `r${i}`, details: { line: i, amountKopecks: 100 * i, nested: { z: 1, a: [i, { y: 2, b: 1 }] } } });
  }
});
afterEach(() => {
  if (db.open) db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Tampering as an attacker would: another connection, raw SQL on the file. */
function tamper(sql: string): void {
  const raw = new Database(file);
  try {
    raw.exec(sql);
  } finally {
    raw.close();
  }
}

describe('audit log hash chain', () => {
  it('canonical JSON sorts keys at every level', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { f: 1, e: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[3,{"e":2,"f":1}]},"b":1}');
  });

  it('chains from 64 zeros and verifies when untouched', () => {
    const first = db.prepare('SELECT prev_hash, hash FROM audit_log WHERE seq = 1').get() as { prev_hash: string; hash: string };
    expect(first.prev_hash).toBe(GENESIS_HASH);
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(audit.verify()).toEqual({ ok: true, records: 5 });
  });

  it('joins the caller transaction: rolled back together with the action', () => {
    expect(() => db.transaction(() => {
      audit.append({ at: 'x', actorId: null, authorisedBy: null, action: 'receipt.close', subjectId: null, details: {} });
      throw new Error('abort');
    })()).toThrow('abort');
    db.transaction(() => {
      audit.append({ at: 'y', actorId: null, authorisedBy: null, action: 'a', subjectId: null, details: {} });
      audit.append({ at: 'z', actorId: null, authorisedBy: null, action: 'b', subjectId: null, details: {} });
    })();
    expect(audit.verify()).toEqual({ ok: true, records: 7 });
  });

  it('detects an edited record', () => {
    tamper(`UPDATE audit_log SET details = '{"line":3,"amountKopecks":1}' WHERE seq = 3`);
    expect(audit.verify()).toMatchObject({ ok: false, brokenAtSeq: 3, reason: expect.stringMatching(/edited/) });
  });

  it('detects an edited actor even when the hash is recomputed without the chain', () => {
    tamper(`UPDATE audit_log SET authorised_by = NULL WHERE seq = 3`);
    expect(audit.verify()).toMatchObject({ ok: false, brokenAtSeq: 3 });
  });

  it('detects a deleted record in the middle', () => {
    tamper('DELETE FROM audit_log WHERE seq = 2');
    expect(audit.verify()).toMatchObject({ ok: false, brokenAtSeq: 3, reason: expect.stringMatching(/deleted/) });
  });

  it('detects a deleted record renumbered to hide the gap', () => {
    tamper('DELETE FROM audit_log WHERE seq = 2; UPDATE audit_log SET seq = seq - 1 WHERE seq > 2');
    expect(audit.verify()).toMatchObject({ ok: false, brokenAtSeq: 2, reason: expect.stringMatching(/prev_hash/) });
  });

  it('detects deleted records at the end', () => {
    tamper('DELETE FROM audit_log WHERE seq >= 4');
    expect(audit.verify()).toMatchObject({ ok: false, records: 3, brokenAtSeq: 4 });
  });

  it('detects reordered records', () => {
    tamper('UPDATE audit_log SET seq = 100 WHERE seq = 2; UPDATE audit_log SET seq = 2 WHERE seq = 3; UPDATE audit_log SET seq = 3 WHERE seq = 100');
    expect(audit.verify()).toMatchObject({ ok: false, brokenAtSeq: 2, reason: expect.stringMatching(/reordered/) });
  });

  it('keeps a valid chain across reopening the database', () => {
    db.close();
    db = openDatabase(file, 'sales');
    audit = new AuditLog(db);
    audit.append({ at: 'later', actorId: 'u1', authorisedBy: null, action: 'shift.close', subjectId: 's1', details: { when: undefined, n: 1 } });
    expect(audit.verify()).toEqual({ ok: true, records: 6 });
  });
});
