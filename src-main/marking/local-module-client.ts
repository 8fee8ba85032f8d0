// The local module (ЛМ ЧЗ) for offline checks (marking-codes.md §2): Basic auth (default admin:admin)
// plus X-ClientId = the fiscal drive serial; `GET /api/v{1,2}/status` polled every 10 s and cached;
// `POST /api/v1/cis/outCheck` {"cis_list":["<КИ>"]} or v2 {"cis_list":[{"cis","pg"}]}. The module is
// asked only while the cached status is `ready` and its last sync is within 72 hours ("При отсутствии
// синхронизации … в течение 72 часов … проверять продукцию будет невозможно"); otherwise the reason is
// reported and the checker sells without 1260.
import type { CheckAttempt, CheckRequest } from './check-answer';
import type { ChannelResult } from './channel-result';
import { systemClock, systemScheduler, type Clock, type Scheduler } from './background';
import { deadline, field, requestJson } from './http-json';
import { BadAnswer, codeList, normaliseCodeFacts, requestStamp, str } from './normalise-answer';

export const LOCAL_MODULE_URL = 'http://127.0.0.1:5995';
export const SYNC_LIMIT_MS = 72 * 3_600_000;

export interface LocalModuleStatus {
  /** not_configured | initialization | ready | sync_error (one spec adds failure). */
  status: string;
  /** ms epoch of the last sync with the national system. */
  lastSync: number | null;
  version: string | null;
  inst: string | null;
  inn: string | null;
  /** active|service or online|offline: CONFLICTING in the sources, kept as text. */
  operationMode: string | null;
  /** Clock time this status was read. */
  readAt: number;
}

export type LocalModuleReadiness = { ready: true } | { ready: false; reason: string };

export interface LocalModuleClientOptions {
  url?: string;
  user?: string;
  password?: string;
  /** X-ClientId: the fiscal drive (ФН) serial. */
  clientId: string;
  apiVersion?: 1 | 2;
  /** Per request; the module is on this machine and answers fast or not at all. */
  timeoutMs?: number;
  pollMs?: number;
  clock?: Clock;
  scheduler?: Scheduler;
}

export class LocalModuleClient {
  readonly url: string;
  private readonly version: 1 | 2;
  private readonly timeoutMs: number;
  private readonly pollMs: number;
  private readonly clock: Clock;
  private readonly scheduler: Scheduler;
  private readonly headers: Record<string, string>;
  private cached: LocalModuleStatus | null = null;
  private pollFailure: string | null = null;
  private timer: unknown = null;
  private polling = false;

  constructor(o: LocalModuleClientOptions) {
    this.url = (o.url ?? LOCAL_MODULE_URL).replace(/\/+$/, '');
    this.version = o.apiVersion ?? 1;
    this.timeoutMs = o.timeoutMs ?? 1000;
    this.pollMs = o.pollMs ?? 10_000;
    this.clock = o.clock ?? systemClock;
    this.scheduler = o.scheduler ?? systemScheduler;
    const basic = Buffer.from(`${o.user ?? 'admin'}:${o.password ?? 'admin'}`, 'utf8').toString('base64');
    this.headers = { Authorization: `Basic ${basic}`, 'X-ClientId': o.clientId };
  }

  /** Read the status now and then every pollMs. */
  async start(): Promise<LocalModuleReadiness> {
    this.polling = true;
    const readiness = await this.refreshStatus();
    this.schedulePoll();
    return readiness;
  }

  stop(): void {
    this.polling = false;
    if (this.timer !== null) this.scheduler.clearTimeout(this.timer);
    this.timer = null;
  }

  status(): LocalModuleStatus | null { return this.cached ? { ...this.cached } : null; }

  /** Whether an offline check may be made now, and if not, why (for the cashier and the log). */
  readiness(): LocalModuleReadiness {
    if (this.pollFailure) return { ready: false, reason: this.pollFailure };
    const s = this.cached;
    if (!s) return { ready: false, reason: 'status not read yet' };
    if (s.status === 'sync_error') return { ready: false, reason: 'not ready: sync_error (no sync with the national system for 72 h, or sync failed)' };
    if (s.status !== 'ready') return { ready: false, reason: `not ready: ${s.status}` };
    if (s.lastSync !== null) {
      const ageMs = this.clock.now() - s.lastSync;
      if (ageMs > SYNC_LIMIT_MS) return { ready: false, reason: `not ready: last sync ${Math.floor(ageMs / 3_600_000)} h ago (over 72 h)` };
    }
    return { ready: true };
  }

