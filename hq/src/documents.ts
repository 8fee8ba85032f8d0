// Ingest of the lanes' outbox documents: validated with the schemas the lane itself uses
// (src-main/upstream/document-schemas.ts), idempotent
// by document id, one transaction per batch. A repeated id with the same content is acknowledged
// again (the lane lost our answer); with other content it is a conflict — logged, kept in
// document_conflicts, answered, and never applied over the first version.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { Id, IsoTime } from '../../src-main/contract/model';
import { describeZodError, documentPayloadProblem } from '../../src-main/upstream/document-schemas';
import type { HqDatabase } from './db';
import { hqErrors, type Logger } from './errors';
import type { Lane } from './lanes';

export const MAX_BATCH_DOCUMENTS = 1000;

const Time = IsoTime.refine((s) => !Number.isNaN(Date.parse(s)), 'an ISO 8601 time');

export const DocumentIn = z.object({
  id: Id,
  seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  type: z.string().min(1).max(64),
  aggregateId: Id,
  createdAt: Time,
  payload: z.unknown(),
}).strict();
export type DocumentIn = z.infer<typeof DocumentIn>;

const BatchIn = z.object({ documents: z.array(z.unknown()) }).strict();

export interface IngestResult {
  accepted: string[];
  duplicates: string[];
  conflicts: { id: string; reason: string }[];
}

/**
 * JSON with keys sorted at every level: the same document hashes the same however it was serialised.
 * (JSON.stringify with a replacer that rebuilds each object with sorted keys: same text as a
 * hand-written recursion, several times faster, and ingest hashes every document.)
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, sortKeys) ?? 'null';
}

function sortKeys(_key: string, v: unknown): unknown {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
  const obj = v as Record<string, unknown>;
  const sorted: Record<string, unknown> = {};
  for (const k of Object.keys(obj).sort()) sorted[k] = obj[k];
  return sorted;
}

export function contentHash(d: DocumentIn): string {
  return createHash('sha256')
    .update(canonicalJson({ seq: d.seq, type: d.type, aggregateId: d.aggregateId, createdAt: d.createdAt, payload: d.payload }))
    .digest('hex');
}

/** Parses and validates a batch body; throws HqError (400, 413, 422) before anything is written. */
export function parseBatch(body: unknown, maxDocuments = MAX_BATCH_DOCUMENTS): DocumentIn[] {
  const batch = BatchIn.safeParse(body);
  if (!batch.success) throw hqErrors.malformed('the body must be {"documents":[…]}', { issues: batch.error.issues.slice(0, 10) });
  const raw = batch.data.documents;
  if (raw.length === 0) throw hqErrors.malformed('the batch holds no documents');
  if (raw.length > maxDocuments) throw hqErrors.tooLarge(`a batch holds at most ${maxDocuments} documents, this one ${raw.length}`);
  const invalid: { index: number; id: string | null; reason: string }[] = [];
  const docs: DocumentIn[] = [];
  raw.forEach((item, index) => {
    const id = typeof item === 'object' && item !== null && typeof (item as { id?: unknown }).id === 'string' ? (item as { id: string }).id : null;
    const envelope = DocumentIn.safeParse(item);
    if (!envelope.success) {
      invalid.push({ index, id, reason: describe(envelope.error) });
      return;
    }
    const problem = documentPayloadProblem(envelope.data.type, envelope.data.payload);
    if (problem !== null) {
      invalid.push({ index, id, reason: problem });
      return;
    }
    docs.push(envelope.data);
  });
  if (invalid.length > 0) throw hqErrors.invalidDocuments(invalid.slice(0, 100));
  return docs;
}

const describe = describeZodError;

/** Writes a validated batch for one lane in one transaction. */
export interface LaneReport {
  /** X-Outbox-Backlog: rows waiting on the lane. */
  backlog: number | null;
  /** X-Outbox-Parked: rows the lane parked for its operator. */
  parked: number | null;
}

