// Lanes and their tokens. A token is 256 random bits shown once at registration; the head office
// keeps only its SHA-256, so a leaked database does not let anyone send as a lane.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { HqDatabase, Sql } from './db';

export interface Lane {
  id: string;
  storeId: string;
  name: string;
}

export interface LaneStatus extends Lane {
  lastContactAt: string | null;
  lastSeq: number;
  reportedBacklog: number | null;
  reportedParked: number | null;
  documents: number;
  conflicts: number;
  revokedAt: string | null;
}

const TOKEN_PREFIX = 'plv1_';
const STORE_ID = /^[0-9A-Za-z_-]{1,64}$/;

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function validStoreId(id: string): boolean {
  return STORE_ID.test(id);
}

/** Creates the store when it is new. */
export async function ensureStore(tx: Sql, storeId: string, name = storeId): Promise<void> {
  if (!validStoreId(storeId)) throw new Error(`bad store id "${storeId}": letters, digits, _ and -, at most 64`);
  await tx.query('INSERT INTO stores (id, name) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING', [storeId, name]);
}

/** Registers a lane; returns it with its token (shown once, never stored). */
export async function registerLane(db: HqDatabase, storeId: string, name: string): Promise<Lane & { token: string }> {
  const trimmed = name.trim();
  if (trimmed === '' || trimmed.length > 100) throw new Error('a lane name is 1 to 100 characters');
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const id = randomUUID();
  await db.transaction(async (tx) => {
    await ensureStore(tx, storeId);
    const taken = await tx.query('SELECT 1 FROM lanes WHERE store_id = $1 AND name = $2', [storeId, trimmed]);
    if (taken.length > 0) throw new Error(`store ${storeId} already has a lane named "${trimmed}"`);
    await tx.query('INSERT INTO lanes (id, store_id, name, token_hash) VALUES ($1, $2, $3, $4)', [id, storeId, trimmed, hashToken(token)]);
  });
  return { id, storeId, name: trimmed, token };
}

export async function authenticate(db: Sql, token: string): Promise<Lane | null> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
  const rows = await db.query<{ id: string; store_id: string; name: string }>(
    'SELECT id, store_id, name FROM lanes WHERE token_hash = $1 AND revoked_at IS NULL', [hashToken(token)]);
  const r = rows[0];
  return r ? { id: r.id, storeId: r.store_id, name: r.name } : null;
}

const ISO = `to_char(%s AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

export async function laneStatuses(db: Sql, laneId?: string): Promise<LaneStatus[]> {
  const rows = await db.query<{
    id: string; store_id: string; name: string; last_contact_at: string | null; last_seq: string | number;
    reported_backlog: number | null; reported_parked: number | null; documents: string | number; conflicts: string | number; revoked_at: string | null;
  }>(
    `SELECT l.id, l.store_id, l.name, ${ISO.replace('%s', 'l.last_contact_at')} AS last_contact_at, l.last_seq, l.reported_backlog,
            l.reported_parked, ${ISO.replace('%s', 'l.revoked_at')} AS revoked_at,
            (SELECT count(*) FROM documents d WHERE d.lane_id = l.id) AS documents,
            (SELECT count(*) FROM document_conflicts c WHERE c.lane_id = l.id) AS conflicts
       FROM lanes l WHERE $1::text IS NULL OR l.id = $1 ORDER BY l.store_id, l.name`, [laneId ?? null]);
  return rows.map((r) => ({
    id: r.id, storeId: r.store_id, name: r.name, lastContactAt: r.last_contact_at, lastSeq: Number(r.last_seq),
    reportedBacklog: r.reported_backlog, reportedParked: r.reported_parked, documents: Number(r.documents), conflicts: Number(r.conflicts),
    revokedAt: r.revoked_at,
  }));
}

/**
 * Revokes a lane's token: every request carrying it is refused (401) from the commit on, since each
 * request looks the token up. The lane and its documents stay. ref is the lane id, or the lane's
 * name when storeId is given. Returns the lane, or null when there is no such lane.
 */
export async function revokeLane(db: Sql, ref: string, storeId?: string): Promise<(Lane & { alreadyRevoked: boolean }) | null> {
  const rows = await db.query<{ id: string; store_id: string; name: string; was: string | null }>(
    `UPDATE lanes l SET revoked_at = COALESCE(l.revoked_at, now())
       FROM (SELECT id, revoked_at AS was FROM lanes WHERE ($2::text IS NULL AND id = $1) OR (store_id = $2 AND name = $1) FOR UPDATE) old
      WHERE l.id = old.id RETURNING l.id, l.store_id, l.name, old.was`, [ref, storeId ?? null]);
  const r = rows[0];
  return r ? { id: r.id, storeId: r.store_id, name: r.name, alreadyRevoked: r.was !== null } : null;
}

/** Recent conflicts, newest first, for the operator. */
export async function recentConflicts(db: Sql, limit: number): Promise<{ laneId: string; storeId: string; laneName: string; documentId: string; reason: string; receivedAt: string }[]> {
  const rows = await db.query<{ lane_id: string; store_id: string; name: string; document_id: string; reason: string; received_at: string }>(
    `SELECT c.lane_id, l.store_id, l.name, c.document_id, c.reason, ${ISO.replace('%s', 'c.received_at')} AS received_at
       FROM document_conflicts c JOIN lanes l ON l.id = c.lane_id ORDER BY c.seq DESC LIMIT $1`, [limit]);
  return rows.map((r) => ({ laneId: r.lane_id, storeId: r.store_id, laneName: r.name, documentId: r.document_id, reason: r.reason, receivedAt: r.received_at }));
}

export async function touchLane(db: Sql, laneId: string): Promise<void> {
  await db.query('UPDATE lanes SET last_contact_at = now() WHERE id = $1', [laneId]);
}
