// The sales database (sales.sqlite): everything the lane must never lose. Append-only documents,
// the outbox for the head office, the hash-chained audit log, the fiscal job journal.
// Each migration is a function of the database, applied by migrate() in one transaction.
import type { Migration } from '../migrate';
import { markingMigration } from './sales-marking';
import { salesPaymentsMigration } from './sales-payments';
import { salesDevicesMigration } from './sales-devices';
import { salesFiscalCorrectionMigration } from './sales-fiscal-correction';
import { salesMarkingCodeMigration } from './sales-marking-code';
import { salesReturnsMigration } from './sales-returns';

export const salesMigrations: Migration[] = [
  {
    version: 1,
    name: 'initial sales schema',
    up(db) {
      db.exec(`
        CREATE TABLE settings (
          key   TEXT PRIMARY KEY,
          value TEXT NOT NULL            -- JSON
        ) STRICT;

        CREATE TABLE users (
          id        TEXT PRIMARY KEY,
          name      TEXT NOT NULL,
          role      TEXT NOT NULL CHECK (role IN ('cashier','supervisor','administrator')),
          pin_hash  TEXT NOT NULL,       -- scrypt$N$r$p$salt$hash
          active    INTEGER NOT NULL DEFAULT 1,
          created_at TEXT NOT NULL
        ) STRICT;

        CREATE TABLE shifts (
          id         TEXT PRIMARY KEY,
          number     INTEGER NOT NULL UNIQUE,
          opened_at  TEXT NOT NULL,
          opened_by  TEXT NOT NULL REFERENCES users(id),
          closed_at  TEXT,
          closed_by  TEXT REFERENCES users(id)
        ) STRICT;
        -- At most one open shift per lane.
        CREATE UNIQUE INDEX shifts_one_open ON shifts((closed_at IS NULL)) WHERE closed_at IS NULL;

        CREATE TABLE receipts (
          id          TEXT PRIMARY KEY,
          shift_id    TEXT NOT NULL REFERENCES shifts(id),
          cashier_id  TEXT NOT NULL REFERENCES users(id),
          status      TEXT NOT NULL CHECK (status IN ('open','parked','closed','cancelled')),
          opened_at   TEXT NOT NULL,
          updated_at  TEXT NOT NULL,
          total_kopecks INTEGER NOT NULL DEFAULT 0
        ) STRICT;
        CREATE INDEX receipts_active ON receipts(status) WHERE status IN ('open','parked');

        CREATE TABLE receipt_lines (
          id           TEXT PRIMARY KEY,
          receipt_id   TEXT NOT NULL REFERENCES receipts(id),
          position     INTEGER NOT NULL,
          line         TEXT NOT NULL,     -- JSON ReceiptLine (contract shape)
          UNIQUE (receipt_id, position)
        ) STRICT;

        -- A closed sale is an append-only document; it is never updated, except its fiscal state.
        CREATE TABLE sales (
          id           TEXT PRIMARY KEY,
          receipt_id   TEXT NOT NULL UNIQUE REFERENCES receipts(id),
          number       INTEGER NOT NULL UNIQUE,
          shift_id     TEXT NOT NULL REFERENCES shifts(id),
          closed_at    TEXT NOT NULL,
          cashier_id   TEXT NOT NULL REFERENCES users(id),
          total_kopecks INTEGER NOT NULL,
          cash_kopecks INTEGER NOT NULL,
          document     TEXT NOT NULL      -- JSON Sale (contract shape), as closed
        ) STRICT;
        CREATE INDEX sales_shift ON sales(shift_id);

        CREATE TABLE cash_moves (
          id           TEXT PRIMARY KEY,
          shift_id     TEXT NOT NULL REFERENCES shifts(id),
          direction    TEXT NOT NULL CHECK (direction IN ('in','out')),
          amount_kopecks INTEGER NOT NULL CHECK (amount_kopecks > 0),
          comment      TEXT NOT NULL,
          user_id      TEXT NOT NULL REFERENCES users(id),
          at           TEXT NOT NULL
        ) STRICT;

        -- Fiscal jobs: written when a sale closes; the fiscal-register service executes them.
        CREATE TABLE fiscal_jobs (
          id          TEXT PRIMARY KEY,
          sale_id     TEXT NOT NULL UNIQUE REFERENCES sales(id),
          kind        TEXT NOT NULL,      -- 'sale' now; 'return', 'cash_in', … later
          state       TEXT NOT NULL CHECK (state IN ('pending','in_progress','done','failed')),
          payload     TEXT NOT NULL,      -- JSON: what to fiscalise
          payload_hash TEXT NOT NULL,
          created_at  TEXT NOT NULL,
          updated_at  TEXT NOT NULL
        ) STRICT;
        CREATE INDEX fiscal_jobs_pending ON fiscal_jobs(state) WHERE state IN ('pending','in_progress');

        -- Outbox: everything the head office must receive, in order, exactly once.
        CREATE TABLE outbox (
          seq          INTEGER PRIMARY KEY AUTOINCREMENT,
          id           TEXT NOT NULL UNIQUE,   -- UUIDv7, the Idempotency-Key upstream
          type         TEXT NOT NULL,          -- 'sale.closed', 'shift.opened', …
          aggregate_id TEXT NOT NULL,
          payload      TEXT NOT NULL,          -- JSON
          created_at   TEXT NOT NULL,
          attempts     INTEGER NOT NULL DEFAULT 0,
          next_attempt_at TEXT,
          last_error   TEXT,
          state        TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','sent','parked'))
        ) STRICT;
        CREATE INDEX outbox_due ON outbox(state, seq) WHERE state = 'pending';

        -- Audit: every user action, hash-chained so that tampering shows (see store/audit-log.ts).
        CREATE TABLE audit_log (
          seq          INTEGER PRIMARY KEY AUTOINCREMENT,
          id           TEXT NOT NULL UNIQUE,
          at           TEXT NOT NULL,
          actor_id     TEXT,
          authorised_by TEXT,
          action       TEXT NOT NULL,
          subject_id   TEXT,
          details      TEXT NOT NULL,          -- JSON
          prev_hash    TEXT NOT NULL,
          hash         TEXT NOT NULL
        ) STRICT;

        CREATE TABLE counters (
          name  TEXT PRIMARY KEY,
          value INTEGER NOT NULL
        ) STRICT;
      `);
    },
  },
  {
    version: 2,
    name: 'fiscal job journal and batch steps',
    up(db) {
      // SQLite cannot widen a CHECK: fiscal_jobs is rebuilt with the journal columns (ARCHITECTURE §5).
      // Jobs v1 left 'in_progress' were never journalled (nothing ran them): a person must look.
      db.exec(`
        CREATE TABLE fiscal_jobs_v2 (
          id          TEXT PRIMARY KEY,
          sale_id     TEXT UNIQUE REFERENCES sales(id),   -- null for jobs the lane asks for (shift, reports, cash)
          kind        TEXT NOT NULL CHECK (kind IN ('sale','open_shift','close_shift','x_report','cash_in','cash_out')),
          state       TEXT NOT NULL CHECK (state IN ('pending','preparing','sending','reconciling','done','manual')),
          payload     TEXT NOT NULL,      -- JSON: what to fiscalise
          payload_hash TEXT NOT NULL,
          created_at  TEXT NOT NULL,
          updated_at  TEXT NOT NULL,
          register_id TEXT,               -- the register the job started on; it stays there until reconciled
          fn_serial   TEXT,               -- FN serial read before the job's first fiscal byte
          fd_before   INTEGER,            -- last FD number on that FN before the first fiscal byte
          attempts    INTEGER NOT NULL DEFAULT 0,
          last_error  TEXT,               -- JSON {code, message: {ru, en}, details}
          next_attempt_at TEXT,
          manual_reason TEXT,             -- why a supervisor must look
          fd_number   INTEGER,            -- the job's fiscal document
          fiscal_sign TEXT,
          document_at TEXT,               -- the document's date-time as the register reports it
          document    TEXT,               -- JSON: the document as read back from the FN
          CHECK (kind <> 'sale' OR sale_id IS NOT NULL)
        ) STRICT;
        INSERT INTO fiscal_jobs_v2 (id, sale_id, kind, state, payload, payload_hash, created_at, updated_at, manual_reason)
          SELECT id, sale_id, kind,
                 CASE state WHEN 'in_progress' THEN 'manual' WHEN 'failed' THEN 'manual' ELSE state END,
                 payload, payload_hash, created_at, updated_at,
                 CASE state WHEN 'in_progress' THEN 'started before the fiscal journal existed; check the register'
                            WHEN 'failed' THEN 'failed before the fiscal journal existed' END
          FROM fiscal_jobs;
        DROP TABLE fiscal_jobs;
        ALTER TABLE fiscal_jobs_v2 RENAME TO fiscal_jobs;
        CREATE INDEX fiscal_jobs_queue ON fiscal_jobs(created_at) WHERE state NOT IN ('done','manual');
        -- One fiscal document belongs to at most one job: the database refuses a second claim.
        CREATE UNIQUE INDEX fiscal_jobs_document ON fiscal_jobs(fn_serial, fd_number) WHERE fd_number IS NOT NULL;

        -- A job is a list of steps with conditions on the register's state, run in order, stop on failure.
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
          error       TEXT,               -- JSON, the last failure of this step
          updated_at  TEXT NOT NULL,
          PRIMARY KEY (job_id, position)
        ) STRICT;
        CREATE INDEX fiscal_job_steps_document ON fiscal_job_steps(fn_serial, fd_number) WHERE fd_number IS NOT NULL;
      `);
    },
  },
  markingMigration,
  salesPaymentsMigration,
  salesDevicesMigration,
  salesFiscalCorrectionMigration,
  salesMarkingCodeMigration,
  salesReturnsMigration,
];
