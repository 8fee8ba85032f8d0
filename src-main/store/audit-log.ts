// The audit log: every cashier and supervisor action, hash-chained so that tampering shows.
//   hash = sha256_hex(prev_hash + canonicalJson({ id, at, actorId, authorisedBy, action, subjectId, details }))
// canonicalJson sorts object keys recursively; the first record's prev_hash is 64 zeros.
// append() runs inside the caller's transaction (the action and its record land together) and reads
// the last hash in that same transaction, so two writers can never fork the chain: the second one
// either waits for the write lock (IMMEDIATE) or fails with SQLITE_BUSY_SNAPSHOT, never links to a
// stale hash. Each record is also an outbox row (audit.record, docs/upstream.md), in the same
// transaction, so the head office receives the chain as the lane wrote it.
import { createHash } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import { newId } from './ids';
import { Outbox } from './outbox';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntry {
  at: string;
  actorId: string | null;
  authorisedBy: string | null;
  action: string;
  subjectId: string | null;
  details: Record<string, unknown>;
}

export type AuditVerification =
  | { ok: true; records: number }
  | { ok: false; records: number; brokenAtSeq: number; reason: string };

interface AuditRecord {
  seq: number;
  id: string;
  at: string;
  actor_id: string | null;
  authorised_by: string | null;
  action: string;
  subject_id: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

/** JSON with object keys sorted at every level: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(obj).sort()) {
    const v = obj[key];
    if (v === undefined || typeof v === 'function') continue;
    parts.push(`${JSON.stringify(key)}:${canonicalJson(v)}`);
  }
  return `{${parts.join(',')}}`;
}

export function auditHash(prevHash: string, record: { id: string } & AuditEntry): string {
  const body = canonicalJson({
    id: record.id, at: record.at, actorId: record.actorId, authorisedBy: record.authorisedBy,
    action: record.action, subjectId: record.subjectId, details: record.details,
  });
  return createHash('sha256').update(prevHash + body, 'utf8').digest('hex');
}

export class AuditLog {
  private readonly lastStmt: Statement<[], { hash: string }>;
  private readonly insertStmt: Statement<[string, string, string | null, string | null, string, string | null, string, string, string]>;
  private readonly allStmt: Statement<[], AuditRecord>;
  private readonly sequenceStmt: Statement<[], { seq: number }>;
  private readonly appendInTransaction: (entry: AuditEntry) => void;
  private readonly outbox: Outbox;

  constructor(private readonly db: Database) {
    this.outbox = new Outbox(db);
    this.lastStmt = db.prepare('SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1');
    this.insertStmt = db.prepare(
      `INSERT INTO audit_log (id, at, actor_id, authorised_by, action, subject_id, details, prev_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.allStmt = db.prepare('SELECT * FROM audit_log ORDER BY seq');
    this.sequenceStmt = db.prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'`);
    this.appendInTransaction = (entry) => {
      const id = newId();
      // Hash what verify() will read back: details after a JSON round trip (undefined dropped, dates as strings).
      const detailsJson = JSON.stringify(entry.details ?? {});
      const details = JSON.parse(detailsJson) as Record<string, unknown>;
      const prevHash = this.lastStmt.get()?.hash ?? GENESIS_HASH;
      const hash = auditHash(prevHash, { ...entry, id, details });
      const seq = Number(this.insertStmt.run(id, entry.at, entry.actorId, entry.authorisedBy, entry.action, entry.subjectId, detailsJson, prevHash, hash).lastInsertRowid);
      // The record as the audit.record document: written around detailsJson, not serialised again (a scan pays for this).
      const payloadJson = `{"seq":${seq},"id":${JSON.stringify(id)},"at":${JSON.stringify(entry.at)},"actorId":${JSON.stringify(entry.actorId ?? null)},`
        + `"authorisedBy":${JSON.stringify(entry.authorisedBy ?? null)},"action":${JSON.stringify(entry.action)},"subjectId":${JSON.stringify(entry.subjectId ?? null)},`
        + `"details":${detailsJson},"prevHash":"${prevHash}","hash":"${hash}"}`;
      this.outbox.addJson({ type: 'audit.record', aggregateId: id, payloadJson, at: entry.at });
    };
  }

  /** Appends one record. Inside a caller's transaction it joins it; alone it takes an IMMEDIATE one. */
  append(entry: AuditEntry): void {
    if (this.db.inTransaction) this.appendInTransaction(entry);
    else this.db.transaction(this.appendInTransaction).immediate(entry);
  }

  /**
   * Walks the chain from the first record. Finds an edited record (its hash no longer matches), a
   * deleted one (a gap in seq, or a prev_hash that is not the previous record's hash), a reordered
   * one (prev_hash mismatch), and a truncated tail (sqlite_sequence beyond the last record).
   */
  verify(): AuditVerification {
    const read = this.db.transaction((): AuditVerification => {
      let records = 0;
      let prevHash = GENESIS_HASH;
      let prevSeq = 0;
      for (const r of this.allStmt.iterate()) {
        records++;
        if (r.seq !== prevSeq + 1) {
          return { ok: false, records, brokenAtSeq: r.seq, reason: `record(s) missing: seq ${prevSeq + 1}..${r.seq - 1} deleted` };
        }
        if (r.prev_hash !== prevHash) {
          return { ok: false, records, brokenAtSeq: r.seq, reason: 'prev_hash does not match the previous record: a record was deleted, inserted or reordered' };
        }
        let details: Record<string, unknown>;
        try {
          details = JSON.parse(r.details) as Record<string, unknown>;
        } catch {
          return { ok: false, records, brokenAtSeq: r.seq, reason: 'details are not valid JSON: the record was edited' };
        }
        const expected = auditHash(r.prev_hash, {
          id: r.id, at: r.at, actorId: r.actor_id, authorisedBy: r.authorised_by, action: r.action, subjectId: r.subject_id, details,
        });
        if (expected !== r.hash) {
          return { ok: false, records, brokenAtSeq: r.seq, reason: 'hash does not match the record content: the record was edited' };
        }
        prevHash = r.hash;
        prevSeq = r.seq;
      }
      const lastIssued = this.sequenceStmt.get()?.seq ?? 0;
      if (lastIssued > prevSeq) {
        return { ok: false, records, brokenAtSeq: prevSeq + 1, reason: `record(s) missing at the end: seq ${prevSeq + 1}..${lastIssued} deleted` };
      }
      return { ok: true, records };
    });
    // One read transaction: a consistent snapshot even while the lane keeps appending.
    return this.db.inTransaction ? read() : read.deferred();
  }
}
