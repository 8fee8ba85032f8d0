// The configured devices (sales.sqlite `devices`): rows in, DeviceConfig out. A row that no longer
// parses (an option the app dropped) is skipped with its id reported, never a crash at start.
import type { Database, Statement } from 'better-sqlite3';
import { DeviceConfig } from '../contract/device-model';

interface DeviceRow {
  id: string; name: string; kind: string; protocol: string; port: string; role: string; options: string; enabled: number;
}

export class DeviceConfigRepository {
  private readonly allStmt: Statement<[], DeviceRow>;
  private readonly getStmt: Statement<[string], DeviceRow>;
  private readonly upsertStmt: Statement<[string, string, string, string, string, string, string, number, string, string]>;
  private readonly deleteStmt: Statement<[string]>;

  constructor(db: Database) {
    this.allStmt = db.prepare('SELECT id, name, kind, protocol, port, role, options, enabled FROM devices ORDER BY created_at, id');
    this.getStmt = db.prepare('SELECT id, name, kind, protocol, port, role, options, enabled FROM devices WHERE id = ?');
    this.upsertStmt = db.prepare(
      `INSERT INTO devices (id, name, kind, protocol, port, role, options, enabled, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET name = excluded.name, kind = excluded.kind, protocol = excluded.protocol, port = excluded.port,
         role = excluded.role, options = excluded.options, enabled = excluded.enabled, updated_at = excluded.updated_at`);
    this.deleteStmt = db.prepare('DELETE FROM devices WHERE id = ?');
  }

  /** Every device that parses; `invalid` names the rows that do not. */
  list(): { devices: DeviceConfig[]; invalid: string[] } {
    const devices: DeviceConfig[] = [];
    const invalid: string[] = [];
    for (const row of this.allStmt.all()) {
      const parsed = parseRow(row);
      if (parsed) devices.push(parsed); else invalid.push(row.id);
    }
    return { devices, invalid };
  }

  get(id: string): DeviceConfig | null {
    const row = this.getStmt.get(id);
    return row ? parseRow(row) : null;
  }

  save(device: DeviceConfig, at: string): void {
    this.upsertStmt.run(device.id, device.name, device.kind, device.protocol, device.port, device.role,
      JSON.stringify(device.options), device.enabled ? 1 : 0, at, at);
  }

  /** True when a row was deleted. */
  remove(id: string): boolean {
    return this.deleteStmt.run(id).changes > 0;
  }
}

function parseRow(row: DeviceRow): DeviceConfig | null {
  let options: unknown;
  try { options = JSON.parse(row.options); } catch { return null; }
  const parsed = DeviceConfig.safeParse({
    id: row.id, name: row.name, kind: row.kind, protocol: row.protocol, port: row.port, role: row.role, options, enabled: row.enabled === 1,
  });
  return parsed.success ? parsed.data : null;
}
