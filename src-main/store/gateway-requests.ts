// The fiscal gateway's SQLite files (docs/fiscal-gateway.md):
// - gateway.sqlite: the request cache. One row per (ClientId, RequestId): the hash of the request body,
//   the register and fiscal job that execute it, its state and the answer. A repeat of the RequestId
//   reads the row and never makes a second document. Rows are kept at least 31 days (Starrys FCE keeps
//   its cache ≥ 31 days, reference §4.1); only settled rows are ever purged.
// - journal-<register>.sqlite: the fiscal job journal (FiscalJournal, ARCHITECTURE §5) of one register's
//   fiscal service. One file per register, because a journal's queue is one register's queue.
import type { Database, Statement } from 'better-sqlite3';
import type { Migration } from './migrate';
import { openMigratedDatabase } from './database';
import { FiscalJournal } from './fiscal-journal';

export type GatewayRequestState = 'in_progress' | 'done' | 'undefined_outcome' | 'error';
export type CallbackState = 'none' | 'pending' | 'delivered' | 'failed';

export interface GatewayRequest {
  clientId: string;
  requestId: string;
  bodyHash: string;
  state: GatewayRequestState;
  registerId: string;
  jobId: string;
  /** The receipt request given to the fiscal service (kept so that a job lost before it was journalled can be queued again). */
  receipt: unknown;
  /** The answer once settled (done / error), JSON. */
  response: unknown;
  callback: { url: string; headers: Record<string, string> } | null;
  callbackState: CallbackState;
  callbackAttempts: number;
  createdAt: string;
  updatedAt: string;
}

interface Row {
  client_id: string; request_id: string; body_hash: string; state: GatewayRequestState; register_id: string; job_id: string;
  receipt: string; response: string | null; callback: string | null; callback_state: CallbackState; callback_attempts: number;
  created_at: string; updated_at: string;
}

export const gatewayMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'gateway request cache',
    up(db) {
      db.exec(`
        CREATE TABLE gateway_requests (
          client_id    TEXT NOT NULL,          -- '' when the request carried no ClientId
          request_id   TEXT NOT NULL,
          body_hash    TEXT NOT NULL,          -- sha256 of the canonical request without the password
          state        TEXT NOT NULL CHECK (state IN ('in_progress','done','undefined_outcome','error')),
          register_id  TEXT NOT NULL,          -- the register the job runs on; it stays there until settled
          job_id       TEXT NOT NULL UNIQUE,   -- the fiscal job in that register's journal
          receipt      TEXT NOT NULL,          -- JSON: the receipt request given to the fiscal service
          response     TEXT,                   -- JSON: the settled answer
          callback     TEXT,                   -- JSON {url, headers} or NULL
          callback_state TEXT NOT NULL DEFAULT 'none' CHECK (callback_state IN ('none','pending','delivered','failed')),
          callback_attempts INTEGER NOT NULL DEFAULT 0,
          created_at   TEXT NOT NULL,
          updated_at   TEXT NOT NULL,
          PRIMARY KEY (client_id, request_id)
        ) STRICT;
        CREATE INDEX gateway_requests_open ON gateway_requests(state) WHERE state IN ('in_progress','undefined_outcome');
        CREATE INDEX gateway_requests_created ON gateway_requests(created_at);
      `);
    },
  },
];

