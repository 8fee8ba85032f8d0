// Browser mode: the built renderer served over HTTP on 127.0.0.1, and a WebSocket bridge that carries
// contract calls and events between the page and the one dispatcher. It stands in for the Electron
// shell where Electron is not installed, and it is what the end-to-end tests drive.
//
// Only the page we opened may talk to the bridge: the upgrade needs the per-run token (the page reads
// it from its own URL) and an Origin of exactly this server, so another site in the same browser, or a
// DNS-rebinding page, gets a 403 and never a session.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { extname, resolve, sep } from 'node:path';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import { MAX_MESSAGE_BYTES, PosError, type CallOutcome } from '../contract';
import type { PosApp } from '../app/pos-app';
import type { Session } from '../app/dispatcher';
import { errors } from '../app/errors';
import { contentSecurityPolicy } from '../app/content-security-policy';
import { FrameText, type ResultFrame } from './frame-text';

export interface BrowserHostOptions {
  /** 0 picks any free port. */
  port: number;
  /** The Vite output: index.html and assets/. */
  rendererDir: string;
  /** Loopback only, on purpose: the bridge gives whoever holds the token a till. */
  host?: '127.0.0.1';
}

export interface BrowserHost {
  /** The page to open: http://127.0.0.1:PORT/?token=TOKEN */
  readonly url: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

export const BRIDGE_PATH = '/bridge';
/** A client whose unsent data exceeds this is too far behind (or dead): it is dropped, not waited for. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
/** Calls one connection may have running at once; more is a runaway page, answered with an error. */
const MAX_CALLS_IN_FLIGHT = 32;
const MAX_CONNECTIONS = 16;
const HEARTBEAT_MS = 15_000;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.wasm': 'application/wasm',
};

export function browserContentSecurityPolicy(port: number): string {
  return contentSecurityPolicy([`ws://127.0.0.1:${port}`]);
}

interface Client {
  readonly socket: WebSocket;
  readonly session: Session;
  callsInFlight: number;
  alive: boolean;
}

