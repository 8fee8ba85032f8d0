// A True API emulator (marking-codes.md §1): one CDN server answering cdn/info, and N hosts, each on
// its own port of 127.0.0.1, answering cdn/health/check (per-host avgTimeMs) and codes/check (answers
// by scenario code, scenarios.ts). Faults are set per host, for a number of requests or until cleared,
// so a test can make "the best host" refuse, hang, answer 429/5xx/5000/203 or garbage, or die outright.
// Tests drive it in-process; the CLI-launched one takes the same commands as JSON on `POST /__control`.
import { randomUUID } from 'node:crypto';
import { JsonHttpServer, controlReply, type StubReply, type StubRequest } from './json-http-server';
import { trueApiFacts } from './scenarios';

export const TRUE_API_FAULTS = [
  'hang', 'slow', 'http429', 'http500', 'http503', 'http504', 'error5000', 'emergency203', 'http418', 'http410',
  'http401', 'garbage', 'truncated', 'codeNonZero', 'unhealthy',
] as const;
export type TrueApiFault = (typeof TRUE_API_FAULTS)[number];

export interface TrueApiEmulatorOptions {
  /** Number of CDN hosts (3). */
  hosts?: number;
  /** Port of the CDN server (cdn/info and /__control); 0 = any. Hosts take the next ports when it is not 0. */
  port?: number;
  /** avgTimeMs each host reports, by index; default 50, 100, 150… */
  avgTimeMs?: number[];
  /** Delay of every codes/check answer, ms. */
  latencyMs?: number;
  /** Delay of a 'slow' host, ms (beyond the 1.5 s budget). */
  slowMs?: number;
  /** Accepted X-API-KEYs; any other gets 401. null (default) = any non-empty key. */
  apiKeys?: string[] | null;
}

export interface TrueApiRequestLog {
  /** Host index, or 'cdn' for the CDN server. */
  host: number | 'cdn';
  kind: 'info' | 'health' | 'check' | 'other';
  apiKey: string | null;
  body: unknown;
}

interface HostState {
  server: JsonHttpServer;
  avgTimeMs: number;
  fault: TrueApiFault | null;
  faultCount: number;
}

export class TrueApiEmulator {
  readonly log: TrueApiRequestLog[] = [];
  latencyMs: number;
  slowMs: number;
  apiKeys: string[] | null;
  private hosts: HostState[] = [];
  private cdn!: JsonHttpServer;
  private constructor(o: TrueApiEmulatorOptions) {
    this.latencyMs = o.latencyMs ?? 0;
    this.slowMs = o.slowMs ?? 5_000;
    this.apiKeys = o.apiKeys ?? null;
  }

  static async start(o: TrueApiEmulatorOptions = {}): Promise<TrueApiEmulator> {
    const e = new TrueApiEmulator(o);
    const count = o.hosts ?? 3;
    const base = o.port ?? 0;
    try {
      e.cdn = await JsonHttpServer.start((req) => e.serveCdn(req), { port: base });
      for (let i = 0; i < count; i++) {
        const server = await JsonHttpServer.start((req) => e.serveHost(i, req), { port: base === 0 ? 0 : base + 1 + i });
        e.hosts.push({ server, avgTimeMs: o.avgTimeMs?.[i] ?? 50 * (i + 1), fault: null, faultCount: 0 });
      }
    } catch (error) {
      await e.close();
      throw error;
    }
    return e;
  }

  /** What goes into the checker's cdnBase. */
  get cdnBase(): string { return this.cdn.url; }
  get hostUrls(): string[] { return this.hosts.map((h) => h.server.url); }

  /** Make host `index` misbehave for `count` requests of codes/check (Infinity = until cleared). 'unhealthy' affects health only. */
  setFault(index: number, fault: TrueApiFault | null, count = Infinity): void {
    const h = this.host(index);
    h.fault = fault;
    h.faultCount = fault ? count : 0;
  }

  clearFaults(): void { for (const h of this.hosts) { h.fault = null; h.faultCount = 0; } }

  setAvgTime(index: number, avgTimeMs: number): void { this.host(index).avgTimeMs = avgTimeMs; }

  /** Stop host `index` listening: connections are refused until revive. */
  killHost(index: number): Promise<void> { return this.host(index).server.close(); }
  reviveHost(index: number): Promise<void> { return this.host(index).server.listen(); }

  /** How many requests of a kind a host (or 'cdn') got. */
  count(host: number | 'cdn', kind: TrueApiRequestLog['kind']): number {
    return this.log.filter((r) => r.host === host && r.kind === kind).length;
  }

  async close(): Promise<void> {
    await Promise.all([this.cdn?.close(), ...this.hosts.map((h) => h.server.close())]);
  }

