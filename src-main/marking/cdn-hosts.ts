// The True API CDN hosts (marking-codes.md §1.1, §1.5): discovered from `{cdnBase}/api/v4/true-api/cdn/info`,
// probed at `{host}/api/v4/true-api/cdn/health/check`, ranked by avgTimeMs. The list is refreshed in the
// background "не ранее чем через 6 часов, но не позднее 7 часов" (a random point in that hour). A host
// that gives no usable answer 3 times in a row is blocked for 15 minutes; a host can also be blocked at
// once (429/5xx after a retry). When every host is blocked, one forced rediscovery + probe is made
// (as KkmServer's GetListServers(CheckTime:false) does), no more often than once per cooldown.
import { systemClock, systemScheduler, type Clock, type Scheduler } from './background';
import { deadline, field, requestJson } from './http-json';

export const CDN_INFO_PATH = '/api/v4/true-api/cdn/info';
export const CDN_HEALTH_PATH = '/api/v4/true-api/cdn/health/check';

export interface CdnHost {
  url: string;
  avgTimeMs: number;
  failuresInRow: number;
  /** Clock time until which the host is skipped; 0 = not blocked. */
  blockedUntil: number;
}

export interface CdnHostsOptions {
  /** e.g. https://cdn.crpt.ru (test stand https://markirovka.sandbox.crptech.ru). */
  cdnBase: string;
  /** X-API-KEY for cdn/info and health (§1.1: the header goes on all three calls). */
  apiKey: () => string | null;
  /** Per request of discovery and of each probe. Spec and vendors use 2–5 s; this is off the sale path. */
  probeTimeoutMs?: number;
  refreshAfterMs?: number;
  refreshJitterMs?: number;
  blockMs?: number;
  failuresToBlock?: number;
  /** Least time between two forced rediscoveries, so a dead CDN does not cost a discovery per scan. */
  rediscoveryCooldownMs?: number;
  clock?: Clock;
  scheduler?: Scheduler;
  /** [0, 1): picks the refresh moment inside the 6–7 h window. */
  random?: () => number;
}

const HOUR_MS = 3_600_000;

export class CdnHosts {
  private hosts: CdnHost[] = [];
  private discovered = false;
  private inFlight: Promise<string | null> | null = null;
  private lastForcedAt = -Infinity;
  private timer: unknown = null;
  private stopped = false;
  readonly cdnBase: string;
  private readonly o: Required<Omit<CdnHostsOptions, 'cdnBase' | 'apiKey'>> & Pick<CdnHostsOptions, 'apiKey'>;

  constructor(options: CdnHostsOptions) {
    this.cdnBase = options.cdnBase.replace(/\/+$/, '');
    this.o = {
      apiKey: options.apiKey,
      probeTimeoutMs: options.probeTimeoutMs ?? 2_000,
      refreshAfterMs: options.refreshAfterMs ?? 6 * HOUR_MS,
      refreshJitterMs: options.refreshJitterMs ?? HOUR_MS,
      blockMs: options.blockMs ?? 15 * 60_000,
      failuresToBlock: options.failuresToBlock ?? 3,
      rediscoveryCooldownMs: options.rediscoveryCooldownMs ?? 60_000,
      clock: options.clock ?? systemClock,
      scheduler: options.scheduler ?? systemScheduler,
      random: options.random ?? Math.random,
    };
  }

