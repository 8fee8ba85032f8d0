// The HTTP side the marking emulators share: a node:http server on 127.0.0.1 that hands each request
// (path, headers, body) to a handler and carries out its reply, including the faults a real upstream
// shows: a late answer, no answer at all, a half-written body, text that is not JSON. It can stop
// listening and listen again on the same port, which is how a test kills and revives a host.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface StubRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The body parsed as JSON, or undefined when it is empty or not JSON. */
  json: unknown;
}

export type StubReply =
  | { status: number; json?: unknown; text?: string; delayMs?: number }
  /** Accept the request and never answer (until the server closes). */
  | { hang: true }
  /** Send the status and the start of the body, then cut the connection. */
  | { truncate: string; status: number; delayMs?: number };

export type StubHandler = (req: StubRequest) => StubReply | Promise<StubReply>;

export class JsonHttpServer {
  private server: Server;
  private readonly sockets = new Set<Socket>();
  private listening = false;
  private constructor(private readonly handler: StubHandler, private readonly host: string, public port: number) {
    this.server = this.create();
  }

  static async start(handler: StubHandler, options: { host?: string; port?: number } = {}): Promise<JsonHttpServer> {
    const s = new JsonHttpServer(handler, options.host ?? '127.0.0.1', options.port ?? 0);
    await s.listen();
    return s;
  }

  get url(): string { return `http://${this.host}:${this.port}`; }
  get isListening(): boolean { return this.listening; }

  async listen(): Promise<void> {
    if (this.listening) return;
    this.server = this.create();
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.port, this.host, () => { this.server.off('error', reject); resolve(); });
    });
    this.port = (this.server.address() as AddressInfo).port;
    this.listening = true;
  }

  /** Stop listening and drop every connection: the next request is refused. */
  async close(): Promise<void> {
    if (!this.listening) return;
    this.listening = false;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await closed;
  }

  private create(): Server {
    const server = createServer((req, res) => { void this.serve(req, res); });
    server.keepAliveTimeout = 180_000;
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    return server;
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    let json: unknown;
    try { json = body === '' ? undefined : JSON.parse(body); } catch { json = undefined; }
    let reply: StubReply;
    try {
      reply = await this.handler({ method: req.method ?? 'GET', path: (req.url ?? '/').split('?')[0]!, headers: req.headers, body, json });
    } catch (error) {
      reply = { status: 500, json: { error: (error as Error).message } };
    }
    if ('hang' in reply) return;
    if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
    if (res.destroyed) return;
    if ('truncate' in reply) {
      const partial = Buffer.from(reply.truncate, 'utf8');
      res.writeHead(reply.status, { 'Content-Type': 'application/json', 'Content-Length': String(partial.length + 64) });
      res.write(partial, () => setTimeout(() => res.socket?.destroy(), 10));
      return;
    }
    const text = reply.text ?? (reply.json === undefined ? '' : JSON.stringify(reply.json));
    res.writeHead(reply.status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(Buffer.byteLength(text)) });
    res.end(text);
  }
}

/** Reads a JSON control command for `POST /__control` (the CLI-launched emulators). */
export function controlReply(run: (command: Record<string, unknown>) => string | null, req: StubRequest): StubReply {
  if (req.method !== 'POST' || req.json === null || typeof req.json !== 'object') return { status: 400, json: { ok: false, error: 'POST a JSON object' } };
  const error = run(req.json as Record<string, unknown>);
  return error ? { status: 400, json: { ok: false, error } } : { status: 200, json: { ok: true } };
}
