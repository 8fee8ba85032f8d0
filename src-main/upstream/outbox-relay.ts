// The outbox relay: sends the lane's due outbox rows to the head office, in order, in batches, each
// row's id being its idempotency key upstream (ARCHITECTURE.md §6, docs/upstream.md).
//
// Two kinds of failure, two kinds of waiting:
// - The link (no answer, a cut or garbled answer, 502/503/504, a refused token) says nothing about
//   the rows: the relay waits with exponential backoff and full jitter and touches no row. A lane
//   offline for a week must catch up by itself, so an outage never parks anything. A request that
//   ran out of time is also sent as half as many rows next time (a slow link).
// - A refusal that names rows (a conflict, a schema error, a single row too large) parks exactly
//   those rows at once with the reason; a 500 or a 400 counts an attempt against the first row of the
//   batch (outbox.markFailed with a retry time) and parks it after maxAttempts. Parked rows are never
//   dropped: they wait for the operator (Outbox.retry).
// Nothing is marked sent unless the answer accounts for every row of the batch.
//
// A row's payload goes out as the JSON text the outbox stored (ingest-body.ts), after it was parsed
// and checked against its schema once; it is not serialised again.
import { isUtf8 } from 'node:buffer';
import { fullJitterDelayMs, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff';
import { documentPayloadProblem } from './document-schemas';
import { HqClient, invalidDocuments, UpstreamError, type HqLinkConfig, type IngestReply } from './hq-client';
import { ingestBody, type IngestDocument } from './ingest-body';

/** A due outbox row as the relay sends it: the payload is its stored JSON text. */
export interface RelayRow extends IngestDocument {
  attempts: number;
}

/** The part of store/outbox.ts the relay uses. */
export interface RelayOutbox {
  /** Due rows in order, at most `limit` and (beyond the first) at most `maxBytes` of request body. */
  dueToSend(limit: number, nowIso: string, maxBytes: number): RelayRow[];
  markSent(ids: readonly string[]): void;
  markFailed(id: string, error: string, nextAttemptAtIso: string, maxAttempts: number): void;
  counts(): { pending: number; parked: number };
}

export interface RelayError {
  code: string;
  message: string;
  at: string;
}

export interface RelayStatus {
  /** up: the last exchange succeeded; down: it failed on the link; unknown: nothing tried yet. */
  link: 'unknown' | 'up' | 'down';
  /** Rows waiting to be sent (not parked). */
  backlog: number;
  /** Rows waiting for the operator. */
  parked: number;
  lastError: RelayError | null;
  lastSentAt: string | null;
  /** When the relay will try next while the link is down. */
  retryAt: string | null;
  sending: boolean;
}

export interface OutboxRelayOptions extends HqLinkConfig {
  outbox: RelayOutbox;
  /** Rows per request; default DEFAULT_BATCH_SIZE. */
  batchSize?: number;
  /** Request body size a batch stays under (the head office refuses more with 413); default 4 MiB. */
  maxBatchBytes?: number;
  /** Failed attempts after which a row is parked; default 10. */
  maxAttempts?: number;
  /** How often to look for due rows when nothing kicks the relay; default 15 s. */
  intervalMs?: number;
  backoff?: Partial<BackoffPolicy>;
  now?: () => Date;
  random?: () => number;
  /** Called whenever the status changes (for the cashier's link indicator). */
  onStatus?: (status: RelayStatus) => void;
  /**
   * Called at start, on every timer round and on linkChanged() — not on kick(): the rhythm of the
   * link, which other pulls (the catalog) follow, so they back off with it when the link is down.
   */
  onTick?: () => void;
}

/** During a drain, status notifications and outbox counts at most this often. */
const STATUS_EVERY_MS = 500;

/**
 * Rows per request: the head office's limit. A batch's fixed costs (the request, the head office's
 * transaction and its commit, markSent's commit here) are paid once per thousand documents.
 */
export const DEFAULT_BATCH_SIZE = 1000;

/** The head office's default body limit (hq/src/http.ts DEFAULT_MAX_BODY_BYTES). */
const DEFAULT_MAX_BATCH_BYTES = 4 * 1024 * 1024;

/** Validated ids are remembered for resends; past this many (rows never answered for) the memory starts over. */
const MAX_REMEMBERED_VALID = 20_000;

export interface RelayPassResult {
  sent: number;
  parked: number;
  failed: boolean;
}

export class OutboxRelay {
  private readonly client: HqClient;
  private readonly outbox: RelayOutbox;
  private readonly batchSize: number;
  private readonly maxBatchBytes: number;
  private readonly maxAttempts: number;
  private readonly intervalMs: number;
  private readonly backoff: BackoffPolicy;
  private readonly now: () => Date;
  private readonly random: () => number;

  /** The one pass in flight: there is never a second (the in-process lock). */
  private running: Promise<RelayPassResult> | null = null;
  private again = false;
  private started = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private abort = new AbortController();
  /** Consecutive link failures, for the backoff. */
  private linkFailures = 0;
  /**
   * Halved after a 413 or a request that timed out (a slow link must still get a batch through in
   * requestTimeoutMs); doubled after each success, up to batchSize.
   */
  private currentBatch: number;
  private lastEmitMs = 0;
  private counted: { pending: number; parked: number; atMs: number } | null = null;
  private state: Omit<RelayStatus, 'backlog' | 'parked' | 'sending'> = { link: 'unknown', lastError: null, lastSentAt: null, retryAt: null };
  /**
   * Ids of rows whose payload matched its schema and that are not answered for yet: a resend (the
   * link failed, the batch was split) does not parse and check them again. A stored row never changes.
   */
  private readonly validIds = new Set<string>();

  constructor(private readonly options: OutboxRelayOptions) {
    this.client = new HqClient(options);
    this.outbox = options.outbox;
    this.batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH_SIZE);
    this.currentBatch = this.batchSize;
    this.maxBatchBytes = Math.max(1, options.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES);
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 10);
    this.intervalMs = options.intervalMs ?? 15_000;
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.now = options.now ?? (() => new Date());
    this.random = options.random ?? Math.random;
  }

  /** Starts sending: now, then on every kick(), on linkChanged() and on the timer. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.abort = new AbortController();
    this.kick();
    this.options.onTick?.();
  }

  /** Stops the timer and waits for the pass in flight (its request is aborted; nothing is lost). */
  async stop(): Promise<void> {
    this.started = false;
    this.clearTimer();
    this.abort.abort();
    await this.running?.catch(() => undefined);
  }

  /** Something was written to the outbox (a sale closed): send soon, unless the link is backing off. */
  kick(): void {
    if (!this.started) return;
    if (this.state.link === 'down' && this.timer) return;
    this.trigger();
  }

  /** The network came back (or the settings changed): try now, whatever the backoff said. */
  linkChanged(): void {
    if (!this.started) return;
    this.linkFailures = 0;
    this.trigger();
    this.options.onTick?.();
  }

  /** Runs passes until nothing is due or one fails; resolves with the last pass. Used by tests and the bench. */
  async runOnce(): Promise<RelayPassResult> {
    while (this.running) await this.running.catch(() => undefined);
    return this.pass();
  }

  status(): RelayStatus {
    const c = this.outbox.counts();
    return { ...this.state, backlog: c.pending, parked: c.parked, sending: this.running !== null };
  }

  private trigger(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.clearTimer();
    void this.pass().finally(() => {
      if (!this.started) return;
      if (this.again) {
        this.again = false;
        this.trigger();
      }
    });
  }

  private pass(): Promise<RelayPassResult> {
    const run = this.sendDue().finally(() => {
      this.running = null;
    });
    this.running = run;
    this.emit();
    return run;
  }

  private async sendDue(): Promise<RelayPassResult> {
    const result: RelayPassResult = { sent: 0, parked: 0, failed: false };
    let delayMs = this.intervalMs;
    try {
      for (;;) {
        const rows = this.outbox.dueToSend(this.currentBatch, this.now().toISOString(), this.maxBatchBytes);
        if (rows.length === 0) break;
        const outcome = await this.sendBatch(rows, result);
        if (outcome === 'continue') continue;
        result.failed = true;
        delayMs = outcome.retryInMs;
        break;
      }
    } finally {
      this.schedule(delayMs);
      this.emit();
    }
    return result;
  }

  private async sendBatch(rows: RelayRow[], result: RelayPassResult): Promise<'continue' | { retryInMs: number }> {
    // The head office would refuse these with 422 (same schemas): park them here, send the rest.
    const nowIso = this.now().toISOString();
    const sending: RelayRow[] = [];
    for (const r of rows) {
      const problem = this.validIds.has(r.id) ? null : payloadProblem(r);
      if (problem === null) {
        this.remember(r.id);
        sending.push(r);
        continue;
      }
      this.outbox.markFailed(r.id, `not sent: ${problem}`, nowIso, 0);
      result.parked++;
      this.state = { ...this.state, lastError: { code: 'upstream.invalidDocument', message: problem, at: nowIso } };
    }
    if (sending.length === 0) return 'continue';
    const counts = this.recentCounts();
    let reply: IngestReply;
    try {
      reply = await this.client.postDocuments(ingestBody(sending), { backlog: counts.pending, parked: counts.parked }, this.abort.signal);
      checkAccountsForBatch(reply, sending);
    } catch (error) {
      const e = error instanceof UpstreamError ? error : new UpstreamError('link', 'upstream.unexpected', error instanceof Error ? error.message : String(error));
      return this.handleFailure(e, sending, result);
    }
    for (const r of sending) this.validIds.delete(r.id);
    const sent = [...reply.accepted, ...reply.duplicates];
    this.outbox.markSent(sent);
    for (const c of reply.conflicts) {
      this.outbox.markFailed(c.id, `conflict: ${c.reason}`, nowIso, 0);
      result.parked++;
    }
    result.sent += sent.length;
    this.linkFailures = 0;
    this.currentBatch = Math.min(this.batchSize, this.currentBatch * 2);
    this.state = { ...this.state, link: 'up', lastSentAt: nowIso, retryAt: null,
      lastError: reply.conflicts.length > 0 ? { code: 'upstream.conflict', message: `${reply.conflicts.length} document(s) parked: ${reply.conflicts[0]!.reason}`, at: nowIso } : this.state.lastError };
    if (Date.now() - this.lastEmitMs >= STATUS_EVERY_MS) this.emit();
    return 'continue';
  }

  private handleFailure(e: UpstreamError, rows: RelayRow[], result: RelayPassResult): 'continue' | { retryInMs: number } {
    const now = this.now();
    const nowIso = now.toISOString();
    this.state = { ...this.state, lastError: { code: e.code, message: e.message, at: nowIso } };
    switch (e.kind) {
      case 'tooLarge':
        if (rows.length > 1) {
          this.currentBatch = Math.max(1, Math.floor(rows.length / 2));
          return 'continue';
        }
        this.outbox.markFailed(rows[0]!.id, `too large for the head office: ${e.message}`, nowIso, 0);
        result.parked++;
        return 'continue';
      case 'invalid': {
        const named = invalidDocuments(e).filter((d) => d.id !== null && rows.some((r) => r.id === d.id));
        if (named.length > 0) {
          for (const d of named) this.outbox.markFailed(d.id!, `refused by the head office: ${d.reason}`, nowIso, 0);
          result.parked += named.length;
          this.state = { ...this.state, link: 'up' };
          return 'continue';
        }
        return this.countAttempt(rows[0]!, e, now);
      }
      case 'rejected':
      case 'server':
        return this.countAttempt(rows[0]!, e, now);
      case 'link':
      case 'auth': {
        if (e.code === 'upstream.timeout') this.currentBatch = Math.max(1, Math.floor(rows.length / 2));
        this.linkFailures++;
        const delay = fullJitterDelayMs(this.linkFailures, this.backoff, this.random);
        this.state = { ...this.state, link: 'down', retryAt: new Date(now.getTime() + delay).toISOString() };
        return { retryInMs: delay };
      }
    }
  }

  /** A failure that may be the rows' fault: one attempt against the first row, parked at maxAttempts. */
  private countAttempt(row: RelayRow, e: UpstreamError, now: Date): { retryInMs: number } {
    const delay = fullJitterDelayMs(row.attempts + 1, this.backoff, this.random);
    this.outbox.markFailed(row.id, `${e.code}: ${e.message}`, new Date(now.getTime() + delay).toISOString(), this.maxAttempts);
    this.state = { ...this.state, link: 'up', retryAt: null };
    return { retryInMs: delay };
  }

  private schedule(delayMs: number): void {
    this.clearTimer();
    if (!this.started) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.trigger();
      this.options.onTick?.();
    }, delayMs);
    this.timer.unref?.();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private emit(): void {
    this.lastEmitMs = Date.now();
    this.options.onStatus?.(this.status());
  }

  private remember(id: string): void {
    if (this.validIds.size >= MAX_REMEMBERED_VALID) this.validIds.clear();
    this.validIds.add(id);
  }

  /**
   * The outbox counts for the X-Outbox-Backlog/Parked headers, read at most every STATUS_EVERY_MS:
   * counting a 100 000-row backlog for every batch of a drain costs more than the figure is worth.
   */
  private recentCounts(): { pending: number; parked: number } {
    const now = Date.now();
    if (!this.counted || now - this.counted.atMs >= STATUS_EVERY_MS) this.counted = { ...this.outbox.counts(), atMs: now };
    return this.counted;
  }
}

