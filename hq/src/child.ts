// The head office in a child process driven over IPC (fork), for the sync benchmark: a real second
// process with its own event loop and core, as in production, that the parent can also kill.
// Messages in: { id, op: 'addLane'|'publish'|'stop', ... }; out: { ready, url, engine } once, then
// { id, result } or { id, error } per message.
import { upsertProducts } from './catalog';
import { stderrLogger, silentLogger } from './errors';
import { ensureStore, registerLane } from './lanes';
import { databaseConfigFromEnv, startHq } from './service';
import type { Product } from '../../src-main/contract/model';

type Message =
  | { id: number; op: 'addLane'; storeId: string; name: string }
  | { id: number; op: 'publish'; storeId: string; products: Product[] }
  /** dropSchema: on PostgreSQL, drop HQ_SCHEMA (the benchmark's own) before exiting. */
  | { id: number; op: 'stop'; dropSchema?: boolean };

async function run(): Promise<void> {
  if (!process.send) throw new Error('hq child: start me with fork()');
  const hq = await startHq({ ...databaseConfigFromEnv(), port: 0, log: process.env.HQ_LOG ? stderrLogger : silentLogger });
  const reply = (m: unknown) => process.send!(m);
  process.on('message', (raw) => {
    const m = raw as Message;
    void (async () => {
      try {
        if (m.op === 'addLane') return reply({ id: m.id, result: await registerLane(hq.db, m.storeId, m.name) });
        if (m.op === 'publish') {
          // One transaction, the store's row locked: what `hq catalog load` does with a parsed CSV.
          const changed = await hq.db.transaction(async (tx) => {
            await ensureStore(tx, m.storeId);
            await tx.query('SELECT id FROM stores WHERE id = $1 FOR UPDATE', [m.storeId]);
            return upsertProducts(tx, m.storeId, m.products);
          });
          return reply({ id: m.id, result: { changed } });
        }
        const schema = process.env.HQ_SCHEMA;
        if (m.dropSchema && hq.db.engine === 'postgres' && schema) await hq.db.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await hq.stop();
        reply({ id: m.id, result: null });
        process.exit(0);
      } catch (error) {
        reply({ id: m.id, error: error instanceof Error ? error.message : String(error) });
      }
    })();
  });
  reply({ ready: true, url: hq.url, engine: hq.db.engine });
}

run().catch((error: unknown) => {
  process.stderr.write(`hq child: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
