// A local module (ЛМ ЧЗ) emulator (marking-codes.md §2): Basic auth enforced, X-ClientId recorded,
// `GET /api/v{1,2}/status`, `POST /api/v{1,2}/init`, `POST /api/v1/cis/outCheck` {"cis_list":["…"]} and
// v2 {"cis_list":[{"cis","pg"}]}. Any status but ready answers outCheck with HTTP 400 and errorCode
// 4045 (not_configured / initialization) or 4050 (sync_error). A ready module whose lastSync is older
// than 72 hours turns sync_error by itself, as the real one does. The v1 answer is flat and v2 wraps it
// in results[] (the v1 shape is UNCONFIRMED; the client reads both).
import { randomUUID } from 'node:crypto';
import { JsonHttpServer, controlReply, type StubReply, type StubRequest } from './json-http-server';
import { localModuleFacts } from './scenarios';

export const LM_STATUSES = ['not_configured', 'initialization', 'ready', 'sync_error'] as const;
export type LocalModuleState = (typeof LM_STATUSES)[number];
export const LM_FAULTS = ['hang', 'garbage', 'truncated', 'http500'] as const;
export type LocalModuleFault = (typeof LM_FAULTS)[number];

const SYNC_LIMIT_MS = 72 * 3_600_000;

export interface LocalModuleEmulatorOptions {
  port?: number;
  /** Initial state (ready). */
  status?: LocalModuleState;
  user?: string;
  password?: string;
  /** ms epoch of the last sync (now). */
  lastSync?: number;
  /** How long `init` keeps the module in `initialization` before ready (0 = at once). */
  initMs?: number;
  latencyMs?: number;
  inst?: string;
  version?: string;
  /** The emulator's clock, for the 72-hour rule. */
  now?: () => number;
}

export class LocalModuleEmulator {
  status: LocalModuleState;
  lastSync: number;
  latencyMs: number;
  fault: LocalModuleFault | null = null;
  /** Tokens received by init, X-ClientIds seen, outCheck bodies: for tests. */
  readonly initTokens: string[] = [];
  readonly clientIds: string[] = [];
  readonly checks: unknown[] = [];
  private server!: JsonHttpServer;
  private readonly auth: string;
  private readonly now: () => number;
  private constructor(private readonly o: LocalModuleEmulatorOptions) {
    this.now = o.now ?? Date.now;
    this.status = o.status ?? 'ready';
    this.lastSync = o.lastSync ?? this.now();
    this.latencyMs = o.latencyMs ?? 0;
    this.auth = `Basic ${Buffer.from(`${o.user ?? 'admin'}:${o.password ?? 'admin'}`, 'utf8').toString('base64')}`;
  }

  static async start(o: LocalModuleEmulatorOptions = {}): Promise<LocalModuleEmulator> {
    const e = new LocalModuleEmulator(o);
    e.server = await JsonHttpServer.start((req) => e.serve(req), { port: o.port ?? 0 });
    return e;
  }

  get url(): string { return this.server.url; }
  close(): Promise<void> { return this.server.close(); }

  /** The status as the module reports it: a ready module past 72 h without sync reports sync_error. */
  effectiveStatus(): LocalModuleState {
    if (this.status === 'ready' && this.now() - this.lastSync > SYNC_LIMIT_MS) return 'sync_error';
    return this.status;
  }

  control(c: Record<string, unknown>): string | null {
    switch (c['op']) {
      case 'setStatus':
        if (!(LM_STATUSES as readonly unknown[]).includes(c['status'])) return `setStatus: status is one of ${LM_STATUSES.join(', ')}`;
        this.status = c['status'] as LocalModuleState; return null;
      case 'setLastSync':
        if (typeof c['lastSync'] === 'number') this.lastSync = c['lastSync'];
        else if (typeof c['ageHours'] === 'number') this.lastSync = this.now() - c['ageHours'] * 3_600_000;
        else return 'setLastSync: lastSync (ms epoch) or ageHours required';
        return null;
      case 'setFault':
        if (c['fault'] !== null && !(LM_FAULTS as readonly unknown[]).includes(c['fault'])) return `setFault: fault is one of ${LM_FAULTS.join(', ')} or null`;
        this.fault = c['fault'] as LocalModuleFault | null; return null;
      case 'setLatency':
        if (typeof c['latencyMs'] !== 'number') return 'setLatency: latencyMs required';
        this.latencyMs = c['latencyMs']; return null;
      default: return `unknown op '${String(c['op'])}' (setStatus, setLastSync, setFault, setLatency)`;
    }
  }

