// The sales database (sales.sqlite): everything the lane must never lose. Append-only documents,
// the outbox for the head office, the hash-chained audit log, the fiscal job journal.
// Each migration is a function of the database, applied by migrate() in one transaction.
import type { Migration } from '../migrate';

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
];
