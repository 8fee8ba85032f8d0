// The gateway's HTTP JSON API on node:http: POST /fr/api/v2/Complex (Starrys-compatible path). Every
// answer is JSON in the Starrys shape; a body that is not JSON, too large, or on the wrong path gets a
// clear error answer and nothing is fiscalised.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answers, PATH_COMPLEX, type GatewayAnswer } from './answers';
import type { FiscalGateway } from './fiscal-gateway';

export const MAX_BODY_BYTES = 256 * 1024;

export interface GatewayHttpServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export async function startGatewayHttp(gateway: FiscalGateway, o: { host: string; port: number; log?: (line: string) => void }): Promise<GatewayHttpServer> {
  const log = o.log ?? (() => undefined);
  const server: Server = createServer((req, res) => {
    handle(gateway, req, res).catch((error: unknown) => {
      log(`http: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) send(res, 500, answers.internal({ requestId: null }));
    });
  });
  server.requestTimeout = 120_000;
  server.headersTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => { server.off('error', reject); resolve(); });
  });
  const addr = server.address() as AddressInfo;
  const hostForUrl = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${hostForUrl}:${addr.port}`,
    port: addr.port,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    }),
  };
}

async function handle(gateway: FiscalGateway, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (path !== PATH_COMPLEX) {
    req.resume();
    send(res, 404, { ...answers.badRequest({ requestId: null }, [`unknown path ${path ?? ''}; this gateway answers POST ${PATH_COMPLEX}`]) });
    return;
  }
  if (req.method !== 'POST') {
    req.resume();
    res.setHeader('allow', 'POST');
    send(res, 405, answers.badRequest({ requestId: null }, [`use POST for ${PATH_COMPLEX}`]));
    return;
  }
  const body = await readBody(req);
  if (body === 'too-large') {
    send(res, 413, answers.badRequest({ requestId: null }, [`the body is larger than ${MAX_BODY_BYTES} bytes`]), true);
    return;
  }
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    send(res, 400, answers.badRequest({ requestId: null }, ['the body is not valid JSON']));
    return;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    send(res, 400, answers.badRequest({ requestId: null }, ['the body must be a JSON object']));
    return;
  }
  const reply = await gateway.complex(json);
  send(res, reply.httpStatus, reply.answer);
}

function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) { tooLarge = true; chunks.length = 0; return; }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, answer: GatewayAnswer, closeConnection = false): void {
  const text = JSON.stringify(answer);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store',
    ...(closeConnection ? { connection: 'close' } : {}),
  });
  res.end(text);
}
