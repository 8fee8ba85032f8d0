// The lane sends every fiscal document the register made to the head office: one fiscal.document outbox
// row per done job that made a document, written in the transaction that marks the job done (a real lane,
// its SQLite files and the demo's Shtrih emulator). Each row matches the schema the head office checks.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { DEMO_BARCODES } from '../../../src-main/store/catalog-generator';
import { documentPayloadProblem } from '../../../src-main/upstream/document-schemas';
import { login, openLane, type TestLane } from '../../helpers/lane';
import { SUPERVISOR_PIN, outboxRows, readDb, returnJobId, sellForCash, startReturnWithSupervisor } from '../returns/helpers';

let lane: TestLane | null = null;
afterEach(async () => { await lane?.close(); lane = null; });

interface FiscalDocumentRow { jobId: string; step: number; kind: string; saleId: string | null; returnId: string | null; fnSerial: string; fdNumber: number; fiscalSign: string; dateTime: string | null; tlv: unknown }

const fiscalDocuments = (l: TestLane) => outboxRows(l, 'fiscal.document').map((r) => ({ ...r, payload: r.payload as FiscalDocumentRow }));

describe('fiscal documents in the outbox', () => {
  it('the shift the sale opened, the sale and a return each send their document once, with the ФП and ФД the register gave', async () => {
    lane = await openLane({ fiscal: 'demo-emulator' });
    const cashier = await login(lane, '1111');
    await lane.ok(cashier, 'shift.open', {});
    const sale = await sellForCash(lane, cashier, [DEMO_BARCODES.water, DEMO_BARCODES.bread]);
    await vi.waitFor(async () => expect((await lane!.ok(cashier, 'sales.get', { saleId: sale.id })).fiscalState).toBe('done'), { timeout: 15_000 });
    const fiscalised = await lane.ok(cashier, 'sales.get', { saleId: sale.id });

    const started = await startReturnWithSupervisor(lane, cashier, sale.id);
    await lane.ok(cashier, 'return.setQuantity', { returnId: started.id, saleLineId: sale.lines[0].id, quantityMilli: 1000 });
    const closed = await lane.ok(cashier, 'return.close', { returnId: started.id });
    await vi.waitFor(async () => expect((await lane!.ok(cashier, 'returns.get', { id: closed.id })).fiscalState).toBe('done'), { timeout: 15_000 });

    const docs = fiscalDocuments(lane);
    for (const d of docs) expect(documentPayloadProblem('fiscal.document', d.payload)).toBeNull();
    // The register's shift was opened by the sale's own job, before its receipt: two documents of one job.
    expect(docs.map((d) => d.payload.kind)).toEqual(['openShift', 'receipt', 'receipt']);
    const [shift, sold, returned] = docs.map((d) => d.payload);
    expect(shift!.step).toBeLessThan(sold!.step);
    expect(shift).toMatchObject({ jobId: sold!.jobId, saleId: null, returnId: null, tlv: null, fdNumber: sold!.fdNumber - 1 });
    expect(sold).toMatchObject({ saleId: sale.id, returnId: null, fnSerial: fiscalised.fiscalDocument.fnSerial,
      fdNumber: fiscalised.fiscalDocument.fdNumber, fiscalSign: fiscalised.fiscalDocument.fiscalSign });
    expect(sold!.dateTime).toMatch(/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/);
    expect(sold!.tlv).not.toBeNull();
    expect(returned).toMatchObject({ saleId: null, returnId: closed.id, jobId: returnJobId(lane, closed.id), fdNumber: sold!.fdNumber + 1 });
    // The outbox row belongs to the job: its aggregate is the job, its time the job's completion.
    const jobs = readDb(lane, (db) => db.prepare("SELECT id, state FROM fiscal_jobs WHERE fd_number IS NOT NULL ORDER BY created_at, rowid").all() as Array<{ id: string; state: string }>);
    expect([...new Set(docs.map((d) => d.aggregateId))]).toEqual(jobs.map((j) => j.id));
    expect(jobs.every((j) => j.state === 'done')).toBe(true);
  });

  it('an X report (no fiscal document) sends nothing, and reopening the lane sends nothing twice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'prilavok-fiscal-outbox-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    lane = await openLane({ dir, fiscal: 'demo-emulator' });
    const cashier = await login(lane, '1111');
    await lane.ok(cashier, 'shift.open', {});
    const sale = await sellForCash(lane, cashier, [DEMO_BARCODES.bread]);
    await vi.waitFor(async () => expect((await lane!.ok(cashier, 'sales.get', { saleId: sale.id })).fiscalState).toBe('done'), { timeout: 15_000 });
    const { jobId } = await lane.ok(cashier, 'fiscal.xReport', {}, { pin: SUPERVISOR_PIN });
    await vi.waitFor(() => expect(readDb(lane!, (db) => (db.prepare('SELECT state FROM fiscal_jobs WHERE id = ?').get(jobId) as { state: string }).state)).toBe('done'), { timeout: 15_000 });
    const before = fiscalDocuments(lane).length;
    await lane.close();
    lane = await openLane({ dir, fiscal: 'demo-emulator' });
    const again = await login(lane, '1111');
    await vi.waitFor(async () => expect(await lane!.ok(again, 'fiscal.status', {})).toMatchObject({ connected: true, queueLength: 0 }), { timeout: 15_000 });
    expect(fiscalDocuments(lane)).toHaveLength(before);
    expect(before).toBe(2); // the shift the sale opened, and the sale
  });
});
