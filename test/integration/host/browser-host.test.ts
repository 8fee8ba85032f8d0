// The browser host over real sockets: a real Dispatcher and EventBus with two tiny handlers stand in
// for the app; the client is the ws package and node's http, as a browser (or an attacker) would be.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MAX_MESSAGE_BYTES } from '../../../src-main/contract';
import { Dispatcher, type AccessControl, type Session } from '../../../src-main/app/dispatcher';
import { EventBus } from '../../../src-main/app/event-bus';
import type { PosApp } from '../../../src-main/app/pos-app';
import { startBrowserHost, type BrowserHost } from '../../../src-main/host/browser-host';

const SECRET = 'TOP-SECRET-OUTSIDE-THE-RENDERER';
const INDEX_HTML = '<!doctype html><html><head><title>Prilavok</title></head><body><div id="root"></div></body></html>';

interface FakeApp extends PosApp {
  readonly openSessions: Set<Session>;
  readonly ended: Session[];
}

function fakeApp(): FakeApp {
  const handlers = {
    'system.hello': () => ({
      lane: {
        laneId: 'lane-1', laneName: 'Касса 1', storeName: 'Тест', demo: true, kiosk: false, locale: 'ru', version: '0.0.0-test',
        wedge: { maxInterKeyMs: 30, minLength: 6, suffix: 'Enter', prefix: '' },
      },
      layout: { left: [], right: [], quickKeys: [], hotkeys: {}, fontScale: 1 },
    }),
    'session.current': (ctx: { session: Session }) => ({ user: ctx.session.user, locked: ctx.session.locked }),
  };
  const access: AccessControl = { verifyPin: () => null, can: () => false };
  const openSessions = new Set<Session>();
  const ended: Session[] = [];
  return {
    dispatcher: new Dispatcher(handlers as never, access, { error: () => undefined }),
    events: new EventBus(),
    kiosk: false,
    dataDir: '/nonexistent',
    openSessions,
    ended,
    newSession() {
      const session: Session = { id: randomUUID(), user: null, locked: false };
      openSessions.add(session);
      return session;
    },
    endSession(session) {
      openSessions.delete(session);
      ended.push(session);
    },
    async close() {},
  };
}

let workDir: string;
let rendererDir: string;
let app: FakeApp;
let host: BrowserHost;
let origin: string;
const sockets: WebSocket[] = [];

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'prilavok-host-'));
  rendererDir = join(workDir, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), INDEX_HTML);
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log("prilavok");');
  writeFileSync(join(rendererDir, 'assets', 'app.css'), 'body{margin:0}');
  writeFileSync(join(workDir, 'secret.txt'), SECRET);
  writeFileSync(join(workDir, 'package.json'), `{"secret":"${SECRET}"}`);
  symlinkSync(join(workDir, 'secret.txt'), join(rendererDir, 'assets', 'link.txt'));
  app = fakeApp();
  host = await startBrowserHost(app, { port: 0, rendererDir, host: '127.0.0.1' });
  origin = `http://127.0.0.1:${host.port}`;
});

afterEach(() => {
  for (const socket of sockets.splice(0)) socket.terminate();
});

afterAll(async () => {
  await host?.close();
  rmSync(workDir, { recursive: true, force: true });
});

// ---- helpers -------------------------------------------------------------------------------------

interface Connection {
  socket: WebSocket;
  messages: unknown[];
  next(): Promise<any>;
  closed: Promise<number>;
}

function bridgeUrl(token: string | null = host.token, path = '/bridge'): string {
  return `ws://127.0.0.1:${host.port}${path}${token === null ? '' : `?token=${encodeURIComponent(token)}`}`;
}

/** Opens a bridge connection; resolves when open, rejects with the HTTP status when refused. */
function connect(options: { url?: string; origin?: string | null } = {}): Promise<Connection> {
  const socket = new WebSocket(options.url ?? bridgeUrl(), {
    ...(options.origin === null ? {} : { origin: options.origin ?? origin }),
  });
  sockets.push(socket);
  const messages: unknown[] = [];
  const waiters: ((m: unknown) => void)[] = [];
  socket.on('message', (data) => {
    const message = JSON.parse(String(data));
    const waiter = waiters.shift();
    if (waiter) waiter(message);
    else messages.push(message);
  });
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  const next = (): Promise<any> => messages.length > 0
    ? Promise.resolve(messages.shift())
    : new Promise((resolve, reject) => {
      waiters.push(resolve);
      setTimeout(() => reject(new Error('no message within 5 s')), 5000).unref();
    });
  return new Promise((resolve, reject) => {
    socket.on('open', () => resolve({ socket, messages, next, closed }));
    socket.on('unexpected-response', (_req, res) => {
      reject(Object.assign(new Error(`refused with ${res.statusCode}`), { status: res.statusCode }));
      socket.terminate();
    });
    socket.on('error', reject);
  });
}

async function refusedStatus(options: Parameters<typeof connect>[0]): Promise<number | undefined> {
  try {
    await connect(options);
  } catch (error) {
    return (error as { status?: number }).status;
  }
  throw new Error('connection was accepted');
}

