// The lane's link to the head office: the outbox relay, the catalog puller, their HTTP client.
export { OutboxRelay, DEFAULT_BATCH_SIZE, type OutboxRelayOptions, type RelayRow, type RelayOutbox, type RelayStatus, type RelayError, type RelayPassResult } from './outbox-relay';
export { CatalogPuller, type CatalogPullerOptions, type CatalogPullResult } from './catalog-puller';
export { HqClient, UpstreamError, type HqLinkConfig, type CatalogPage, type IngestReply, type UpstreamErrorKind } from './hq-client';
export { ingestBody, type IngestDocument } from './ingest-body';
export { fullJitterDelayMs, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff';
export { DOCUMENT_PAYLOADS, DOCUMENT_TYPES, documentPayloadProblem, isDocumentType, type DocumentType, type DocumentPayload } from './document-schemas';
