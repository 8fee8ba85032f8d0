// hq — the head office's one command (docs/upstream.md):
//   hq serve [--port 8787] [--host 127.0.0.1] [--admin-token T]   (or HQ_ADMIN_TOKEN) enables /admin
//   hq lane add --store S --name N        prints the lane's token once
//   hq lane list                          last contact, last seq, reported backlog and parked, conflicts
//   hq lane revoke LANE [--store S]       LANE is the lane id, or its name with --store
//   hq catalog load FILE.csv --store S [--replace]
//   hq migrate
// Database: DATABASE_URL (PostgreSQL), else PGlite in HQ_DATA_DIR (default ./hq-data).
import { parseArgs } from 'node:util';
import { loadCatalogCsv } from './catalog';
import { openHqDatabase } from './db';
import { laneStatuses, registerLane, revokeLane } from './lanes';
import { migrate } from './migrate';
import { databaseConfigFromEnv, startHq } from './service';

const USAGE = `usage:
  hq serve [--port 8787] [--host 127.0.0.1] [--admin-token TOKEN]
  hq lane add --store STORE --name NAME
  hq lane list
  hq lane revoke LANE_ID | hq lane revoke NAME --store STORE
  hq catalog load FILE.csv --store STORE [--replace]
  hq migrate
database: DATABASE_URL=postgres://… or PGlite in HQ_DATA_DIR (default ./hq-data)
admin page: GET /admin with the admin token (--admin-token or HQ_ADMIN_TOKEN) as the Basic password`;

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true,
    options: {
      store: { type: 'string' }, name: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' },
      replace: { type: 'boolean' }, help: { type: 'boolean' }, 'admin-token': { type: 'string' },
    },
  });
  const [command, sub, arg] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const dbConfig = databaseConfigFromEnv();
  if (command === 'serve') {
    const adminToken = values['admin-token'] ?? process.env.HQ_ADMIN_TOKEN;
    const hq = await startHq({ ...dbConfig, port: Number(values.port ?? process.env.PORT ?? 8787), host: values.host ?? '127.0.0.1',
      ...(adminToken ? { adminToken } : {}) });
    console.log(`hq listening on ${hq.url} (${hq.db.engine === 'postgres' ? 'PostgreSQL' : `PGlite in ${dbConfig.dataDir}`})${adminToken ? `; admin page at ${hq.url}/admin` : ''}`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await hq.stop();
    return 0;
  }
  const db = await openHqDatabase(dbConfig);
  try {
    await migrate(db);
    if (command === 'migrate') return 0;
    if (command === 'lane' && sub === 'add') {
      if (!values.store || !values.name) throw new Error('lane add needs --store and --name');
      const lane = await registerLane(db, values.store, values.name);
      console.log(`lane ${lane.id} (${lane.name}) registered in store ${lane.storeId}`);
      console.log(`token (shown once; put it in the lane's settings): ${lane.token}`);
      return 0;
    }
    if (command === 'lane' && sub === 'list') {
      for (const l of await laneStatuses(db)) {
        console.log([l.storeId, l.name, l.id, `last contact ${l.lastContactAt ?? 'never'}`, `seq ${l.lastSeq}`,
          `backlog ${l.reportedBacklog ?? '?'}`, `parked ${l.reportedParked ?? '?'}`, `documents ${l.documents}`, `conflicts ${l.conflicts}`,
          l.revokedAt ? `revoked ${l.revokedAt}` : 'active'].join('\t'));
      }
      return 0;
    }
    if (command === 'lane' && sub === 'revoke' && arg) {
      const lane = await revokeLane(db, arg, values.store);
      if (!lane) {
        console.error(`no lane ${values.store ? `named "${arg}" in store ${values.store}` : `with id ${arg} (give --store S to name it by its name)`}`);
        return 1;
      }
      console.log(`lane ${lane.id} (${lane.name}, store ${lane.storeId}) ${lane.alreadyRevoked ? 'was already revoked' : 'revoked: its token is refused from now on'}`);
      return 0;
    }
    if (command === 'catalog' && sub === 'load' && arg) {
      if (!values.store) throw new Error('catalog load needs --store');
      const r = await loadCatalogCsv(db, values.store, arg, { replace: values.replace ?? false });
      for (const e of r.errors) console.error(`${arg}:${e.line}: ${e.message}`);
      console.log(`rows ${r.rows}, changed ${r.changed}, deleted ${r.deleted}, bad ${r.errorCount}`);
      return 0;
    }
    console.error(USAGE);
    return 2;
  } finally {
    await db.close();
  }
}