/** The journal of one register: the lane's fiscal tables without the sales foreign key, 'receipt' jobs allowed. */
export const gatewayJournalMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'fiscal job journal',
    up(db) {
      db.exec(`
        CREATE TABLE fiscal_jobs (
          id          TEXT PRIMARY KEY,
          sale_id     TEXT UNIQUE,
          kind        TEXT NOT NULL CHECK (kind IN ('receipt','open_shift','close_shift','x_report','cash_in','cash_out')),
          state       TEXT NOT NULL CHECK (state IN ('pending','preparing','sending','reconciling','done','manual')),
          payload     TEXT NOT NULL,
          payload_hash TEXT NOT NULL,
          created_at  TEXT NOT NULL,
          updated_at  TEXT NOT NULL,
          register_id TEXT,
          fn_serial   TEXT,
          fd_before   INTEGER,
          attempts    INTEGER NOT NULL DEFAULT 0,
          last_error  TEXT,
          next_attempt_at TEXT,
          manual_reason TEXT,
          fd_number   INTEGER,
          fiscal_sign TEXT,
          document_at TEXT,
          document    TEXT
        ) STRICT;
        CREATE INDEX fiscal_jobs_queue ON fiscal_jobs(created_at) WHERE state NOT IN ('done','manual');
        CREATE UNIQUE INDEX fiscal_jobs_document ON fiscal_jobs(fn_serial, fd_number) WHERE fd_number IS NOT NULL;
        CREATE TABLE fiscal_job_steps (
          job_id      TEXT NOT NULL REFERENCES fiscal_jobs(id),
          position    INTEGER NOT NULL,
          action      TEXT NOT NULL CHECK (action IN ('closeShift','openShift','receipt','xReport','cashIn','cashOut')),
          condition   TEXT NOT NULL CHECK (condition IN ('always','shiftExpiring','shiftClosed','shiftOpen')),
          state       TEXT NOT NULL CHECK (state IN ('pending','sending','done','skipped')),
          fn_serial   TEXT,
          fd_before   INTEGER,
          fd_number   INTEGER,
          fiscal_sign TEXT,
          document_at TEXT,
          error       TEXT,
          updated_at  TEXT NOT NULL,
          PRIMARY KEY (job_id, position)
        ) STRICT;
        CREATE INDEX fiscal_job_steps_document ON fiscal_job_steps(fn_serial, fd_number) WHERE fd_number IS NOT NULL;
      `);
    },
  },
];

/** Fiscal data: every commit is fsynced (synchronous=FULL), as for sales.sqlite. */
function openFile(file: string, migrations: readonly Migration[]): Database {
  return openMigratedDatabase(file, migrations, { synchronous: 'FULL' });
}

export function openGatewayJournal(file: string): { journal: FiscalJournal; close(): void } {
  const db = openFile(file, gatewayJournalMigrations);
  return { journal: new FiscalJournal(db), close: () => db.close() };
}

export class GatewayRequests {
  private readonly db: Database;
  private readonly s: {
    insert: Statement<[string, string, string, string, string, string, string | null, CallbackState, string, string]>;
    get: Statement<[string, string], Row>;
    byJob: Statement<[string], Row>;
    open: Statement<[], Row>;
    settle: Statement<[GatewayRequestState, string | null, string, string]>;
    setState: Statement<[GatewayRequestState, string, string]>;
    callbackResult: Statement<[CallbackState, number, string, string]>;
    callbacksDue: Statement<[], Row>;
    purge: Statement<[string]>;
    count: Statement<[], { n: number }>;
    reassign: Statement<[string, string, string, string]>;
  };

  constructor(file: string) {
    this.db = openFile(file, gatewayMigrations);
    const db = this.db;
    this.s = {
      insert: db.prepare(`INSERT INTO gateway_requests (client_id, request_id, body_hash, state, register_id, job_id, receipt, callback,
          callback_state, created_at, updated_at) VALUES (?, ?, ?, 'in_progress', ?, ?, ?, ?, ?, ?, ?)
          ON CONFLICT (client_id, request_id) DO NOTHING`) as Statement<[string, string, string, string, string, string, string | null, CallbackState, string, string]>,
      get: db.prepare('SELECT * FROM gateway_requests WHERE client_id = ? AND request_id = ?'),
      byJob: db.prepare('SELECT * FROM gateway_requests WHERE job_id = ?'),
      open: db.prepare(`SELECT * FROM gateway_requests WHERE state IN ('in_progress','undefined_outcome') ORDER BY created_at`),
      // A settled row never changes its answer again.
      settle: db.prepare(`UPDATE gateway_requests SET state = ?, response = ?, updated_at = ? WHERE job_id = ? AND state IN ('in_progress','undefined_outcome')`),
      setState: db.prepare(`UPDATE gateway_requests SET state = ?, updated_at = ? WHERE job_id = ? AND state IN ('in_progress','undefined_outcome')`),
      callbackResult: db.prepare('UPDATE gateway_requests SET callback_state = ?, callback_attempts = ?, updated_at = ? WHERE job_id = ?'),
      callbacksDue: db.prepare(`SELECT * FROM gateway_requests WHERE callback_state = 'pending' AND state IN ('done','error')`),
      // Only settled rows go: a request whose outcome is open is kept however old it is.
      purge: db.prepare(`DELETE FROM gateway_requests WHERE created_at < ? AND state IN ('done','error')`),
      count: db.prepare('SELECT count(*) AS n FROM gateway_requests'),
      reassign: db.prepare(`UPDATE gateway_requests SET register_id = ?, updated_at = ? WHERE job_id = ? AND register_id = ? AND state = 'in_progress'`),
    };
  }

