// Sales migration 7: the marking code of a receipt line as an indexed column. "One item, one code" is
// asked on every marked scan (is this code on an active line of any open or parked receipt?); without
// the index that question parsed every line's JSON. A VIRTUAL generated column costs nothing to store
// and ALTER TABLE can add it without rebuilding the table; the partial index holds marked lines only.
import type { Migration } from '../migrate';

export const salesMarkingCodeMigration: Migration = {
  version: 7,
  name: 'receipt line marking code index',
  up(db) {
    db.exec(`
      ALTER TABLE receipt_lines ADD COLUMN marking_code TEXT
        GENERATED ALWAYS AS (json_extract(line, '$.markingCode')) VIRTUAL;
      CREATE INDEX receipt_lines_marking_code ON receipt_lines(marking_code) WHERE marking_code IS NOT NULL;
    `);
  },
};
