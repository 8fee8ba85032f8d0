import { describe, expect, it } from 'vitest';
import { planRefund, returnFfdPayments, type CardPaid } from '../../../src-main/domain/return-refund-plan';

const card = (id: string, paidKopecks: number, refundedElsewhereKopecks = 0): CardPaid =>
  ({ purchaseOperationId: id, terminalId: `terminal-${id}`, cardMasked: '**** 1234', paidKopecks, refundedElsewhereKopecks });

describe('the refund of a return', () => {
  it('goes back to the card that paid, the rest in cash', () => {
    const plan = planRefund(10_000, [card('a', 6_000)]);
    expect(plan.cards.map((c) => [c.card.purchaseOperationId, c.amountKopecks])).toEqual([['a', 6_000]]);
    expect(plan.cashKopecks).toBe(4_000);
  });

  it('a partial return of a card sale goes to the card alone', () => {
    const plan = planRefund(5_400, [card('a', 10_300)]);
    expect(plan.cards.map((c) => c.amountKopecks)).toEqual([5_400]);
    expect(plan.cashKopecks).toBe(0);
  });

  it('fills the cards in the order they paid, each up to what it paid', () => {
    const plan = planRefund(9_000, [card('a', 3_000), card('b', 5_000), card('c', 5_000)]);
    expect(plan.cards.map((c) => [c.card.purchaseOperationId, c.amountKopecks])).toEqual([['a', 3_000], ['b', 5_000], ['c', 1_000]]);
    expect(plan.cashKopecks).toBe(0);
  });

  it('never refunds a card twice: what earlier returns gave back to it is taken off', () => {
    const plan = planRefund(6_000, [card('a', 5_000, 4_000), card('b', 2_000, 2_000)]);
    expect(plan.cards.map((c) => [c.card.purchaseOperationId, c.amountKopecks])).toEqual([['a', 1_000]]);
    expect(plan.cashKopecks).toBe(5_000);
  });

  it('a cash sale is refunded in cash; nothing to refund is nothing', () => {
    expect(planRefund(4_900, [])).toEqual({ cards: [], cashKopecks: 4_900 });
    expect(planRefund(0, [card('a', 100)])).toEqual({ cards: [], cashKopecks: 0 });
  });

  it('refuses a total that is not a whole, non-negative number of kopecks', () => {
    expect(() => planRefund(-1, [])).toThrow(RangeError);
    expect(() => planRefund(1.5, [])).toThrow(RangeError);
  });

  it('puts cash in 1031 and cards in 1081', () => {
    expect(returnFfdPayments(4_000, 6_000)).toEqual({ cashKopecks: 4_000, electronicKopecks: 6_000, prepaymentKopecks: 0, postpaymentKopecks: 0, considerationKopecks: 0 });
  });
});
