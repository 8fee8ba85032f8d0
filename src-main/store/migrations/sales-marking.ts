// Sales migration 3: the permissive-mode journal (every marking-code decision, the refusals among them
// form the violation journal supervisors filter and export) and the administrator's rule switches.
import type { Migration } from '../migrate';

export const markingMigration: Migration = {
  version: 3,
  name: 'marking check journal and rule switches',
  up(db) {
    db.exec(`
      CREATE TABLE marking_checks (
        id          TEXT PRIMARY KEY,
        at          TEXT NOT NULL,
        receipt_id  TEXT,
        actor_id    TEXT,
        code        TEXT NOT NULL,          -- full code as scanned (GS restored), tag 2000
        gtin        TEXT,
        product_id  TEXT,
        product_group TEXT,                 -- True API short group name (milk, tobacco, …)
        operation   TEXT NOT NULL CHECK (operation IN ('sale','return')),
        allowed     INTEGER NOT NULL CHECK (allowed IN (0,1)),
        rule        TEXT,                   -- the rule that refused (or null)
        checked_by  TEXT NOT NULL,          -- online / offline / tspiot / emergency / unavailable / local
        message_ru  TEXT NOT NULL,
        message_en  TEXT NOT NULL,
        req_id      TEXT,
        details     TEXT NOT NULL           -- JSON: attempts, skipped rules, facts
      ) STRICT;
      CREATE INDEX marking_checks_at ON marking_checks(at);
      CREATE INDEX marking_checks_refused ON marking_checks(at) WHERE allowed = 0;

      -- A rule switched off for a product group, until a moment, with the reason (also in the audit log).
      CREATE TABLE marking_rule_switches (
        product_group TEXT NOT NULL,        -- short name, or '*' for every group
        rule        TEXT NOT NULL,
        off_until   TEXT NOT NULL,
        reason      TEXT NOT NULL,
        set_by      TEXT NOT NULL,
        set_at      TEXT NOT NULL,
        PRIMARY KEY (product_group, rule)
      ) STRICT;
    `);
  },
};
