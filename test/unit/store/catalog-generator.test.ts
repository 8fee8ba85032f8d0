import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { gtinCheckDigit } from '../../../src-main/domain/barcode';
import { CATALOG_CSV_HEADER, DEMO_BARCODES, demoCatalogCsv, ean13, generateCatalogCsv, generatedProducts } from '../../../src-main/store/catalog-generator';

describe('catalog generator', () => {
  it('computes the GS1 check digit of the demo barcodes', () => {
    expect(ean13('460000000001')).toBe('4600000000015');
    expect(DEMO_BARCODES.milk).toBe('4600000000015');
    for (const code of Object.values(DEMO_BARCODES)) {
      expect(code).toMatch(/^\d{13}$/);
      expect(Number(code[12])).toBe(gtinCheckDigit(code.slice(0, 12)));
    }
  });

  it('is deterministic for a seed and varies with it', () => {
    const a = [...generatedProducts(200, 5)];
    expect([...generatedProducts(200, 5)]).toEqual(a);
    expect([...generatedProducts(200, 6)]).not.toEqual(a);
  });

  it('makes unique valid barcodes, weighed goods with PLUs, marked and age-restricted goods', () => {
    const products = [...generatedProducts(5000, 1)];
    const codes = products.flatMap((p) => p.barcodes);
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of codes) expect(Number(c[12])).toBe(gtinCheckDigit(c.slice(0, 12)));
    const weighed = products.filter((p) => p.weighed);
    expect(weighed.length / products.length).toBeGreaterThan(0.015);
    expect(weighed.length / products.length).toBeLessThan(0.05);
    expect(weighed.every((p) => p.unit === 'kg' && p.plu !== null)).toBe(true);
    expect(new Set(weighed.map((p) => p.plu)).size).toBe(weighed.length);
    expect(products.some((p) => p.marking === 'tobacco' && p.ageLimit === 18)).toBe(true);
    expect(products.some((p) => p.marking === 'dairy')).toBe(true);
    expect(products.some((p) => p.marking === 'shoes')).toBe(true);
    const vat = products.filter((p) => p.vat === 'vat22' || p.vat === 'vat10').length;
    expect(vat).toBe(products.length);
  });

  it('writes CSV to a stream without ending it', async () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (c: Buffer) => { text += c.toString('utf8'); });
    await generateCatalogCsv(out, 1000, 3);
    expect(out.writableEnded).toBe(false);
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe(CATALOG_CSV_HEADER);
    expect(lines).toHaveLength(1001);
  });

  it('builds the demo catalog with the fixed items', () => {
    const csv = demoCatalogCsv();
    expect(csv).toContain(`demo-milk;Молоко Простоквашино 2,5% 930 мл;89.90;vat10;piece;${DEMO_BARCODES.milk}`);
    expect(csv).toContain('demo-apples;Яблоки Голден, кг;149.90;vat10;kg;;101;;;1');
    expect(csv.split('\n').length).toBeGreaterThan(3000);
  });
});
