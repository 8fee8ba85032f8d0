// Ingest of the lanes' outbox documents: validated with the schemas the lane itself uses
// (src-main/upstream/document-schemas.ts), idempotent
// by document id, one transaction per batch. A repeated id with the same content is acknowledged
// again (the lane lost our answer); with other content it is a conflict — logged, kept in
// document_conflicts, answered, and never applied over the first version.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { Id, IsoTime } from '../../src-main/contract/model';
import { describeZodError, documentPayloadProblem } from '../../src-main/upstream/document-schemas';
import { Utf8Text, type HqDatabase, type Sql } from './db';
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

/**
 * Validates the documents of a batch (readBatchBody's items); throws HqError (400, 413, 422) before
 * anything is written.
 */
export function parseBatch(raw: readonly unknown[], maxDocuments = MAX_BATCH_DOCUMENTS): DocumentIn[] {
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

export interface LaneReport {
  /** X-Outbox-Backlog: rows waiting on the lane. */
  backlog: number | null;
  /** X-Outbox-Parked: rows the lane parked for its operator. */
  parked: number | null;
}

/**
 * Writes a validated batch for one lane in one transaction. `docs` is parseBatch() of a body and
 * `texts` its documentsText(): the database stores each document from its text as the lane sent it
 * (parsed once into jsonb there), so nothing validated here is serialised again.
 */
export async function ingestBatch(db: HqDatabase, lane: Lane, docs: readonly DocumentIn[], texts: Buffer, reported: LaneReport, log: Logger): Promise<IngestResult> {
  const result: IngestResult = { accepted: [], duplicates: [], conflicts: [] };
  const conflictRows: { doc: DocumentIn; reason: string }[] = [];

  await db.transaction(async (tx) => {
    // One batch of a lane at a time: a resend racing its original waits, then finds a duplicate.
    await tx.query('SELECT id FROM lanes WHERE id = $1 FOR UPDATE', [lane.id]);

    // Every document, from its own text, is offered to one INSERT … ON CONFLICT DO NOTHING, in batch
    // order (so received_seq follows the lane's order); a row is skipped when its id, or this lane's
    // seq, is already taken (before the batch or earlier in it). Each text is parsed into jsonb once
    // (the MATERIALIZED keeps the planner from repeating the cast for every field read). The
    // sale.closed lookup rows and the lane's row are written in the same statement, only for the
    // documents actually inserted, from the stored payloads (the text parseBatch validated); numbers
    // go through jsonb's numeric, so a seq written 17.0 (JSON.parse: 17) is stored as 17.
    const inserted = await tx.query<{ id: string; lane_seq: string | number }>(
      `WITH batch AS MATERIALIZED (
         SELECT e.n, e.doc_text::jsonb AS doc FROM string_to_table($2::text, E'\\x1e') WITH ORDINALITY AS e(doc_text, n)),
       ins AS (
         INSERT INTO documents (id, lane_id, lane_seq, type, aggregate_id, created_at, payload)
         SELECT doc->>'id', $1, (doc->'seq')::bigint, doc->>'type', doc->>'aggregateId', doc->>'createdAt', doc->'payload'
           FROM batch ORDER BY n
         ON CONFLICT DO NOTHING
         RETURNING id, lane_seq, type, aggregate_id,
           CASE WHEN type = 'sale.closed' THEN (payload->'number')::int END AS number,
           CASE WHEN type = 'sale.closed' THEN (payload->>'closedAt')::timestamptz END AS closed_at,
           CASE WHEN type = 'sale.closed' THEN (payload->'totals'->'totalKopecks')::bigint END AS total_kopecks,
           CASE WHEN type = 'sale.closed' THEN COALESCE(NULLIF(ltrim(payload->'fiscalDocument'->>'fiscalSign', '0'), ''), '0') END AS fiscal_sign),
       s AS (
         INSERT INTO sales (document_id, sale_id, store_id, lane_id, number, closed_at, total_kopecks, fiscal_sign)
         SELECT id, aggregate_id, $3, $1, number, closed_at, total_kopecks, fiscal_sign FROM ins WHERE type = 'sale.closed'),
       l AS (
         UPDATE lanes SET last_contact_at = now(), last_seq = GREATEST(last_seq, COALESCE((SELECT max(lane_seq) FROM ins), 0)),
                reported_backlog = COALESCE($4::int, reported_backlog), reported_parked = COALESCE($5::int, reported_parked)
          WHERE id = $1)
       SELECT id, lane_seq FROM ins`,
      [lane.id, new Utf8Text(texts), lane.storeId, reported.backlog, reported.parked]);
    if (inserted.length === docs.length) {
      // Each document gives at most one inserted row: all of them were new, nothing to classify.
      for (const d of docs) result.accepted.push(d.id);
    } else {
      await classifySkipped(tx, lane, docs, inserted, result, conflictRows);
    }

    const fiscal = new Set(docs.filter((d) => d.type === 'fiscal.document').map((d) => d.id));
    const fiscalIds = fiscal.size === 0 ? [] : inserted.map((r) => r.id).filter((id) => fiscal.has(id));
    if (fiscalIds.length > 0) {
      // A sale's fiscal document follows its sale.closed (the lane's outbox order): its ФП and ФД go on
      // the sale's lookup row, which this lane wrote before (earlier in this batch or an earlier one).
      // The ФП is kept without leading zeros (a 32-bit number; registers print it padded or not).
      await tx.query(
        `UPDATE sales s
            SET fiscal_sign = COALESCE(NULLIF(ltrim(d.payload->>'fiscalSign', '0'), ''), '0'), fd_number = (d.payload->>'fdNumber')::bigint, fn_serial = d.payload->>'fnSerial'
           FROM documents d
          WHERE d.id = ANY($1::text[]) AND d.type = 'fiscal.document' AND s.lane_id = $2 AND s.sale_id = d.payload->>'saleId'`,
        [fiscalIds, lane.id]);
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

/**
 * Sorts the documents of a batch that the insert skipped (their id or seq taken) into duplicates and
 * conflicts; the others are accepted. Reads back what holds the ids (or seqs) to compare content.
 */
async function classifySkipped(tx: Sql, lane: Lane, docs: readonly DocumentIn[], inserted: readonly { id: string; lane_seq: string | number }[],
  result: IngestResult, conflictRows: { doc: DocumentIn; reason: string }[]): Promise<void> {
  const key = (id: string, seq: number | string) => `${id}\u0000${seq}`;
  const firstOf = new Map<string, DocumentIn>();
  for (const d of docs) if (!firstOf.has(key(d.id, d.seq))) firstOf.set(key(d.id, d.seq), d);
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
