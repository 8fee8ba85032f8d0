// Hostile and malformed requests, straight at the dispatcher both transports share.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, openLane, type TestLane } from '../../helpers/lane';

let lane: TestLane;
beforeAll(async () => { lane = await openLane(); });
afterAll(async () => { await lane.close(); });

describe('the dispatcher refuses what does not parse', () => {
  it('rejects messages that are not call envelopes', async () => {
    const s = lane.session();
    for (const raw of [null, 42, 'text', [], {}, { type: 'call' }, { type: 'call', id: -1, call: 'system.hello', payload: {} },
      { type: 'call', id: 1, call: 'system.hello', payload: {}, extra: true }, { type: 'result', id: 1, call: 'x' }]) {
      const outcome = await lane.app.dispatcher.dispatch(s, raw);
      expect(outcome, JSON.stringify(raw)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    }
  });

  it('rejects unknown calls, including prototype names', async () => {
    const s = lane.session();
    for (const name of ['nope', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'receipt.open ']) {
      const outcome = await lane.call(s, name as never, {} as never);
      expect(outcome, name).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CALL' } });
    }
  });

  it('rejects wrong types, extra fields, huge strings and out-of-range numbers with BAD_REQUEST', async () => {
    const cashier = await login(lane, '1111');
    const cases: Array<[string, unknown]> = [
      ['session.login', { pin: 1111 }],
      ['session.login', { pin: '1'.repeat(10_000) }],
      ['session.login', { pin: '12ab' }],
      ['catalog.search', { query: 'x'.repeat(101) }],
      ['catalog.search', { query: 'молоко', limit: 10_000 }],
      ['receipt.scan', { receiptId: 'x', code: 'y'.repeat(300), source: 'wedge' }],
      ['receipt.scan', { receiptId: "'; DROP TABLE sales; --", code: '123', source: 'wedge' }],
      ['receipt.scan', { receiptId: 'abc', code: '4600000000010', source: 'telepathy' }],
      ['receipt.payCash', { receiptId: 'abc', tenderedKopecks: 10.5 }],
      ['receipt.payCash', { receiptId: 'abc', tenderedKopecks: -1 }],
      ['receipt.payCash', { receiptId: 'abc', tenderedKopecks: Number.MAX_SAFE_INTEGER }],
      ['receipt.setQuantity', { receiptId: 'abc', lineId: 'x', quantityMilli: 0 }],
      ['receipt.open', { sneaky: true }],
      ['cash.move', { direction: 'sideways', amountKopecks: 100 }],
    ];
    for (const [name, payload] of cases) {
      const outcome = await lane.call(cashier, name as never, payload as never);
      expect(outcome, `${name} ${JSON.stringify(payload).slice(0, 60)}`).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    }
  });

  it('checks access in the main process: no login, no sale; a cashier cannot manage the catalog-only calls', async () => {
    const anonymous = lane.session();
    for (const name of ['receipt.list', 'sales.journal', 'shift.open', 'catalog.search'] as const) {
      const outcome = await lane.call(anonymous, name, (name === 'catalog.search' ? { query: 'a' } : name === 'sales.journal' ? {} : {}) as never);
      expect(outcome, name).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    }
  });

  it('text messages: oversized and non-JSON are refused before parsing', async () => {
    const s = lane.session();
    const huge = await lane.app.dispatcher.dispatchText(s, JSON.stringify({ type: 'call', id: 1, call: 'system.hello', payload: { x: 'y'.repeat(70_000) } }));
    expect(huge.outcome).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const notJson = await lane.app.dispatcher.dispatchText(s, '{"type": "call", ');
    expect(notJson).toMatchObject({ id: null, outcome: { ok: false, error: { code: 'BAD_REQUEST' } } });
    const fine = await lane.app.dispatcher.dispatchText(s, JSON.stringify({ type: 'call', id: 7, call: 'system.hello', payload: {} }));
    expect(fine).toMatchObject({ id: 7, outcome: { ok: true, result: { lane: { demo: true } } } });
  });

  it('an invalid request changes nothing', async () => {
    const cashier = await login(lane, '1111');
    const before = lane.app.sales.audit.verify();
    await lane.call(cashier, 'shift.open', { now: true } as never);
    expect((await lane.ok(cashier, 'shift.current', {})).shift).toBeNull();
    expect(lane.app.sales.audit.verify().records).toBe(before.records);
  });
});
