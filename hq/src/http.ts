// The head office's HTTP API (docs/upstream.md). node:http with a few routes: the body limit, the
// socket and the order of checks (size, then auth, then content) stay in plain sight.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ADMIN_CSP, adminAuthorised, renderAdminPage } from './admin-page';
import { catalogPage, MAX_PAGE } from './catalog';
import type { HqDatabase } from './db';
import { documentsText, readBatchBody } from './batch-body';
import { ingestBatch, MAX_BATCH_DOCUMENTS, parseBatch } from './documents';
import { HqError, hqErrors, silentLogger, type Logger } from './errors';
import { authenticate, laneStatuses, touchLane, type Lane } from './lanes';
import { findReceipts } from './receipts';

export interface HqServerOptions {
  db: HqDatabase;
  /** Largest request body accepted; larger ones get 413 and nothing is written. Default 4 MiB. */
  maxBodyBytes?: number;
  maxBatchDocuments?: number;
  /** Enables GET /admin behind this token; without it /admin does not exist (404). */
  adminToken?: string;
  log?: Logger;
}

export interface HqServer {
  readonly server: http.Server;
  /** Listens; returns the base URL (http://host:port). */
  listen(port?: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

type Handler = (ctx: { lane: Lane; params: string[]; url: URL; req: http.IncomingMessage }) => Promise<unknown>;

export function createHqServer(options: HqServerOptions): HqServer {
  const { db } = options;
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const maxDocs = options.maxBatchDocuments ?? MAX_BATCH_DOCUMENTS;
  const log = options.log ?? silentLogger;

  const own = (lane: Lane, laneParam: string) => {
    if (laneParam !== 'me' && laneParam !== lane.id) throw hqErrors.forbidden('act for another lane');
  };

  const routes: { method: string; path: RegExp; handler: Handler }[] = [
    {
      method: 'POST', path: /^\/v1\/lanes\/([^/]+)\/documents$/,
      handler: async ({ lane, params, req }) => {
        own(lane, params[0]!);
        const batch = readBatchBody(await readJsonBody(req, maxBody));
        const docs = parseBatch(batch.items, maxDocs);
        return ingestBatch(db, lane, docs, documentsText(batch), { backlog: countHeader(req, 'x-outbox-backlog'), parked: countHeader(req, 'x-outbox-parked') }, log);
      },
    },
    {
      method: 'GET', path: /^\/v1\/lanes\/([^/]+)\/status$/,
      handler: async ({ lane, params }) => {
        own(lane, params[0]!);
        await touchLane(db, lane.id);
        const [status] = await laneStatuses(db, lane.id);
        return status;
      },
    },
    {
      method: 'GET', path: /^\/v1\/stores\/([^/]+)\/catalog$/,
      handler: async ({ lane, params, url }) => {
        const store = params[0]!;
        if (store !== 'me' && store !== lane.storeId) throw hqErrors.forbidden("read another store's catalog");
        const after = url.searchParams.get('after') ?? '0';
        if (!/^\d{1,18}$/.test(after)) throw hqErrors.malformed('after: a cursor returned by this endpoint (digits)');
        const limitText = url.searchParams.get('limit') ?? '1000';
        const limit = Number(limitText);
        if (!/^\d{1,6}$/.test(limitText) || limit < 1 || limit > MAX_PAGE) throw hqErrors.malformed(`limit: 1..${MAX_PAGE}`);
        await touchLane(db, lane.id);
        return catalogPage(db, lane.storeId, after, limit);
      },
    },
    {
      method: 'GET', path: /^\/v1\/receipts$/,
      handler: async ({ url }) => {
        const p = url.searchParams;
        const number = p.get('number');
        const fiscalSign = p.get('fiscalSign');
        const fdNumber = p.get('fdNumber');
        const from = p.get('from');
        const to = p.get('to');
        const store = p.get('store');
        if (number === null && fiscalSign === null && fdNumber === null && from === null && to === null) {
          throw hqErrors.malformed('give number, fiscalSign, fdNumber, or from/to');
        }
        if (number !== null && !/^\d{1,9}$/.test(number)) throw hqErrors.malformed('number: a receipt number');
        if (fiscalSign !== null && !/^\d{1,20}$/.test(fiscalSign)) throw hqErrors.malformed('fiscalSign: digits');
        if (fdNumber !== null && !(/^\d{1,10}$/.test(fdNumber) && Number(fdNumber) >= 1 && Number(fdNumber) <= 0xffff_ffff)) {
          throw hqErrors.malformed('fdNumber: a fiscal document number');
        }
        for (const [name, v] of [['from', from], ['to', to]] as const) {
          if (v !== null && Number.isNaN(Date.parse(v))) throw hqErrors.malformed(`${name}: an ISO 8601 time`);
        }
        const receipts = await findReceipts(db, {
          ...(number !== null ? { number: Number(number) } : {}), ...(fiscalSign !== null ? { fiscalSign: fiscalSign.replace(/^0+(?=\d)/, '') } : {}),
          ...(fdNumber !== null ? { fdNumber: Number(fdNumber) } : {}),
          ...(from !== null ? { from } : {}), ...(to !== null ? { to } : {}), ...(store !== null ? { storeId: store } : {}), limit: 50,
        });
        return { receipts };
      },
    },
  ];

  const server = http.createServer((req, res) => {
    void handle(req, res);
  });
  // A lane behind a slow link must not hold a socket forever.
  server.requestTimeout = 60_000;
  server.headersTimeout = 20_000;

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const started = Date.now();
    try {
      const url = new URL(req.url ?? '/', 'http://hq');
      if (req.method === 'GET' && url.pathname === '/healthz') return send(res, 200, { ok: true });
      if (req.method === 'GET' && url.pathname === '/admin' && options.adminToken) return await admin(req, res, options.adminToken);
      const route = routes.find((r) => r.method === req.method && r.path.test(url.pathname));
      if (!route) throw hqErrors.notFound();
      // Size before auth and before parsing: an oversized body is refused without reading it.
      const length = Number(req.headers['content-length'] ?? 0);
      if (length > maxBody) throw hqErrors.tooLarge(`the body is ${length} bytes; at most ${maxBody} are accepted`);
      const auth = req.headers.authorization;
      if (!auth || !/^Bearer\s+\S+$/i.test(auth)) throw hqErrors.unauthorized();
      const lane = await authenticate(db, auth.replace(/^Bearer\s+/i, ''));
      if (!lane) throw hqErrors.badToken();
      const params = route.path.exec(url.pathname)!.slice(1).map((s) => decodeURIComponent(s));
      const result = await route.handler({ lane, params, url, req });
      send(res, 200, result);
    } catch (error) {
      if (error instanceof HqError) {
        if (error.status >= 413 || error.status === 400) log('warn', 'request refused', { path: req.url, code: error.code, message: error.message });
        send(res, error.status, error.toJSON(), error.status === 413);
      } else {
        log('error', 'request failed', { path: req.url, error: error instanceof Error ? error.stack : String(error) });
        send(res, 500, { error: { code: 'hq.internal', message: 'the head office failed to handle the request; try again later' } });
      }
      // An unread body would otherwise stall a keep-alive connection.
      if (!req.complete) req.resume();
    } finally {
      if (Date.now() - started > 5000) log('warn', 'slow request', { path: req.url, ms: Date.now() - started });
    }
  }

  async function admin(req: http.IncomingMessage, res: http.ServerResponse, token: string): Promise<void> {
    const headers = { 'content-security-policy': ADMIN_CSP, 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'cache-control': 'no-store' };
    if (!adminAuthorised(req, token)) {
      res.writeHead(401, { ...headers, 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Basic realm="Prilavok head office", charset="UTF-8"' });
      res.end('the admin token is required (any user name, the token as password)\n');
      return;
    }
    const html = await renderAdminPage(db);
    res.writeHead(200, { ...headers, 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(html) });
    res.end(html);
  }

  return {
    server,
    listen(port = 0, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          const a = server.address() as AddressInfo;
          resolve(`http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}`);
        });
      });
    },
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** A non-negative count from a header the lane may send; anything else is ignored. */
function countHeader(req: http.IncomingMessage, name: string): number | null {
  const v = req.headers[name];
  return typeof v === 'string' && /^\d{1,9}$/.test(v) ? Number(v) : null;
}

function send(res: http.ServerResponse, status: number, body: unknown, close = false): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body ?? null);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...(close ? { connection: 'close' } : {}),
  });
  res.end(text);
}

/** A JSON body's bytes, within the size limit. */
async function readJsonBody(req: http.IncomingMessage, maxBytes: number): Promise<Buffer> {
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(type)) throw hqErrors.malformed('Content-Type must be application/json');
  // Past the limit the rest is read and dropped (not destroyed), so the client still gets its 413.
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
      else if (size > maxBytes * 4) req.destroy();
    });
    req.on('end', () => {
      if (size > maxBytes) reject(hqErrors.tooLarge(`the body is larger than ${maxBytes} bytes`));
      else resolve(Buffer.concat(chunks, size));
    });
    req.on('error', reject);
    req.on('close', () => reject(hqErrors.malformed('the request was cut off')));
  });
}
