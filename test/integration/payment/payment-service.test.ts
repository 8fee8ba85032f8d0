// The payment service on a real sales.sqlite with scripted bank terminals: journal before the call,
// finding out after a crash instead of retrying, doubt sent to a supervisor, abandoned approvals
// reversed on the terminal that took them, a terminal down and the other one selling, refunds capped,
// settlement of every terminal with its report kept.
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { PosError } from '../../../src-main/contract';
import { openPaymentDb, paymentRig, ScriptedTerminal, seedReceipt, tempDir, terminalConfig, testClock, type PaymentDb } from './helpers';

const dir = tempDir('prilavok-payment-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function freshDb(terminalIds: string[] = ['A', 'B']): { file: string; db: PaymentDb } {
  const file = join(dir, `sales-${++n}.sqlite`);
  const db = openPaymentDb(file);
  terminalIds.forEach((id, i) => db.journal.saveTerminal(terminalConfig(id, { priority: i })));
  return { file, db };
}

async function rejection(p: Promise<unknown>): Promise<PosError> {
  try {
    await p;
  } catch (error) {
    if (error instanceof PosError) return error;
    throw error;
  }
  throw new Error('expected a PosError');
}

describe('a card payment', () => {
  it('is journalled and committed as sent before the terminal hears of it, then approved with its slip', async () => {
    const { file, db } = freshDb();
    seedReceipt(db, 'r1', 150_00);
    const A = new ScriptedTerminal('A');
    const clock = testClock();
    const { service } = paymentRig(db, { A, B: new ScriptedTerminal('B') }, clock);
    const seen: unknown[] = [];
    A.onRun = (request) => {
      // Another connection sees the committed row at the moment the terminal is called.
      const other = openPaymentDb(file);
      seen.push(other.journal.row(request.reference));
      other.close();
    };
    const progress: string[] = [];
    service.on((e) => { if (e.type === 'payment.progress') progress.push(e.message); });
    const op = await service.startCardPayment('r1', 100_00);
    expect(seen).toEqual([expect.objectContaining({ id: op.id, state: 'sent', terminalId: 'A', amountKopecks: 100_00, receiptId: 'r1' })]);
    expect(op).toMatchObject({ state: 'approved', terminalId: 'A', approved: { rrn: 'A-RRN-1', cardType: 'MIR' }, slip: ['A PURCHASE', 'СУММА 100', 'ОДОБРЕНО'] });
    expect(progress).toEqual(['Приложите карту']);
    expect(db.audit.verify().ok).toBe(true);
    // Card tenders never exceed what is left of the receipt.
    const e = await rejection(service.startCardPayment('r1', 50_01));
    expect(e.code).toBe('LIMIT_EXCEEDED');
    db.close();
  });

  it('killed after the terminal approved: a fresh service finds the approval by lastOperation and never re-runs the purchase', async () => {
    const { file, db } = freshDb();
    seedReceipt(db, 'r1', 500_00);
    const A = new ScriptedTerminal('A');
    A.script.push('approveThenHang');
    const clock = testClock();
    const first = paymentRig(db, { A }, clock);
    void first.service.startCardPayment('r1', 500_00, 'A');
    await new Promise((r) => setTimeout(r, 50));
    expect(db.journal.unresolved().map((o) => o.state)).toEqual(['sent']);
    db.close(); // the lane is gone; the terminal (the device) is still there

    const again = openPaymentDb(file);
    const second = paymentRig(again, { A }, clock);
    const report = await second.service.recover();
    expect(report.resolved).toHaveLength(1);
    expect(report.resolved[0]).toMatchObject({ state: 'approved', approved: { rrn: 'A-RRN-1', amountKopecks: 500_00 } });
    expect(again.journal.row(report.resolved[0]!.id)!.resolution).toMatchObject({ decision: 'approved', basis: 'reference' });
    expect(A.performed).toHaveLength(1);
    // The terminal is free again.
    expect(second.service.terminalStatus().find((t) => t.id === 'A')).toMatchObject({ unresolved: 0 });
    expect(again.audit.verify().ok).toBe(true);
    again.close();
  });

  it('a driver that throws after the approval: the service asks the terminal at once (weak match without an echoed reference)', async () => {
    const { db } = freshDb();
    seedReceipt(db, 'r1', 300_00);
    const A = new ScriptedTerminal('A');
    A.echoReference = false;
    A.script.push('approveThenThrow');
    const { service } = paymentRig(db, { A }, testClock());
    const op = await service.startCardPayment('r1', 300_00);
    expect(op).toMatchObject({ state: 'approved', approved: { rrn: 'A-RRN-1' } });
    expect(db.journal.row(op.id)!.resolution).toMatchObject({ decision: 'approved', basis: 'amount' });
    expect(A.performed).toHaveLength(1);
    db.close();
  });

  it('a lost request the terminal never performed is found out as not performed; a row only journalled is not sent', async () => {
    const { file, db } = freshDb();
    seedReceipt(db, 'r1', 1000_00);
    const A = new ScriptedTerminal('A');
    A.echoReference = false;
    const clock = testClock();
    const { service } = paymentRig(db, { A }, clock);
    const first = await service.startCardPayment('r1', 200_00, 'A');
    expect(first.state).toBe('approved');
    clock.advance(1000);
    A.script.push('lostBeforeTerminal');
    const lost = await service.startCardPayment('r1', 300_00, 'A');
    // The report still shows the previous purchase (200.00, same RRN): ours never reached the bank.
    expect(lost).toMatchObject({ state: 'declined', outcome: { code: 'NOT_PERFORMED' } });
    // A row journalled and never sent (the lane stopped in between):
    clock.advance(1000);
    db.journal.journal({ id: 'j-only', receiptId: 'r1', terminalId: 'A', kind: 'purchase', amountKopecks: 100_00, reference: 'j-only', originalId: null, at: clock.nowIso() });
    db.close();
    const again = openPaymentDb(file);
    const rig = paymentRig(again, { A }, clock);
    const report = await rig.service.recover();
    expect(report.resolved).toEqual([expect.objectContaining({ id: 'j-only', state: 'declined', outcome: expect.objectContaining({ code: 'NOT_SENT' }) })]);
    expect(A.performed).toHaveLength(1);
    again.close();
  });

  it('an ambiguous report (same kind and amount as the operation before, no reference, no identifiers) goes to a supervisor, who decides', async () => {
    const { file, db } = freshDb();
    seedReceipt(db, 'r1', 100_00);
    seedReceipt(db, 'r2', 100_00);
    const A = new ScriptedTerminal('A');
    A.echoReference = false;
    A.withIdentifiers = false;
    const clock = testClock();
    const first = paymentRig(db, { A }, clock);
    expect((await first.service.startCardPayment('r1', 100_00)).state).toBe('approved');
    clock.advance(60_000);
    A.script.push('approveThenHang');
    void first.service.startCardPayment('r2', 100_00);
    await new Promise((r) => setTimeout(r, 50));
    db.close();

    const again = openPaymentDb(file);
    const rig = paymentRig(again, { A }, clock);
    const attention: string[] = [];
    rig.service.on((e) => { if (e.type === 'payment.attention') attention.push(e.reason); });
    const report = await rig.service.recover();
    expect(report.needsSupervisor).toHaveLength(1);
    const doubtful = report.needsSupervisor[0]!;
    expect(doubtful).toMatchObject({ receiptId: 'r2', state: 'needs_supervisor', attention: expect.stringMatching(/cannot tell them apart/) });
    expect(attention).toHaveLength(1);
    expect(rig.service.attention().map((o) => o.id)).toEqual([doubtful.id]);
    // The facts the supervisor sees: the terminal's report as it was.
    expect(again.journal.row(doubtful.id)!.resolution).toMatchObject({ report: { kind: 'purchase', amountKopecks: 100_00, reference: null } });

    const resolved = rig.service.supervisorResolve(doubtful.id, 'approved', 'u1', 'slip found in the terminal');
    expect(resolved.state).toBe('approved');
    expect(again.journal.row(doubtful.id)!.resolution).toMatchObject({ by: 'u1', decision: 'approved', before: { state: 'needs_supervisor' } });
    expect(() => rig.service.supervisorResolve(doubtful.id, 'declined', 'u1')).toThrow(PosError);
    expect(again.audit.verify().ok).toBe(true);
    again.close();
  });
});

