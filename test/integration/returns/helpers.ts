// Shared steps of the return tests on a real lane: selling through the contract, starting a return the
// way the till does (FORBIDDEN for a cashier, then the same call with a supervisor's PIN), and reading
// what the lane wrote (outbox rows, audit records, the fiscal job of a return).
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'vitest';
import type { Session } from '../../../src-main/app/dispatcher';
import { gtinCheckDigit } from '../../../src-main/domain/barcode';
import type { TestLane } from '../../helpers/lane';

/** The demo supervisor's PIN (demo seed: 1111 cashier, 9999 supervisor, 0000 administrator). */
export const SUPERVISOR_PIN = '9999';

/** A weight scale label of the demo apples (PLU 101): prefix 22, weight in grams. */
export function applesLabel(grams: number): string {
  const body = `2200101${String(grams).padStart(5, '0')}`;
  return body + gtinCheckDigit(body);
}

/** Scans the codes onto a new receipt and pays it in cash (exact); returns the sale. */
export async function sellForCash(lane: TestLane, cashier: Session, codes: readonly string[]): Promise<any> {
  const receipt = await lane.ok(cashier, 'receipt.open', {});
  let total = 0;
  for (const code of codes) total = (await lane.ok(cashier, 'receipt.scan', { receiptId: receipt.id, code, source: 'scanner' })).totals.totalKopecks;
  return (await lane.ok(cashier, 'receipt.payCash', { receiptId: receipt.id, tenderedKopecks: total })).sale;
}

/**
 * Starts a return as a cashier at the till does: the lane refuses (FORBIDDEN, overridable), the same call
 * goes again with the supervisor's PIN. Returns the return receipt.
 */
export async function startReturnWithSupervisor(lane: TestLane, cashier: Session, saleId: string, reason = 'брак'): Promise<any> {
  const refused = await lane.call(cashier, 'return.start', { saleId, reason });
  expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', details: { permission: 'sale.return', overridable: true } } });
  return lane.ok(cashier, 'return.start', { saleId, reason }, { pin: SUPERVISOR_PIN });
}

export function readDb<T>(lane: TestLane, read: (db: Database.Database) => T): T {
  const db = new Database(join(lane.dir, 'sales.sqlite'), { readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

export function outboxRows(lane: TestLane, type: string): Array<{ id: string; aggregateId: string; payload: unknown }> {
  return readDb(lane, (db) => (db.prepare('SELECT id, aggregate_id, payload FROM outbox WHERE type = ? ORDER BY seq').all(type) as Array<{ id: string; aggregate_id: string; payload: string }>)
    .map((r) => ({ id: r.id, aggregateId: r.aggregate_id, payload: JSON.parse(r.payload) as unknown })));
}

export function auditRecords(lane: TestLane, action: string): Array<{ actorId: string | null; authorisedBy: string | null; subjectId: string | null; details: any }> {
  return readDb(lane, (db) => (db.prepare('SELECT actor_id, authorised_by, subject_id, details FROM audit_log WHERE action = ? ORDER BY seq').all(action) as
    Array<{ actor_id: string | null; authorised_by: string | null; subject_id: string | null; details: string }>)
    .map((r) => ({ actorId: r.actor_id, authorisedBy: r.authorised_by, subjectId: r.subject_id, details: JSON.parse(r.details) })));
}

/** The fiscal job a closed return wrote (kind 'receipt', payload { request, returnId }). */
export function returnJobId(lane: TestLane, returnId: string): string {
  return readDb(lane, (db) => (db.prepare('SELECT fiscal_job_id AS id FROM sale_returns WHERE id = ?').get(returnId) as { id: string }).id);
}
