import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, startTestHq, type TestHq } from '../../../hq/test/support';
import { loadCatalogCsv } from '../../../hq/src/catalog';
import { CatalogStore } from '../../../src-main/store/catalog-store';
import { CatalogPuller, type CatalogPage } from '../../../src-main/upstream';
import { startUpstreamLink } from '../../../src-main/app/upstream-link';
import { EventBus } from '../../../src-main/app/event-bus';
import { PosEventStream } from '../../../src-main/services/pos-events/pos-event-stream';
import { openDatabase } from '../../../src-main/store/database';
import { Outbox } from '../../../src-main/store/outbox';

const HEADER = 'id;name;price;vat;unit;barcodes;plu;marking;age_limit;weighed';
const row = (i: number, price: string, name = `Товар ${i}`, code = `46100000${String(i).padStart(5, '0')}`) => `p${i};${name};${price};22;piece;${code};;;;0`;

describe.each(BACKENDS)('catalog pulls applied on the lane, head office on $name', (backend) => {
  let t: TestHq;
  let dir: string;
  let n = 0;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prilavok-pull-'));
    t = await startTestHq(backend);
  });
  afterAll(async () => {
    await t?.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function publish(store: string, rows: string[], replace = false): Promise<void> {
    const file = path.join(dir, `load-${++n}.csv`);
    fs.writeFileSync(file, [HEADER, ...rows].join('\n'));
    await loadCatalogCsv(t.hq.db, store, file, { replace });
  }

  async function lane(store: string, pageSize = 1000): Promise<{ catalog: CatalogStore; file: string; puller: CatalogPuller; token: string }> {
    const reg = await t.addLane(store, `lane-${++n}`);
    const file = path.join(dir, `catalog-${n}.sqlite`);
    const catalog = CatalogStore.open(file);
    const puller = new CatalogPuller({ baseUrl: t.url, token: reg.token, pageSize,
      cursor: () => catalog.pulls.cursor(), apply: (page, pos) => { catalog.pulls.apply(page, pos); } });
    return { catalog, file, puller, token: reg.token };
  }

  it('prices, names, barcodes and deletions reach the lane; the cursor moves with them', async () => {
    await publish('pull-1', Array.from({ length: 30 }, (_, i) => row(i, '10,00')));
    const { catalog, puller } = await lane('pull-1', 7);
    expect(await puller.pull()).toMatchObject({ pages: 5, items: 30 });
    expect(catalog.products.count()).toBe(30);
    expect(catalog.products.byBarcode('4610000000003')).toMatchObject({ id: 'p3', priceKopecks: 1000 });
    const cursor = catalog.pulls.cursor();
    expect(cursor).toMatch(/^\d+$/);

    // p3: new price and name; p4: a new barcode (its old one goes to p5); p6..p29 deleted (replace).
    await publish('pull-1', [row(0, '10,00'), row(1, '10,00'), row(2, '10,00'), row(3, '12,50', 'Сыр Российский'),
      row(4, '10,00', 'Товар 4', '4610000099999'), row(5, '10,00', 'Товар 5', '4610000000004')], true);
    expect(await puller.pull()).toMatchObject({ items: 27 });
    expect(catalog.products.count()).toBe(6);
    expect(catalog.products.byId('p3')).toMatchObject({ name: 'Сыр Российский', priceKopecks: 1250 });
    expect(catalog.products.search('российский', 5).map((p) => p.id)).toEqual(['p3']);
    expect(catalog.products.search('росийский', 5).map((p) => p.id)).toEqual(['p3']); // the typo vocabulary follows
    expect(catalog.products.byBarcode('4610000099999')?.id).toBe('p4');
    expect(catalog.products.byBarcode('4610000000004')?.id).toBe('p5');
    expect(catalog.products.byBarcode('4610000000005')).toBeNull();
    expect(catalog.products.byId('p20')).toBeNull();
    expect(catalog.products.byBarcode('4610000000020')).toBeNull();
    expect(catalog.products.search('товар 20', 5)).toEqual([]);
    expect(BigInt(catalog.pulls.cursor()!)).toBeGreaterThan(BigInt(cursor!));
    expect(await puller.pull()).toMatchObject({ pages: 0, items: 0 });
    catalog.close();
  });

  it("the lane's upstream link pulls the catalog when it starts and when it is woken", async () => {
    await publish('pull-4', [row(1, '5,00')]);
    const reg = await t.addLane('pull-4', 'linked');
    const catalog = CatalogStore.open(path.join(dir, 'linked-catalog.sqlite'));
    const sales = openDatabase(path.join(dir, 'linked-sales.sqlite'), 'sales');
    const link = startUpstreamLink({ baseUrl: t.url, token: reg.token }, new Outbox(sales), new PosEventStream('lane', null, () => undefined), new EventBus(), catalog.pulls);
    try {
      const until = Date.now() + 10_000;
      while (catalog.products.byId('p1') === null && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      expect(catalog.products.byId('p1')?.priceKopecks).toBe(500);
      await publish('pull-4', [row(1, '6,00')]);
      link.wake();
      while (catalog.products.byId('p1')?.priceKopecks !== 600 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      expect(catalog.products.byId('p1')?.priceKopecks).toBe(600);
      expect(link.catalogStatus()).toMatchObject({ cursor: catalog.pulls.cursor(), lastError: null });
    } finally {
      await link.stop();
      catalog.close();
      sales.close();
    }
  });

  it('a pull cut off between pages changes nothing on the lane; the next pull applies it whole', async () => {
    await publish('pull-2', Array.from({ length: 20 }, (_, i) => row(i, '20,00')));
    const { catalog, puller, token } = await lane('pull-2', 5);
    await puller.pull();
    const before = catalog.pulls.cursor();
    await publish('pull-2', Array.from({ length: 20 }, (_, i) => row(i, '21,00')));
    let pages = 0;
    const failing = new CatalogPuller({ baseUrl: t.url, token, pageSize: 5,
      cursor: () => catalog.pulls.cursor(),
      apply: (page: CatalogPage, pos) => {
        if (++pages === 3) throw new Error('the link dropped');
        catalog.pulls.apply(page, pos);
      } });
    await expect(failing.pull()).rejects.toThrow('the link dropped');
    expect(catalog.pulls.cursor()).toBe(before);
    expect(new Set(Array.from({ length: 20 }, (_, i) => catalog.products.byId(`p${i}`)!.priceKopecks))).toEqual(new Set([2000]));
    expect(await puller.pull()).toMatchObject({ items: 20 });
    expect(new Set(Array.from({ length: 20 }, (_, i) => catalog.products.byId(`p${i}`)!.priceKopecks))).toEqual(new Set([2100]));
    catalog.close();
  });

  it('a reader on another connection sees the old catalog or the new one, never a mix', async () => {
    const COUNT = 3000;
    await publish('pull-3', Array.from({ length: COUNT }, (_, i) => row(i, '1,00')));
    const { catalog, file, puller } = await lane('pull-3', 250);
    await puller.pull();
    // The reader is another process with its own connection, reading as fast as it can.
    const reader = spawn(process.execPath, ['-e', `
      const db = new (require('better-sqlite3'))(${JSON.stringify(file)}, { readonly: true });
      const q = db.prepare('SELECT count(*) AS n, min(price_kopecks) AS lo, max(price_kopecks) AS hi, (SELECT count(*) FROM barcodes) AS codes, (SELECT cursor FROM catalog_sync) AS cursor FROM products');
      // One statement is one snapshot: the counts, prices and cursor are read together.
      const seen = new Map();
      let reads = 0;
      const until = Date.now() + 60000;
      process.stdin.on('data', () => { process.stdout.write(JSON.stringify({ reads, states: [...seen.values()] })); process.exit(0); });
      (function loop() {
        for (let i = 0; i < 200; i++) { const r = q.get(); reads++; seen.set(JSON.stringify(r), r); }
        if (Date.now() < until) setImmediate(loop);
      })();
      process.stdout.write('ready\\n');
    `], { cwd: process.cwd(), stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    reader.stdout.on('data', (c: Buffer) => { out += c.toString(); });
    await new Promise<void>((resolve) => { const check = setInterval(() => { if (out.includes('ready')) { clearInterval(check); resolve(); } }, 10); });
    for (const price of ['2,00', '3,00', '4,00']) {
      await publish('pull-3', Array.from({ length: COUNT }, (_, i) => row(i, price)));
      const pulled = await puller.pull();
      expect(pulled.pages).toBe(COUNT / 250);
      await new Promise((r) => setTimeout(r, 30));
    }
    reader.stdin.write('report\n');
    await new Promise((r) => reader.once('exit', r));
    const report = JSON.parse(out.slice(out.indexOf('ready') + 6)) as { reads: number; states: { n: number; lo: number; hi: number; codes: number; cursor: string }[] };
    expect(report.reads).toBeGreaterThan(100);
    // Every state a reader saw is one whole catalog: one price for every product, all present.
    for (const s of report.states) expect(s).toMatchObject({ n: COUNT, codes: COUNT, lo: s.hi });
    expect(report.states.map((s) => s.lo).sort()).toEqual(expect.arrayContaining([100, 400]));
    // The cursor of each state is the one stored with that catalog: as many cursors as catalogs.
    expect(new Set(report.states.map((s) => s.cursor)).size).toBe(new Set(report.states.map((s) => s.lo)).size);
    // Staging committed between pages existed, but never in the live tables.
    const db = new BetterSqlite3(file, { readonly: true });
    expect(db.prepare('SELECT count(*) AS n FROM catalog_pull_pages').get()).toEqual({ n: 0 });
    db.close();
    catalog.close();
  }, 60_000);
});
