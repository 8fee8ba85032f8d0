// An ingest request body, read document by document. Two costs dominate a batch of a thousand 2 kB
// documents on a small machine, and both come from handling the batch as one piece (measured):
// - as one JS string: decoding 2 MB of UTF-8 (Cyrillic makes it a two-byte string) and parsing it
//   take a fresh large allocation each time, ~19 µs per document against ~7 when each document's
//   bytes are decoded and parsed on their own;
// - as one jsonb value: PostgreSQL parses it at ~60–130 µs per document against ~20 for the
//   documents one by one (PGlite is indifferent).
// So the body is split at its documents' boundaries, each document is parsed alone, and the database
// gets the documents' own texts joined by U+001E (documentsText) to split and parse one by one.
// U+001E cannot occur in JSON text: a control character is escaped inside strings and is not
// whitespace outside them.
//
// The split reads the envelope `{"documents":[ … ]}` exactly (JSON whitespace only) and leaves each
// element to JSON.parse; with both checks the whole is valid JSON and means the same as JSON.parse of
// all of it. A body written any other way (a key in escapes, a repeated key, another key) is parsed
// whole, as before, and refused or accepted exactly as JSON.parse and the schema say.
import { isUtf8 } from 'node:buffer';
import { z } from 'zod';
import { hqErrors } from './errors';

export interface BatchBody {
  /** The elements of the documents array, parsed; not validated yet (parseBatch). */
  items: unknown[];
  /** Where each element's JSON text lies in the body, in order; null for a body read whole (found when needed). */
  ranges: [number, number][] | null;
  bytes: Buffer;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const DOCUMENTS_KEY = Buffer.from('"documents"');
const RECORD_SEPARATOR = Buffer.from([0x1e]);

const BatchIn = z.object({ documents: z.array(z.unknown()) }).strict();

/** Reads a body; throws HqError 400 when it is not UTF-8, not JSON, or not {"documents":[…]}. */
export function readBatchBody(bytes: Buffer): BatchBody {
  // The database reads these very bytes: they must be the text JSON.parse sees (no U+FFFD here for a
  // sequence PostgreSQL would refuse there).
  if (!isUtf8(bytes)) throw hqErrors.malformed('the body is not valid UTF-8');
  const ranges = envelopeRanges(bytes);
  if (ranges !== null) return { items: ranges.map(([from, to]) => parseJson(bytes.toString('utf8', from, to))), ranges, bytes };
  const batch = BatchIn.safeParse(parseJson(bytes.toString('utf8')));
  if (!batch.success) throw hqErrors.malformed('the body must be {"documents":[…]}', { issues: batch.error.issues.slice(0, 10) });
  return { items: batch.data.documents, ranges: null, bytes };
}

/**
 * The documents' own JSON texts, joined by U+001E, for the database. Call it once parseBatch() has
 * accepted the items (every one an object): a scan that disagrees with them is this code's fault,
 * refused before anything is written.
 */
export function documentsText(batch: BatchBody): Buffer {
  const ranges = batch.ranges ?? documentRanges(batch.bytes);
  if (ranges.length !== batch.items.length) throw new Error(`batch body: found ${ranges.length} documents where JSON.parse found ${batch.items.length}`);
  const parts: Uint8Array[] = [];
  ranges.forEach(([from, to], i) => {
    if (i > 0) parts.push(RECORD_SEPARATOR);
    parts.push(batch.bytes.subarray(from, to));
  });
  return Buffer.concat(parts);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw hqErrors.malformed('the body is not valid JSON');
  }
}

/**
 * The ranges of the array's objects when the body is exactly `{"documents":[{…},…]}` around them
 * (JSON whitespace anywhere between tokens), else null. An element's extent is found by tracking
 * strings and nesting; JSON.parse of the element then checks it, so a malformed one is refused.
 */
function envelopeRanges(b: Buffer): [number, number][] | null {
  let i = skipWhitespace(b, 0);
  if (b[i] !== OPEN_OBJECT) return null;
  i = skipWhitespace(b, i + 1);
  if (!b.subarray(i, i + DOCUMENTS_KEY.length).equals(DOCUMENTS_KEY)) return null;
  i = skipWhitespace(b, i + DOCUMENTS_KEY.length);
  if (b[i] !== COLON) return null;
  i = skipWhitespace(b, i + 1);
  if (b[i] !== OPEN_ARRAY) return null;
  i = skipWhitespace(b, i + 1);
  const ranges: [number, number][] = [];
  if (b[i] === CLOSE_ARRAY) {
    i++;
  } else {
    for (;;) {
      if (b[i] !== OPEN_OBJECT) return null;
      const end = endOfValue(b, i);
      if (end < 0) return null;
      ranges.push([i, end]);
      i = skipWhitespace(b, end);
      if (b[i] === CLOSE_ARRAY) {
        i++;
        break;
      }
      if (b[i] !== COMMA) return null;
      i = skipWhitespace(b, i + 1);
    }
  }
  i = skipWhitespace(b, i);
  if (b[i] !== CLOSE_OBJECT) return null;
  return skipWhitespace(b, i + 1) === b.length ? ranges : null;
}

/**
 * [start, end) of each object in the body's documents array, for a body JSON.parse accepted and that
 * is an object whose one key is "documents" (repeated keys: JSON.parse keeps the last array, so does this).
 */
export function documentRanges(b: Buffer): [number, number][] {
  let ranges: [number, number][] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    if (c === QUOTE) {
      i = closingQuote(b, i);
      if (i < 0) break;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (depth === 1 && c === OPEN_ARRAY) ranges = [];
      if (depth === 2 && c === OPEN_OBJECT) start = i;
      depth++;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      depth--;
      if (depth === 2 && c === CLOSE_OBJECT) ranges.push([start, i + 1]);
    }
  }
  return ranges;
}

/** The index just past the object or array opened at `open`, or -1 when the body ends first. */
function endOfValue(b: Buffer, open: number): number {
  let depth = 0;
  for (let i = open; i < b.length; i++) {
    const c = b[i];
    if (c === QUOTE) {
      i = closingQuote(b, i);
      if (i < 0) return -1;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      depth++;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

/** The index of the quote closing the string opened at `open` (a quote after an odd run of backslashes is escaped), or -1. */
function closingQuote(b: Buffer, open: number): number {
  for (let at = b.indexOf(QUOTE, open + 1); at >= 0; at = b.indexOf(QUOTE, at + 1)) {
    let backslashes = 0;
    while (b[at - 1 - backslashes] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return at;
  }
  return -1;
}

function skipWhitespace(b: Buffer, from: number): number {
  let i = from;
  for (let c = b[i]; c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09; c = b[++i]);
  return i;
}
