// The outbox: everything the head office must receive, written in the same transaction as the change
// it reports (the caller's transaction — add() never opens one). A relay takes due rows in order,
// sends each with its id as Idempotency-Key, and marks it sent, or failed with a time to retry.
// A row is never dropped: after maxAttempts failures it is parked for the operator to see.
import type { Database, Statement } from 'better-sqlite3';
import { newId } from './ids';

export interface OutboxEntry {
  type: string;
  aggregateId: string;
  payload: unknown;
  /** ISO time of the change. */
  at: string;
}

export interface OutboxRow {
  seq: number;
  id: string;
  type: string;
  aggregateId: string;
  payload: unknown;
  createdAt: string;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  state: 'pending' | 'sent' | 'parked';
}

/**
 * A due row as the relay sends it: the payload is the JSON text as stored (its UTF-8 bytes), so that
 * it can go into a request body without being parsed and serialised again.
 */
export interface OutboxDocument {
  seq: number;
  id: string;
  type: string;
  aggregateId: string;
  createdAt: string;
  attempts: number;
  payloadJson: Buffer;
}

interface OutboxDocumentRecord {
  seq: number;
  id: string;
  type: string;
  aggregate_id: string;
  created_at: string;
  attempts: number;
  next_attempt_at: string | null;
  payload_json: Buffer;
}

/** What a document adds to a request body besides its payload and strings: the envelope's keys, punctuation, a 16-digit seq. */
const ENVELOPE_BYTES = 96;

interface OutboxRecord {
  seq: number;
  id: string;
  type: string;
  aggregate_id: string;
  payload: string;
  created_at: string;
  attempts: number;
  next_attempt_at: string | null;
  last_error: string | null;
  state: 'pending' | 'sent' | 'parked';
}

function toRow(r: OutboxRecord): OutboxRow {
  return {
    seq: r.seq, id: r.id, type: r.type, aggregateId: r.aggregate_id, payload: storedPayload(r.payload),
    createdAt: r.created_at, attempts: r.attempts, nextAttemptAt: r.next_attempt_at, lastError: r.last_error, state: r.state,
  };
}

