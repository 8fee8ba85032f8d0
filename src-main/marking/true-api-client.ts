// The True API online check, `POST {host}/api/v4/true-api/codes/check` (marking-codes.md §1.2–§1.5),
// tried host by host in CdnHosts' order inside one budget (1.5 s by law: "Максимальное время ожидания
// проверки 1,5 секунды"). The budget covers the whole online attempt, retries and host switches included.
// HTTP outcomes, §1.4:
//   200 + code 0 → answer          203, 418 (UNCONFIRMED) → emergency: sell without 1260
//   401 → key invalid or revoked: no other host is tried (the same key would fail there too)
//   429, 5xx → one retry on the same host, then the host is blocked for 15 min and the next one tried
//   5xx with error code 5000 → cross-border service down: one retry, no block, then emergency
//   504, timeout, refused, garbage → counts toward the 3-in-a-row block; the next host is tried
//   410 → "Устаревшее API" (UNCONFIRMED): a failure like any other
import type { CheckAttempt, CheckRequest } from './check-answer';
import type { CdnHosts } from './cdn-hosts';
import type { ChannelResult } from './channel-result';
import { deadline, field, requestJson, type JsonReply } from './http-json';
import { BadAnswer, codeList, normaliseCodeFacts, requestStamp, str } from './normalise-answer';

export const CODES_CHECK_PATH = '/api/v4/true-api/codes/check';

export interface TrueApiClientOptions {
  hosts: CdnHosts;
  /** X-API-KEY per seller INN: several legal entities may share one store. */
  apiKeys?: Record<string, string>;
  /** The key for a request without an INN, or an INN missing from apiKeys. */
  defaultApiKey?: string | null;
  /** Sent as fiscalDriveNumber when known (optional in §1.2). */
  fiscalDriveNumber?: string | null;
  /** Total time for the online attempt, ms. */
  budgetMs?: number;
}

type HostVerdict = 'answer' | 'emergency' | 'stop' | 'next';

export class TrueApiClient {
  private readonly budgetMs: number;
  constructor(private readonly o: TrueApiClientOptions) {
    this.budgetMs = o.budgetMs ?? 1500;
  }

  apiKeyFor(inn: string | null): string | null {
    return (inn !== null ? this.o.apiKeys?.[inn] : undefined) ?? this.o.defaultApiKey ?? null;
  }

  async check(request: CheckRequest, signal?: AbortSignal): Promise<ChannelResult> {
    const attempts: CheckAttempt[] = [];
    const started = performance.now();
    const key = this.apiKeyFor(request.inn);
    if (!key) {
      attempts.push({ channel: 'online', target: this.o.hosts.cdnBase, failure: `no X-API-KEY configured for INN ${request.inn ?? '(none)'}`, elapsedMs: 0 });
      return { kind: 'failed', attempts };
    }
    const budget = deadline(this.budgetMs, signal);
    try {
      const { urls, failure } = await this.o.hosts.candidates(budget.signal);
      if (urls.length === 0) {
        attempts.push({ channel: 'online', target: this.o.hosts.cdnBase, failure: failure ?? 'no CDN host', elapsedMs: Math.round(performance.now() - started) });
        return { kind: 'failed', attempts };
      }
      const body: Record<string, unknown> = { codes: [request.code] };
      if (this.o.fiscalDriveNumber) body['fiscalDriveNumber'] = this.o.fiscalDriveNumber;
      for (const host of urls) {
        if (budget.signal.aborted) break;
        const result = await this.tryHost(host, key, body, request, budget.signal, attempts);
        if (result.verdict === 'answer' || result.verdict === 'emergency') return result.outcome!;
        if (result.verdict === 'stop') break;
      }
      return { kind: 'failed', attempts };
    } finally {
      budget.done();
    }
  }

  /** One host: the first request and at most one retry (429, 5xx). */
  private async tryHost(host: string, key: string, body: unknown, request: CheckRequest, signal: AbortSignal, attempts: CheckAttempt[]):
    Promise<{ verdict: HostVerdict; outcome?: ChannelResult }> {
    const fail = (failure: string, elapsedMs: number) => attempts.push({ channel: 'online', target: host, failure, elapsedMs });
    for (let round = 0; round < 2; round++) {
      const reply: JsonReply = await requestJson({ url: host + CODES_CHECK_PATH, method: 'POST', headers: { 'X-API-KEY': key }, body, signal });
      if (reply.kind === 'no-reply') {
        fail(reply.failure, reply.elapsedMs);
        if (reply.failure !== 'cancelled') this.o.hosts.noteFailure(host);
        return { verdict: 'next' };
      }
      const { status, elapsedMs } = reply;
      if (status === 200) {
        try {
          if (reply.parseError) throw new BadAnswer(reply.parseError);
          const code = field(reply.json, 'code');
          if (code !== 0) {
            fail(`answer code ${String(code)}: ${str(field(reply.json, 'description')) ?? 'no description'}`, elapsedMs);
            this.o.hosts.noteFailure(host);
            return { verdict: 'next' };
          }
          const stamp = requestStamp(reply.json);
          const codes = codeList(reply.json).map((c) => normaliseCodeFacts(c, request.code, 'online'));
          this.o.hosts.noteSuccess(host);
          return { verdict: 'answer', outcome: { kind: 'answer', attempts, answer: { channel: 'online', ...stamp, inst: null, version: null, checkedOffline: false, codes } } };
        } catch (error) {
          if (!(error instanceof BadAnswer)) throw error;
          fail(`bad answer: ${error.message}`, elapsedMs);
          this.o.hosts.noteFailure(host);
          return { verdict: 'next' };
        }
      }
      if (status === 203 || status === 418) {
        this.o.hosts.noteSuccess(host);
        return { verdict: 'emergency', outcome: { kind: 'emergency', attempts } };
      }
      if (status === 401) {
        fail(`http 401: X-API-KEY for INN ${request.inn ?? '(default)'} is invalid or revoked`, elapsedMs);
        return { verdict: 'stop' };
      }
      if (status === 429) {
        fail('http 429: too many requests', elapsedMs);
        if (round === 0) continue;
        this.o.hosts.block(host);
        return { verdict: 'next' };
      }
      if (status === 504) {
        fail('http 504: gateway timeout', elapsedMs);
        this.o.hosts.noteFailure(host);
        return { verdict: 'next' };
      }
      if (status >= 500) {
        if (errorCodeOf(reply.json) === 5000) {
          fail(`http ${status}: cross-border check service down (5000)`, elapsedMs);
          if (round === 0) continue;
          return { verdict: 'emergency', outcome: { kind: 'emergency', attempts } };
        }
        fail(`http ${status}`, elapsedMs);
        if (round === 0) continue;
        this.o.hosts.block(host);
        return { verdict: 'next' };
      }
      fail(status === 410 ? 'http 410: legacy API (Устаревшее API)' : `http ${status}`, elapsedMs);
      this.o.hosts.noteFailure(host);
      return { verdict: 'next' };
    }
    return { verdict: 'next' };
  }
}

/** Where a 5xx body carries the 5000 code is not pinned down (UNCONFIRMED): `code`, `errorCode` or `error_code`. */
function errorCodeOf(json: unknown): number | null {
  for (const name of ['code', 'errorCode', 'error_code']) {
    const v = field(json, name);
    if (v === 5000 || v === '5000') return 5000;
  }
  return null;
}
