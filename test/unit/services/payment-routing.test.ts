import { describe, expect, it } from 'vitest';
import type { PaymentTerminalConfig } from '../../../src-main/contract/payment-model';
import { accepts, routeCardPayment } from '../../../src-main/services/payment/routing';

const t = (id: string, routing: PaymentTerminalConfig['routing'] = {}, enabled = true): PaymentTerminalConfig =>
  ({ id, name: id, protocol: 'upos', connection: {}, role: id, routing, enabled });
const all = () => true;

describe('routing a card payment', () => {
  it('orders the terminals that accept the payment by priority, then id', () => {
    const r = routeCardPayment([t('B', { priority: 1 }), t('A', { priority: 1 }), t('C', { priority: 0 })], { amountKopecks: 100 }, all);
    expect(r.ok && r.candidates.map((c) => c.id)).toEqual(['C', 'A', 'B']);
  });

  it('skips disabled terminals and terminals that are down', () => {
    const r = routeCardPayment([t('A'), t('B'), t('C', {}, false)], { amountKopecks: 100 }, (id) => id !== 'A');
    expect(r.ok && r.candidates.map((c) => c.id)).toEqual(['B']);
    expect(routeCardPayment([t('A')], { amountKopecks: 100 }, () => false)).toEqual({ ok: false, code: 'noTerminal' });
  });

  it('picks by card type, amount band and method', () => {
    const terminals = [t('MIR', { cardTypes: ['MIR'], methods: ['card'] }), t('BIG', { minAmountKopecks: 100_000_00, priority: 1 }), t('SBP', { methods: ['sbp'] })];
    const pick = (req: Parameters<typeof routeCardPayment>[1]) => {
      const r = routeCardPayment(terminals, req, all);
      return r.ok ? r.candidates.map((c) => c.id) : r.code;
    };
    expect(pick({ amountKopecks: 500_00, cardType: 'VISA' })).toBe('noTerminal');
    expect(pick({ amountKopecks: 500_00, cardType: 'Mir' })).toEqual(['MIR']);
    expect(pick({ amountKopecks: 200_000_00 })).toEqual(['MIR', 'BIG']);
    expect(pick({ amountKopecks: 500_00, method: 'sbp' })).toEqual(['SBP']);
  });

  it("honours the cashier's choice and never substitutes another terminal for it", () => {
    const terminals = [t('A'), t('B'), t('X', {}, false)];
    expect(routeCardPayment(terminals, { amountKopecks: 1, terminalId: 'B' }, all)).toEqual({ ok: true, candidates: [terminals[1]] });
    expect(routeCardPayment(terminals, { amountKopecks: 1, terminalId: 'A' }, (id) => id !== 'A'))
      .toEqual({ ok: false, code: 'terminalUnavailable', terminalId: 'A' });
    expect(routeCardPayment(terminals, { amountKopecks: 1, terminalId: 'X' }, all)).toEqual({ ok: false, code: 'terminalDisabled', terminalId: 'X' });
    expect(routeCardPayment(terminals, { amountKopecks: 1, terminalId: 'Z' }, all)).toEqual({ ok: false, code: 'unknownTerminal', terminalId: 'Z' });
  });

  it('absent rules accept everything', () => {
    expect(accepts({}, { amountKopecks: 0, method: 'anything', cardType: 'JCB' })).toBe(true);
    expect(accepts({ maxAmountKopecks: 99 }, { amountKopecks: 100 })).toBe(false);
  });
});
