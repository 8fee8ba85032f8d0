// The lane's HTTP client for the head office (docs/upstream.md). Every answer is validated: a body
// that is cut off, not JSON or not the promised shape is a link failure, never half-believed.
import { z } from 'zod';
import { Product } from '../contract/model';

export interface HqLinkConfig {
  /** http(s)://host:port of the head office, without a trailing path. */
  baseUrl: string;
  /** The lane's token from `hq lane add`. */
  token: string;
  requestTimeoutMs?: number;
  /** Injected in tests; defaults to the global fetch. */
  fetch?: typeof fetch;
}

/** What went wrong, sorted by what the relay must do about it. */
export type UpstreamErrorKind =
  | 'link'      // no answer, a cut or garbled answer, 502/503/504: the link is down, the rows are fine
  | 'auth'      // 401/403: the token is wrong or revoked; an operator must fix the settings
  | 'tooLarge'  // 413: the batch is too big; send fewer
  | 'invalid'   // 422: named documents do not match their schema
  | 'rejected'  // another 4xx: the request was refused as a whole
  | 'server';   // 500: the head office failed; may be caused by the rows

export class UpstreamError extends Error {
  constructor(
    readonly kind: UpstreamErrorKind,
    readonly code: string,
    message: string,
    readonly status: number | null = null,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const IngestReply = z.object({
  accepted: z.array(z.string()),
  duplicates: z.array(z.string()),
  conflicts: z.array(z.object({ id: z.string(), reason: z.string() })),
});
export type IngestReply = z.infer<typeof IngestReply>;

const InvalidDetails = z.object({ invalid: z.array(z.object({ index: z.number(), id: z.string().nullable(), reason: z.string() })) });

const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) });

const Cursor = z.string().regex(/^\d{1,18}$/);
export const CatalogPage = z.object({
  items: z.array(z.object({ id: z.string(), cursor: Cursor, deleted: z.boolean(), product: Product.nullable() })),
  cursor: Cursor,
  more: z.boolean(),
});
export type CatalogPage = z.infer<typeof CatalogPage>;

export const LaneStatusReply = z.object({
  id: z.string(), storeId: z.string(), name: z.string(), lastContactAt: z.string().nullable(), lastSeq: z.number(),
  reportedBacklog: z.number().nullable(), documents: z.number(), conflicts: z.number(),
});
export type LaneStatusReply = z.infer<typeof LaneStatusReply>;

export class HqClient {
  private readonly baseUrl: string;
  private readonly fetchFn: typeof fetch;
  private readonly timeoutMs: number;

  constructor(private readonly config: HqLinkConfig) {
    this.baseUrl = config.baseUrl.replace(/\/+$/, '');
    this.fetchFn = config.fetch ?? globalThis.fetch;
    this.timeoutMs = config.requestTimeoutMs ?? 30_000;
  }

  /**
   * Posts a batch: `body` is `{"documents":[…]}` as ingestBody() builds it. backlog and parked: the
   * lane's outbox counts, shown on the head office's lane list and admin page.
   */
  async postDocuments(body: Uint8Array<ArrayBuffer>, counts: { backlog: number; parked: number }, signal?: AbortSignal): Promise<IngestReply> {
    const answer = await this.request('POST', '/v1/lanes/me/documents', body,
      { 'x-outbox-backlog': String(counts.backlog), 'x-outbox-parked': String(counts.parked) }, signal);
    return parse(IngestReply, answer, 'ingest reply');
  }

  async catalogPage(after: string, limit: number, signal?: AbortSignal): Promise<CatalogPage> {
    const answer = await this.request('GET', `/v1/stores/me/catalog?after=${encodeURIComponent(after)}&limit=${limit}`, undefined, {}, signal);
    return parse(CatalogPage, answer, 'catalog page');
  }

  async laneStatus(signal?: AbortSignal): Promise<LaneStatusReply> {
    return parse(LaneStatusReply, await this.request('GET', '/v1/lanes/me/status', undefined, {}, signal), 'lane status');
  }

  /** body: JSON as bytes (fetch re-checks and re-encodes a string body, ~1 ms a batch). */
  private async request(method: string, path: string, body: Uint8Array<ArrayBuffer> | undefined, headers: Record<string, string>, signal?: AbortSignal): Promise<unknown> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    let response: Response;
    let text: string;
    try {
      response = await this.fetchFn(this.baseUrl + path, {
        method,
        headers: {
          authorization: `Bearer ${this.config.token}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined ? {} : { body }),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      text = await response.text();
    } catch (error) {
      // Our own time limit, not the caller's abort: the relay sends less next time (a slow link).
      if (timeout.aborted && !signal?.aborted) throw new UpstreamError('link', 'upstream.timeout', `the head office did not answer within ${this.timeoutMs} ms`);
      const cause = error instanceof Error ? (error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message) : String(error);
      throw new UpstreamError('link', 'upstream.unreachable', `the head office did not answer (${cause})`);
    }
    let answer: unknown;
    try {
      answer = JSON.parse(text) as unknown;
    } catch {
      throw new UpstreamError('link', 'upstream.garbled', `the head office answered ${response.status} with a body that is not JSON`, response.status);
    }
    if (response.ok) return answer;
    const err = ErrorBody.safeParse(answer);
    const code = err.success ? err.data.error.code : `http.${response.status}`;
    const message = err.success ? err.data.error.message : `the head office answered ${response.status}`;
    const details = err.success ? err.data.error.details : undefined;
    const s = response.status;
    const kind: UpstreamErrorKind =
      s === 401 || s === 403 ? 'auth' : s === 413 ? 'tooLarge' : s === 422 ? 'invalid'
        : s === 502 || s === 503 || s === 504 || s === 408 || s === 429 ? 'link' : s >= 500 ? 'server' : 'rejected';
    throw new UpstreamError(kind, code, message, s, details);
  }
}

function parse<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const r = schema.safeParse(body);
  if (!r.success) throw new UpstreamError('link', 'upstream.garbled', `the head office sent a ${what} of the wrong shape`);
  return r.data;
}

/** The documents named invalid in a 422 answer. */
export function invalidDocuments(error: UpstreamError): { id: string | null; reason: string }[] {
  const r = InvalidDetails.safeParse(error.details);
  return r.success ? r.data.invalid : [];
}