export async function ingestBatch(db: HqDatabase, lane: Lane, docs: readonly DocumentIn[], reported: LaneReport, log: Logger): Promise<IngestResult> {
  const result: IngestResult = { accepted: [], duplicates: [], conflicts: [] };
  const hashes = new Map<DocumentIn, string>(docs.map((d) => [d, contentHash(d)]));
  const fresh: DocumentIn[] = [];
  const conflictRows: { doc: DocumentIn; reason: string }[] = [];

  await db.transaction(async (tx) => {
    // One batch of a lane at a time: a resend racing its original waits, then finds a duplicate.
    await tx.query('SELECT id FROM lanes WHERE id = $1 FOR UPDATE', [lane.id]);
    const ids = docs.map((d) => d.id);
    const existing = new Map(
      (await tx.query<{ id: string; lane_id: string; content_hash: string }>(
        'SELECT id, lane_id, content_hash FROM documents WHERE id = ANY($1::text[])', [ids])).map((r) => [r.id, r]));
    const seqOwner = new Map(
      (await tx.query<{ lane_seq: string | number; id: string }>(
        'SELECT lane_seq, id FROM documents WHERE lane_id = $1 AND lane_seq = ANY($2::bigint[])', [lane.id, docs.map((d) => d.seq)]))
        .map((r) => [Number(r.lane_seq), r.id]));
    const inBatch = new Map<string, string>(); // id → hash, for ids repeated inside one batch

    for (const d of docs) {
      const hash = hashes.get(d)!;
      const known = existing.get(d.id);
      const repeated = inBatch.get(d.id);
      if (known) {
        if (known.lane_id !== lane.id) conflictRows.push({ doc: d, reason: 'this document id was received from another lane' });
        else if (known.content_hash === hash) result.duplicates.push(d.id);
        else conflictRows.push({ doc: d, reason: 'this document id was received before with different content; the first version is kept' });
      } else if (repeated !== undefined) {
        if (repeated === hash) result.duplicates.push(d.id);
        else conflictRows.push({ doc: d, reason: 'this document id appears twice in the batch with different content; the first is kept' });
      } else if (seqOwner.has(d.seq)) {
        conflictRows.push({ doc: d, reason: `outbox seq ${d.seq} of this lane was already used by document ${seqOwner.get(d.seq)}` });
      } else {
        fresh.push(d);
        inBatch.set(d.id, hash);
        seqOwner.set(d.seq, d.id);
        result.accepted.push(d.id);
      }
    }

    if (fresh.length > 0) {
      const rows = fresh.map((d) => ({ id: d.id, seq: d.seq, type: d.type, aggregateId: d.aggregateId, createdAt: d.createdAt, payload: d.payload, hash: hashes.get(d) }));
      // Insert in batch order so received_seq follows the lane's order.
      await tx.query(
        `INSERT INTO documents (id, lane_id, lane_seq, type, aggregate_id, created_at, payload, content_hash)
         SELECT e.doc->>'id', $1, (e.doc->>'seq')::bigint, e.doc->>'type', e.doc->>'aggregateId', e.doc->>'createdAt', e.doc->'payload', e.doc->>'hash'
           FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS e(doc, n) ORDER BY e.n`,
        [lane.id, JSON.stringify(rows)]);
      const sales = fresh.filter((d) => d.type === 'sale.closed').map((d) => {
        const p = d.payload as { number: number; closedAt: string; totals: { totalKopecks: number }; fiscalDocument?: { fiscalSign: string } | null };
        return { id: d.id, saleId: d.aggregateId, number: p.number, closedAt: p.closedAt, total: p.totals.totalKopecks, sign: p.fiscalDocument?.fiscalSign ?? null };
      });
      if (sales.length > 0) {
        // The lookup columns come from the payloads validated here, not read back out of the stored jsonb.
        await tx.query(
          `INSERT INTO sales (document_id, sale_id, store_id, lane_id, number, closed_at, total_kopecks, fiscal_sign)
           SELECT s.id, s."saleId", $1, $2, s.number, s."closedAt", s.total, s.sign
             FROM jsonb_to_recordset($3::jsonb) AS s(id text, "saleId" text, number int, "closedAt" timestamptz, total bigint, sign text)`,
          [lane.storeId, lane.id, JSON.stringify(sales)]);
      }
      const returnIds = fresh.filter((d) => d.type === 'receipt.returned').map((d) => d.id);
      if (returnIds.length > 0) {
        // Returned quantities per sale line, for the receipt lookup. A return whose sale the head
        // office does not hold yet stays a document only (its lines are not counted).
        await tx.query(
          `INSERT INTO returned_lines (return_document_id, sale_document_id, line_id, quantity_milli)
           SELECT d.id, s.document_id, l->>'lineId', (l->>'quantityMilli')::bigint
             FROM documents d CROSS JOIN LATERAL jsonb_array_elements(d.payload->'lines') AS l
             JOIN LATERAL (SELECT document_id FROM sales WHERE sale_id = d.payload->>'saleId' ORDER BY document_id LIMIT 1) s ON true
            WHERE d.id = ANY($1::text[])
           ON CONFLICT DO NOTHING`,
          [returnIds]);
      }
    }
    for (const c of conflictRows) {
      await tx.query('INSERT INTO document_conflicts (document_id, lane_id, reason, document, content_hash) VALUES ($1, $2, $3, $4::jsonb, $5)',
        [c.doc.id, lane.id, c.reason, JSON.stringify(c.doc), hashes.get(c.doc)]);
    }
    await tx.query(
      `UPDATE lanes SET last_contact_at = now(), last_seq = GREATEST(last_seq, $2::bigint), reported_backlog = COALESCE($3::int, reported_backlog),
              reported_parked = COALESCE($4::int, reported_parked)
        WHERE id = $1`,
      [lane.id, fresh.reduce((m, d) => Math.max(m, d.seq), 0), reported.backlog, reported.parked]);
  });

  for (const c of conflictRows) {
    result.conflicts.push({ id: c.doc.id, reason: c.reason });
    log('warn', 'document conflict', { laneId: lane.id, documentId: c.doc.id, seq: c.doc.seq, reason: c.reason });
  }
  return result;
}