/** Why a row's stored payload must not be sent (not JSON, or not its type's schema), or null. */
function payloadProblem(row: RelayRow): string | null {
  // These bytes go out as they are: a bad UTF-8 sequence would make the head office refuse the whole batch.
  const bytes = Buffer.from(row.payloadJson.buffer, row.payloadJson.byteOffset, row.payloadJson.byteLength);
  if (!isUtf8(bytes)) return 'the stored payload is not valid UTF-8';
  let payload: unknown;
  try {
    payload = JSON.parse(bytes.toString('utf8'));
  } catch {
    return 'the stored payload is not JSON';
  }
  return documentPayloadProblem(row.type, payload);
}

/** Every row sent appears in exactly one list of the answer, and nothing else does; else the answer is garbage. */
function checkAccountsForBatch(reply: IngestReply, documents: readonly RelayRow[]): void {
  const sent = new Set(documents.map((d) => d.id));
  const seen = new Set<string>();
  for (const id of [...reply.accepted, ...reply.duplicates, ...reply.conflicts.map((c) => c.id)]) {
    if (!sent.has(id) || seen.has(id)) throw new UpstreamError('link', 'upstream.garbled', `the head office's answer names document ${id} wrongly`);
    seen.add(id);
  }
  if (seen.size !== sent.size) throw new UpstreamError('link', 'upstream.garbled', 'the head office\'s answer does not account for every document sent');
}
