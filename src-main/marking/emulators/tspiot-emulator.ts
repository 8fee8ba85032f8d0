// A ТС ПИоТ emulator (marking-codes.md §0): `POST /api/v{1,2,3}/codes/check` with base64 codes (v3:
// [{cis, pg}]) and client_info; answers {"codesResponse":[…]} with the True API facts of the scenario
// codes (scenarios.ts), `isCheckedOffline` as set, or 203/204 in emergency mode.
import { randomUUID } from 'node:crypto';
import { JsonHttpServer, controlReply, type StubReply, type StubRequest } from './json-http-server';
import { trueApiFacts } from './scenarios';

export interface TspiotEmulatorOptions {
  port?: number;
  /** client_info.token the service accepts; null (default) = any. */
  token?: string | null;
  latencyMs?: number;
}

export class TspiotEmulator {
  /** 203 or 204 while the service is in emergency mode, null otherwise. */
  emergency: 203 | 204 | null = null;
  /** Answer from the offline base (isCheckedOffline: true). */
  offline = false;
  latencyMs: number;
  garbage = false;
  readonly requests: { version: number; body: unknown }[] = [];
  private server!: JsonHttpServer;
  private constructor(private readonly o: TspiotEmulatorOptions) { this.latencyMs = o.latencyMs ?? 0; }

  static async start(o: TspiotEmulatorOptions = {}): Promise<TspiotEmulator> {
    const e = new TspiotEmulator(o);
    e.server = await JsonHttpServer.start((req) => e.serve(req), { port: o.port ?? 0 });
    return e;
  }

  get url(): string { return this.server.url; }
  close(): Promise<void> { return this.server.close(); }

  control(c: Record<string, unknown>): string | null {
    switch (c['op']) {
      case 'setEmergency':
        if (c['status'] !== 203 && c['status'] !== 204 && c['status'] !== null) return 'setEmergency: status 203, 204 or null';
        this.emergency = c['status']; return null;
      case 'setOffline': this.offline = c['offline'] === true; return null;
      case 'setGarbage': this.garbage = c['garbage'] === true; return null;
      case 'setLatency':
        if (typeof c['latencyMs'] !== 'number') return 'setLatency: latencyMs required';
        this.latencyMs = c['latencyMs']; return null;
      default: return `unknown op '${String(c['op'])}' (setEmergency, setOffline, setGarbage, setLatency)`;
    }
  }

  private serve(req: StubRequest): StubReply {
    if (req.path === '/__control') return controlReply((c) => this.control(c), req);
    const m = /^\/api\/v([123])\/codes\/check$/.exec(req.path);
    if (!m || req.method !== 'POST') return { status: 404, json: { error: 'not found' } };
    const version = Number(m[1]);
    const delayMs = this.latencyMs;
    this.requests.push({ version, body: req.json });
    const body = req.json as { codes?: unknown; client_info?: { token?: unknown } } | undefined;
    if (this.o.token != null && body?.client_info?.token !== this.o.token) return { status: 401, json: { code: 401, description: 'client token refused' }, delayMs };
    if (this.emergency) return { status: this.emergency, ...(this.emergency === 203 ? { json: { code: 203, description: 'Аварийный режим' } } : {}), delayMs };
    if (this.garbage) return { status: 200, text: '{"codesResponse":[{"code":0,"codes":[{"cis":', delayMs };
    const list = Array.isArray(body?.codes) ? body.codes : [];
    const encoded = list.map((c: unknown) => (version === 3 ? (c as { cis?: unknown } | null)?.cis : c));
    if (encoded.length === 0 || !encoded.every((c): c is string => typeof c === 'string' && c !== '')) {
      return { status: 400, json: { code: 400, description: version === 3 ? 'codes of {cis, pg} required' : 'codes of base64 strings required' }, delayMs };
    }
    const now = Date.now();
    const codes = encoded.map((b64) => trueApiFacts(Buffer.from(b64, 'base64').toString('utf8'), now));
    return {
      status: 200,
      json: { codesResponse: [{
        code: 0, description: 'ok', codes, reqId: randomUUID(), reqTimestamp: now,
        isCheckedOffline: this.offline, inst: 'tspiot-emulator-1', version: '1.0.0',
      }] },
      delayMs,
    };
  }
}
