// One HTTP POST to DualConnector: the transport of this protocol. It tells apart a request that
// certainly never reached the service (no connection) from one that did and then got no answer
// (timeout, reset, cut body): the first may be retried by the caller, the second must be reconciled.
import { request } from 'node:http';

export type PostResult =
  | { reached: false; reason: string }
  | { reached: true; answered: false; reason: string }
  | { reached: true; answered: true; status: number; contentType: string | undefined; body: Buffer };

const MAX_BODY_BYTES = 1024 * 1024;

export function postXml(url: URL, body: Buffer, contentType: string, timeoutMs: number): Promise<PostResult> {
  return new Promise((resolve) => {
    let connected = false;
    let done = false;
    const finish = (r: PostResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      req.destroy();
      resolve(r);
    };
    // A fresh connection per operation (agent: false): a kept-alive socket DualConnector already
    // closed would fail the first write and look like "no answer" to a request never delivered.
    const req = request(url, {
      method: 'POST', agent: false,
      headers: { 'Content-Type': contentType, 'Content-Length': body.length, Accept: 'text/xml', Connection: 'close' },
    }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BODY_BYTES) finish({ reached: true, answered: false, reason: `answer larger than ${MAX_BODY_BYTES} bytes` });
        else chunks.push(c);
      });
      res.on('end', () => finish({ reached: true, answered: true, status: res.statusCode ?? 0, contentType: res.headers['content-type'], body: Buffer.concat(chunks) }));
      res.on('aborted', () => finish({ reached: true, answered: false, reason: 'the answer was cut off' }));
      res.on('error', (e) => finish({ reached: true, answered: false, reason: `answer failed: ${e.message}` }));
    });
    const timer = setTimeout(() => finish(connected
      ? { reached: true, answered: false, reason: `no answer within ${timeoutMs} ms` }
      : { reached: false, reason: `no connection within ${timeoutMs} ms` }), timeoutMs);
    req.on('socket', (s) => {
      if (!s.connecting) connected = true;
      else s.once('connect', () => { connected = true; });
    });
    req.on('error', (e: NodeJS.ErrnoException) => finish(connected
      ? { reached: true, answered: false, reason: `connection lost after sending: ${e.code ?? e.message}` }
      : { reached: false, reason: `cannot connect: ${e.code ?? e.message}` }));
    req.end(body);
  });
}