  async refreshStatus(signal?: AbortSignal): Promise<LocalModuleReadiness> {
    const d = deadline(this.timeoutMs, signal);
    const reply = await requestJson({ url: `${this.url}/api/v${this.version}/status`, method: 'GET', headers: this.headers, signal: d.signal }).finally(d.done);
    if (reply.kind === 'no-reply') {
      this.pollFailure = `unreachable: ${reply.failure}`;
    } else if (reply.status === 401 || reply.status === 403) {
      this.pollFailure = `http ${reply.status}: local module login or password refused`;
    } else if (reply.status !== 200 || reply.parseError || typeof field(reply.json, 'status') !== 'string') {
      this.pollFailure = `bad status answer: ${reply.parseError ?? (reply.status !== 200 ? `http ${reply.status}` : 'no status field')}`;
    } else {
      const j = reply.json;
      const lastSync = field(j, 'lastSync');
      this.cached = {
        status: field(j, 'status') as string,
        lastSync: Number.isSafeInteger(lastSync) ? lastSync as number : null,
        version: str(field(j, 'version')),
        inst: str(field(j, 'inst')),
        inn: str(field(j, 'inn')),
        operationMode: str(field(j, 'operationMode')),
        readAt: this.clock.now(),
      };
      this.pollFailure = null;
    }
    return this.readiness();
  }

  /** `POST /api/v{1,2}/init` with the X-API-KEY: starts the module's first download. Returns the failure or null. */
  async init(token: string, signal?: AbortSignal): Promise<string | null> {
    const d = deadline(Math.max(this.timeoutMs, 5_000), signal);
    const reply = await requestJson({ url: `${this.url}/api/v${this.version}/init`, method: 'POST', headers: this.headers, body: { token }, signal: d.signal }).finally(d.done);
    if (reply.kind === 'no-reply') return reply.failure;
    if (reply.status === 401 || reply.status === 403) return `http ${reply.status}: local module login or password refused`;
    if (reply.status < 200 || reply.status > 299) return `http ${reply.status}${describeBody(reply.json)}`;
    return null;
  }

  async check(request: CheckRequest, signal?: AbortSignal): Promise<ChannelResult> {
    const attempts: CheckAttempt[] = [];
    const url = `${this.url}/api/v${this.version}/cis/outCheck`;
    const fail = (failure: string, elapsedMs: number): ChannelResult => {
      attempts.push({ channel: 'offline', target: this.url, failure, elapsedMs });
      return { kind: 'failed', attempts };
    };
    if (!this.cached && !this.pollFailure) await this.refreshStatus(signal);
    const readiness = this.readiness();
    if (!readiness.ready) return fail(`offline check impossible: ${readiness.reason}`, 0);

    const cisList = this.version === 2 ? [{ cis: request.cis, ...(request.groupId !== null ? { pg: request.groupId } : {}) }] : [request.cis];
    const d = deadline(this.timeoutMs, signal);
    const reply = await requestJson({ url, method: 'POST', headers: this.headers, body: { cis_list: cisList }, signal: d.signal }).finally(d.done);
    if (reply.kind === 'no-reply') return fail(reply.failure, reply.elapsedMs);
    if (reply.status === 400) {
      const code = field(reply.json, 'errorCode');
      if (code === 4045 || code === 4050) {
        // The module knows better than our last poll: remember until the next poll says otherwise.
        if (this.cached) this.cached = { ...this.cached, status: code === 4050 ? 'sync_error' : 'initialization' };
        return fail(code === 4050 ? 'not ready: sync_error (4050)' : 'not ready: not configured or initialising (4045)', reply.elapsedMs);
      }
    }
    if (reply.status === 401 || reply.status === 403) return fail(`http ${reply.status}: local module login or password refused`, reply.elapsedMs);
    if (reply.status !== 200) return fail(`http ${reply.status}${describeBody(reply.json)}`, reply.elapsedMs);
    try {
      if (reply.parseError) throw new BadAnswer(reply.parseError);
      // v2 wraps the answer in results[] (§2); the v1 shape is not pinned down (UNCONFIRMED): accept both.
      const results = field(reply.json, 'results');
      const result = Array.isArray(results) ? results[0] : reply.json;
      const code = field(result, 'code');
      if (code !== undefined && code !== 0) return fail(`answer code ${String(code)}: ${str(field(result, 'description')) ?? 'no description'}`, reply.elapsedMs);
      const stamp = requestStamp(result);
      const codes = codeList(result).map((c) => normaliseCodeFacts(c, request.cis, 'offline'));
      return {
        kind: 'answer',
        attempts,
        answer: {
          channel: 'offline', ...stamp,
          inst: str(field(result, 'inst')) ?? this.cached?.inst ?? null,
          version: str(field(result, 'version')) ?? this.cached?.version ?? null,
          checkedOffline: true,
          codes,
        },
      };
    } catch (error) {
      if (!(error instanceof BadAnswer)) throw error;
      return fail(`bad answer: ${error.message}`, reply.elapsedMs);
    }
  }

  private schedulePoll(): void {
    if (!this.polling) return;
    this.timer = this.scheduler.setTimeout(() => {
      this.timer = null;
      void this.refreshStatus().finally(() => this.schedulePoll());
    }, this.pollMs);
  }
}

function describeBody(json: unknown): string {
  const code = field(json, 'errorCode') ?? field(json, 'code');
  const text = str(field(json, 'description')) ?? str(field(json, 'message')) ?? str(field(json, 'error'));
  return code !== undefined || text ? ` (${[code, text].filter((x) => x !== undefined && x !== null).join(' ')})` : '';
}