/** A raw GET, so the path reaches the server exactly as written (fetch would normalise `..`). */
function rawGet(path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, path, method: 'GET', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => { body += chunk; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function call(connection: Connection, id: number, name: string, payload: unknown = {}): Promise<any> {
  connection.socket.send(JSON.stringify({ type: 'call', id, call: name, payload }));
  return connection.next();
}

// ---- static files --------------------------------------------------------------------------------

describe('serving the renderer', () => {
  it('serves index.html for / with the strict CSP and no caching', async () => {
    const res = await fetch(`${origin}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(INDEX_HTML);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('content-security-policy')).toBe(
      `default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self' ws://127.0.0.1:${host.port}; `
      + "img-src 'self' data:; font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'",
    );
  });

  it('serves assets with their content types', async () => {
    const js = await fetch(`${origin}/assets/app.js`);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toContain('prilavok');
    const css = await fetch(`${origin}/assets/app.css`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('answers 404 for a missing file and still sends the security headers', async () => {
    const res = await fetch(`${origin}/nope.js`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('never serves a file outside the renderer directory, however the path is spelled', async () => {
    for (const path of [
      '/../package.json',
      '/../secret.txt',
      '/%2e%2e/package.json',
      '/%2e%2e%2fpackage.json',
      '/..%2fsecret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/..%5csecret.txt',
      '/%252e%252e/secret.txt',
      '/index.html%00.js',
      '/assets/link.txt',
      '//etc/passwd',
      '/%2fetc%2fpasswd',
    ]) {
      const res = await rawGet(path);
      expect([403, 404], path).toContain(res.status);
      expect(res.body, path).not.toContain('SECRET');
      expect(res.body, path).not.toContain('root:');
    }
  });

  it('refuses a request for another host name (DNS rebinding)', async () => {
    const res = await rawGet('/', { Host: 'evil.example' });
    expect(res.status).toBe(403);
    expect(res.body).not.toContain('root');
  });

  it('refuses methods other than GET and HEAD', async () => {
    const res = await fetch(`${origin}/`, { method: 'POST', body: 'x' });
    expect(res.status).toBe(405);
  });
});

// ---- the bridge: who may connect ------------------------------------------------------------------

describe('the bridge upgrade', () => {
  it('gives a 32-byte base64url token and a page URL that carries it', () => {
    expect(host.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`);
  });

  it('accepts the right token from our own origin, also spelled localhost', async () => {
    await expect(connect()).resolves.toBeDefined();
    await expect(connect({ origin: `http://localhost:${host.port}` })).resolves.toBeDefined();
  });

  it('refuses a wrong, truncated, extended or missing token', async () => {
    expect(await refusedStatus({ url: bridgeUrl('x'.repeat(43)) })).toBe(403);
    expect(await refusedStatus({ url: bridgeUrl(host.token.slice(0, -1)) })).toBe(403);
    expect(await refusedStatus({ url: bridgeUrl(`${host.token}A`) })).toBe(403);
    expect(await refusedStatus({ url: bridgeUrl('') })).toBe(403);
    expect(await refusedStatus({ url: bridgeUrl(null) })).toBe(403);
    expect(await refusedStatus({ url: `${bridgeUrl()}&token=${host.token}` })).toBe(403);
  });

  it('refuses a foreign, look-alike or missing origin even with the right token', async () => {
    expect(await refusedStatus({ origin: 'http://evil.example' })).toBe(403);
    expect(await refusedStatus({ origin: `http://127.0.0.1:${host.port}.evil.example` })).toBe(403);
    expect(await refusedStatus({ origin: `https://127.0.0.1:${host.port}` })).toBe(403);
    expect(await refusedStatus({ origin: `http://127.0.0.1:${host.port + 1}` })).toBe(403);
    expect(await refusedStatus({ origin: 'null' })).toBe(403);
    expect(await refusedStatus({ origin: null })).toBe(403);
  });

  it('refuses upgrades on any other path', async () => {
    expect(await refusedStatus({ url: bridgeUrl(host.token, '/') })).toBe(404);
    expect(await refusedStatus({ url: bridgeUrl(host.token, '/bridge/') })).toBe(404);
  });

  it('gives each connection its own session and ends it when the socket closes', async () => {
    const before = app.openSessions.size;
    const connection = await connect();
    expect(app.openSessions.size).toBe(before + 1);
    connection.socket.close();
    await connection.closed;
    await expect.poll(() => app.openSessions.size).toBe(before);
  });
});

// ---- the bridge: what it carries -----------------------------------------------------------------

describe('calls over the bridge', () => {
  it('answers a call with its result and id', async () => {
    const connection = await connect();
    const hello = await call(connection, 1, 'system.hello');
    expect(hello).toMatchObject({ type: 'result', id: 1, ok: true, result: { lane: { laneId: 'lane-1' } } });
    const current = await call(connection, 2, 'session.current');
    expect(current).toEqual({ type: 'result', id: 2, ok: true, result: { user: null, locked: false } });
  });

  it('answers non-JSON text with BAD_REQUEST and a null id, and keeps the connection', async () => {
    const connection = await connect();
    connection.socket.send('this is not json {');
    expect(await connection.next()).toMatchObject({ type: 'result', id: null, ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await call(connection, 3, 'session.current')).toMatchObject({ id: 3, ok: true });
  });

  it('answers an unknown call with UNKNOWN_CALL', async () => {
    const connection = await connect();
    expect(await call(connection, 4, 'fiscal.formatDisk')).toMatchObject({ id: 4, ok: false, error: { code: 'UNKNOWN_CALL' } });
    expect(await call(connection, 5, '__proto__')).toMatchObject({ id: 5, ok: false, error: { code: 'UNKNOWN_CALL' } });
  });

  it('answers wrong payload or message shapes with BAD_REQUEST', async () => {
    const connection = await connect();
    expect(await call(connection, 6, 'system.hello', { extra: 1 })).toMatchObject({ id: 6, ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await call(connection, 7, 'session.current', 'string')).toMatchObject({ id: 7, ok: false, error: { code: 'BAD_REQUEST' } });
    connection.socket.send(JSON.stringify({ type: 'call', id: 8, call: 42, payload: {} }));
    expect(await connection.next()).toMatchObject({ id: 8, ok: false, error: { code: 'BAD_REQUEST' } });
    connection.socket.send(JSON.stringify({ type: 'call', id: -1, call: 'system.hello', payload: {} }));
    expect(await connection.next()).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    connection.socket.send('[1,2,3]');
    expect(await connection.next()).toMatchObject({ id: null, ok: false, error: { code: 'BAD_REQUEST' } });
  });

  it('refuses binary frames with BAD_REQUEST', async () => {
    const connection = await connect();
    connection.socket.send(Buffer.from(JSON.stringify({ type: 'call', id: 9, call: 'system.hello', payload: {} })), { binary: true });
    expect(await connection.next()).toMatchObject({ type: 'result', id: null, ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await call(connection, 10, 'session.current')).toMatchObject({ id: 10, ok: true });
  });

  it('closes a connection that sends an oversized message and keeps serving others', async () => {
    const bystander = await connect();
    const connection = await connect();
    connection.socket.on('error', () => undefined); // the close is the expected outcome
    const huge = JSON.stringify({ type: 'call', id: 11, call: 'system.hello', payload: { pad: 'x'.repeat(MAX_MESSAGE_BYTES) } });
    connection.socket.send(huge);
    expect(await connection.closed).toBe(1009);
    expect(await call(bystander, 12, 'session.current')).toMatchObject({ id: 12, ok: true });
    const fresh = await connect();
    expect(await call(fresh, 13, 'system.hello')).toMatchObject({ id: 13, ok: true });
  });
});

describe('events over the bridge', () => {
  it('broadcasts an emitted event to every open connection', async () => {
    const first = await connect();
    const second = await connect();
    app.events.emit('session.changed', { user: null, locked: true });
    const expected = { type: 'event', event: 'session.changed', payload: { user: null, locked: true } };
    expect(await first.next()).toEqual(expected);
    expect(await second.next()).toEqual(expected);
  });

  it('drops a client that stops reading instead of letting it hold up the others', async () => {
    const healthy = await connect();
    const stalled = await connect();
    const [healthySession, stalledSession] = [...app.openSessions].slice(-2) as [Session, Session];
    // Stop reading on the stalled client: its kernel buffers fill and the server's backlog grows.
    (stalled.socket as unknown as { _socket: { pause(): void } })._socket.pause();
    const big = 'x'.repeat(256 * 1024);
    for (let i = 0; i < 200; i++) {
      app.events.emit('shift.changed', { shift: null, pad: big } as never);
      if (i % 4 === 3) await new Promise((resolve) => setTimeout(resolve, 2)); // events come over time, not in one burst
    }
    await expect.poll(() => app.ended.includes(stalledSession), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => healthy.messages.length, { timeout: 10_000 }).toBe(200);
    expect(app.ended).not.toContain(healthySession);
  });
});

describe('closing the host', () => {
  it('closes every connection, ends their sessions and stops listening', async () => {
    const other = await startBrowserHost(app, { port: 0, rendererDir });
    const socket = new WebSocket(`ws://127.0.0.1:${other.port}/bridge?token=${other.token}`, { origin: `http://127.0.0.1:${other.port}` });
    sockets.push(socket);
    await new Promise((resolve, reject) => { socket.on('open', resolve); socket.on('error', reject); });
    const endedBefore = app.ended.length;
    const closed = new Promise((resolve) => socket.on('close', resolve));
    await other.close();
    await closed;
    expect(app.ended.length).toBe(endedBefore + 1);
    await expect(fetch(`http://127.0.0.1:${other.port}/`)).rejects.toThrow();
  });

  it('reports a port that is already taken', async () => {
    await expect(startBrowserHost(app, { port: host.port, rendererDir })).rejects.toThrow(/already in use/);
  });

  it('refuses a renderer directory that does not exist', async () => {
    await expect(startBrowserHost(app, { port: 0, rendererDir: join(workDir, 'missing') })).rejects.toThrow(/not found/);
  });
});
