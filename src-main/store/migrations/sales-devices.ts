// Migration 5 of sales.sqlite: the lane's peripherals as data (issue 5). The administrator adds,
// edits and removes scales, scanners, the receipt printer and the customer display; the device
// manager opens what is enabled. Device events themselves go to the audit log, not here.
import type { Migration } from '../migrate';

export const salesDevicesMigration: Migration = {
  version: 5,
  name: 'configured devices (scales, scanners, printer, customer display)',
  up(db) {
    db.exec(`
      CREATE TABLE devices (
        id          TEXT PRIMARY KEY,
        name        TEXT NOT NULL,
        kind        TEXT NOT NULL CHECK (kind IN ('scale','scanner','printer','display')),
        protocol    TEXT NOT NULL,             -- 'massak' | 'cas' | … | 'serial' | 'hidpos' | 'escpos'
        port        TEXT NOT NULL,             -- a port spec: /dev/ttyUSB0?baud=9600&frame=7E1, tcp://host:port
        role        TEXT NOT NULL,             -- "weighing scale", "hand scanner", …
        options     TEXT NOT NULL DEFAULT '{}',-- JSON DeviceOptions: protocol-specific settings
        enabled     INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0,1)),
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL
      ) STRICT;
    `);
  },
};
