// One JSON request over HTTP, reduced to what the marking clients decide on: the status, the parsed
// body or why it did not parse, and a short failure word for a request that got no answer at all. A
// hostile or half-written answer is a value here, never a throw.
//
// node:http with keep-alive agents, not fetch: a check runs while the cashier waits, and fetch builds
// WHATWG Request/Response/Headers objects and streams for every request. Those allocations made young-
// generation collections that land inside a check (10–25 ms each on a slow VM); http.request with a
// reused socket allocates a fraction of it. No redirects are followed (the services do not send any; a
// 3xx is an answer of the wrong kind like any other).
import http from 'node:http';
import https from 'node:https';

export interface JsonRequest {
  url: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: unknown;
  /** Aborts the request; `timeoutReason` tells a deadline from a caller's cancel. */
  signal: AbortSignal;
}

export type JsonReply =
  | { kind: 'reply'; status: number; json: unknown; parseError: string | null; elapsedMs: number }
  /** No HTTP answer: 'timeout', 'cancelled', 'connection refused', 'connection reset', … */
  | { kind: 'no-reply'; failure: string; elapsedMs: number };

/** The abort reason the budget uses, so a deadline reads 'timeout' and not 'cancelled'. */
export class DeadlineReached extends Error {
  constructor() { super('deadline reached'); this.name = 'DeadlineReached'; }
}

// One connection per host stays open between checks (the TLS handshake to a CDN host costs more than the
// check); an idle one is closed after 30 s, before servers usually drop theirs.
const AGENT_OPTIONS = { keepAlive: true, keepAliveMsecs: 10_000, maxSockets: 16, timeout: 30_000 };
const httpAgent = new http.Agent(AGENT_OPTIONS);
const httpsAgent = new https.Agent(AGENT_OPTIONS);

/** What an observer learns of each request: its address and its time, request sent → answer read (ms). */
export interface RequestTiming { url: string; ms: number }
const observers = new Set<(timing: RequestTiming) => void>();

/** Tells `listener` the time of every request from now on (the marking bench splits network from our time); returns the unsubscribe. */
export function observeRequests(listener: (timing: RequestTiming) => void): () => void {
  observers.add(listener);
  return () => { observers.delete(listener); };
}

/** A kept-alive socket the server had closed: the request never reached it, so it is sent again once. */
const STALE_SOCKET = Symbol('stale socket');

export async function requestJson(req: JsonRequest): Promise<JsonReply> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let url: URL;
  try {
    url = new URL(req.url);
  } catch {
    return { kind: 'no-reply', failure: 'bad address', elapsedMs: elapsed() };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { kind: 'no-reply', failure: 'bad address', elapsedMs: elapsed() };
  const payload = req.body !== undefined ? Buffer.from(JSON.stringify(req.body), 'utf8') : null;
  const headers: Record<string, string> = { Accept: 'application/json', ...req.headers };
  if (payload !== null) {
    headers['Content-Type'] = 'application/json';
    headers['Content-Length'] = String(payload.length);
  }
  const first = await exchange(req, url, headers, payload, elapsed);
  const reply = first !== STALE_SOCKET ? first : await exchange(req, url, headers, payload, elapsed);
  if (observers.size > 0) for (const o of observers) o({ url: req.url, ms: performance.now() - started });
  return reply === STALE_SOCKET ? { kind: 'no-reply', failure: 'connection reset', elapsedMs: elapsed() } : reply;
}

function exchange(req: JsonRequest, url: URL, headers: Record<string, string>, payload: Buffer | null,
  elapsed: () => number): Promise<JsonReply | typeof STALE_SOCKET> {
  return new Promise((resolve) => {
    const { signal } = req;
    if (signal.aborted) {
      resolve({ kind: 'no-reply', failure: describeFailure(signal.reason, signal), elapsedMs: elapsed() });
      return;
    }
    const https_ = url.protocol === 'https:';
    let answered = false;
    const request = (https_ ? https : http).request(url, { method: req.method, headers, agent: https_ ? httpsAgent : httpAgent, signal }, (response) => {
      answered = true;
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve(toReply(response.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'), elapsed())));
      // Headers came, the body did not: a cut connection or the deadline mid-body.
      const cut = (error: unknown) => {
        const failure = describeFailure(error, signal);
        resolve({ kind: 'no-reply', failure: failure === 'timeout' || failure === 'cancelled' ? failure : `answer cut off (${failure})`, elapsedMs: elapsed() });
      };
      response.on('error', cut);
      response.on('close', () => { if (!response.complete) cut(Object.assign(new Error('closed'), { code: 'ECONNRESET' })); });
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (!answered && request.reusedSocket && !signal.aborted && (error.code === 'ECONNRESET' || error.code === 'EPIPE')) {
        resolve(STALE_SOCKET);
        return;
      }
      if (!answered) resolve({ kind: 'no-reply', failure: describeFailure(error, signal), elapsedMs: elapsed() });
    });
    request.end(payload ?? undefined);
  });
}

function toReply(status: number, text: string, elapsedMs: number): JsonReply {
  if (text.trim() === '') return { kind: 'reply', status, json: null, parseError: null, elapsedMs };
  try {
    return { kind: 'reply', status, json: JSON.parse(text) as unknown, parseError: null, elapsedMs };
  } catch {
    return { kind: 'reply', status, json: null, parseError: `not JSON: ${JSON.stringify(text.slice(0, 60))}`, elapsedMs };
  }
}

function describeFailure(error: unknown, signal: AbortSignal): string {
  if (signal.aborted) return signal.reason instanceof DeadlineReached ? 'timeout' : 'cancelled';
  const e = error as { code?: string; message?: string } | null;
  switch (e?.code) {
    case 'ECONNREFUSED': return 'connection refused';
    case 'ECONNRESET': case 'EPIPE': return 'connection reset';
    case 'ENOTFOUND': case 'EAI_AGAIN': return 'host not found';
    case 'ETIMEDOUT': return 'timeout';
    default:
      // The HTTP parser's codes (HPE_*): the server answered something that is not HTTP.
      if (e?.code?.startsWith('HPE_')) return 'bad answer';
      return e?.code ?? e?.message ?? String(error);
  }
}

/** Aborts after `ms` with DeadlineReached, and also when `outer` aborts. `done()` frees the timer. */
export function deadline(ms: number, outer?: AbortSignal): { signal: AbortSignal; done(): void } {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DeadlineReached()), Math.max(0, ms));
  const onOuter = () => controller.abort(outer?.reason);
  if (outer?.aborted) controller.abort(outer.reason);
  else outer?.addEventListener('abort', onOuter, { once: true });
  return {
    signal: controller.signal,
    done: () => { clearTimeout(timer); outer?.removeEventListener('abort', onOuter); },
  };
}

/** A JSON object's field, or undefined for anything that is not an object. */
export function field(json: unknown, name: string): unknown {
  return json !== null && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, unknown>)[name] : undefined;
}
