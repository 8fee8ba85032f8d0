import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli';
import { laneStatuses, revokeLane } from '../src/lanes';
import { BACKENDS, get, post, saleDocument, startTestHq, testId, wireDocument, type TestHq } from './support';

const ADMIN = 'admin-token-0123456789';

describe.each(BACKENDS)('the operator of the head office on $name', (backend) => {
  let t: TestHq;

  beforeAll(async () => {
    t = await startTestHq(backend, { adminToken: ADMIN });
  });
  afterAll(async () => {
    await t?.destroy();
  });

  it('a revoked token is refused at once; the lane and its documents stay', async () => {
    const lane = await t.addLane('r1', 'Касса 1');
    const doc = wireDocument(1);
    expect((await post(t.url, lane.token, { documents: [doc] })).status).toBe(200);
    expect(await revokeLane(t.hq.db, 'Касса 1', 'r1')).toMatchObject({ id: lane.id, alreadyRevoked: false });
    const refused = await post(t.url, lane.token, { documents: [wireDocument(2)] });
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('auth.badToken');
    expect((await get(t.url, lane.token, '/v1/stores/me/catalog?after=0')).status).toBe(401);
    const [status] = await laneStatuses(t.hq.db, lane.id);
    expect(status).toMatchObject({ documents: 1, revokedAt: expect.stringMatching(/^\d{4}-/) });
    expect(await revokeLane(t.hq.db, lane.id)).toMatchObject({ alreadyRevoked: true });
    expect(await revokeLane(t.hq.db, 'no-such-lane')).toBeNull();
  });

  it('the admin page lists lanes with backlog, parked rows and conflicts, behind the admin token, under a strict CSP', async () => {
    const lane = await t.addLane('a1', '<script>alert(1)</script>');
    const doc = wireDocument(1);
    await fetch(`${t.url}/v1/lanes/me/documents`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${lane.token}`, 'x-outbox-backlog': '17', 'x-outbox-parked': '3' },
      body: JSON.stringify({ documents: [doc] }),
    });
    await post(t.url, lane.token, { documents: [{ ...doc, payload: { ...(doc.payload as object), number: 424242 } }] });

    const anonymous = await fetch(`${t.url}/admin`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic /);
    expect((await fetch(`${t.url}/admin`, { headers: { authorization: `Bearer ${lane.token}` } })).status).toBe(401);
    const wrong = Buffer.from('admin:not-the-token').toString('base64');
    expect((await fetch(`${t.url}/admin`, { headers: { authorization: `Basic ${wrong}` } })).status).toBe(401);

    const basic = Buffer.from(`anyone:${ADMIN}`).toString('base64');
    const page = await fetch(`${t.url}/admin`, { headers: { authorization: `Basic ${basic}` } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).not.toMatch(/unsafe/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    const html = await page.text();
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const laneRow = html.split('<tr>').find((r) => r.includes(lane.id))!;
    expect(laneRow).toContain('<td>17</td>'); // backlog
    expect(laneRow).toContain('<td class="bad">3</td>'); // parked
    expect(html).toContain(doc.id); // the conflict
    expect(html).toMatch(/different content/);
  });

  it('without an admin token there is no admin page', async () => {
    const plain = await startTestHq(backend);
    try {
      expect((await fetch(`${plain.url}/admin`)).status).toBe(404);
    } finally {
      await plain.destroy();
    }
  });

  it('the new document types are accepted when well formed, refused with the reason when not', async () => {
    const lane = await t.addLane('d1', 'Касса 1');
    const at = new Date().toISOString();
    const sale = saleDocument(5001);
    const jobId = testId();
    const returned = {
      id: testId(), saleId: sale.id, saleNumber: 5001, shiftId: 'shift-1', returnedAt: at, cashier: sale.cashier, authorisedBy: 'u-super',
      reason: 'брак', lines: [{ lineId: sale.lines[0]!.id, productId: 'demo-milk', quantityMilli: 1000, amountKopecks: 8990 }],
      totalKopecks: 8990, refunds: [{ method: 'cash', amountKopecks: 8990 }], fiscalState: 'pending',
    };
    const docs = [
      { type: 'sale.closed', aggregateId: sale.id, payload: sale },
      { type: 'receipt.returned', aggregateId: returned.id, payload: returned },
      { type: 'fiscal.document', aggregateId: jobId, payload: { jobId, step: 1, kind: 'receipt', saleId: sale.id, returnId: null, fnSerial: '7380440800000001',
        fdNumber: 12, fiscalSign: '3826198312', dateTime: '2026-11-23T10:15:00', tlv: { 1040: 12, 1077: '3826198312' } } },
      { type: 'audit.record', aggregateId: testId(), payload: { seq: 1, id: testId(), at, actorId: 'u-cashier', authorisedBy: null, action: 'receipt.close', subjectId: sale.id, details: {}, prevHash: '0'.repeat(64), hash: 'a'.repeat(64) } },
      { type: 'marking.check', aggregateId: testId(), payload: { code: '0104600439931256215Qbag!\u001d93Zjqw', gtin: '04600439931256', decision: 'allow', rule: 'online.ok', checkedBy: 'online', reqId: testId(), at } },
      { type: 'payment.operation', aggregateId: testId(), payload: { id: testId(), receiptId: sale.receiptId, originalId: null, kind: 'purchase', method: 'card', amountKopecks: 8990, outcome: 'approved', rrn: '123456789012', authCode: 'A1B2C3', terminalId: '00012345', cardMasked: '220012******1234', declineCode: null, at } },
    ].map((c, i) => ({ id: testId(), seq: i + 1, createdAt: at, ...c }));
    const ok = await post(t.url, lane.token, { documents: docs });
    expect(ok.status).toBe(200);
    expect(ok.body.accepted).toHaveLength(docs.length);
    // The return is counted against the sale's line in the receipt lookup.
    const found = await get(t.url, lane.token, '/v1/receipts?number=5001');
    expect(found.body.receipts[0].lines).toEqual([{ lineId: sale.lines[0]!.id, quantityMilli: 2000, returnedMilli: 1000 }]);
    // The fiscal document puts the sale's ФП on its lookup row.
    expect((await get(t.url, lane.token, '/v1/receipts?fiscalSign=3826198312')).body.receipts).toMatchObject([{ sale: { id: sale.id } }]);

    const bad = [
      { ...docs[2]!, id: testId(), seq: 10, payload: { ...(docs[2]!.payload as object), fiscalSign: 'abc' } },
      { ...docs[4]!, id: testId(), seq: 11, payload: { ...(docs[4]!.payload as object), decision: 'maybe' } },
      { ...docs[5]!, id: testId(), seq: 12, payload: { ...(docs[5]!.payload as object), cardMasked: '2200123456781234x', pan: '2200123456781234' } },
      { ...docs[1]!, id: testId(), seq: 13, payload: { ...(docs[1]!.payload as object), lines: [] } },
      { ...docs[3]!, id: testId(), seq: 14, type: 'audit.recrod' },
    ];
    const refused = await post(t.url, lane.token, { documents: bad });
    expect(refused.status).toBe(422);
    const reasons = refused.body.error.details.invalid.map((i: { reason: string }) => i.reason);
    expect(reasons[0]).toMatch(/^payload of fiscal.document: fiscalSign/);
    expect(reasons[1]).toMatch(/^payload of marking.check: decision/);
    expect(reasons[2]).toMatch(/^payload of payment.operation: /);
    expect(reasons[3]).toMatch(/^payload of receipt.returned: lines/);
    expect(reasons[4]).toBe('unknown document type "audit.recrod"');
    const [n] = await t.hq.db.query<{ n: string }>('SELECT count(*) AS n FROM documents WHERE lane_id = $1', [lane.id]);
    expect(Number(n!.n)).toBe(docs.length);
  });

  it('hq lane revoke on the command line refuses the token', async () => {
    if (backend.name !== 'postgres') return; // the CLI opens the database named by the environment
    const lane = await t.addLane('c1', 'Касса CLI');
    const log = console.log;
    const lines: string[] = [];
    console.log = (...a: unknown[]) => { lines.push(a.join(' ')); };
    const env = { ...process.env };
    try {
      process.env.HQ_SCHEMA = (await t.hq.db.query<{ s: string }>('SELECT current_schema() AS s'))[0]!.s;
      expect(await main(['lane', 'revoke', 'Касса CLI', '--store', 'c1'])).toBe(0);
      expect(await main(['lane', 'revoke', lane.id])).toBe(0);
    } finally {
      console.log = log;
      process.env = env;
    }
    expect(lines[0]).toMatch(/revoked: its token is refused/);
    expect(lines[1]).toMatch(/was already revoked/);
    expect((await post(t.url, lane.token, { documents: [wireDocument(1)] })).status).toBe(401);
  });
});
