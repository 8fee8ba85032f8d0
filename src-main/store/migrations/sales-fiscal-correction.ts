// Sales migration 6: correction receipts (FFD "чек коррекции", document type 31) as fiscal jobs. SQLite
// cannot widen a CHECK, so fiscal_jobs (kind) and fiscal_job_steps (action) are rebuilt as migration 2
// did, every row and column kept. The steps reference the jobs: they are copied aside and dropped first,
// so that dropping the old jobs table never trips the foreign key, then put back.
import type { Migration } from '../migrate';

export const salesFiscalCorrectionMigration: Migration = {
  version: 6,
  name: 'fiscal correction receipt jobs',
  up(db) {
    db.exec(`
      CREATE TABLE fiscal_job_steps_v6_copy AS SELECT * FROM fiscal_job_steps;
      DROP TABLE fiscal_job_steps;

      CREATE TABLE fiscal_jobs_v6 (
        id          TEXT PRIMARY KEY,
        sale_id     TEXT UNIQUE REFERENCES sales(id),   -- null for jobs the lane asks for (shift, reports, cash, corrections)
        kind        TEXT NOT NULL CHECK (kind IN ('sale','open_shift','close_shift','x_report','cash_in','cash_out','correction')),
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
        document    TEXT,
        CHECK (kind <> 'sale' OR sale_id IS NOT NULL)
      ) STRICT;
      INSERT INTO fiscal_jobs_v6 (id, sale_id, kind, state, payload, payload_hash, created_at, updated_at, register_id, fn_serial,
          fd_before, attempts, last_error, next_attempt_at, manual_reason, fd_number, fiscal_sign, document_at, document)
        SELECT id, sale_id, kind, state, payload, payload_hash, created_at, updated_at, register_id, fn_serial,
          fd_before, attempts, last_error, next_attempt_at, manual_reason, fd_number, fiscal_sign, document_at, document
        FROM fiscal_jobs ORDER BY rowid;
      DROP TABLE fiscal_jobs;
      ALTER TABLE fiscal_jobs_v6 RENAME TO fiscal_jobs;
      CREATE INDEX fiscal_jobs_queue ON fiscal_jobs(created_at) WHERE state NOT IN ('done','manual');
      CREATE UNIQUE INDEX fiscal_jobs_document ON fiscal_jobs(fn_serial, fd_number) WHERE fd_number IS NOT NULL;

      CREATE TABLE fiscal_job_steps (
        job_id      TEXT NOT NULL REFERENCES fiscal_jobs(id),
        position    INTEGER NOT NULL,
        action      TEXT NOT NULL CHECK (action IN ('closeShift','openShift','receipt','xReport','cashIn','cashOut','correction')),
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
      INSERT INTO fiscal_job_steps (job_id, position, action, condition, state, fn_serial, fd_before, fd_number, fiscal_sign,
          document_at, error, updated_at)
        SELECT job_id, position, action, condition, state, fn_serial, fd_before, fd_number, fiscal_sign, document_at, error, updated_at
        FROM fiscal_job_steps_v6_copy;
      DROP TABLE fiscal_job_steps_v6_copy;
      CREATE INDEX fiscal_job_steps_document ON fiscal_job_steps(fn_serial, fd_number) WHERE fd_number IS NOT NULL;
    `);
  },
};
