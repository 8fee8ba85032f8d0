// Test support: a real head office on PGlite (always) and on PostgreSQL (when DATABASE_URL is set),
// each run in a fresh data directory or schema so runs never collide; and documents shaped exactly
// as the lane writes them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Sale } from '../../src-main/contract/model';
import { silentLogger } from '../src/errors';
import { registerLane } from '../src/lanes';
import { startHq, type HqConfig, type RunningHq } from '../src/service';

export interface Backend {
  name: 'pglite' | 'postgres';
  databaseUrl?: string;
}

export const BACKENDS: Backend[] = [
  { name: 'pglite' },
  ...(process.env.DATABASE_URL ? [{ name: 'postgres' as const, databaseUrl: process.env.DATABASE_URL }] : []),
];

export interface TestHq {
  readonly url: string;
  readonly hq: RunningHq;
  /** Stops the service (sockets cut, database closed) as a crash would, keeping its data. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data. */
  restart(): Promise<void>;
  addLane(storeId: string, name: string): Promise<{ id: string; token: string; storeId: string }>;
  /** Removes the data directory or schema. */
  destroy(): Promise<void>;
}

export async function startTestHq(backend: Backend, extra: Partial<HqConfig> = {}): Promise<TestHq> {
  const tag = `hq_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const dataDir = backend.name === 'pglite' ? fs.mkdtempSync(path.join(os.tmpdir(), 'prilavok-hq-')) : undefined;
  const config: HqConfig = {
    log: silentLogger, ...extra,
    ...(backend.databaseUrl ? { databaseUrl: backend.databaseUrl, schema: tag } : { dataDir }),
  };
  let hq: RunningHq | null = await startHq(config);
  const port = Number(new URL(hq.url).port);
  const url = hq.url;
  const self: TestHq = {
    url,
    get hq() {
      if (!hq) throw new Error('hq is stopped');
      return hq;
    },
    async stop() {
      const h = hq;
      hq = null;
      await h?.stop();
    },
    async restart() {
      if (hq) await self.stop();
      hq = await startHq({ ...config, port });
    },
    async addLane(storeId, name) {
      const lane = await registerLane(self.hq.db, storeId, name);
      return { id: lane.id, token: lane.token, storeId };
    },
    async destroy() {
      await self.stop();
      if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
      if (backend.databaseUrl) {
        const c = new pg.Client({ connectionString: backend.databaseUrl });
        await c.connect();
        await c.query(`DROP SCHEMA IF EXISTS ${tag} CASCADE`);
        await c.end();
      }
    },
  };
  return self;
}

let counter = 0;
/** A UUIDv7-looking unique id (ordering does not matter to the head office). */
export function testId(): string {
  counter++;
  const hex = `${Date.now().toString(16).padStart(12, '0')}7${randomBytes(9).toString('hex')}${counter.toString(16).padStart(4, '0')}`;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export function saleDocument(number: number, options: { fiscalSign?: string; closedAt?: string } = {}): Sale {
  const line = {
    id: testId(), productId: 'demo-milk', name: 'Молоко 2,5%', barcode: '4600000000015', unit: 'piece' as const, weighed: false,
    marking: null, ageLimit: null, quantityMilli: 2000, priceKopecks: 8990, amountKopecks: 17980, vat: 'vat10' as const, vatKopecks: 1635, voided: false,
  };
  return {
    id: testId(), receiptId: testId(), number, shiftId: 'shift-1', closedAt: options.closedAt ?? new Date().toISOString(),
    cashier: { id: 'u-cashier', name: 'Иванова', role: 'cashier' }, lines: [line],
    totals: { totalKopecks: 17980, lineCount: 1, vatTotals: [{ vat: 'vat10', amountKopecks: 17980, vatKopecks: 1635 }] },
    payments: [{ method: 'cash', amountKopecks: 17980 }], tenderedKopecks: 20000, changeKopecks: 2020, fiscalState: 'done',
    ...(options.fiscalSign ? { fiscalDocument: { fnSerial: '7380440800000001', fdNumber: number, fiscalSign: options.fiscalSign, dateTime: null } } : {}),
  };
}

/** The outbox entry (type, aggregateId, payload) for the n-th change of a test lane: shifts, sales, cash moves. */
export function laneChange(n: number): { type: string; aggregateId: string; payload: unknown } {
  const at = new Date().toISOString();
  if (n % 10 === 0) {
    const id = testId();
    return { type: 'shift.opened', aggregateId: id, payload: { id, number: n, openedAt: at, openedBy: 'u-cashier' } };
  }
  if (n % 10 === 5) {
    const id = testId();
    return { type: 'cash.in', aggregateId: id, payload: { id, shiftId: 'shift-1', direction: 'in', amountKopecks: 100_00, comment: 'размен', userId: 'u-cashier', at } };
  }
  const sale = saleDocument(n);
  return { type: 'sale.closed', aggregateId: sale.id, payload: sale };
}

/** A wire document for POST /v1/lanes/me/documents. */
export function wireDocument(seq: number, change = laneChange(seq)): { id: string; seq: number; type: string; aggregateId: string; createdAt: string; payload: unknown } {
  return { id: testId(), seq, createdAt: new Date().toISOString(), ...change };
}

export async function post(url: string, token: string | null, body: unknown, raw?: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}/v1/lanes/me/documents`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: raw ?? JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

export async function get(url: string, token: string | null, pathAndQuery: string): Promise<{ status: number; body: any }> {
  const res = await fetch(url + pathAndQuery, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, body: await res.json() };
}
