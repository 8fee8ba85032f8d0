// The ТС ПИоТ local service (marking-codes.md §0), the mandated channel from 2026:
// `POST {base}/api/v{1,2,3}/codes/check` with the code as base64 of its UTF-8 bytes, GS included;
// v1/v2 `codes: [base64]`, v3 `codes: [{cis: base64, pg}]`, plus `client_info {name,version,id,token}`.
// Answer `{"codesResponse":[{code,description,codes[],reqId,reqTimestamp,isCheckedOffline,inst,version}]}`.
// 203/204 = emergency ("аварийный режим"): sell without 1260. The service does its own online/offline
// routing, so one request, no retry.
import type { CheckAttempt, CheckRequest } from './check-answer';
import type { ChannelResult } from './channel-result';
import { deadline, field, requestJson } from './http-json';
import { BadAnswer, codeList, normaliseCodeFacts, requestStamp, str } from './normalise-answer';

export interface TspiotClientInfo { name: string; version: string; id: string; token: string }

export interface TspiotClientOptions {
  /** e.g. https://localhost:51401 (a local instance) or the sandbox tspiot.sandbox.crptech.ru. */
  url: string;
  apiVersion?: 1 | 2 | 3;
  clientInfo: TspiotClientInfo;
  /**
   * Per request. The service waits for the national system itself (1.5 s) before it answers from its
   * local module, so it gets more than the online budget (UNCONFIRMED: no documented figure).
   */
  timeoutMs?: number;
}

export const tspiotCodeBase64 = (code: string): string => Buffer.from(code, 'utf8').toString('base64');

export class TspiotClient {
  readonly url: string;
  private readonly version: 1 | 2 | 3;
  private readonly timeoutMs: number;
  constructor(private readonly o: TspiotClientOptions) {
    this.url = o.url.replace(/\/+$/, '');
    this.version = o.apiVersion ?? 2;
    this.timeoutMs = o.timeoutMs ?? 2500;
  }

  async check(request: CheckRequest, signal?: AbortSignal): Promise<ChannelResult> {
    const attempts: CheckAttempt[] = [];
    const fail = (failure: string, elapsedMs: number): ChannelResult => {
      attempts.push({ channel: 'tspiot', target: this.url, failure, elapsedMs });
      return { kind: 'failed', attempts };
    };
    const encoded = tspiotCodeBase64(request.code);
    const codes = this.version === 3 ? [{ cis: encoded, ...(request.groupId !== null ? { pg: request.groupId } : {}) }] : [encoded];
    const d = deadline(this.timeoutMs, signal);
    const reply = await requestJson({
      url: `${this.url}/api/v${this.version}/codes/check`, method: 'POST',
      body: { codes, client_info: this.o.clientInfo }, signal: d.signal,
    }).finally(d.done);
    if (reply.kind === 'no-reply') return fail(reply.failure, reply.elapsedMs);
    if (reply.status === 203 || reply.status === 204) return { kind: 'emergency', attempts };
    if (reply.status === 401 || reply.status === 403) return fail(`http ${reply.status}: ТС ПИоТ refused the client token`, reply.elapsedMs);
    if (reply.status !== 200) return fail(`http ${reply.status}`, reply.elapsedMs);
    try {
      if (reply.parseError) throw new BadAnswer(reply.parseError);
      const first = codeList(reply.json, 'codesResponse')[0];
      const code = field(first, 'code');
      if (code !== 0) return fail(`answer code ${String(code)}: ${str(field(first, 'description')) ?? 'no description'}`, reply.elapsedMs);
      const offline = field(first, 'isCheckedOffline') === true;
      const stamp = requestStamp(first);
      const facts = codeList(first).map((c) => {
        const f = normaliseCodeFacts(c, request.code, offline ? 'offline' : 'online');
        // The service may echo the code as we sent it (base64): give the rules the code itself.
        return f.cis === encoded ? { ...f, cis: request.code } : f;
      });
      return {
        kind: 'answer',
        attempts,
        answer: {
          channel: 'tspiot', ...stamp,
          inst: str(field(first, 'inst')), version: str(field(first, 'version')),
          checkedOffline: offline, codes: facts,
        },
      };
    } catch (error) {
      if (!(error instanceof BadAnswer)) throw error;
      return fail(`bad answer: ${error.message}`, reply.elapsedMs);
    }
  }
}
