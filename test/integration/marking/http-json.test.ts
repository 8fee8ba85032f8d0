// The marking clients' one HTTP request (node:http, kept-alive sockets) against raw TCP servers that
// answer the way broken services and networks do: every outcome is a value with a short failure word.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { deadline, DeadlineReached, requestJson } from '../../../src-main/marking/http-json';

const servers: net.Server[] = [];
const open = new Set<net.Socket>();
afterEach(async () => {
  // The client keeps sockets alive; the servers end them so that closing does not wait for the client.
  for (const socket of open) socket.destroy();
  open.clear();
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

/**
 * A TCP server that hands every request to `onRequest` with its number on its connection (0, 1, …) and
 * overall; resolves to its base URL.
 */
async function rawServer(onRequest: (socket: net.Socket, onConnection: number, overall: number) => void): Promise<string> {
  let overall = 0;
  const server = net.createServer((socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    socket.on('error', () => undefined);
    let onConnection = 0;
    let buffered = '';
    socket.on('data', (chunk) => {
      buffered += chunk.toString('latin1');
      // One request at a time: its head and (for our small bodies) its Content-Length bytes.
      for (;;) {
        const headEnd = buffered.indexOf('\r\n\r\n');
        if (headEnd < 0) return;
        const length = Number(/content-length: (\d+)/i.exec(buffered.slice(0, headEnd))?.[1] ?? 0);
        if (buffered.length < headEnd + 4 + length) return;
        buffered = buffered.slice(headEnd + 4 + length);
        onRequest(socket, onConnection++, overall++);
      }
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
}

const json = (body: string, extra = '') => `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`;

async function ask(url: string, budgetMs = 1_000) {
  const d = deadline(budgetMs);
  try {
    return await requestJson({ url, method: 'POST', headers: { 'X-API-KEY': 'k' }, body: { codes: ['ü'] }, signal: d.signal });
  } finally {
    d.done();
  }
}

describe('requestJson', () => {
  it('answers with the status and the parsed body, and keeps the connection for the next request', async () => {
    const sockets = new Set<net.Socket>();
    const url = await rawServer((socket) => { sockets.add(socket); socket.write(json('{"code":0,"codes":["ü"]}')); });
    expect(await ask(url)).toMatchObject({ kind: 'reply', status: 200, json: { code: 0, codes: ['ü'] }, parseError: null });
    expect(await ask(url)).toMatchObject({ kind: 'reply', status: 200 });
    expect(sockets.size).toBe(1);
  });

  it('sends the request again once when the kept-alive socket was closed by the server meanwhile', async () => {
    const url = await rawServer((socket, onConnection, overall) => {
      // The second request on a kept connection meets a server that closed it at that moment (an idle
      // limit reached as the request arrived): reset, nothing answered.
      if (onConnection === 1) socket.resetAndDestroy();
      else socket.write(json(`{"n":${overall}}`));
    });
    expect(await ask(url)).toMatchObject({ kind: 'reply', json: { n: 0 } });
    expect(await ask(url)).toMatchObject({ kind: 'reply', status: 200, json: { n: 2 } });
  });

  it('tells a body cut short, a body that is not JSON, an empty body, something that is not HTTP, and a redirect', async () => {
    const cut = await rawServer((socket) => { socket.write('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{"code":0,'); socket.end(); });
    expect(await ask(cut)).toMatchObject({ kind: 'no-reply', failure: 'answer cut off (connection reset)' });
    const html = await rawServer((socket) => socket.write(json('<html>502 Bad Gateway</html>')));
    expect(await ask(html)).toMatchObject({ kind: 'reply', status: 200, json: null, parseError: 'not JSON: "<html>502 Bad Gateway</html>"' });
    const empty = await rawServer((socket) => socket.write('HTTP/1.1 204 No Content\r\n\r\n'));
    expect(await ask(empty)).toMatchObject({ kind: 'reply', status: 204, json: null, parseError: null });
    const notHttp = await rawServer((socket) => { socket.write('\u0000\u00ff garbage\r\n\r\n'); socket.end(); });
    expect(await ask(notHttp)).toMatchObject({ kind: 'no-reply', failure: 'bad answer' });
    const redirect = await rawServer((socket) => socket.write('HTTP/1.1 302 Found\r\nLocation: http://elsewhere/\r\nContent-Length: 0\r\n\r\n'));
    expect(await ask(redirect)).toMatchObject({ kind: 'reply', status: 302 });
  });

  it('a silent server is a timeout at the deadline; a caller\'s cancel is "cancelled"; nobody listening is "connection refused"', async () => {
    const silent = await rawServer(() => undefined);
    const started = performance.now();
    expect(await ask(silent, 150)).toMatchObject({ kind: 'no-reply', failure: 'timeout' });
    expect(performance.now() - started).toBeLessThan(1_000);

    const controller = new AbortController();
    const pending = requestJson({ url: silent, method: 'GET', signal: controller.signal });
    setTimeout(() => controller.abort(new Error('the cashier cancelled')), 20);
    expect(await pending).toMatchObject({ kind: 'no-reply', failure: 'cancelled' });

    const gone = net.createServer();
    await new Promise<void>((r) => gone.listen(0, '127.0.0.1', r));
    const port = (gone.address() as net.AddressInfo).port;
    await new Promise((r) => gone.close(r));
    expect(await ask(`http://127.0.0.1:${port}`)).toMatchObject({ kind: 'no-reply', failure: 'connection refused' });

    const late = new AbortController();
    late.abort(new DeadlineReached());
    expect(await requestJson({ url: silent, method: 'GET', signal: late.signal })).toMatchObject({ kind: 'no-reply', failure: 'timeout' });
  });

  it('a mid-body deadline is a timeout, not a cut answer; an address that is not http(s) is refused before any byte', async () => {
    const slow = await rawServer((socket) => socket.write('HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n{"code":'));
    expect(await ask(slow, 150)).toMatchObject({ kind: 'no-reply', failure: 'timeout' });
    expect(await ask('ftp://127.0.0.1/x')).toMatchObject({ kind: 'no-reply', failure: 'bad address' });
    expect(await ask('not a url')).toMatchObject({ kind: 'no-reply', failure: 'bad address' });
  });
});