describe('abandoned approvals', () => {
  it('an approval whose receipt was cancelled is reversed on the terminal that took it', async () => {
    const { db } = freshDb();
    seedReceipt(db, 'r1', 700_00);
    const A = new ScriptedTerminal('A');
    const B = new ScriptedTerminal('B');
    const clock = testClock();
    const { service } = paymentRig(db, { A, B }, clock);
    const paid = await service.startCardPayment('r1', 700_00, 'B');
    expect(paid.state).toBe('approved');
    clock.advance(1000);
    db.receipts.setStatus('r1', 'cancelled', clock.nowIso());

    const handled = await service.abandonedApprovals();
    expect(handled).toEqual([expect.objectContaining({ id: paid.id, state: 'cancelled' })]);
    expect(A.performed).toHaveLength(0);
    expect(B.performed.map((p) => [p.request.kind, p.request.amountKopecks, p.request.original?.rrn])).toEqual([
      ['purchase', 700_00, undefined], ['cancel', 700_00, 'B-RRN-1'],
    ]);
    const ops = service.operationsFor('r1');
    expect(ops.map((o) => [o.kind, o.state, o.originalId])).toEqual([['purchase', 'cancelled', null], ['cancel', 'approved', paid.id]]);
    expect(await service.abandonedApprovals()).toEqual([]);
    db.close();
  });

  it('an approval that cannot be reversed (the terminal declines) is put before a supervisor, never forgotten', async () => {
    const { db } = freshDb();
    seedReceipt(db, 'r1', 100_00);
    const A = new ScriptedTerminal('A');
    const clock = testClock();
    const { service } = paymentRig(db, { A }, clock);
    const paid = await service.startCardPayment('r1', 100_00);
    db.receipts.setStatus('r1', 'cancelled', clock.nowIso());
    A.script.push('decline');
    const [handled] = await service.abandonedApprovals();
    expect(handled).toMatchObject({ id: paid.id, state: 'needs_supervisor', attention: expect.stringMatching(/abandoned approval/), approved: { rrn: 'A-RRN-1' } });
    expect(service.attention().map((o) => o.id)).toEqual([paid.id]);
    db.close();
  });

  it('a reversal in doubt is never sent again: the approval goes to a supervisor instead', async () => {
    const { db } = freshDb();
    seedReceipt(db, 'r1', 100_00);
    const A = new ScriptedTerminal('A');
    const clock = testClock();
    const { service } = paymentRig(db, { A }, clock, { enquiryAttempts: 1 });
    const paid = await service.startCardPayment('r1', 100_00);
    db.receipts.setStatus('r1', 'cancelled', clock.nowIso());
    A.script.push('approveThenThrow');
    A.lastOperation = async () => null; // the terminal cannot say: the cancel goes to a supervisor
    const [handled] = await service.abandonedApprovals();
    expect(handled).toMatchObject({ id: paid.id, state: 'needs_supervisor' });
    const cancel = service.operationsFor('r1').find((o) => o.kind === 'cancel')!;
    expect(cancel.state).toBe('needs_supervisor');
    expect((await rejection(service.cancel(paid.id))).details).toMatchObject({ reason: 'a reversal is done or in doubt' });
    expect(A.performed.filter((p) => p.request.kind === 'cancel')).toHaveLength(1);
    // The supervisor confirms the reversal went through: the purchase is cancelled.
    service.supervisorResolve(cancel.id, 'approved', 'u1');
    expect(service.operation(paid.id)!.state).toBe('cancelled');
    db.close();
  });

  it('a reversal that never reached the terminal is sent again at once, not put before a supervisor', async () => {
    const { db } = freshDb();
    seedReceipt(db, 'r1', 100_00);
    const A = new ScriptedTerminal('A');
    const clock = testClock();
    const { service } = paymentRig(db, { A }, clock);
    const paid = await service.startCardPayment('r1', 100_00);
    db.receipts.setStatus('r1', 'cancelled', clock.nowIso());
    A.script.push('lostBeforeTerminal'); // the terminal's report still shows the purchase: the reversal never arrived
    const [handled] = await service.abandonedApprovals();
    expect(handled).toMatchObject({ id: paid.id, state: 'cancelled' });
    expect(service.operationsFor('r1').map((o) => [o.kind, o.state, o.outcome?.code ?? null])).toEqual([
      ['purchase', 'cancelled', null], ['cancel', 'declined', 'NOT_PERFORMED'], ['cancel', 'approved', null]]);
    expect(A.performed.filter((p) => p.request.kind === 'cancel')).toHaveLength(1);
    db.close();
  });

  it('two rounds at once: an approval the other round already reversed is left alone, not sent to a supervisor', async () => {
    const { db } = freshDb();
    seedReceipt(db, 'r0', 100_00);
    seedReceipt(db, 'r1', 200_00);
    const A = new ScriptedTerminal('A');
    const B = new ScriptedTerminal('B');
    const clock = testClock();
    const { service } = paymentRig(db, { A, B }, clock);
    const p0 = await service.startCardPayment('r0', 100_00, 'B');
    clock.advance(10);
    const p1 = await service.startCardPayment('r1', 200_00, 'A');
    db.receipts.setStatus('r0', 'cancelled', clock.nowIso());
    db.receipts.setStatus('r1', 'cancelled', clock.nowIso());
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => { open = resolve; });
    const runB = B.run.bind(B);
    B.run = async (request, progress) => { await gate; return runB(request, progress); };
    const slow = service.abandonedApprovals(); // reads [p0, p1], then waits on B's reversal of p0
    await service.abandonedApprovals(); // p0's terminal is busy: skipped; p1 reversed on A
    expect(service.operation(p1.id)!.state).toBe('cancelled');
    open();
    await slow; // reaches p1 on its stale list
    expect([service.operation(p0.id)!.state, service.operation(p1.id)!.state]).toEqual(['cancelled', 'cancelled']);
    expect(service.attention()).toEqual([]);
    db.close();
  });

  it('an approval on a receipt still open is left alone', async () => {
    const { db } = freshDb();
    seedReceipt(db, 'r1', 100_00);
    const A = new ScriptedTerminal('A');
    const { service } = paymentRig(db, { A }, testClock());
    await service.startCardPayment('r1', 100_00);
    expect(await service.abandonedApprovals()).toEqual([]);
    expect(A.performed).toHaveLength(1);
    db.close();
  });
});

