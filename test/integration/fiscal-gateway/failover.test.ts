// The gateway with two registers when one dies: idle health checks see it without a request, and the
// jobs queued on it that never sent a fiscal byte move to the healthy register; a started job never moves.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ShtrihEmulator } from '../../../drivers/fiscal/shtrih/emulator';
import { startGateway, type RunningGateway } from '../../../src-main/app/commands/gateway';
import { parseGatewayConfig } from '../../../src-main/services/fiscal-gateway/gateway-config';
import type { FiscalServiceOptions } from '../../../src-main/services/fiscal/fiscal-settings';
import { tempDir } from '../../helpers/lane';
import { FAST_DRIVER, FAST_SERVICE, receiptDocs, startEmulator } from '../fiscal/helpers';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const PASSWORD = 'secret-1';

async function rig(service: Partial<FiscalServiceOptions>, extra: Record<string, unknown> = {}) {
  const dir = tempDir('prilavok-gateway-failover-');
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const emulators: ShtrihEmulator[] = [];
  for (let i = 0; i < 2; i++) {
    mkdirSync(join(dir, `em${i}`));
    const em = await startEmulator(join(dir, `em${i}`));
    cleanups.push(() => em.close());
    emulators.push(em);
  }
  const logs: string[] = [];
  const config = parseGatewayConfig({
    registers: emulators.map((em, i) => ({ id: `kkt${i + 1}`, address: `tcp://${em.address}` })),
    password: PASSWORD, dataDir: 'data', answerTimeoutMs: 10_000, taxIds: { 1: 'vat22' }, strategy: 'round-robin', ...extra,
  }, dir);
  const gw = await startGateway(config, { driver: FAST_DRIVER, service: { ...FAST_SERVICE, ...service }, log: (l) => logs.push(l) });
  cleanups.push(() => gw.close());
  return { emulators, gw, logs };
}

const complex = (requestId: string) => ({
  RequestId: requestId, Password: PASSWORD, DocumentType: 0, TaxMode: 1,
  Lines: [{ Qty: 1000, Price: 5990, PayAttribute: 4, TaxId: 1, Description: 'Молоко 3,2 % 1 л' }], Cash: 5990,
});

async function post(gw: RunningGateway, body: unknown) {
  const res = await fetch(`${gw.url}/fr/api/v2/Complex`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json() as any };
}

const state = (gw: RunningGateway, id: string) => gw.gateway.registers().find((r) => r.id === id)!;

describe('gateway failover between two registers', () => {
  it('an idle health check finds a dead register without any request; new requests go to the other; it comes back', async () => {
    const { emulators, gw } = await rig({ healthCheckMs: 100 });
    await vi.waitFor(() => expect(gw.gateway.registers().map((r) => r.status.connected)).toEqual([true, true]), { timeout: 5_000 });
    emulators[0]!.cutPower();
    await vi.waitFor(() => expect(state(gw, 'kkt1')).toMatchObject({ down: true, status: { connected: false, lastError: { code: 'FISCAL_NO_LINK' } } }),
      { timeout: 5_000 });
    expect(state(gw, 'kkt2').down).toBe(false);
    for (let i = 0; i < 3; i++) expect((await post(gw, complex(`idle-${i}`))).json).toMatchObject({ Response: { Error: 0 }, Device: { Name: 'kkt2' } });
    emulators[0]!.restart();
    await vi.waitFor(() => expect(state(gw, 'kkt1')).toMatchObject({ down: false, status: { connected: true, lastError: null } }), { timeout: 5_000 });
    expect(receiptDocs(emulators[0]!)).toHaveLength(0);
    expect(receiptDocs(emulators[1]!)).toHaveLength(3);
  });

  it('jobs queued on a register that dies before they start move to the healthy one: each request one document', async () => {
    // No idle check: the dead register is found by its first job, after requests were already queued on it.
    const { emulators, gw, logs } = await rig({ healthCheckMs: 600_000 });
    await vi.waitFor(() => expect(gw.gateway.registers().map((r) => r.status.connected)).toEqual([true, true]), { timeout: 5_000 });
    emulators[0]!.cutPower();
    const answers = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => post(gw, complex(`move-${i}`))));
    for (const a of answers) expect(a.json).toMatchObject({ Response: { Error: 0 }, Device: { Name: 'kkt2' } });
    expect(logs.filter((l) => /moved from kkt1 .* to kkt2 before it started/.test(l)).length).toBeGreaterThanOrEqual(1);
    expect(receiptDocs(emulators[0]!)).toHaveLength(0);
    const docs = receiptDocs(emulators[1]!);
    expect(docs).toHaveLength(6);
    expect(new Set(answers.map((a) => a.json.FiscalDocNumber)).size).toBe(6);
    for (let i = 0; i < 6; i++) expect(gw.gateway.request(`move-${i}`)).toMatchObject({ state: 'done', registerId: 'kkt2' });
    // A repeat reads the cached answer: nothing new is made.
    expect((await post(gw, complex('move-0'))).json.FiscalDocNumber).toBe(answers[0]!.json.FiscalDocNumber);
    expect(receiptDocs(emulators[1]!)).toHaveLength(6);
  });

  it('a receipt cut off by a power loss stays with its register and is reconciled there; the jobs queued behind it move', async () => {
    const { emulators, gw, logs } = await rig({ healthCheckMs: 600_000 }, { answerTimeoutMs: 1_500 });
    await vi.waitFor(() => expect(gw.gateway.registers().map((r) => r.status.connected)).toEqual([true, true]), { timeout: 5_000 });
    emulators[0]!.arm('power-cut'); // kkt1 writes its first receipt to the FN and goes dark before answering
    const answers = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => post(gw, complex(`cut-${i}`))));
    const rows = [0, 1, 2, 3, 4, 5].map((i) => gw.gateway.request(`cut-${i}`)!);
    const stuck = rows.filter((r) => r.registerId === 'kkt1');
    expect(stuck).toHaveLength(1); // the started one; the others queued on kkt1 moved
    expect(stuck[0]!.state).toBe('undefined_outcome');
    const stuckAnswer = answers[rows.indexOf(stuck[0]!)]!.json;
    expect(stuckAnswer.Response.Error).toBe(6);
    for (const [i, a] of answers.entries()) if (rows[i] !== stuck[0]) expect(a.json).toMatchObject({ Response: { Error: 0 }, Device: { Name: 'kkt2' } });
    expect(logs.some((l) => /moved from kkt1/.test(l))).toBe(true);
    expect(receiptDocs(emulators[0]!)).toHaveLength(1); // the document exists on kkt1 …
    expect(receiptDocs(emulators[1]!)).toHaveLength(5);
    emulators[0]!.restart(); // … and is found there by reconciliation, never made again anywhere
    await vi.waitFor(async () => {
      expect((await post(gw, complex(stuck[0]!.requestId))).json).toMatchObject({ Response: { Error: 0 }, Device: { Name: 'kkt1' },
        FiscalDocNumber: receiptDocs(emulators[0]!)[0]!.fd });
    }, { timeout: 10_000, interval: 200 });
    expect(receiptDocs(emulators[0]!)).toHaveLength(1);
    expect(receiptDocs(emulators[1]!)).toHaveLength(5);
  });
});
