import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../src-main/store/database';
import { importCatalogCsv, MAX_REPORTED_ERRORS } from '../../../src-main/store/catalog-import';
import { CatalogRepository } from '../../../src-main/store/catalog-repository';
import { CATALOG_CSV_HEADER, DEMO_BARCODES, demoCatalogCsv, generateCatalogCsv } from '../../../src-main/store/catalog-generator';

let dir: string;
let db: Database;
let repo: CatalogRepository;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prilavok-catalog-'));
  db = openDatabase(path.join(dir, 'catalog.sqlite'), 'catalog');
  repo = new CatalogRepository(db);
});
afterEach(() => {
  if (db.open) db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function writeFile(name: string, text: string | Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

describe('catalog CSV import', () => {
  it('imports the good rows and reports each bad one with its line number', async () => {
    const csv = [
      CATALOG_CSV_HEADER,
      'p1;Молоко Домик в деревне 3,2% 930 мл;99.90;10;piece;4607001770016;;dairy;;0', // 2
      'p2;;10.00;22;piece;;;;;0', //                                                   3 missing name
      'p3;Хлеб;abc;10;piece;;;;;0', //                                                  4 bad price
      'p4;Вода;10.00;20;piece;;;;;0', //                                                5 unknown vat
      'p5;Кефир;10.00;10;piece;4607001770016;;;;0', //                                 6 duplicate barcode
      'p6;Сыр;10.00;10;piece', //                                                        7 wrong column count
      '',
      'p7;Бананы, кг;129,90;10;kg;;4011;;;1', //                                        9
      'p8;Груши, кг;99.00;10;kg;;4011;;;1', //                                          10 duplicate PLU
      'p1;Дубль;1.00;10;piece;;;;;0', //                                                11 duplicate id
      'p9;Сигареты;199.00;22;piece;4600000000992|4600000000985;;cigarettes;18;0', //   12 unknown marking
    ].join('\n');
    const result = await importCatalogCsv(db, writeFile('bad.csv', csv), { replace: true });
    expect(result.imported).toBe(2);
    expect(result.errorCount).toBe(8);
    expect(result.errors.map((e) => e.line)).toEqual([3, 4, 5, 6, 7, 10, 11, 12]);
    const message = (line: number) => result.errors.find((e) => e.line === line)!.message;
    expect(message(3)).toMatch(/missing name/);
    expect(message(4)).toMatch(/bad price "abc"/);
    expect(message(5)).toMatch(/unknown VAT rate "20"/);
    expect(message(6)).toMatch(/duplicate barcode 4607001770016.*p1/);
    expect(message(7)).toMatch(/wrong column count: expected 10, found 5/);
    expect(message(10)).toMatch(/duplicate PLU 4011/);
    expect(message(11)).toMatch(/duplicate id "p1"/);
    expect(message(12)).toMatch(/unknown marking group/);
    expect(repo.byBarcode('4607001770016')).toMatchObject({ id: 'p1', priceKopecks: 9990, vat: 'vat10', marking: 'dairy' });
    expect(repo.byPlu(4011)).toMatchObject({ id: 'p7', priceKopecks: 12990, unit: 'kg', weighed: true });
    expect(repo.count()).toBe(2);
  });

  it('reads a BOM, comma delimiters and quoted fields holding delimiters, quotes and line breaks', async () => {
    const comma = '\ufeffid,name,price,vat,unit,barcodes,plu,marking,age_limit,weighed\r\n'
      + 'c1,"Сок ""Добрый"", яблочный 1 л",119.90,22,piece,4600000000992,,,,0\r\n'
      + 'c2,"Пиво; светлое\nразливное",89.00,vat22,litre,,,beer,18,0\r\n';
    const a = await importCatalogCsv(db, writeFile('comma.csv', comma));
    expect(a).toEqual({ imported: 2, errors: [], errorCount: 0 });
    expect(repo.byId('c1')).toMatchObject({ name: 'Сок "Добрый", яблочный 1 л', barcodes: ['4600000000992'] });
    expect(repo.byId('c2')).toMatchObject({ name: 'Пиво; светлое разливное', unit: 'litre', marking: 'beer', ageLimit: 18 });

    const semicolon = '\ufeffid;name;price;vat;unit;barcodes;plu;marking;age_limit;weighed\n'
      + 's1;"Хлеб; нарезной";45,5;10;;4600000000985|4600000000978;;;;\n';
    const b = await importCatalogCsv(db, Readable.from([Buffer.from(semicolon, 'utf8')]));
    expect(b).toEqual({ imported: 1, errors: [], errorCount: 0 });
    expect(repo.byBarcode('4600000000978')).toMatchObject({ id: 's1', name: 'Хлеб; нарезной', priceKopecks: 4550,
      unit: 'piece', barcodes: ['4600000000978', '4600000000985'] });
  });

  it('reads UTF-8 split anywhere across chunks', async () => {
    const bytes = Buffer.from(demoCatalogCsv(), 'utf8');
    const chunks: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += 777) chunks.push(bytes.subarray(i, i + 777));
    const result = await importCatalogCsv(db, Readable.from(chunks), { batchRows: 500 });
    expect(result.errorCount).toBe(0);
    expect(repo.byId('demo-beer')!.name).toBe('Пиво Жигулёвское 0,5 л');
  });

  it('refuses a file with an unknown column without touching the catalog', async () => {
    await importCatalogCsv(db, Readable.from([demoCatalogCsv()]));
    const before = repo.count();
    const result = await importCatalogCsv(db, Readable.from(['id;name;price;vat;colour\nx;y;1;10;red\n']), { replace: true });
    expect(result).toMatchObject({ imported: 0, errors: [{ line: 1, message: expect.stringMatching(/unknown column "colour"/) }] });
    expect(repo.count()).toBe(before);
  });

  it('caps the error list and counts the rest', async () => {
    let text = `${CATALOG_CSV_HEADER}\n`;
    for (let i = 0; i < MAX_REPORTED_ERRORS + 50; i++) text += `b${i};Товар;нет;22;piece;;;;;0\n`;
    text += 'ok;Товар;1.00;22;piece;;;;;0\n';
    const result = await importCatalogCsv(db, Readable.from([text]));
    expect(result.imported).toBe(1);
    expect(result.errors).toHaveLength(MAX_REPORTED_ERRORS);
    expect(result.errorCount).toBe(MAX_REPORTED_ERRORS + 50);
  });

  it('merges: a row with a known id updates the product and its barcodes', async () => {
    await importCatalogCsv(db, Readable.from([`${CATALOG_CSV_HEADER}\nm1;Молоко старое;50.00;10;piece;4600000000992;;;;0\n`]));
    const r = await importCatalogCsv(db, Readable.from([`${CATALOG_CSV_HEADER}\nm1;Кефир новый;60.00;10;piece;4600000000985;;;;0\n`]));
    expect(r.imported).toBe(1);
    expect(repo.byBarcode('4600000000992')).toBeNull();
    expect(repo.byBarcode('4600000000985')).toMatchObject({ name: 'Кефир новый', priceKopecks: 6000 });
    expect(repo.search('молоко', 5)).toEqual([]);
    expect(repo.search('кефир', 5).map((p) => p.id)).toEqual(['m1']);
    expect(repo.count()).toBe(1);
  });
});

describe('catalog lookups and search (demo catalog)', () => {
  beforeEach(async () => {
    const result = await importCatalogCsv(db, Readable.from([demoCatalogCsv()]), { replace: true });
    expect(result.errorCount).toBe(0);
  });

  it('finds the demo items by barcode, id and PLU in the contract shape', () => {
    expect(repo.byBarcode(DEMO_BARCODES.milk)).toEqual({
      id: 'demo-milk', name: 'Молоко Простоквашино 2,5% 930 мл', priceKopecks: 8990, vat: 'vat10', unit: 'piece',
      weighed: false, plu: null, marking: 'dairy', ageLimit: null, barcodes: [DEMO_BARCODES.milk],
    });
    expect(repo.byBarcode(DEMO_BARCODES.cigarettes)).toMatchObject({ priceKopecks: 21500, marking: 'tobacco', ageLimit: 18, vat: 'vat22' });
    expect(repo.byId('demo-shoes')).toMatchObject({ priceKopecks: 499000, marking: 'shoes' });
    expect(repo.byPlu(101)).toMatchObject({ id: 'demo-apples', unit: 'kg', weighed: true, priceKopecks: 14990 });
    expect(repo.byBarcode('0000000000000')).toBeNull();
    expect(repo.byId('nope')).toBeNull();
    expect(repo.byPlu(0)).toBeNull();
    expect(repo.count()).toBeGreaterThan(3000);
  });

  it('finds Russian names by a typed prefix, whatever the case', () => {
    const names = repo.search('мол', 20).map((p) => p.name.toLowerCase());
    expect(names.length).toBeGreaterThan(0);
    expect(names.every((n) => /(^|[^\p{L}])мол/u.test(n))).toBe(true);
    expect(repo.search('МОЛОКО ПРОСТОКВ', 50).map((p) => p.id)).toContain('demo-milk');
    expect(repo.search('сиг ld blue', 10).map((p) => p.id)).toContain('demo-cigarettes');
  });

  it('treats ё and е as the same letter', () => {
    expect(repo.search('жигулевское', 50).map((p) => p.id)).toContain('demo-beer');
    expect(repo.search('ЖИГУЛЁВ', 50).map((p) => p.id)).toContain('demo-beer');
  });

  it('forgives a typo when the exact words find nothing', () => {
    expect(repo.search('малоко простоквашино', 50).map((p) => p.id)).toContain('demo-milk');
    expect(repo.search('кросовки беговые', 50).map((p) => p.id)).toContain('demo-shoes');
    expect(repo.search('zzzzqqq', 10)).toEqual([]);
  });

  it('never throws on hostile FTS5 syntax', () => {
    const hostile = ['"', '""', '*', 'мол*', 'NEAR', 'NEAR(мол кеф)', 'a OR b', 'AND', 'NOT', '-мол', 'name:мол', '{name}:x',
      '(((', ')', '^мол', 'мол + кеф', "'; DROP TABLE products; --", '\u0000', '🍺', 'x'.repeat(10_000), '   ', '', '.', '"мол" AND "кеф"'];
    for (const q of hostile) expect(() => repo.search(q, 10)).not.toThrow();
    expect(repo.search('', 10)).toEqual([]);
    expect(repo.search('   ', 10)).toEqual([]);
    expect(repo.search('мол', 0)).toEqual([]);
    expect(repo.search('"мол"*', 5).length).toBeGreaterThan(0);
    expect(repo.count()).toBeGreaterThan(3000);
  });
});

describe('replace import', () => {
  it('is atomic: a reader during the import sees the whole old catalog or the whole new one', async () => {
    const oldCsv = path.join(dir, 'old.csv');
    const newCsv = path.join(dir, 'new.csv');
    await generateCatalogCsv(oldCsv, 3000, 1);
    await generateCatalogCsv(newCsv, 8000, 2);
    expect((await importCatalogCsv(db, oldCsv, { replace: true })).imported).toBe(3000);

    const other = openDatabase(path.join(dir, 'catalog.sqlite'), 'catalog');
    const otherRepo = new CatalogRepository(other);
    const seen = new Set<number>();
    const observe = (): void => {
      for (const r of [repo, otherRepo]) {
        const n = r.count();
        seen.add(n);
        // Each snapshot is consistent: the first product belongs to the catalog of that size.
        const first = r.byId('sku-0000001')!;
        expect(first).not.toBeNull();
        expect(r.byBarcode(first.barcodes[0] ?? '')?.id ?? first.id).toBe('sku-0000001');
      }
    };
    const slow = Readable.from((async function* () {
      const bytes = fs.readFileSync(newCsv);
      for (let i = 0; i < bytes.length; i += 16_384) {
        observe();
        yield bytes.subarray(i, i + 16_384);
        await new Promise((resolve) => setImmediate(resolve));
      }
    })());
    const result = await importCatalogCsv(db, slow, { replace: true, batchRows: 1000, onProgress: observe });
    observe();
    other.close();
    expect(result.imported).toBe(8000);
    expect([...seen].sort((a, b) => a - b)).toEqual([3000, 8000]);
    expect(repo.count()).toBe(8000);
    const tables = db.prepare(`SELECT name FROM sqlite_schema WHERE name LIKE '%staging%'`).pluck().all();
    expect(tables).toEqual([]);
  });

  it('keeps the old catalog when the input fails midway', async () => {
    await importCatalogCsv(db, Readable.from([demoCatalogCsv()]), { replace: true });
    const before = repo.count();
    const failing = Readable.from((async function* () {
      yield `${CATALOG_CSV_HEADER}\n`;
      for (let i = 0; i < 30; i++) yield `f${i};Товар ${i};1.00;22;piece;;;;;0\n`;
      throw new Error('the network went away');
    })());
    await expect(importCatalogCsv(db, failing, { replace: true, batchRows: 10 })).rejects.toThrow('the network went away');
    expect(repo.count()).toBe(before);
    expect(repo.byBarcode(DEMO_BARCODES.bread)).not.toBeNull();
    expect(db.prepare(`SELECT count(*) FROM sqlite_schema WHERE name LIKE '%staging%'`).pluck().get()).toBe(0);
  });

  it('replaces twice in a row (index names of the swapped tables do not collide)', async () => {
    for (let i = 0; i < 3; i++) {
      const result = await importCatalogCsv(db, Readable.from([demoCatalogCsv()]), { replace: true });
      expect(result.imported).toBeGreaterThan(3000);
    }
    expect(repo.byBarcode(DEMO_BARCODES.water)).toMatchObject({ id: 'demo-water' });
    expect(repo.search('вода святой', 10).map((p) => p.id)).toContain('demo-water');
  });
});