describe('two terminals', () => {
  it('terminal A down: routing picks B, and A is reported down', async () => {
    const { db } = freshDb();
    seedReceipt(db, 'r1', 100_00);
    const A = new ScriptedTerminal('A');
    const B = new ScriptedTerminal('B');
    A.down = true;
    const { service } = paymentRig(db, { A, B }, testClock());
    const op = await service.startCardPayment('r1', 100_00);
    expect(op).toMatchObject({ terminalId: 'B', state: 'approved' });
    expect(service.terminalStatus().find((t) => t.id === 'A')).toMatchObject({ up: false, message: 'no link' });
    // The cashier choosing A while it is down gets a clear refusal, not a silent switch.
    seedReceipt(db, 'r2', 100_00);
    expect((await rejection(service.startCardPayment('r2', 100_00, 'A'))).details).toMatchObject({ code: 'terminalUnavailable', terminalId: 'A' });
    db.close();
  });

  it('an operation that certainly did not start on A (TerminalError) falls back to B', async () => {
    const { db } = freshDb();
    seedReceipt(db, 'r1', 100_00);
    const A = new ScriptedTerminal('A');
    const B = new ScriptedTerminal('B');
    A.script.push('unavailable');
    const { service } = paymentRig(db, { A, B }, testClock());
    const op = await service.startCardPayment('r1', 100_00);
    expect(op).toMatchObject({ terminalId: 'B', state: 'approved' });
    expect(service.operationsFor('r1').map((o) => [o.terminalId, o.state, o.outcome?.code ?? null]))
      .toEqual([['A', 'declined', 'NOT_STARTED'], ['B', 'approved', null]]);
    db.close();
  });

  it('two payments racing for one receipt on both terminals: only one is charged', async () => {
    const { db } = freshDb();
    seedReceipt(db, 'r1', 100_00);
    const A = new ScriptedTerminal('A');
    const B = new ScriptedTerminal('B');
    const { service } = paymentRig(db, { A, B }, testClock());
    await service.recover();
    const results = await Promise.allSettled([service.startCardPayment('r1', 100_00), service.startCardPayment('r1', 100_00)]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'LIMIT_EXCEEDED' } });
    expect(A.performed.length + B.performed.length).toBe(1);
    db.close();
  });

  it('routing rules: MIR-only terminal for MIR, amount band for the other', async () => {
    const { db } = freshDb([]);
    db.journal.saveTerminal(terminalConfig('A', { priority: 0, cardTypes: ['MIR'] }));
    db.journal.saveTerminal(terminalConfig('B', { priority: 1, maxAmountKopecks: 50_000_00 }));
    seedReceipt(db, 'r1', 200_00);
    const { service } = paymentRig(db, { A: new ScriptedTerminal('A'), B: new ScriptedTerminal('B') }, testClock());
    expect((await service.startCardPayment('r1', 100_00, undefined, { cardType: 'VISA' })).terminalId).toBe('B');
    expect((await service.startCardPayment('r1', 100_00, undefined, { cardType: 'mir' })).terminalId).toBe('A');
    db.close();
  });

  it('an operation in doubt blocks its terminal, and the other one keeps selling', async () => {
    const { db } = freshDb();
    seedReceipt(db, 'r1', 100_00);
    seedReceipt(db, 'r2', 100_00);
    const A = new ScriptedTerminal('A');
    const B = new ScriptedTerminal('B');
    const { service } = paymentRig(db, { A, B }, testClock(), { enquiryAttempts: 1 });
    A.script.push('approveThenThrow');
    A.down = false;
    const original = A.lastOperation.bind(A);
    A.lastOperation = async () => { throw new Error('no answer'); };
    const doubtful = await service.startCardPayment('r1', 100_00, 'A');
    expect(doubtful.state).toBe('unknown');
    const other = await service.startCardPayment('r2', 100_00);
    expect(other.terminalId).toBe('B');
    A.lastOperation = original;
    const report = await service.recover();
    expect(report.resolved.map((o) => [o.id, o.state])).toEqual([[doubtful.id, 'approved']]);
    db.close();
  });
});