  /** A `/__control` command; returns an error text or null. */
  control(c: Record<string, unknown>): string | null {
    const index = typeof c['host'] === 'number' ? c['host'] : -1;
    const validHost = Number.isInteger(index) && index >= 0 && index < this.hosts.length;
    switch (c['op']) {
      case 'setFault': {
        if (!validHost) return 'setFault: host index required';
        const fault = c['fault'] ?? null;
        if (fault !== null && !(TRUE_API_FAULTS as readonly unknown[]).includes(fault)) return `setFault: fault is one of ${TRUE_API_FAULTS.join(', ')} or null`;
        this.setFault(index, fault as TrueApiFault | null, typeof c['count'] === 'number' ? c['count'] : Infinity);
        return null;
      }
      case 'clearFaults': this.clearFaults(); return null;
      case 'setAvgTime':
        if (!validHost || typeof c['avgTimeMs'] !== 'number') return 'setAvgTime: host and avgTimeMs required';
        this.setAvgTime(index, c['avgTimeMs']); return null;
      case 'setLatency':
        if (typeof c['latencyMs'] !== 'number') return 'setLatency: latencyMs required';
        this.latencyMs = c['latencyMs']; return null;
      case 'kill': if (!validHost) return 'kill: host index required'; void this.killHost(index); return null;
      case 'revive': if (!validHost) return 'revive: host index required'; void this.reviveHost(index); return null;
      default: return `unknown op '${String(c['op'])}' (setFault, clearFaults, setAvgTime, setLatency, kill, revive)`;
    }
  }

  private host(index: number): HostState {
    const h = this.hosts[index];
    if (!h) throw new RangeError(`no host ${index}`);
    return h;
  }

  private note(host: number | 'cdn', kind: TrueApiRequestLog['kind'], req: StubRequest): void {
    const key = req.headers['x-api-key'];
    this.log.push({ host, kind, apiKey: typeof key === 'string' ? key : null, body: req.json });
  }

  private serveCdn(req: StubRequest): StubReply {
    if (req.path === '/__control') return controlReply((c) => this.control(c), req);
    if (req.path === '/api/v4/true-api/cdn/info' && req.method === 'GET') {
      this.note('cdn', 'info', req);
      return { status: 200, json: { code: 0, description: 'ok', hosts: this.hosts.map((h) => ({ host: h.server.url })) } };
    }
    this.note('cdn', 'other', req);
    // §1.1: codes/check sent to cdn.crpt.ru itself gets 404.
    return { status: 404, json: { error: 'not found' } };
  }

  private serveHost(index: number, req: StubRequest): StubReply {
    const h = this.hosts[index]!;
    if (req.path === '/api/v4/true-api/cdn/health/check' && req.method === 'GET') {
      this.note(index, 'health', req);
      if (h.fault === 'unhealthy') return { status: 503, json: { code: 1, description: 'unhealthy' } };
      return { status: 200, json: { code: 0, description: 'ok', avgTimeMs: h.avgTimeMs } };
    }
    if (req.path !== '/api/v4/true-api/codes/check' || req.method !== 'POST') {
      this.note(index, 'other', req);
      return { status: 404, json: { error: 'not found' } };
    }
    this.note(index, 'check', req);
    const fault = this.takeFault(h);
    const delayMs = this.latencyMs;
    switch (fault) {
      case 'hang': return { hang: true };
      case 'slow': return { ...this.answer(req), delayMs: this.slowMs };
      case 'http429': return { status: 429, json: { code: 429, description: 'Too Many Requests' }, delayMs };
      case 'http500': return { status: 500, json: { code: 500, description: 'Internal Server Error' }, delayMs };
      case 'http503': return { status: 503, text: '<html>Service Unavailable</html>', delayMs };
      case 'http504': return { status: 504, text: '<html>Gateway Time-out</html>', delayMs };
      case 'error5000': return { status: 500, json: { code: 5000, description: 'Сервис трансграничной проверки недоступен' }, delayMs };
      case 'emergency203': return { status: 203, json: { code: 203, description: 'Аварийная ситуация' }, delayMs };
      case 'http418': return { status: 418, json: { description: 'emergency' }, delayMs };
      case 'http410': return { status: 410, json: { description: 'Устаревшее API' }, delayMs };
      case 'http401': return { status: 401, json: { description: 'Unauthorized' }, delayMs };
      case 'garbage': return { status: 200, text: '<html><body>502 Bad Gateway</body>', delayMs };
      case 'truncated': return { status: 200, truncate: '{"code":0,"description":"ok","codes":[{"cis":"01', delayMs };
      case 'codeNonZero': return { status: 200, json: { code: 1, description: 'Ошибка обработки запроса' }, delayMs };
      default: return { ...this.answer(req), delayMs };
    }
  }

  private takeFault(h: HostState): TrueApiFault | null {
    if (!h.fault || h.fault === 'unhealthy' || h.faultCount <= 0) return null;
    const fault = h.fault;
    h.faultCount -= 1;
    if (h.faultCount <= 0) h.fault = null;
    return fault;
  }

  private answer(req: StubRequest): { status: number; json: unknown } {
    const key = req.headers['x-api-key'];
    if (typeof key !== 'string' || key === '' || (this.apiKeys !== null && !this.apiKeys.includes(key))) {
      return { status: 401, json: { description: 'Токен недействителен или отозван' } };
    }
    const codes = (req.json as { codes?: unknown } | undefined)?.codes;
    if (!Array.isArray(codes) || codes.length === 0 || !codes.every((c) => typeof c === 'string')) {
      return { status: 400, json: { code: 400, description: 'codes[] of strings required' } };
    }
    const now = Date.now();
    return { status: 200, json: { code: 0, description: 'ok', codes: codes.map((c: string) => trueApiFacts(c, now)), reqId: randomUUID(), reqTimestamp: now } };
  }
}
