import { describe, expect, it } from 'vitest';
import {
  applyTenders, DEFAULT_BONUS_FFD_KIND, DEFAULT_INTERNAL_FFD_KIND, FFD_PAYMENT_TAG, ffdKindOf, ffdPaymentSums, remainderKopecks,
  type Tender, type TenderFfdConfig,
} from '../../../src-main/domain/payment-split';

const config: TenderFfdConfig = {
  internalKinds: { gift: DEFAULT_INTERNAL_FFD_KIND.giftCertificate, credit: DEFAULT_INTERNAL_FFD_KIND.credit, staff: DEFAULT_INTERNAL_FFD_KIND.employeeAccount },
  bonusKind: DEFAULT_BONUS_FFD_KIND,
};

describe('a payment split', () => {
  it('cash, two cards, a certificate and bonus points cover the total exactly', () => {
    const tenders: Tender[] = [
      { kind: 'card', amountKopecks: 30_000, terminalId: 'A' },
      { kind: 'card', amountKopecks: 20_000, terminalId: 'B' },
      { kind: 'internal', amountKopecks: 10_000, typeId: 'gift' },
      { kind: 'bonus', amountKopecks: 5_000 },
      { kind: 'cash', amountKopecks: 50_000 },
    ];
    const r = applyTenders(100_000, tenders);
    expect(r).toMatchObject({ ok: true, complete: true, remainderKopecks: 0, changeKopecks: 15_000, paidKopecks: 100_000 });
    if (!r.ok) throw new Error();
    expect(r.applied.map((t) => t.appliedKopecks)).toEqual([30_000, 20_000, 10_000, 5_000, 35_000]);
    expect(ffdPaymentSums(r.applied, config)).toEqual({
      cashKopecks: 35_000, electronicKopecks: 50_000, prepaymentKopecks: 15_000, postpaymentKopecks: 0, considerationKopecks: 0,
    });
  });

  it('a partial split leaves a remainder and is not complete', () => {
    const r = applyTenders(10_000, [{ kind: 'card', amountKopecks: 4_000, terminalId: 'A' }]);
    expect(r).toMatchObject({ ok: true, complete: false, remainderKopecks: 6_000, changeKopecks: 0 });
    expect(remainderKopecks(10_000, [])).toBe(10_000);
  });

  it('gives change only from cash, and only as the last tender', () => {
    expect(applyTenders(10_000, [{ kind: 'cash', amountKopecks: 20_000 }, { kind: 'card', amountKopecks: 1, terminalId: 'A' }]))
      .toEqual({ ok: false, problem: { code: 'changeNotLast', index: 0 } });
    expect(applyTenders(10_000, [{ kind: 'card', amountKopecks: 10_001, terminalId: 'A' }]))
      .toEqual({ ok: false, problem: { code: 'exceedsRemainder', index: 0, remainderKopecks: 10_000 } });
    expect(applyTenders(10_000, [{ kind: 'cash', amountKopecks: 4_000 }, { kind: 'internal', amountKopecks: 7_000, typeId: 'gift' }]))
      .toEqual({ ok: false, problem: { code: 'exceedsRemainder', index: 1, remainderKopecks: 6_000 } });
    expect(applyTenders(10_000, [{ kind: 'bonus', amountKopecks: 10_001 }]).ok).toBe(false);
  });

  it('refuses zero, negative and fractional amounts, and tenders after the receipt is paid', () => {
    expect(applyTenders(100, [{ kind: 'cash', amountKopecks: 0 }])).toEqual({ ok: false, problem: { code: 'badAmount', index: 0 } });
    expect(applyTenders(100, [{ kind: 'cash', amountKopecks: -5 }]).ok).toBe(false);
    expect(applyTenders(100, [{ kind: 'cash', amountKopecks: 1.5 }]).ok).toBe(false);
    expect(applyTenders(100, [{ kind: 'card', amountKopecks: 100, terminalId: 'A' }, { kind: 'cash', amountKopecks: 10 }]))
      .toEqual({ ok: false, problem: { code: 'alreadyPaid', index: 1 } });
    expect(() => remainderKopecks(100, [{ kind: 'cash', amountKopecks: 0 }])).toThrow(RangeError);
    expect(() => applyTenders(-1, [])).toThrow(RangeError);
  });

  it('maps each tender to its FFD payment sum', () => {
    expect(FFD_PAYMENT_TAG).toEqual({ cash: 1031, electronic: 1081, prepayment: 1215, postpayment: 1216, counterProvision: 1217 });
    expect(ffdKindOf({ kind: 'cash', amountKopecks: 1 }, config)).toBe('cash');
    expect(ffdKindOf({ kind: 'card', amountKopecks: 1, terminalId: 'A' }, config)).toBe('electronic');
    expect(ffdKindOf({ kind: 'internal', amountKopecks: 1, typeId: 'gift' }, config)).toBe('prepayment');
    expect(ffdKindOf({ kind: 'internal', amountKopecks: 1, typeId: 'credit' }, config)).toBe('postpayment');
    expect(ffdKindOf({ kind: 'internal', amountKopecks: 1, typeId: 'staff' }, config)).toBe('counterProvision');
    expect(ffdKindOf({ kind: 'bonus', amountKopecks: 1 }, config)).toBe('prepayment');
    expect(ffdKindOf({ kind: 'bonus', amountKopecks: 1 }, { ...config, bonusKind: 'counterProvision' })).toBe('counterProvision');
    expect(() => ffdKindOf({ kind: 'internal', amountKopecks: 1, typeId: 'nope' }, config)).toThrow(/unknown internal/);
  });

  it('credit and an employee account land in 1216 and 1217, and the sums add up to the total', () => {
    const r = applyTenders(9_999, [
      { kind: 'internal', amountKopecks: 3_333, typeId: 'credit' },
      { kind: 'internal', amountKopecks: 3_333, typeId: 'staff' },
      { kind: 'cash', amountKopecks: 3_333 },
    ]);
    if (!r.ok) throw new Error('split refused');
    const sums = ffdPaymentSums(r.applied, config);
    expect(sums).toMatchObject({ postpaymentKopecks: 3_333, considerationKopecks: 3_333, cashKopecks: 3_333 });
    expect(Object.values(sums).reduce((a, b) => a + b, 0)).toBe(9_999);
  });
});