  /** Discover now and keep refreshing in the background. Resolves with the failure reason, or null. */
  async start(): Promise<string | null> {
    this.stopped = false;
    const failure = await this.discover();
    this.scheduleRefresh();
    return failure;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) this.o.scheduler.clearTimeout(this.timer);
    this.timer = null;
  }

  /** Known healthy hosts, best first, blocked ones included (for status screens and tests). */
  ranked(): readonly CdnHost[] {
    return this.hosts.map((h) => ({ ...h }));
  }

  /** The hosts to try now, best first. Discovers on first use; forces a rediscovery when all are blocked. */
  async candidates(signal?: AbortSignal): Promise<{ urls: string[]; failure: string | null }> {
    let failure: string | null = null;
    if (!this.discovered) failure = await this.discover(signal);
    else if (this.usable().length === 0 && this.o.clock.now() - this.lastForcedAt >= this.o.rediscoveryCooldownMs) {
      this.lastForcedAt = this.o.clock.now();
      failure = await this.discover(signal, true);
    }
    const urls = this.usable();
    if (urls.length > 0) return { urls, failure: null };
    if (failure) return { urls, failure };
    return { urls, failure: this.hosts.length === 0 ? 'no healthy CDN host' : 'every CDN host is blocked' };
  }

  /** A failed request (no answer in time, 504, garbage…): the third in a row blocks the host. */
  noteFailure(url: string): void {
    const host = this.find(url);
    if (!host) return;
    host.failuresInRow += 1;
    if (host.failuresInRow >= this.o.failuresToBlock) this.block(url);
  }

  noteSuccess(url: string): void {
    const host = this.find(url);
    if (host) host.failuresInRow = 0;
  }

  /** Skip the host for the block time (15 min). */
  block(url: string): void {
    const host = this.find(url);
    if (!host) return;
    host.blockedUntil = this.o.clock.now() + this.o.blockMs;
    host.failuresInRow = 0;
  }

  /**
   * cdn/info, then a health probe of every listed host in parallel. Keeps the previous list when
   * discovery fails. A forced discovery also lifts blocks of hosts that passed the fresh probe.
   */
  discover(signal?: AbortSignal, force = false): Promise<string | null> {
    this.inFlight ??= this.runDiscovery(signal, force).finally(() => { this.inFlight = null; });
    return this.inFlight;
  }

  private async runDiscovery(signal: AbortSignal | undefined, force: boolean): Promise<string | null> {
    const headers = this.headers();
    const info = deadline(this.o.probeTimeoutMs, signal);
    const reply = await requestJson({ url: this.cdnBase + CDN_INFO_PATH, method: 'GET', headers, signal: info.signal }).finally(info.done);
    if (reply.kind === 'no-reply') return `cdn/info: ${reply.failure}`;
    if (reply.status !== 200 || reply.parseError) return `cdn/info: ${reply.parseError ?? `http ${reply.status}`}`;
    const listed = field(reply.json, 'hosts');
    if (!Array.isArray(listed)) return 'cdn/info: no hosts[] in the answer';
    const urls = listed.map((h) => field(h, 'host')).filter((u): u is string => typeof u === 'string' && /^https?:\/\//.test(u))
      .map((u) => u.replace(/\/+$/, ''));
    const probed = await Promise.all(urls.map(async (url) => ({ url, avgTimeMs: await this.probe(url, headers, signal) })));
    const previous = new Map(this.hosts.map((h) => [h.url, h]));
    this.hosts = probed.filter((p): p is { url: string; avgTimeMs: number } => p.avgTimeMs !== null)
      .sort((a, b) => a.avgTimeMs - b.avgTimeMs)
      .map(({ url, avgTimeMs }) => {
        const before = previous.get(url);
        return force || !before ? { url, avgTimeMs, failuresInRow: 0, blockedUntil: 0 } : { ...before, avgTimeMs };
      });
    this.discovered = true;
    return this.hosts.length === 0 ? `no healthy CDN host among ${urls.length} listed` : null;
  }

  /** avgTimeMs of a healthy host, or null. */
  private async probe(url: string, headers: Record<string, string>, signal: AbortSignal | undefined): Promise<number | null> {
    const d = deadline(this.o.probeTimeoutMs, signal);
    const reply = await requestJson({ url: url + CDN_HEALTH_PATH, method: 'GET', headers, signal: d.signal }).finally(d.done);
    if (reply.kind !== 'reply' || reply.status !== 200 || field(reply.json, 'code') !== 0) return null;
    const avg = field(reply.json, 'avgTimeMs');
    return typeof avg === 'number' && Number.isFinite(avg) && avg >= 0 ? avg : null;
  }

  private scheduleRefresh(): void {
    if (this.stopped) return;
    const delayMs = this.o.refreshAfterMs + Math.floor(this.o.random() * this.o.refreshJitterMs);
    this.timer = this.o.scheduler.setTimeout(() => {
      this.timer = null;
      void this.discover().finally(() => this.scheduleRefresh());
    }, delayMs);
  }

  private usable(): string[] {
    const now = this.o.clock.now();
    return this.hosts.filter((h) => h.blockedUntil <= now).map((h) => h.url);
  }

  private find(url: string): CdnHost | undefined { return this.hosts.find((h) => h.url === url); }

  private headers(): Record<string, string> {
    const key = this.o.apiKey();
    return key ? { 'X-API-KEY': key } : {};
  }
}
