// The fiscal gateway end to end: real HTTP on 127.0.0.1, Shtrih-M emulators over TCP, real SQLite
// files in a temp dir. A Complex request becomes exactly one fiscal document, whatever is repeated.
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage } from 'node:http';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { ShtrihEmulator } from '../../../drivers/fiscal/shtrih/emulator';
import { startGateway, type RunningGateway } from '../../../src-main/app/commands/gateway';
import { parseGatewayConfig } from '../../../src-main/services/fiscal-gateway/gateway-config';
import { GatewayRequests } from '../../../src-main/store/gateway-requests';
import { tempDir } from '../../helpers/lane';
import { FAST_DRIVER, FAST_SERVICE, receiptDocs, startEmulator } from '../fiscal/helpers';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const PASSWORD = 'secret-1';

async function rig(o: { registers?: number; config?: Record<string, unknown>; emulator?: Parameters<typeof startEmulator>[1] } = {}) {
  const dir = tempDir('prilavok-gateway-');
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const emulators: ShtrihEmulator[] = [];
  for (let i = 0; i < (o.registers ?? 1); i++) {
    mkdirSync(join(dir, `em${i}`));
    const em = await startEmulator(join(dir, `em${i}`), o.emulator ?? {});
    cleanups.push(() => em.close());
    emulators.push(em);
  }
  const logs: string[] = [];
  const config = parseGatewayConfig({
    registers: emulators.map((em, i) => ({ id: `kkt${i + 1}`, address: `tcp://${em.address}` })),
    password: PASSWORD, dataDir: 'data', answerTimeoutMs: 8_000, taxIds: { 1: 'vat22', 5: 'vat22_122' },
    ...o.config,
  }, dir);
  const gw = await startGateway(config, { driver: FAST_DRIVER, service: FAST_SERVICE, log: (l) => logs.push(l) });
  cleanups.push(() => gw.close());
  return { dir, emulators, gw, logs };
}

function complex(requestId: string, over: Record<string, unknown> = {}) {
  return {
    RequestId: requestId, Password: PASSWORD, DocumentType: 0, TaxMode: 1,
    Lines: [
      { Qty: 2000, Price: 5990, PayAttribute: 4, TaxId: 1, Description: 'Молоко 3,2 % 1 л' },
      { Qty: 1500, Price: 1000, PayAttribute: 4, TaxId: 2, Description: 'Яблоки, кг' },
    ],
    Cash: 10_000, NonCash: [3480, 0, 0],
    ...over,
  };
}

async function post(gw: RunningGateway, body: unknown, raw = false) {
  const res = await fetch(`${gw.url}/fr/api/v2/Complex`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: raw ? String(body) : JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() as any };
}

