import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../src-main/store/database';
import { Outbox } from '../../../src-main/store/outbox';

let dir: string;
let db: Database;
let outbox: Outbox;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prilavok-outbox-'));
  db = openDatabase(path.join(dir, 'sales.sqlite'), 'sales');
  outbox = new Outbox(db);
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const T0 = '2026-03-01T10:00:00.000Z';
const add = (n: number) => outbox.add({ type: 'sale.closed', aggregateId: `sale-${n}`, payload: { n, totalKopecks: 100 * n }, at: T0 });

describe('outbox', () => {
  it('gives due rows oldest first with their payload', () => {
    const ids = [1, 2, 3].map(add);
    const due = outbox.due(10, T0);
    expect(due.map((r) => r.id)).toEqual(ids);
    expect(due[1]).toMatchObject({ type: 'sale.closed', aggregateId: 'sale-2', payload: { n: 2, totalKopecks: 200 }, attempts: 0, state: 'pending' });
    expect(outbox.due(2, T0)).toHaveLength(2);
    expect(outbox.counts()).toEqual({ pending: 3, parked: 0 });
  });

  it('writes inside the caller transaction and vanishes with its rollback', () => {
    expect(() => db.transaction(() => {
      add(1);
      throw new Error('the sale failed');
    })()).toThrow('the sale failed');
    expect(outbox.counts().pending).toBe(0);
    db.transaction(() => { add(2); })();
    expect(outbox.counts().pending).toBe(1);
  });

  it('does not send a sent row again', () => {
    const [a, b] = [add(1), add(2)];
    outbox.markSent([a]);
    expect(outbox.due(10, T0).map((r) => r.id)).toEqual([b]);
    expect(outbox.counts()).toEqual({ pending: 1, parked: 0 });
  });

  it('keeps order: a row waiting for its retry holds back the rows after it', () => {
    const [a, b] = [add(1), add(2)];
    outbox.markFailed(a, 'HTTP 503', '2026-03-01T10:05:00.000Z', 5);
    expect(outbox.due(10, '2026-03-01T10:01:00.000Z')).toEqual([]);
    const due = outbox.due(10, '2026-03-01T10:05:00.000Z');
    expect(due.map((r) => r.id)).toEqual([a, b]);
    expect(due[0]).toMatchObject({ attempts: 1, lastError: 'HTTP 503', nextAttemptAt: '2026-03-01T10:05:00.000Z' });
  });

  it('parks a row after maxAttempts failures, and a parked row no longer blocks the queue', () => {
    const [a, b] = [add(1), add(2)];
    for (let i = 0; i < 3; i++) outbox.markFailed(a, `failure ${i + 1}`, T0, 3);
    expect(outbox.counts()).toEqual({ pending: 1, parked: 1 });
    expect(outbox.due(10, T0).map((r) => r.id)).toEqual([b]);
    expect(outbox.parked(10)).toMatchObject([{ id: a, attempts: 3, lastError: 'failure 3', state: 'parked' }]);
    outbox.markFailed(a, 'ignored once parked', T0, 3);
    expect(outbox.parked(10)[0]!.attempts).toBe(3);
    expect(outbox.retry(a)).toBe(true);
    expect(outbox.due(10, T0).map((r) => r.id)).toEqual([a, b]);
  });
});
