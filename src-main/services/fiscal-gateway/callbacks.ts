// Completion callbacks (Starrys `Callback{Host, Headers}`): the settled answer is POSTed to the client's
// URL once it succeeds, retried a few times with backoff on failure (then given up and logged). Only
// hosts the configuration allows are ever called: the gateway must not become a way to make requests
// to arbitrary addresses from inside the shop's network.
import type { GatewayRequests } from '../../store/gateway-requests';
import type { Clock } from '../clock';

export interface CallbackOptions {
  /** host or host:port entries, lower case; a URL matches when its host:port or its bare hostname is listed. */
  allowedHosts: readonly string[];
  attempts: number;
  backoffBaseMs: number;
  timeoutMs: number;
}

export const DEFAULT_CALLBACK_OPTIONS: Omit<CallbackOptions, 'allowedHosts'> = { attempts: 4, backoffBaseMs: 1_000, timeoutMs: 10_000 };

/** Whether a callback URL may be called: http(s) only, host on the allow list. */
export function callbackAllowed(url: string, allowedHosts: readonly string[]): boolean {
  let u: URL;
  try { u = new URL(url); } catch { return false; }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return false;
  if (u.username || u.password) return false;
  const host = u.hostname.toLowerCase();
  const port = u.port || (u.protocol === 'https:' ? '443' : '80');
  return allowedHosts.some((a) => {
    const entry = a.toLowerCase();
    return entry === host || entry === `${host}:${port}`;
  });
}

export class CallbackSender {
  private readonly inFlight = new Set<string>();
  private readonly timers = new Map<NodeJS.Timeout, () => void>();
  private stopped = false;
  private readonly done = new Set<Promise<void>>();

  constructor(private readonly store: GatewayRequests, private readonly options: CallbackOptions, private readonly clock: Clock,
    private readonly log: (line: string) => void) {}

  /** Sends the settled answer of this job if it has a callback not yet delivered. Idempotent. */
  deliver(jobId: string): void {
    if (this.stopped || this.inFlight.has(jobId)) return;
    const row = this.store.byJob(jobId);
    if (!row || !row.callback || row.callbackState !== 'pending' || row.response === null) return;
    this.inFlight.add(jobId);
    const p = this.attempt(jobId, row.callback, row.response, row.callbackAttempts).finally(() => { this.inFlight.delete(jobId); this.done.delete(p); });
    this.done.add(p);
  }

  private async attempt(jobId: string, cb: { url: string; headers: Record<string, string> }, body: unknown, previous: number): Promise<void> {
    for (let attempt = previous + 1; attempt <= this.options.attempts && !this.stopped; attempt++) {
      if (!callbackAllowed(cb.url, this.options.allowedHosts)) {
        // The allow list changed since the request was accepted.
        this.store.callbackResult(jobId, 'failed', attempt, this.clock.nowIso());
        this.log(`callback for job ${jobId} not sent: ${new URL(cb.url).host} is no longer an allowed host`);
        return;
      }
      try {
        const res = await fetch(cb.url, {
          method: 'POST', redirect: 'manual', signal: AbortSignal.timeout(this.options.timeoutMs),
          headers: { ...cb.headers, 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body),
        });
        await res.arrayBuffer().catch(() => undefined);
        if (res.status >= 200 && res.status < 300) {
          this.store.callbackResult(jobId, 'delivered', attempt, this.clock.nowIso());
          return;
        }
        this.log(`callback for job ${jobId} attempt ${attempt}: HTTP ${res.status}`);
      } catch (error) {
        this.log(`callback for job ${jobId} attempt ${attempt}: ${error instanceof Error ? error.message : String(error)}`);
      }
      const last = attempt >= this.options.attempts;
      this.store.callbackResult(jobId, last ? 'failed' : 'pending', attempt, this.clock.nowIso());
      if (last) {
        this.log(`callback for job ${jobId} given up after ${attempt} attempts`);
        return;
      }
      await this.sleep(this.options.backoffBaseMs * 2 ** (attempt - 1));
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => { this.timers.delete(t); resolve(); }, ms);
      t.unref?.();
      this.timers.set(t, resolve);
    });
  }

  /** Stops retrying; a callback not delivered stays 'pending' and is sent again after the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const [t, resolve] of this.timers) { clearTimeout(t); resolve(); }
    this.timers.clear();
    await Promise.allSettled([...this.done]);
  }
}
