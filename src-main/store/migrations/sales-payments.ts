// Migration 4 of sales.sqlite: card payments and their journal (issue 6). Every card operation is a
// row written before the terminal hears of it; its state follows what the terminal said, or what
// recovery found out. Terminal configuration and internal payment types are data the administrator edits.
import type { Migration } from '../migrate';

export const salesPaymentsMigration: Migration = {
  version: 4,
  name: 'payment terminals, internal payment types, card operation journal, settlements',
  up(db) {
    db.exec(`
      CREATE TABLE payment_terminals (
        id          TEXT PRIMARY KEY,          -- the configured key ("A", "sber-1"); journal rows name it
        name        TEXT NOT NULL,
        protocol    TEXT NOT NULL,             -- 'upos' | 'inpas' | 'zvt' | …
        connection  TEXT NOT NULL,             -- JSON: port, host, paths — the driver's business
        role        TEXT NOT NULL,             -- "bank terminal A", "MIR only", …
        routing     TEXT NOT NULL DEFAULT '{}',-- JSON TerminalRouting: priority, card types, amounts, methods
        enabled     INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0,1))
      ) STRICT;

      CREATE TABLE internal_payment_types (
        id          TEXT PRIMARY KEY,
        name        TEXT NOT NULL,
        -- Which FFD payment sum it lands in; never cash (cash comes through the drawer).
        ffd_kind    TEXT NOT NULL CHECK (ffd_kind IN ('electronic','prepayment','postpayment','counterProvision')),
        enabled     INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0,1))
      ) STRICT;

      -- receipt_id has no foreign key on purpose: a refund may belong to a return document kept elsewhere,
      -- and the journal must outlive whatever happens to the receipt.
      CREATE TABLE payment_operations (
        id            TEXT PRIMARY KEY,
        receipt_id    TEXT NOT NULL,
        sale_id       TEXT REFERENCES sales(id),   -- set in the sale's transaction when the receipt closes
        terminal_id   TEXT NOT NULL,
        kind          TEXT NOT NULL CHECK (kind IN ('purchase','refund','cancel')),
        amount_kopecks INTEGER NOT NULL CHECK (amount_kopecks > 0),
        state         TEXT NOT NULL CHECK (state IN ('journalled','sent','approved','declined','unknown','cancelled','needs_supervisor')),
        reference     TEXT NOT NULL UNIQUE,        -- what we hand the terminal as the ECR reference
        original_id   TEXT REFERENCES payment_operations(id),  -- refund / cancel: the purchase undone
        approved      TEXT,                        -- JSON ApprovedOperation (rrn, auth code, receipt no., card, terminal id)
        slip          TEXT,                        -- the slip as printed, lines joined by \\n
        outcome       TEXT,                        -- JSON: decline code/message, unknown reason
        attention     TEXT,                        -- why a supervisor must look
        resolution    TEXT,                        -- JSON: how recovery or a supervisor decided, with the facts
        created_at    TEXT NOT NULL,
        updated_at    TEXT NOT NULL,
        CHECK ((kind = 'purchase') = (original_id IS NULL))
      ) STRICT;
      CREATE INDEX payment_operations_receipt ON payment_operations(receipt_id);
      CREATE INDEX payment_operations_original ON payment_operations(original_id) WHERE original_id IS NOT NULL;
      CREATE INDEX payment_operations_unresolved ON payment_operations(terminal_id, created_at)
        WHERE state IN ('journalled','sent','unknown','needs_supervisor');
      -- Approved purchases no sale owns yet: where an abandoned approval hides.
      CREATE INDEX payment_operations_unattached ON payment_operations(receipt_id)
        WHERE kind = 'purchase' AND state = 'approved' AND sale_id IS NULL;

      CREATE TABLE terminal_settlements (
        id          TEXT PRIMARY KEY,
        terminal_id TEXT NOT NULL,
        shift_id    TEXT REFERENCES shifts(id),
        at          TEXT NOT NULL,
        ok          INTEGER NOT NULL CHECK (ok IN (0,1)),
        message     TEXT NOT NULL,
        slip        TEXT NOT NULL                  -- the сверка итогов report as printed
      ) STRICT;
      CREATE INDEX terminal_settlements_terminal ON terminal_settlements(terminal_id, at);
    `);
  },
};