/** The stored JSON parsed; a damaged text (the relay parks such a row) is given as it is, so the operator's list still shows it. */
function storedPayload(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

const PARKED_RECOUNT_MS = 5000;

export class Outbox {
  private readonly insertStmt: Statement<[string, string, string, string, string]>;
  private readonly pendingStmt: Statement<[number], OutboxRecord>;
  private readonly pendingDocumentsStmt: Statement<[number], OutboxDocumentRecord>;
  private readonly parkedStmt: Statement<[number], OutboxRecord>;
  private readonly sentStmt: Statement<[string]>;
  private readonly failedStmt: Statement<{ id: string; error: string; next: string; max: number }>;
  private readonly retryStmt: Statement<[string]>;
  private readonly pendingCountStmt: Statement<[], { n: number }>;
  private readonly parkedCountStmt: Statement<[], { n: number }>;
  /** The parked count (a full scan: no index has state = 'parked'), until this Outbox changes a state or it gets old. */
  private parkedCache: { n: number; atMs: number } | null = null;
  private readonly markSentAll: (ids: readonly string[]) => void;

  constructor(private readonly db: Database) {
    this.insertStmt = db.prepare(
      `INSERT INTO outbox (id, type, aggregate_id, payload, created_at, state) VALUES (?, ?, ?, ?, ?, 'pending')`);
    this.pendingStmt = db.prepare(`SELECT * FROM outbox WHERE state = 'pending' ORDER BY seq LIMIT ?`);
    this.pendingDocumentsStmt = db.prepare(
      `SELECT seq, id, type, aggregate_id, created_at, attempts, next_attempt_at, CAST(payload AS BLOB) AS payload_json
         FROM outbox WHERE state = 'pending' ORDER BY seq LIMIT ?`);
    this.parkedStmt = db.prepare(`SELECT * FROM outbox WHERE state = 'parked' ORDER BY seq LIMIT ?`);
    this.sentStmt = db.prepare(`UPDATE outbox SET state = 'sent', last_error = NULL, next_attempt_at = NULL WHERE id = ? AND state <> 'sent'`);
    this.failedStmt = db.prepare(
      `UPDATE outbox SET attempts = attempts + 1, last_error = :error, next_attempt_at = :next,
              state = CASE WHEN attempts + 1 >= :max THEN 'parked' ELSE 'pending' END
        WHERE id = :id AND state = 'pending'`);
    this.retryStmt = db.prepare(`UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = NULL WHERE id = ? AND state = 'parked'`);
    // Pending rows are counted on the outbox_due partial index (a covering index: no row is read);
    // parked rows have no index, so counting them reads the whole table, payloads and all.
    this.pendingCountStmt = db.prepare(`SELECT count(*) AS n FROM outbox WHERE state = 'pending'`);
    this.parkedCountStmt = db.prepare(`SELECT count(*) AS n FROM outbox WHERE state = 'parked'`);
    this.markSentAll = db.transaction((ids: readonly string[]) => {
      for (const id of ids) this.sentStmt.run(id);
    });
  }

  /** Writes one pending row and returns its id (UUIDv7). Call inside the transaction of the change. */
  add(entry: OutboxEntry): string {
    return this.addJson({ type: entry.type, aggregateId: entry.aggregateId, payloadJson: JSON.stringify(entry.payload ?? null), at: entry.at });
  }

  /** add() for a payload the caller already holds as JSON text (one JSON value), stored as it is. */
  addJson(entry: { type: string; aggregateId: string; payloadJson: string; at: string }): string {
    const id = newId();
    this.insertStmt.run(id, entry.type, entry.aggregateId, entry.payloadJson, entry.at);
    return id;
  }

  /**
   * Pending rows to send now, oldest first. Order is strict: the result stops at the first row that
   * is waiting for its retry time, so a later row never overtakes an earlier one (the head office
   * applies them in order). Parked rows do not block: they wait for the operator.
   */
  due(limit: number, nowIso: string): OutboxRow[] {
    const rows: OutboxRow[] = [];
    for (const r of this.pendingStmt.iterate(Math.max(0, Math.floor(limit)))) {
      if (r.next_attempt_at !== null && r.next_attempt_at > nowIso) break;
      rows.push(toRow(r));
    }
    return rows;
  }

  /**
   * The same rows as due(), for sending: each payload as its stored JSON bytes (never parsed here), and
   * no more rows than fit in maxBytes of request body (at least one, however large: the head office
   * answers 413 for it and the relay parks it). Rows past the budget are not read.
   */
  dueToSend(limit: number, nowIso: string, maxBytes: number): OutboxDocument[] {
    const rows: OutboxDocument[] = [];
    let bytes = 0;
    for (const r of this.pendingDocumentsStmt.iterate(Math.max(0, Math.floor(limit)))) {
      if (r.next_attempt_at !== null && r.next_attempt_at > nowIso) break;
      bytes += r.payload_json.length + r.id.length + r.type.length + r.aggregate_id.length + r.created_at.length + ENVELOPE_BYTES;
      if (bytes > maxBytes && rows.length > 0) break;
      rows.push({ seq: r.seq, id: r.id, type: r.type, aggregateId: r.aggregate_id, createdAt: r.created_at, attempts: r.attempts, payloadJson: r.payload_json });
    }
    return rows;
  }

  markSent(ids: readonly string[]): void {
    if (ids.length > 0) this.markSentAll(ids);
  }

  /** Records a failed attempt; the row is parked once it has failed maxAttempts times. */
  markFailed(id: string, error: string, nextAttemptAtIso: string, maxAttempts: number): void {
    this.parkedCache = null;
    this.failedStmt.run({ id, error: error.slice(0, 2000), next: nextAttemptAtIso, max: maxAttempts });
  }

  /** Parked rows, oldest first, for the operator's screen. */
  parked(limit: number): OutboxRow[] {
    return this.parkedStmt.all(Math.max(0, Math.floor(limit))).map(toRow);
  }

  /** The operator's "try again": a parked row becomes pending with a fresh attempt count. */
  retry(id: string): boolean {
    this.parkedCache = null;
    return this.retryStmt.run(id).changes > 0;
  }

  /**
   * Pending and parked rows. The pending count is exact; the parked one is recounted whenever this
   * Outbox parked or retried a row, and otherwise at most every PARKED_RECOUNT_MS (a full scan of a
   * 100 000-row outbox takes ~100 ms, and a draining relay asks twice a second).
   */
  counts(): { pending: number; parked: number } {
    const pending = this.pendingCountStmt.get()!.n;
    const now = Date.now();
    if (!this.parkedCache || now - this.parkedCache.atMs >= PARKED_RECOUNT_MS || now < this.parkedCache.atMs) {
      this.parkedCache = { n: this.parkedCountStmt.get()!.n, atMs: now };
    }
    return { pending, parked: this.parkedCache.n };
  }
}
