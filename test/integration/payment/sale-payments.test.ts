// Closing a mixed receipt: the payments the sale keeps, cash change, and the FFD payment sums, built from
// approved card operations in the journal, the administrator's internal payment types and bonus holds.
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { PosError } from '../../../src-main/contract';
import { salePayments } from '../../../src-main/services/payment/sale-payments';
import type { TenderHold } from '../../../src-main/services/payment/tender-backing';
import { openPaymentDb, paymentRig, ScriptedTerminal, seedReceipt, tempDir, terminalConfig, testClock } from './helpers';

const dir = tempDir('prilavok-sale-payments-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function thrown(fn: () => unknown): PosError {
  try { fn(); } catch (error) { if (error instanceof PosError) return error; throw error; }
  throw new Error('expected a PosError');
}

describe('the payments of a mixed sale', () => {
  it('cash with change, a card on A, a card on B, a gift certificate, credit and bonus points', async () => {
    const db = openPaymentDb(join(dir, 'mixed.sqlite'));
    db.journal.saveTerminal(terminalConfig('A'));
    db.journal.saveTerminal(terminalConfig('B'));
    db.journal.saveInternalType({ id: 'gift', name: 'Подарочный сертификат', ffdKind: 'prepayment', enabled: true });
    db.journal.saveInternalType({ id: 'credit', name: 'В кредит', ffdKind: 'postpayment', enabled: true });
    db.journal.saveInternalType({ id: 'old', name: 'Бартер', ffdKind: 'counterProvision', enabled: false });
    seedReceipt(db, 'r1', 1000_00);
    const { service } = paymentRig(db, { A: new ScriptedTerminal('A'), B: new ScriptedTerminal('B') }, testClock());
    const a = await service.startCardPayment('r1', 300_00, 'A');
    const b = await service.startCardPayment('r1', 200_00, 'B');
    const holds: Record<string, TenderHold> = { h1: { holdId: 'h1', receiptId: 'r1', amountKopecks: 50_00, display: 'Бонусы' } };
    const heldBonus = (id: string) => holds[id] ?? null;

    const result = salePayments(db.journal, 'r1', 1000_00, [
      { kind: 'cash', tenderedKopecks: 500_00 },
      { kind: 'card', operationId: a.id },
      { kind: 'internal', typeId: 'gift', amountKopecks: 100_00, reference: 'GC-0001' },
      { kind: 'card', operationId: b.id },
      { kind: 'internal', typeId: 'credit', amountKopecks: 100_00 },
      { kind: 'bonus', amountKopecks: 50_00, holdId: 'h1' },
    ], { heldBonus });
    expect(result.ffd).toEqual({ cashKopecks: 250_00, electronicKopecks: 500_00, prepaymentKopecks: 150_00, postpaymentKopecks: 100_00, considerationKopecks: 0 });
    expect(result).toMatchObject({ tenderedKopecks: 500_00, changeKopecks: 250_00, cardOperationIds: [a.id, b.id], bonusHoldIds: ['h1'] });
    expect(result.payments).toEqual([
      expect.objectContaining({ method: 'card', amountKopecks: 300_00, terminalId: 'A', operationId: a.id, rrn: 'A-RRN-1', slip: expect.arrayContaining(['ОДОБРЕНО']) }),
      { method: 'internal', amountKopecks: 100_00, typeId: 'gift', typeName: 'Подарочный сертификат', ffdKind: 'prepayment', reference: 'GC-0001' },
      expect.objectContaining({ method: 'card', amountKopecks: 200_00, terminalId: 'B', rrn: 'B-RRN-1' }),
      { method: 'internal', amountKopecks: 100_00, typeId: 'credit', typeName: 'В кредит', ffdKind: 'postpayment', reference: null },
      { method: 'bonus', amountKopecks: 50_00, ffdKind: 'prepayment', holdId: 'h1' },
      { method: 'cash', amountKopecks: 250_00, tenderedKopecks: 500_00, changeKopecks: 250_00 },
    ]);

    // Refusals: a card left out, short payment, a disabled type, a bonus not held, an overpaying non-cash tender.
    expect(thrown(() => salePayments(db.journal, 'r1', 1000_00, [{ kind: 'card', operationId: a.id }, { kind: 'cash', tenderedKopecks: 700_00 }])).details)
      .toMatchObject({ problem: 'cardLeftOut', operationIds: [b.id] });
    expect(thrown(() => salePayments(db.journal, 'r1', 1000_00, [{ kind: 'card', operationId: a.id }, { kind: 'card', operationId: b.id }])).code).toBe('INSUFFICIENT_TENDER');
    expect(thrown(() => salePayments(db.journal, 'r1', 1000_00, [{ kind: 'card', operationId: a.id }, { kind: 'card', operationId: b.id },
      { kind: 'internal', typeId: 'old', amountKopecks: 500_00 }])).details).toMatchObject({ problem: 'unknownInternalType' });
    expect(thrown(() => salePayments(db.journal, 'r1', 1000_00, [{ kind: 'card', operationId: a.id }, { kind: 'card', operationId: b.id },
      { kind: 'bonus', amountKopecks: 500_00, holdId: 'h1' }], { heldBonus })).details).toMatchObject({ problem: 'bonusNotHeld' });
    expect(thrown(() => salePayments(db.journal, 'r1', 1000_00, [{ kind: 'card', operationId: a.id }, { kind: 'card', operationId: b.id },
      { kind: 'internal', typeId: 'gift', amountKopecks: 600_00 }])).details).toMatchObject({ problem: 'exceedsRemainder' });

    // In the sale's transaction the card operations become the sale's, once.
    db.db.exec(`INSERT INTO sales VALUES ('s1', 'r1', 1, 'sh1', '2026-11-23T09:10:00.000Z', 'u1', 100000, 25000, '{}')`);
    db.journal.transaction(() => db.journal.attachToSale('r1', 's1', result.cardOperationIds, '2026-11-23T09:10:00.000Z'));
    expect(service.operationsFor('r1').map((o) => o.saleId)).toEqual(['s1', 's1']);
    expect(() => db.journal.transaction(() => db.journal.attachToSale('r1', 's1', [a.id], 'x'))).toThrow(/not an unattached/);
    // An attached approval is not abandoned when the receipt closes.
    db.receipts.setStatus('r1', 'closed', '2026-11-23T09:10:00.000Z');
    expect(await service.abandonedApprovals()).toEqual([]);
    db.close();
  });
});
