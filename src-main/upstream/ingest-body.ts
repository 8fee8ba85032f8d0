// The body of POST /v1/lanes/me/documents built from the outbox's stored JSON: each payload's bytes
// are copied in as they are, between an envelope written here, instead of parsing every payload and
// serialising the whole batch again (about a third of the lane's cost per document when it did).
// The relay checks each payload against its schema before it first goes out (outbox-relay.ts).

/** One document for the body: its envelope fields, and its payload as JSON text in UTF-8. */
export interface IngestDocument {
  id: string;
  seq: number;
  type: string;
  aggregateId: string;
  createdAt: string;
  payloadJson: Uint8Array;
}

const OPEN = Buffer.from('{"documents":[');
const CLOSE = Buffer.from(']}');
const PAYLOAD_END = Buffer.from('}');
const SEPARATOR = Buffer.from(',');

/**
 * `{"documents":[{"id":…,"seq":…,"type":…,"aggregateId":…,"createdAt":…,"payload":<stored JSON>},…]}`.
 * The strings go through JSON.stringify, so any character in them is escaped; the payloads must each be
 * one JSON value (the relay has parsed them before: a row whose text is not JSON is never sent).
 */
export function ingestBody(documents: readonly IngestDocument[]): Buffer<ArrayBuffer> {
  const parts: Uint8Array[] = [OPEN];
  documents.forEach((d, i) => {
    if (i > 0) parts.push(SEPARATOR);
    const envelope = `{"id":${JSON.stringify(d.id)},"seq":${JSON.stringify(d.seq)},"type":${JSON.stringify(d.type)},`
      + `"aggregateId":${JSON.stringify(d.aggregateId)},"createdAt":${JSON.stringify(d.createdAt)},"payload":`;
    parts.push(Buffer.from(envelope, 'utf8'), d.payloadJson, PAYLOAD_END);
  });
  parts.push(CLOSE);
  return Buffer.concat(parts);
}