  private serve(req: StubRequest): StubReply {
    if (req.path === '/__control') return controlReply((c) => this.control(c), req);
    if (req.headers.authorization !== this.auth) return { status: 401, json: { error: 'Unauthorized' } };
    const clientId = req.headers['x-clientid'];
    if (typeof clientId === 'string') this.clientIds.push(clientId);
    const m = /^\/api\/v([12])\/(status|init|cis\/outCheck)$/.exec(req.path);
    if (!m) return { status: 404, json: { error: 'not found' } };
    const version = Number(m[1]) as 1 | 2;
    const delayMs = this.latencyMs;
    switch (m[2]) {
      case 'status':
        if (req.method !== 'GET') return { status: 405, json: { error: 'GET' } };
        return { status: 200, json: this.statusBody(), delayMs };
      case 'init': {
        const token = (req.json as { token?: unknown } | undefined)?.token;
        if (req.method !== 'POST' || typeof token !== 'string' || token === '') return { status: 400, json: { errorCode: 400, description: 'token required' } };
        this.initTokens.push(token);
        this.status = 'initialization';
        const ready = () => { this.status = 'ready'; this.lastSync = this.now(); };
        if ((this.o.initMs ?? 0) <= 0) ready(); else setTimeout(ready, this.o.initMs).unref();
        return { status: 200, json: { code: 0, description: 'ok' }, delayMs };
      }
      default:
        return this.outCheck(version, req, delayMs);
    }
  }

  private outCheck(version: 1 | 2, req: StubRequest, delayMs: number): StubReply {
    if (req.method !== 'POST') return { status: 405, json: { error: 'POST' } };
    const status = this.effectiveStatus();
    if (status !== 'ready') {
      const errorCode = status === 'sync_error' ? 4050 : 4045;
      return { status: 400, json: { errorCode, description: `Локальный модуль не готов: ${status}` }, delayMs };
    }
    switch (this.fault) {
      case 'hang': return { hang: true };
      case 'garbage': return { status: 200, text: '{"results":[{"code":0,', delayMs };
      case 'truncated': return { status: 200, truncate: '{"results":[{"code":0,"codes":[', delayMs };
      case 'http500': return { status: 500, json: { errorCode: 500, description: 'Internal error' }, delayMs };
      default: break;
    }
    this.checks.push(req.json);
    const list = (req.json as { cis_list?: unknown } | undefined)?.cis_list;
    const cisList = Array.isArray(list) ? list.map((x) => (version === 2 ? (x as { cis?: unknown } | null)?.cis : x)) : [];
    if (cisList.length === 0 || !cisList.every((c): c is string => typeof c === 'string' && c !== '')) {
      return { status: 400, json: { errorCode: 400, description: version === 2 ? 'cis_list of {cis, pg} required' : 'cis_list of strings required' } };
    }
    const now = this.now();
    const result = {
      code: 0, description: 'ok', reqId: randomUUID(), reqTimestamp: now, inst: this.o.inst ?? 'lm-emulator-1', version: this.o.version ?? '2.6.0',
      codes: cisList.map((cis) => localModuleFacts(cis, now)),
    };
    return { status: 200, json: version === 2 ? { results: [result] } : result, delayMs };
  }

  private statusBody(): Record<string, unknown> {
    return {
      version: this.o.version ?? '2.6.0', status: this.effectiveStatus(), serviceUrl: 'https://cdn.crpt.ru', operationMode: 'active',
      name: 'ЛМ ЧЗ (эмулятор)', lastUpdate: this.lastSync, lastSync: this.lastSync, inst: this.o.inst ?? 'lm-emulator-1',
      inn: '7700000000', dbVersion: 1, requiresDownload: this.status === 'not_configured',
    };
  }
}
