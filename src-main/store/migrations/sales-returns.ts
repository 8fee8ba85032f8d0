// Sales migration 8: returns against a sale (docs/returns.md).
// - receipts.kind: a return receipt is a receipt of its own (open, parked, closed, cancelled like a sale's),
//   so that one receipt is on screen at a time and a parked return keeps its lines and codes.
// - return_receipts: what a return receipt returns against (the sale, where it was found, a snapshot of it).
// - return_card_refunds: each card refund a return asked the payment service for, written before the
//   terminal is called, so that a refund whose answer was lost is found again and never sent twice.
// - sale_returns: the closed return document (append-only), with its lane-wide number and its fiscal job.
// - fiscal_jobs: the lane's journal now allows 'receipt' jobs (an explicit receipt request): a return is
//   fiscalised as one, with 1054 = 2. SQLite cannot widen a CHECK, so the table is rebuilt as in
//   migration 6 (steps copied aside first, every row and column kept), with indexes for finding a sale by
//   its FD number and fiscal sign.
import type { Migration } from '../migrate';

export const salesReturnsMigration: Migration = {
  version: 8,
  name: 'returns against a sale',
  up(db) {
    db.exec(`
      CREATE TABLE fiscal_job_steps_v8_copy AS SELECT * FROM fiscal_job_steps;
      DROP TABLE fiscal_job_steps;

      CREATE TABLE fiscal_jobs_v8 (
        id          TEXT PRIMARY KEY,
        sale_id     TEXT UNIQUE REFERENCES sales(id),   -- null for jobs of no sale (shift, reports, cash, corrections, returns)
        kind        TEXT NOT NULL CHECK (kind IN ('sale','receipt','open_shift','close_shift','x_report','cash_in','cash_out','correction')),
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
      INSERT INTO fiscal_jobs_v8 (id, sale_id, kind, state, payload, payload_hash, created_at, updated_at, register_id, fn_serial,
          fd_before, attempts, last_error, next_attempt_at, manual_reason, fd_number, fiscal_sign, document_at, document)
        SELECT id, sale_id, kind, state, payload, payload_hash, created_at, updated_at, register_id, fn_serial,
          fd_before, attempts, last_error, next_attempt_at, manual_reason, fd_number, fiscal_sign, document_at, document
        FROM fiscal_jobs ORDER BY rowid;
      DROP TABLE fiscal_jobs;
      ALTER TABLE fiscal_jobs_v8 RENAME TO fiscal_jobs;
      CREATE INDEX fiscal_jobs_queue ON fiscal_jobs(created_at) WHERE state NOT IN ('done','manual');
      CREATE UNIQUE INDEX fiscal_jobs_document ON fiscal_jobs(fn_serial, fd_number) WHERE fd_number IS NOT NULL;
      -- A return finds its sale by the numbers printed on the receipt: ФД and ФП.
      CREATE INDEX fiscal_jobs_fd_number ON fiscal_jobs(fd_number) WHERE fd_number IS NOT NULL;
      CREATE INDEX fiscal_jobs_fiscal_sign ON fiscal_jobs(fiscal_sign) WHERE fiscal_sign IS NOT NULL;

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
        FROM fiscal_job_steps_v8_copy;
      DROP TABLE fiscal_job_steps_v8_copy;
      CREATE INDEX fiscal_job_steps_document ON fiscal_job_steps(fn_serial, fd_number) WHERE fd_number IS NOT NULL;

      ALTER TABLE receipts ADD COLUMN kind TEXT NOT NULL DEFAULT 'sale' CHECK (kind IN ('sale','return'));
      CREATE INDEX sales_closed_at ON sales(closed_at);

      CREATE TABLE return_receipts (
        receipt_id    TEXT PRIMARY KEY REFERENCES receipts(id),
        sale_id       TEXT NOT NULL,      -- Sale.id; the sale may be another lane's (found by the head office)
        sale_source   TEXT NOT NULL CHECK (sale_source IN ('lane','headOffice')),
        sale          TEXT NOT NULL,      -- JSON: the sale as found, its lane, what other lanes had returned of it
        reason        TEXT NOT NULL,
        authorised_by TEXT REFERENCES users(id),
        created_at    TEXT NOT NULL
      ) STRICT;
      CREATE INDEX return_receipts_sale ON return_receipts(sale_id);

      CREATE TABLE return_card_refunds (
        id            TEXT PRIMARY KEY,
        receipt_id    TEXT NOT NULL REFERENCES receipts(id),
        purchase_operation_id TEXT NOT NULL,
        amount_kopecks INTEGER NOT NULL CHECK (amount_kopecks > 0),
        operation_id  TEXT UNIQUE,        -- the payment journal's refund operation, once known
        state         TEXT NOT NULL CHECK (state IN ('started','approved','declined','unknown')),
        message       TEXT,
        created_at    TEXT NOT NULL,
        updated_at    TEXT NOT NULL
      ) STRICT;
      CREATE INDEX return_card_refunds_receipt ON return_card_refunds(receipt_id);
      CREATE INDEX return_card_refunds_purchase ON return_card_refunds(purchase_operation_id);

      -- A closed return is an append-only document, like a sale; only its fiscal state changes (through its job).
      CREATE TABLE sale_returns (
        id            TEXT PRIMARY KEY,
        receipt_id    TEXT NOT NULL UNIQUE REFERENCES receipts(id),
        number        INTEGER NOT NULL UNIQUE,
        sale_id       TEXT NOT NULL,
        shift_id      TEXT NOT NULL REFERENCES shifts(id),
        closed_at     TEXT NOT NULL,
        cashier_id    TEXT NOT NULL REFERENCES users(id),
        total_kopecks INTEGER NOT NULL,
        cash_kopecks  INTEGER NOT NULL,
        fiscal_job_id TEXT NOT NULL UNIQUE,
        outbox_id     TEXT NOT NULL UNIQUE, -- its receipt.returned row: sent means the head office counts it
        document      TEXT NOT NULL       -- JSON SaleReturn (contract shape), as closed
      ) STRICT;
      CREATE INDEX sale_returns_shift ON sale_returns(shift_id);
      CREATE INDEX sale_returns_sale ON sale_returns(sale_id);
    `);
  },
};