describe('refunds, cancels and settlement', () => {
  it('partial refunds go to the terminal that took the payment and never add up to more than it', async () => {
    const { db } = freshDb();
    seedReceipt(db, 'r1', 1000_00);
    const A = new ScriptedTerminal('A');
    const B = new ScriptedTerminal('B');
    const { service } = paymentRig(db, { A, B }, testClock());
    const paid = await service.startCardPayment('r1', 1000_00, 'B');
    expect((await service.refund(paid.id, 400_00)).state).toBe('approved');
    expect((await service.refund(paid.id, 500_00)).state).toBe('approved');
    const e = await rejection(service.refund(paid.id, 100_01));
    expect(e).toMatchObject({ code: 'LIMIT_EXCEEDED', details: { leftKopecks: 100_00 } });
    expect((await service.refund(paid.id, 100_00)).state).toBe('approved');
    expect((await rejection(service.refund(paid.id, 1))).code).toBe('LIMIT_EXCEEDED');
    expect(A.performed).toHaveLength(0);
    expect(B.performed.filter((p) => p.request.kind === 'refund').map((p) => [p.request.amountKopecks, p.request.original?.rrn]))
      .toEqual([[400_00, 'B-RRN-1'], [500_00, 'B-RRN-1'], [100_00, 'B-RRN-1']]);
    // A partly refunded purchase is not cancelled any more.
    expect((await rejection(service.cancel(paid.id))).code).toBe('INVALID_STATE');
    db.close();
  });

  it('a refund in doubt counts against the purchase until it is resolved', async () => {
    const { db } = freshDb();
    seedReceipt(db, 'r1', 100_00);
    const A = new ScriptedTerminal('A');
    const { service } = paymentRig(db, { A }, testClock(), { enquiryAttempts: 1 });
    const paid = await service.startCardPayment('r1', 100_00);
    A.lastOperation = async () => null;
    A.script.push('approveThenThrow');
    const doubtful = await service.refund(paid.id, 60_00);
    expect(doubtful.state).toBe('needs_supervisor');
    expect((await rejection(service.refund(paid.id, 40_01))).code).toBe('LIMIT_EXCEEDED');
    db.close();
  });

  it('settles every enabled terminal at shift close and keeps each report; after settlement a cancel must be a refund', async () => {
    const { db } = freshDb(['A', 'B', 'C']);
    db.journal.saveTerminal(terminalConfig('C', {}, false));
    seedReceipt(db, 'r1', 100_00);
    const A = new ScriptedTerminal('A');
    const B = new ScriptedTerminal('B');
    const clock = testClock();
    const { service } = paymentRig(db, { A, B, C: new ScriptedTerminal('C') }, clock);
    const paid = await service.startCardPayment('r1', 100_00, 'A');
    clock.advance(60_000);
    B.down = true;
    const settled = await service.settleAll('sh1', 'u1');
    expect(settled.map((s) => [s.terminalId, s.ok])).toEqual([['A', true], ['B', false]]);
    expect(db.journal.settlements('sh1')).toEqual(settled);
    expect(settled[0]!.slip).toEqual(['СВЕРКА ИТОГОВ A', 'ОПЕРАЦИЙ: 1', 'ИТОГИ СОВПАЛИ']);
    expect(settled[1]!.message).toMatch(/no link/);
    expect(A.settlements).toBe(1);
    expect((await rejection(service.cancel(paid.id))).message).toMatch(/refund/);
    expect((await service.refund(paid.id, 100_00)).state).toBe('approved');
    expect(db.audit.verify().ok).toBe(true);
    db.close();
  });

  it('does not settle a terminal with an operation in doubt', async () => {
    const { db } = freshDb(['A']);
    seedReceipt(db, 'r1', 100_00);
    const A = new ScriptedTerminal('A');
    const { service } = paymentRig(db, { A }, testClock(), { enquiryAttempts: 1 });
    A.script.push('approveThenThrow');
    A.lastOperation = async () => { throw new Error('no answer'); };
    expect((await service.startCardPayment('r1', 100_00)).state).toBe('unknown');
    const [s] = await service.settleAll('sh1');
    expect(s).toMatchObject({ terminalId: 'A', ok: false, message: expect.stringMatching(/in doubt/) });
    expect(A.settlements).toBe(0);
    db.close();
  });
});
