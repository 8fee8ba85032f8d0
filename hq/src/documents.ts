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

/** What a document says, as canonical JSON: two versions of one id are the same document when these are equal. */
export function canonicalContent(d: Omit<DocumentIn, 'id'>): string {
  return canonicalJson({ seq: d.seq, type: d.type, aggregateId: d.aggregateId, createdAt: d.createdAt, payload: d.payload });
}

/** SHA-256 of canonicalContent: kept with each conflict for the operator. */
export function contentHash(d: Omit<DocumentIn, 'id'>): string {
  return createHash('sha256').update(canonicalContent(d)).digest('hex');
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
  const conflictRows: { doc: DocumentIn; reason: string }[] = [];
  const key = (id: string, seq: number | string) => `${id}\u0000${seq}`;

  await db.transaction(async (tx) => {
    // One batch of a lane at a time: a resend racing its original waits, then finds a duplicate.
    await tx.query('SELECT id FROM lanes WHERE id = $1 FOR UPDATE', [lane.id]);

    // Every document is offered to one INSERT … ON CONFLICT DO NOTHING, in batch order (so received_seq
    // follows the lane's order); a row is skipped when its id, or this lane's seq, is already taken
    // (before the batch or earlier in it). The sale.closed lookup rows and the lane's row are written
    // in the same statement, only for the documents actually inserted. The lookup columns come from
    // the payloads validated here, not read back out of the stored jsonb.
    const firstOf = new Map<string, DocumentIn>();
    for (const d of docs) if (!firstOf.has(key(d.id, d.seq))) firstOf.set(key(d.id, d.seq), d);
    const sales = [...firstOf.values()].filter((d) => d.type === 'sale.closed').map((d) => {
      const p = d.payload as { number: number; closedAt: string; totals: { totalKopecks: number }; fiscalDocument?: { fiscalSign: string } | null };
      return { id: d.id, seq: d.seq, saleId: d.aggregateId, number: p.number, closedAt: p.closedAt, total: p.totals.totalKopecks, sign: p.fiscalDocument?.fiscalSign ?? null };
    });
    const rows = docs.map((d) => ({ id: d.id, seq: d.seq, type: d.type, aggregateId: d.aggregateId, createdAt: d.createdAt, payload: d.payload }));
    const inserted = await tx.query<{ id: string; lane_seq: string | number }>(
      `WITH ins AS (
         INSERT INTO documents (id, lane_id, lane_seq, type, aggregate_id, created_at, payload)
         SELECT e.doc->>'id', $1, (e.doc->>'seq')::bigint, e.doc->>'type', e.doc->>'aggregateId', e.doc->>'createdAt', e.doc->'payload'
           FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS e(doc, n) ORDER BY e.n
         ON CONFLICT DO NOTHING
         RETURNING id, lane_seq),
       s AS (
         INSERT INTO sales (document_id, sale_id, store_id, lane_id, number, closed_at, total_kopecks, fiscal_sign)
         SELECT s.id, s."saleId", $3, $1, s.number, s."closedAt", s.total, s.sign
           FROM jsonb_to_recordset($4::jsonb) AS s(id text, seq bigint, "saleId" text, number int, "closedAt" timestamptz, total bigint, sign text)
           JOIN ins ON ins.id = s.id AND ins.lane_seq = s.seq),
       l AS (
         UPDATE lanes SET last_contact_at = now(), last_seq = GREATEST(last_seq, COALESCE((SELECT max(lane_seq) FROM ins), 0)),
                reported_backlog = COALESCE($5::int, reported_backlog), reported_parked = COALESCE($6::int, reported_parked)
          WHERE id = $1)
       SELECT id, lane_seq FROM ins`,
      [lane.id, JSON.stringify(rows), lane.storeId, JSON.stringify(sales), reported.backlog, reported.parked]);
    const insertedKeys = new Set(inserted.map((r) => key(r.id, Number(r.lane_seq))));
    const insertedIds = new Map(inserted.map((r) => [r.id, Number(r.lane_seq)]));

    // What was not inserted is a duplicate or a conflict: look at what holds its id, or its seq.
    const skipped = docs.filter((d) => !(insertedKeys.has(key(d.id, d.seq)) && firstOf.get(key(d.id, d.seq)) === d));
    const earlier = skipped.filter((d) => !insertedIds.has(d.id)).map((d) => d.id);
    const known = new Map(earlier.length === 0 ? [] : (await tx.query<StoredDocument>(
      'SELECT id, lane_id, lane_seq, type, aggregate_id, created_at, payload FROM documents WHERE id = ANY($1::text[])', [earlier])).map((r) => [r.id, r]));
    const seqClashes = skipped.filter((d) => !insertedIds.has(d.id) && !known.has(d.id)).map((d) => d.seq);
    const seqOwner = new Map(seqClashes.length === 0 ? [] : (await tx.query<{ lane_seq: string | number; id: string }>(
      'SELECT lane_seq, id FROM documents WHERE lane_id = $1 AND lane_seq = ANY($2::bigint[])', [lane.id, seqClashes])).map((r) => [Number(r.lane_seq), r.id]));

    const skippedSet = new Set(skipped);
    for (const d of docs) {
      if (!skippedSet.has(d)) {
        result.accepted.push(d.id);
        continue;
      }
      const stored = known.get(d.id);
      const insertedSeq = insertedIds.get(d.id);
      if (insertedSeq !== undefined) {
        // The id was inserted from this very batch: a repeat inside the batch.
        const first = firstOf.get(key(d.id, insertedSeq))!;
        if (canonicalContent(first) === canonicalContent(d)) result.duplicates.push(d.id);
        else conflictRows.push({ doc: d, reason: 'this document id appears twice in the batch with different content; the first is kept' });
      } else if (stored) {
        if (stored.lane_id !== lane.id) conflictRows.push({ doc: d, reason: 'this document id was received from another lane' });
        else if (canonicalContent(storedContent(stored)) === canonicalContent(d)) result.duplicates.push(d.id);
        else conflictRows.push({ doc: d, reason: 'this document id was received before with different content; the first version is kept' });
      } else {
        conflictRows.push({ doc: d, reason: `outbox seq ${d.seq} of this lane was already used by document ${seqOwner.get(d.seq) ?? '(unknown)'}` });
      }
    }

    const returns = new Set(docs.filter((d) => d.type === 'receipt.returned').map((d) => d.id));
    const returnIds = returns.size === 0 ? [] : inserted.map((r) => r.id).filter((id) => returns.has(id));
    if (returnIds.length > 0) {
      // Returned quantities per sale line, for the receipt lookup. A return whose sale the head
      // office does not hold yet stays a document only (its lines are not counted).
      await tx.query(
        `INSERT INTO returned_lines (return_document_id, sale_document_id, line_id, quantity_milli)
         SELECT d.id, s.document_id, l->>'lineId', (l->>'quantityMilli')::bigint
           FROM documents d CROSS JOIN LATERAL jsonb_array_elements(d.payload->'lines') AS l
           JOIN LATERAL (SELECT document_id FROM sales WHERE sale_id = d.payload->>'saleId' ORDER BY document_id LIMIT 1) s ON true
          WHERE d.id = ANY($1::text[]) AND d.type = 'receipt.returned'
         ON CONFLICT DO NOTHING`,
        [returnIds]);
    }
    for (const c of conflictRows) {
      await tx.query('INSERT INTO document_conflicts (document_id, lane_id, reason, document, content_hash) VALUES ($1, $2, $3, $4::jsonb, $5)',
        [c.doc.id, lane.id, c.reason, JSON.stringify(c.doc), contentHash(c.doc)]);
    }
  });

  for (const c of conflictRows) {
    result.conflicts.push({ id: c.doc.id, reason: c.reason });
    log('warn', 'document conflict', { laneId: lane.id, documentId: c.doc.id, seq: c.doc.seq, reason: c.reason });
  }
  return result;
}

interface StoredDocument {
  id: string;
  lane_id: string;
  lane_seq: string | number;
  type: string;
  aggregate_id: string;
  created_at: string;
  payload: unknown;
}

function storedContent(r: StoredDocument): Omit<DocumentIn, 'id'> {
  return { seq: Number(r.lane_seq), type: r.type, aggregateId: r.aggregate_id, createdAt: r.created_at, payload: r.payload };
}
