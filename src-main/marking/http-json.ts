// One JSON request over HTTP (Node's fetch), reduced to what the marking clients decide on: the
// status, the parsed body or why it did not parse, and a short failure word for a request that got no
// answer at all. A hostile or half-written answer is a value here, never a throw.
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

export async function requestJson(req: JsonRequest): Promise<JsonReply> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const headers: Record<string, string> = { Accept: 'application/json', ...req.headers };
  if (req.body !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(req.url, {
      method: req.method,
      headers,
      signal: req.signal,
      ...(req.body !== undefined ? { body: JSON.stringify(req.body) } : {}),
    });
  } catch (error) {
    return { kind: 'no-reply', failure: describeFailure(error, req.signal), elapsedMs: elapsed() };
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    // Headers came, the body did not: a cut connection or the deadline mid-body.
    const failure = describeFailure(error, req.signal);
    return { kind: 'no-reply', failure: failure === 'timeout' || failure === 'cancelled' ? failure : `answer cut off (${failure})`, elapsedMs: elapsed() };
  }
  if (text.trim() === '') return { kind: 'reply', status: response.status, json: null, parseError: null, elapsedMs: elapsed() };
  try {
    return { kind: 'reply', status: response.status, json: JSON.parse(text) as unknown, parseError: null, elapsedMs: elapsed() };
  } catch {
    return { kind: 'reply', status: response.status, json: null, parseError: `not JSON: ${JSON.stringify(text.slice(0, 60))}`, elapsedMs: elapsed() };
  }
}

function describeFailure(error: unknown, signal: AbortSignal): string {
  if (signal.aborted) return signal.reason instanceof DeadlineReached ? 'timeout' : 'cancelled';
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  switch (cause?.code) {
    case 'ECONNREFUSED': return 'connection refused';
    case 'ECONNRESET': case 'UND_ERR_SOCKET': return 'connection reset';
    case 'ENOTFOUND': case 'EAI_AGAIN': return 'host not found';
    case 'ETIMEDOUT': case 'UND_ERR_CONNECT_TIMEOUT': return 'timeout';
    default: return cause?.code ?? cause?.message ?? (error as Error).message ?? String(error);
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
