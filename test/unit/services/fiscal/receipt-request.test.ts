import { describe, expect, it } from 'vitest';
import type { Sale } from '../../../../src-main/contract';
import { priceLine, receiptTotals, voided } from '../../../../src-main/domain/receipt';
import { receiptForSale } from '../../../../src-main/services/fiscal/receipt-request';

const base = { barcode: null, unit: 'piece' as const, weighed: false, marking: null, ageLimit: null };
function sale(): Sale {
  const lines = [
    priceLine('l1', { ...base, productId: 'milk', name: 'Молоко', priceKopecks: 8990, vat: 'vat10', quantityMilli: 2000, marking: 'dairy' }),
    priceLine('l2', { ...base, productId: 'apples', name: 'Яблоки', unit: 'kg', weighed: true, priceKopecks: 14990, vat: 'vat22', quantityMilli: 1250 }),
    voided(priceLine('l3', { ...base, productId: 'bag', name: 'Пакет', priceKopecks: 500, vat: 'vat22', quantityMilli: 1000 })),
  ];
  const totals = receiptTotals(lines);
  return {
    id: 's1', receiptId: 'r1', number: 1, shiftId: 'sh', closedAt: '2026-11-23T10:00:00Z', cashier: { id: 'u', name: 'Иванова М.', role: 'cashier' },
    lines, totals, payments: [{ method: 'cash', amountKopecks: totals.totalKopecks }], tenderedKopecks: 100000, changeKopecks: 100000 - totals.totalKopecks, fiscalState: 'pending',
  };
}

describe('a sale as the register request', () => {
  it('keeps the domain tag values: VAT rate, unit, item type, exact amounts and the cashier', () => {
    const s = sale();
    const { request, receipt } = receiptForSale(s, { taxSystem: 2 });
    expect(request).toMatchObject({ sign: 'sale', taxSystem: 'usnIncome', cashier: { name: 'Иванова М.' } });
    expect(request.items.map((i) => [i.name, i.vat, i.unit, i.itemType, i.quantityMilli])).toEqual([
      ['Молоко', 'vat10', 'piece', 33, 2000], ['Яблоки', 'vat22', 'kg', 1, 1250]]);
    expect(request.items.reduce((n, i) => n + i.amountKopecks!, 0)).toBe(s.totals.totalKopecks);
    expect(request.payments).toMatchObject({ cashKopecks: s.totals.totalKopecks, electronicKopecks: 0 });
    expect(receipt).toMatchObject({ sign: 1, totalKopecks: s.totals.totalKopecks });
  });

  it('refuses a sale whose payments do not cover the total exactly, or that has no lines', () => {
    const s = sale();
    expect(() => receiptForSale({ ...s, payments: [{ method: 'cash', amountKopecks: 1 }] }, { taxSystem: 1 })).toThrow(/payments/);
    expect(() => receiptForSale({ ...s, lines: [] }, { taxSystem: 1 })).toThrow(/no lines/);
  });

  it('gives a line with a 13-digit GTIN its product code (1163/1302) and sends weighed lines in kilograms with their fractional quantity', () => {
    const s = sale();
    const withGtin = { ...s, lines: s.lines.map((l) => (l.id === 'l1' ? { ...l, barcode: '4600000000015' } : l.id === 'l2' ? { ...l, barcode: '2100001012345' } : l)) };
    const { request } = receiptForSale(withGtin, { taxSystem: 1 });
    expect(request.items[0]).toMatchObject({ productCode: { gtin: '4600000000015' }, unit: 'piece' });
    // A scale label (prefix 2, in-store) is not a GTIN: no product code, but kilograms and 1.250.
    expect(request.items[1]).toMatchObject({ unit: 'kg', quantityMilli: 1250 });
    expect(request.items[1]!.productCode).toBeUndefined();
  });
});