describe('the fiscal gateway', () => {
  it('a Complex request fiscalises exactly one document and answers with its FD and FP', async () => {
    const { gw, emulators: [em] } = await rig();
    const { status, json } = await post(gw, complex('order-1'));
    expect(status).toBe(200);
    expect(json.Response.Error).toBe(0);
    const docs = receiptDocs(em!);
    expect(docs).toHaveLength(1);
    expect(json).toMatchObject({ RequestId: 'order-1', FNSerialNumber: em!.device.state.fnSerial, FiscalDocNumber: docs[0]!.fd,
      FiscalSign: String(docs[0]!.fiscalSign), GrandTotal: 13_480, DocumentType: 0, Device: { Name: 'kkt1' } });
    expect(docs[0]!.amountKopecks).toBe(13_480);
  });

  it('the same RequestId repeated gets the same answer and makes no second document', async () => {
    const { gw, emulators: [em] } = await rig();
    const first = await post(gw, complex('order-2'));
    const again = await Promise.all([post(gw, complex('order-2')), post(gw, complex('order-2'))]);
    for (const a of again) expect(a.json).toEqual(first.json);
    expect(receiptDocs(em!)).toHaveLength(1);
  });

  it('the same RequestId sent twice at once makes one document and both get it', async () => {
    const { gw, emulators: [em] } = await rig();
    const [a, b] = await Promise.all([post(gw, complex('order-3')), post(gw, complex('order-3'))]);
    expect(a.json.Response.Error).toBe(0);
    expect(b.json).toEqual(a.json);
    expect(receiptDocs(em!)).toHaveLength(1);
  });

  it('the same RequestId with a different body is refused and makes no document', async () => {
    const { gw, emulators: [em] } = await rig();
    await post(gw, complex('order-4'));
    const other = await post(gw, complex('order-4', { Cash: 10_001, NonCash: [3479] }));
    expect(other.status).toBe(409);
    expect(other.json.Response.Error).toBe(1003);
    expect(other.json.Response.ErrorMessages[0]).toMatch(/already used with a different request/);
    expect(receiptDocs(em!)).toHaveLength(1);
    // The same RequestId under another ClientId is another request.
    const otherClient = await post(gw, complex('order-4', { ClientId: 'shop-b' }));
    expect(otherClient.json.Response.Error).toBe(0);
    expect(receiptDocs(em!)).toHaveLength(2);
  });

  it('malformed requests and a wrong password are refused with clear errors and nothing is fiscalised', async () => {
    const { gw, emulators: [em] } = await rig();
    const cases: Array<[unknown, boolean, number, RegExp]> = [
      ['{not json', true, 400, /not valid JSON/],
      ['[1,2]', true, 400, /JSON object/],
      [complex('bad-1', { Password: 'nope' }), false, 401, /Wrong password/],
      [{ ...complex('bad-2'), Password: undefined }, false, 401, /Wrong password/],
      [complex('bad-3', { Lines: [] }), false, 400, /Lines/],
      [complex('bad-4', { DocumentType: 7 }), false, 400, /DocumentType/],
      [complex('bad-5', { Lines: [{ Qty: -1, Price: 100, TaxId: 4, Description: 'x' }] }), false, 400, /Lines\.0\.Qty/],
      [complex('bad-6', { Cash: 1 }), false, 400, /must equal the sum of the lines/],
      [complex('bad-7', { Lines: [{ Qty: 1000, Price: 100, TaxId: 42, Description: 'x' }], Cash: 100, NonCash: [] }), false, 400, /TaxId 42/],
      [complex('bad-8', { PhoneOrEmail: 'call me' }), false, 400, /PhoneOrEmail/],
      [complex('bad-9', { TaxMode: 3 }), false, 400, /TaxMode/],
      [complex('bad-10', { Callback: { Host: 'http://evil.example/cb' } }), false, 400, /not allowed/],
    ];
    for (const [body, raw, status, message] of cases) {
      const r = await post(gw, body, raw);
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(r.json.Response.Error).not.toBe(0);
      expect(r.json.Response.ErrorMessages.join(' ')).toMatch(message);
    }
    const wrongPath = await fetch(`${gw.url}/fr/api/v2/Nope`, { method: 'POST', body: '{}' });
    expect(wrongPath.status).toBe(404);
    const big = await post(gw, JSON.stringify({ RequestId: 'x', pad: 'x'.repeat(300_000) }), true);
    expect(big.status).toBe(413);
    expect(receiptDocs(em!)).toHaveLength(0);
    // A refused request leaves no row: the RequestId can be used for the corrected request.
    expect((await post(gw, complex('bad-1'))).json.Response.Error).toBe(0);
  });

  it('a register fault that leaves the outcome unknown answers "undefined outcome"; after reconciliation the cached answer is the real one and there is one document', async () => {
    const power: { restart?: () => void } = {};
    const { gw, emulators: [em] } = await rig({
      config: { answerTimeoutMs: 200 },
      emulator: { onPowerCut: () => setTimeout(() => power.restart?.(), 2_500) },
    });
    power.restart = () => em!.restart();
    await post(gw, complex('warm-up')); // opens the shift
    expect((await gw.gateway.whenSettled('warm-up'))!.state).toBe('done');
    em!.arm('power-cut');
    const seen = new Set<number>();
    let answer: any;
    for (let i = 0; i < 200; i++) {
      answer = (await post(gw, complex('order-5'))).json;
      seen.add(answer.Response.Error);
      if (answer.Response.Error === 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(seen.has(6)).toBe(true);
    expect(answer.Response.Error).toBe(0);
    const receipts = receiptDocs(em!);
    expect(receipts).toHaveLength(2);
    expect(answer.FiscalDocNumber).toBe(receipts[1]!.fd);
    expect(answer.FiscalSign).toBe(String(receipts[1]!.fiscalSign));
    expect((await post(gw, complex('order-5'))).json).toEqual(answer);
    expect(gw.gateway.request('order-5')!.state).toBe('done');
  });

  it('two registers in the pool share the requests', async () => {
    const { gw, emulators } = await rig({ registers: 2, config: { strategy: 'round-robin' } });
    for (let i = 0; i < 6; i++) expect((await post(gw, complex(`pool-${i}`))).json.Response.Error).toBe(0);
    expect(receiptDocs(emulators[0]!)).toHaveLength(3);
    expect(receiptDocs(emulators[1]!)).toHaveLength(3);
    const devices = new Set<string>();
    for (let i = 0; i < 6; i++) devices.add((await post(gw, complex(`pool-${i}`))).json.Device.Name);
    expect(devices).toEqual(new Set(['kkt1', 'kkt2']));
    expect(receiptDocs(emulators[0]!).length + receiptDocs(emulators[1]!).length).toBe(6);
  });

  it('the completion callback is delivered once, with the answer and the configured headers', async () => {
    const received: Array<{ headers: IncomingMessage['headers']; body: any }> = [];
    let failFirst = true;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (failFirst) { failFirst = false; res.writeHead(503).end(); return; }
        received.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
    const port = (server.address() as AddressInfo).port;
    const { gw } = await rig({ config: { allowedCallbackHosts: [`127.0.0.1:${port}`], callback: { backoffBaseMs: 50 } } });
    const body = complex('order-cb', { Callback: { Host: `http://127.0.0.1:${port}/done`, Headers: { 'X-Shop-Token': 't-1' } } });
    const answer = (await post(gw, body)).json;
    expect(answer.Response.Error).toBe(0);
    for (let i = 0; i < 100 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    await post(gw, body); // a repeat does not call back again
    await new Promise((r) => setTimeout(r, 300));
    expect(received).toHaveLength(1);
    expect(received[0]!.headers['x-shop-token']).toBe('t-1');
    expect(received[0]!.body).toEqual(answer);
    expect(gw.gateway.request('order-cb')!.callbackState).toBe('delivered');
  });

  it('settled requests are kept 31 days and then purged on start; open ones are never purged', async () => {
    const dir = tempDir('prilavok-gateway-store-');
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const store = new GatewayRequests(join(dir, 'gateway.sqlite'));
    cleanups.push(() => store.close());
    const add = (id: string, at: string) => store.claim({ clientId: '', requestId: id, bodyHash: 'h', registerId: 'kkt1', jobId: `job-${id}`,
      receipt: {}, callback: null, at });
    add('old-done', '2026-01-01T00:00:00.000Z');
    store.settle('job-old-done', 'done', { ok: true }, '2026-01-01T00:00:01.000Z');
    add('old-open', '2026-01-01T00:00:00.000Z');
    add('recent', '2026-01-20T00:00:00.000Z');
    store.settle('job-recent', 'done', { ok: true }, '2026-01-20T00:00:01.000Z');
    const cutoff = new Date(Date.parse('2026-02-05T00:00:00.000Z') - 31 * 86_400_000).toISOString();
    expect(store.purgeSettledBefore(cutoff)).toBe(1);
    expect(store.get('', 'old-done')).toBeNull();
    expect(store.get('', 'old-open')!.state).toBe('in_progress');
    expect(store.get('', 'recent')!.response).toEqual({ ok: true });
  });
});
