// The Complex request's mapping to a receipt: integer money, Starrys numbering, clear refusals.
import { describe, expect, it } from 'vitest';
import { callbackAllowed } from '../../../src-main/services/fiscal-gateway/callbacks';
import { ComplexRequest, STARRYS_TAX_IDS, lineAmountKopecks, receiptFromComplex, requestHash } from '../../../src-main/services/fiscal-gateway/complex-request';

const mapping = { taxIds: { ...STARRYS_TAX_IDS, 1: 'vat22' as const }, defaultTaxMode: 2 as const, cashier: null };
const base = { RequestId: 'a', Password: 1, DocumentType: 2, Lines: [{ Qty: 333, Price: 1001, TaxId: 1, Description: 'Сыр' }], Cash: 333 };

describe('the Complex request', () => {
  it('line amounts are Qty × Price / 1000 rounded half up in integers, also beyond 2^53', () => {
    expect(lineAmountKopecks(333, 1001)).toBe(333);     // 333.333
    expect(lineAmountKopecks(1500, 1)).toBe(2);         // 1.5 → 2
    expect(lineAmountKopecks(99_999_999, 10_000_000_000)).toBe(999_999_990_000_000);
  });

  it('maps DocumentType, TaxMode default, TaxId and payments to the receipt request', () => {
    const r = receiptFromComplex(ComplexRequest.parse(base), mapping);
    expect(r).toMatchObject({ ok: true, totalKopecks: 333, receipt: { sign: 'saleReturn', taxSystem: 'usnIncome',
      items: [{ name: 'Сыр', quantityMilli: 333, priceKopecks: 1001, amountKopecks: 333, vat: 'vat22', paymentMethod: 4, itemType: 1 }],
      payments: { cashKopecks: 333, electronicKopecks: 0 } } });
  });

  it('refuses the 20 % TaxIds unless configured, naming the configuration key', () => {
    const r = receiptFromComplex(ComplexRequest.parse(base), { ...mapping, taxIds: STARRYS_TAX_IDS });
    expect(r).toMatchObject({ ok: false });
    expect((r as { problems: string[] }).problems[0]).toMatch(/taxIds/);
  });

  it('the hash ignores the password and defaults, not the content', () => {
    const h = requestHash(ComplexRequest.parse(base));
    expect(requestHash(ComplexRequest.parse({ ...base, Password: 'other', NonCash: [] }))).toBe(h);
    expect(requestHash(ComplexRequest.parse({ ...base, PhoneOrEmail: 'a@b.ru' }))).not.toBe(h);
  });

  it('callbacks go only to allowed hosts over http(s)', () => {
    expect(callbackAllowed('https://shop.example/cb', ['shop.example'])).toBe(true);
    expect(callbackAllowed('http://shop.example:8080/cb', ['shop.example:8080'])).toBe(true);
    expect(callbackAllowed('http://shop.example:8081/cb', ['shop.example:8080'])).toBe(false);
    expect(callbackAllowed('http://user:pw@shop.example/cb', ['shop.example'])).toBe(false);
    expect(callbackAllowed('file:///etc/passwd', ['shop.example'])).toBe(false);
    expect(callbackAllowed('http://169.254.169.254/', ['shop.example'])).toBe(false);
  });
});
