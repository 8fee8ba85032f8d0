// A loopback proxy in front of the head office that can lose answers: it forwards the request, waits
// for the head office's whole answer (so the batch is committed) and then, when told to, closes the
// lane's socket instead of answering — the "response dropped after commit" of a flaky link. With
// `cut` set it is a dead network: every connection is reset (RST) at once, open ones included.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface DroppingProxy {
  url: string;
  forwarded: number;
  dropped: number;
  /** Answers the head office gave to requests that were passed on (parsed JSON). */
  answers: unknown[];
  /** While true, connections are reset as they arrive and the open ones are reset too. */
  cut: boolean;
  /** Connections reset because of `cut`. */
  reset: number;
  close(): Promise<void>;
}

export async function startDroppingProxy(target: string, shouldDrop: (n: number) => boolean): Promise<DroppingProxy> {
  const t = new URL(target);
  let n = 0;
  let cutting = false;
  const sockets = new Set<import('node:net').Socket>();
  const proxy: DroppingProxy = {
    url: '', forwarded: 0, dropped: 0, answers: [], reset: 0,
    get cut() { return cutting; },
    set cut(v: boolean) {
      cutting = v;
      if (v) for (const s of sockets) { s.resetAndDestroy(); proxy.reset++; }
    },
    close: () => new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
  const server = http.createServer((req, res) => {
    const upstream = http.request({ host: t.hostname, port: t.port, method: req.method, path: req.url, headers: req.headers, agent: false }, (up) => {
      const chunks: Buffer[] = [];
      up.on('data', (c: Buffer) => chunks.push(c));
      up.on('end', () => {
        const body = Buffer.concat(chunks);
        if (shouldDrop(++n)) {
          proxy.dropped++;
          req.socket.destroy();
          return;
        }
        proxy.forwarded++;
        try {
          proxy.answers.push(JSON.parse(body.toString('utf8')));
        } catch {
          proxy.answers.push(null);
        }
        res.writeHead(up.statusCode ?? 502, { 'content-type': up.headers['content-type'] ?? 'application/json', 'content-length': body.length });
        res.end(body);
      });
      up.on('error', () => req.socket.destroy());
    });
    // The head office is down: the lane sees a cut connection, as it would.
    upstream.on('error', () => req.socket.destroy());
    req.pipe(upstream);
  });
  server.on('connection', (socket) => {
    if (cutting) {
      proxy.reset++;
      socket.resetAndDestroy();
      return;
    }
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}
