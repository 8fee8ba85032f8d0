// A real lane (its demo terminal emulators, its SQLite files) sending to a head office on PGlite: the
// audit log arrives as audit.record documents, the whole chain, checkable there; card operations arrive
// as payment.operation documents once their outcome is known, the card number masked.
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestHq, type TestHq } from '../../../hq/test/support';
import { auditHash, GENESIS_HASH } from '../../../src-main/store/audit-log';
import { DEMO_BARCODES } from '../../../src-main/store/catalog-generator';
import { documentPayloadProblem } from '../../../src-main/upstream/document-schemas';
import { login, openLane, type TestLane } from '../../helpers/lane';

interface AuditDocument {
  seq: number; id: string; at: string; actorId: string | null; authorisedBy: string | null; action: string; subjectId: string | null;
  details: Record<string, unknown>; prevHash: string; hash: string;
}

describe('a lane sends its audit log and its card operations to the head office', () => {
  let hq: TestHq;
  let lane: TestLane;
  let laneId: string;

  beforeAll(async () => {
    hq = await startTestHq({ name: 'pglite' });
    const reg = await hq.addLane('store-1', 'Касса 1');
    laneId = reg.id;
    lane = await openLane({ upstream: { baseUrl: hq.url, token: reg.token }, payments: 'demo-emulators' });
  });
  afterAll(async () => {
    await lane?.close();
    await hq?.destroy();
  });

  const held = async (type: string) => (await hq.hq.db.query<{ aggregate_id: string; payload: unknown }>(
    'SELECT aggregate_id, payload FROM documents WHERE lane_id = $1 AND type = $2 ORDER BY received_seq', [laneId, type]));

  it('a card sale: every audit record and both card operations (one declined, one approved) arrive', async () => {
    const cashier = await login(lane, '1111');
    await lane.ok(cashier, 'shift.open', {});
    const receipt = await lane.ok(cashier, 'receipt.open', {});
    await lane.ok(cashier, 'receipt.scan', { receiptId: receipt.id, code: DEMO_BARCODES.water, source: 'scanner' });
    const { totals } = await lane.ok(cashier, 'receipt.scan', { receiptId: receipt.id, code: DEMO_BARCODES.bread, source: 'scanner' });
    lane.app.services.payments.demo!.inpas!.inject('decline');
    const declined = await lane.ok(cashier, 'payment.card', { receiptId: receipt.id, amountKopecks: totals.totalKopecks, terminalId: 'terminal-b' });
    expect(declined.operation.state).toBe('declined');
    const { operation } = await lane.ok(cashier, 'payment.card', { receiptId: receipt.id, amountKopecks: totals.totalKopecks, terminalId: 'terminal-b' });
    expect(operation.state).toBe('approved');
    await lane.ok(cashier, 'receipt.payMixed', { receiptId: receipt.id, tenders: [{ kind: 'card', operationId: operation.id }] });

    lane.app.services.upstream.wake();
    await vi.waitFor(async () => {
      expect(await lane.ok(cashier, 'upstream.status', {})).toMatchObject({ link: 'up', backlog: 0, parked: 0 });
    }, { timeout: 20_000 });

    // The audit log as the lane holds it, and as the head office received it.
    const file = new Database(path.join(lane.dir, 'sales.sqlite'), { readonly: true });
    const chain = file.prepare('SELECT seq, hash FROM audit_log ORDER BY seq').all() as Array<{ seq: number; hash: string }>;
    file.close();
    const records = (await held('audit.record')).map((d) => d.payload as AuditDocument);
    expect(records.map((r) => ({ seq: r.seq, hash: r.hash }))).toEqual(chain);
    expect(records.map((r) => r.action)).toEqual(expect.arrayContaining(['session.login', 'shift.open', 'receipt.addLine', 'payment.purchase.approved', 'payment.purchase.declined']));
    let prevHash = GENESIS_HASH;
    for (const r of records) {
      expect(r.prevHash).toBe(prevHash);
      expect(auditHash(r.prevHash, r)).toBe(r.hash);
      prevHash = r.hash;
    }

    const payments = await held('payment.operation');
    expect(payments.map((p) => p.aggregate_id)).toEqual([declined.operation.id, operation.id]);
    for (const p of payments) expect(documentPayloadProblem('payment.operation', p.payload)).toBeNull();
    expect(payments[0]!.payload).toMatchObject({ kind: 'purchase', outcome: 'declined', receiptId: receipt.id, terminalId: 'terminal-b', declineCode: expect.any(String) });
    expect(payments[1]!.payload).toMatchObject({
      id: operation.id, receiptId: receipt.id, kind: 'purchase', method: 'card', amountKopecks: totals.totalKopecks, outcome: 'approved',
      rrn: operation.approved.rrn, terminalId: 'terminal-b', cardMasked: expect.stringMatching(/\*/), declineCode: null,
    });
  }, 60_000);
});
