import { describe, expect, it } from 'vitest';
import type { Sale } from '../../../src-main/contract';
import { priceLine, receiptTotals, voided } from '../../../src-main/domain/receipt';
import { fiscalReceiptFromSale, isGtin13, paymentsBalance, TAX_SYSTEM, VAT_TAG_1199 } from '../../../src-main/domain/fiscal-receipt';

const base = { barcode: null, unit: 'piece' as const, weighed: false, marking: null, ageLimit: null };
function sale(): Sale {
  const lines = [
    priceLine('l1', { ...base, productId: 'milk', name: 'Молоко', barcode: '4600000000015', priceKopecks: 8990, vat: 'vat10', quantityMilli: 1000, marking: 'dairy' }),
    priceLine('l2', { ...base, productId: 'apples', name: 'Яблоки', unit: 'kg', weighed: true, priceKopecks: 14990, vat: 'vat10', quantityMilli: 1250 }),
    priceLine('l3', { ...base, productId: 'cig', name: 'Сигареты', priceKopecks: 21500, vat: 'vat22', quantityMilli: 1000, marking: 'tobacco', ageLimit: 18 }),
    voided(priceLine('l4', { ...base, productId: 'bag', name: 'Пакет', priceKopecks: 500, vat: 'vat22', quantityMilli: 1000 })),
  ];
  const totals = receiptTotals(lines);
  return {
    id: 's1', receiptId: 'r1', number: 1, shiftId: 'sh', closedAt: '2026-11-23T10:00:00Z', cashier: { id: 'u', name: 'Иванова М.', role: 'cashier' },
    lines, totals, payments: [{ method: 'cash', amountKopecks: totals.totalKopecks }], tenderedKopecks: 50000, changeKopecks: 50000 - totals.totalKopecks, fiscalState: 'pending',
  };
}

describe('a sale as an FFD 1.2 receipt', () => {
  it('maps VAT, measure, item type and product code per line and leaves voided lines out', () => {
    const r = fiscalReceiptFromSale(sale(), { taxSystem: TAX_SYSTEM.osn });
    expect(r.items.map((i) => i.name)).toEqual(['Молоко', 'Яблоки', 'Сигареты']);
    expect(r.items.map((i) => i.vatTag)).toEqual([2, 2, 11]);
    expect(r.items.map((i) => i.measure)).toEqual([0, 11, 0]);
    expect(r.items.map((i) => i.itemType)).toEqual([33, 1, 31]);
    expect(r.items[0]!.gtin).toBe('4600000000015');
    expect(r.items[1]).toMatchObject({ quantityMilli: 1250, amountKopecks: 18738 });
    expect(r).toMatchObject({ sign: 1, taxSystem: 1, cashierName: 'Иванова М.' });
  });

  it('pays exactly the total in cash (1031), not what the customer handed over', () => {
    const s = sale();
    const r = fiscalReceiptFromSale(s, { taxSystem: TAX_SYSTEM.usnIncome });
    expect(r.payments.cashKopecks).toBe(s.totals.totalKopecks);
    expect(paymentsBalance(r)).toBe(true);
  });

  it('has a 1199 code for every 2026 rate, 22 % as 11 and 22/122 as 12', () => {
    expect(VAT_TAG_1199.vat22).toBe(11);
    expect(VAT_TAG_1199.vat22_122).toBe(12);
    expect(new Set(Object.values(VAT_TAG_1199)).size).toBe(Object.keys(VAT_TAG_1199).length);
  });

  it('takes as a GTIN for 1302 only a 13-digit barcode with a valid check digit that is not an in-store number', () => {
    expect(isGtin13('4600000000015')).toBe(true);
    expect(isGtin13('4600000000016')).toBe(false);
    expect(isGtin13('2100001012345')).toBe(false);
    expect(isGtin13('460000000001')).toBe(false);
    const s = sale();
    const bad = { ...s, lines: s.lines.map((l) => (l.id === 'l1' ? { ...l, barcode: '4600000000016' } : l)) };
    expect(fiscalReceiptFromSale(bad, { taxSystem: TAX_SYSTEM.osn }).items[0]!.gtin).toBeNull();
  });
});