export async function startBrowserHost(app: PosApp, options: BrowserHostOptions): Promise<BrowserHost> {
  const bindHost = '127.0.0.1';
  if (options.host !== undefined && options.host !== bindHost) throw new Error(`browser host binds to ${bindHost} only`);
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) throw new Error(`invalid port: ${options.port}`);
  const root = await realpath(resolve(options.rendererDir)).catch(() => {
    throw new Error(`renderer directory not found: ${options.rendererDir} (run \`npm run build\`)`);
  });

  const token = randomBytes(32).toString('base64url');
  const tokenDigest = sha256(token);
  let port = 0; // known once listening; every check below runs after that
  let baseHeaders: OutgoingHttpHeaders = {};
  const allowedHosts = (): string[] => [`127.0.0.1:${port}`, `localhost:${port}`];
  const allowedOrigins = (): string[] => allowedHosts().map((h) => `http://${h}`);

  const clients = new Set<Client>();
  const frames = new FrameText();
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES, clientTracking: false });

  const server = createServer((req, res) => {
    serveStatic(req, res).catch((error: unknown) => {
      console.error('[browser-host] static file error:', error);
      if (!res.headersSent) respond(res, 500, 'Internal Server Error');
      else res.destroy();
    });
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  server.on('upgrade', (req, socket, head) => upgrade(req, socket, head));

  function respond(res: ServerResponse, status: number, text: string, extra: OutgoingHttpHeaders = {}): void {
    res.writeHead(status, { ...baseHeaders, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...extra });
    res.end(text);
  }

  async function serveStatic(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!isAllowedHost(req.headers.host, allowedHosts())) return respond(res, 403, 'Forbidden');
    if (req.method !== 'GET' && req.method !== 'HEAD') return respond(res, 405, 'Method Not Allowed', { Allow: 'GET, HEAD' });
    const file = await resolveStaticFile(root, req.url ?? '');
    if (file === 'forbidden') return respond(res, 403, 'Forbidden');
    if (file === null) return respond(res, 404, 'Not Found');

    const isIndex = file.path === resolve(root, 'index.html');
    res.writeHead(200, {
      ...baseHeaders,
      'Content-Type': CONTENT_TYPES[extname(file.path).toLowerCase()] ?? 'application/octet-stream',
      'Content-Length': file.size,
      'Cache-Control': isIndex ? 'no-store' : 'no-cache',
    });
    if (req.method === 'HEAD') return void res.end();
    const stream = createReadStream(file.path);
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  }

  function refuse(socket: Duplex, status: 403 | 404 | 503, reason: string): void {
    const headers = { ...baseHeaders, Connection: 'close', 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(reason) };
    const lines = Object.entries(headers).map(([k, v]) => `${k}: ${String(v)}`);
    socket.end(`HTTP/1.1 ${status} ${reason}\r\n${lines.join('\r\n')}\r\n\r\n${reason}`);
    socket.destroy();
  }

  function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    let url: URL;
    try {
      url = new URL(`http://127.0.0.1${req.url ?? ''}`);
    } catch {
      return refuse(socket, 404, 'Not Found');
    }
    if (url.pathname !== BRIDGE_PATH) return refuse(socket, 404, 'Not Found');
    const tokens = url.searchParams.getAll('token');
    const origin = req.headers.origin;
    const trusted = tokens.length === 1 && tokenMatches(tokens[0]!, tokenDigest)
      && typeof origin === 'string' && allowedOrigins().includes(origin)
      && isAllowedHost(req.headers.host, allowedHosts());
    if (!trusted) return refuse(socket, 403, 'Forbidden');
    if (clients.size >= MAX_CONNECTIONS) return refuse(socket, 503, 'Service Unavailable');
    wss.handleUpgrade(req, socket, head, (ws) => connect(ws));
  }

  function connect(socket: WebSocket): void {
    const client: Client = { socket, session: app.newSession(), callsInFlight: 0, alive: true };
    clients.add(client);
    socket.on('pong', () => { client.alive = true; });
    // ws reports protocol violations (oversized frame, bad UTF-8) here and then closes the socket.
    socket.on('error', () => socket.terminate());
    socket.on('close', () => {
      if (!clients.delete(client)) return;
      app.endSession(client.session);
    });
    socket.on('message', (data, isBinary) => void receive(client, data, isBinary));
  }

  async function receive(client: Client, data: RawData, isBinary: boolean): Promise<void> {
    if (isBinary) {
      return reply(client, { type: 'result', id: null, ...failure(errors.badRequest(['binary frames are not accepted; send JSON text'])) });
    }
    if (client.callsInFlight >= MAX_CALLS_IN_FLIGHT) {
      return reply(client, {
        type: 'result', id: null,
        ...failure(errors.limit('Слишком много запросов', 'Too many requests at once', { maxInFlight: MAX_CALLS_IN_FLIGHT })),
      });
    }
    client.callsInFlight++;
    try {
      const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8')
        : Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
      const { id, outcome } = await app.dispatcher.dispatchText(client.session, text);
      reply(client, { type: 'result', id, ...outcome });
    } catch (error) {
      // The dispatcher turns handler failures into outcomes; reaching here is a bug in the bridge.
      console.error('[browser-host] dispatch failed:', error);
      reply(client, { type: 'result', id: null, ...failure(errors.internal()) });
    } finally {
      client.callsInFlight--;
    }
  }

  function reply(client: Client, message: ResultFrame): void {
    send(client, frames.result(message));
  }

  /**
   * Never waits on a client: a socket that stops reading is cut off once its backlog is too big. The
   * frame is UTF-8 already (encoded once, for every client); ws sends it as a text frame unchanged.
   */
  function send(client: Client, frame: Buffer): void {
    const { socket } = client;
    if (socket.readyState !== WebSocket.OPEN) return;
    if (socket.bufferedAmount + frame.length > MAX_BUFFERED_BYTES) {
      console.error(`[browser-host] dropping session ${client.session.id}: client too far behind`);
      socket.terminate();
      return;
    }
    socket.send(frame, { binary: false }, (error) => { if (error) socket.terminate(); });
  }

  const unsubscribe = app.events.subscribe((event, payload) => {
    let frame: Buffer;
    try {
      frame = frames.event(event, payload);
    } catch (error) {
      console.error(`[browser-host] event ${event} is not serialisable:`, error);
      return;
    }
    for (const client of clients) send(client, frame);
  });

  const heartbeat = setInterval(() => {
    for (const client of clients) {
      if (!client.alive) { client.socket.terminate(); continue; }
      client.alive = false;
      client.socket.ping();
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();

  try {
    await new Promise<void>((resolveListen, rejectListen) => {
      const onError = (error: NodeJS.ErrnoException): void => {
        rejectListen(error.code === 'EADDRINUSE'
          ? new Error(`port ${options.port} on ${bindHost} is already in use`)
          : new Error(`cannot listen on ${bindHost}:${options.port}: ${error.message}`));
      };
      server.once('error', onError);
      server.listen(options.port, bindHost, () => {
        server.off('error', onError);
        resolveListen();
      });
    });
  } catch (error) {
    unsubscribe();
    clearInterval(heartbeat);
    throw error;
  }
  port = (server.address() as AddressInfo).port;
  baseHeaders = {
    'Content-Security-Policy': browserContentSecurityPolicy(port),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };

  let closing: Promise<void> | null = null;
  return {
    url: `http://${bindHost}:${port}/?token=${token}`,
    port,
    token,
    close() {
      closing ??= (async () => {
        unsubscribe();
        clearInterval(heartbeat);
        const closed = new Promise<void>((done) => server.close(() => done()));
        for (const client of clients) client.socket.close(1001, 'server shutting down');
        // Give clients a moment to answer the close frame, then cut whatever is left.
        await new Promise((r) => setTimeout(r, 50));
        for (const client of [...clients]) {
          client.socket.terminate();
          if (clients.delete(client)) app.endSession(client.session);
        }
        server.closeAllConnections();
        await closed;
      })();
      return closing;
    },
  };
}

/**
 * Maps a request target to a file inside root, or says why not. Decodes once, resolves, and checks
 * that the result (after symlinks) is still inside root, so `..` in any spelling cannot escape.
 */
export async function resolveStaticFile(root: string, target: string): Promise<{ path: string; size: number } | 'forbidden' | null> {
  if (!target.startsWith('/')) return 'forbidden';
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(`http://127.0.0.1${target}`).pathname);
  } catch {
    return 'forbidden';
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return 'forbidden';
  if (pathname.endsWith('/')) pathname += 'index.html';
  const candidate = resolve(root, `.${pathname}`);
  if (!isInside(root, candidate)) return 'forbidden';
  try {
    const real = await realpath(candidate);
    if (!isInside(root, real)) return 'forbidden';
    const info = await stat(real);
    return info.isFile() ? { path: real, size: info.size } : null;
  } catch {
    return null;
  }
}

function isInside(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

function isAllowedHost(host: string | undefined, allowed: string[]): boolean {
  return typeof host === 'string' && allowed.includes(host.toLowerCase());
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** Constant time whatever the candidate's length: both sides are hashed to 32 bytes first. */
function tokenMatches(candidate: string, expectedDigest: Buffer): boolean {
  return timingSafeEqual(sha256(candidate), expectedDigest);
}

function failure(error: PosError): CallOutcome {
  return { ok: false, error: error.toShape() };
}