  /** Records a new request; returns the existing row instead when the (ClientId, RequestId) is already known. */
  claim(r: { clientId: string; requestId: string; bodyHash: string; registerId: string; jobId: string; receipt: unknown;
    callback: GatewayRequest['callback']; at: string }): { created: true } | { created: false; existing: GatewayRequest } {
    return this.db.transaction(() => {
      const changes = this.s.insert.run(r.clientId, r.requestId, r.bodyHash, r.registerId, r.jobId, JSON.stringify(r.receipt),
        r.callback ? JSON.stringify(r.callback) : null, r.callback ? 'pending' : 'none', r.at, r.at).changes;
      if (changes === 1) return { created: true as const };
      return { created: false as const, existing: toRequest(this.s.get.get(r.clientId, r.requestId)!) };
    }).immediate();
  }

  get(clientId: string, requestId: string): GatewayRequest | null {
    const row = this.s.get.get(clientId, requestId);
    return row ? toRequest(row) : null;
  }

  byJob(jobId: string): GatewayRequest | null {
    const row = this.s.byJob.get(jobId);
    return row ? toRequest(row) : null;
  }

  /** Requests not settled yet (in progress, or waiting for reconciliation). */
  open(): GatewayRequest[] { return this.s.open.all().map(toRequest); }

  /** done / error with the answer; false when the row was already settled (its answer stands). */
  settle(jobId: string, state: 'done' | 'error', response: unknown, at: string): boolean {
    return this.s.settle.run(state, JSON.stringify(response), at, jobId).changes === 1;
  }

  /** in_progress ⇄ undefined_outcome while the job is open. */
  mark(jobId: string, state: 'in_progress' | 'undefined_outcome', at: string): void {
    this.s.setState.run(state, at, jobId);
  }

  callbackResult(jobId: string, state: CallbackState, attempts: number, at: string): void {
    this.s.callbackResult.run(state, attempts, at, jobId);
  }

  /** Settled requests whose callback has not been delivered yet (after a restart). */
  callbacksDue(): GatewayRequest[] { return this.s.callbacksDue.all().map(toRequest); }

  /** Deletes settled rows created before `beforeIso`; returns how many. */
  purgeSettledBefore(beforeIso: string): number {
    return this.s.purge.run(beforeIso).changes;
  }

  count(): number { return this.s.count.get()!.n; }

  /**
   * The request's job moves to another register (it never started where it was). Written after the job left
   * the old register's journal and before it enters the new one's, so a crash in between leaves a row whose
   * register has no job: start() queues it there, and the job is never in two journals.
   */
  reassign(jobId: string, fromRegisterId: string, toRegisterId: string, at: string): boolean {
    return this.s.reassign.run(toRegisterId, at, jobId, fromRegisterId).changes === 1;
  }

  close(): void { this.db.close(); }
}

function toRequest(r: Row): GatewayRequest {
  return {
    clientId: r.client_id, requestId: r.request_id, bodyHash: r.body_hash, state: r.state, registerId: r.register_id, jobId: r.job_id,
    receipt: JSON.parse(r.receipt), response: r.response === null ? null : JSON.parse(r.response),
    callback: r.callback === null ? null : JSON.parse(r.callback) as GatewayRequest['callback'],
    callbackState: r.callback_state, callbackAttempts: r.callback_attempts, createdAt: r.created_at, updatedAt: r.updated_at,
  };
}
