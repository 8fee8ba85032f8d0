// `prilavok bench catalog`: how the catalog behaves at a million SKUs (see docs BENCHMARKS.md).
// Generates a catalog CSV in a temp dir (not timed), imports it into a fresh catalog database
// (import_s), then times barcode lookups (lookup_p99_us) and name searches of the 3–8 letter
// prefixes cashiers type (search_p99_ms) after a warm-up; rss_mb is the peak resident set size.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from './database';
import { generateCatalogCsv } from './catalog-generator';
import { importCatalogCsv } from './catalog-import';
import { CatalogRepository } from './catalog-repository';
import { foldText } from './catalog-text';

export interface CatalogBenchResult {
  bench: 'catalog';
  node: string;
  cpus: number;
  params: { skus: number; samples: number };
  metrics: { import_s: number; lookup_p99_us: number; search_p99_ms: number; rss_mb: number };
}

function p99(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)]!;
}

/** A small deterministic PRNG, so two runs time the same lookups. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function benchCatalog(params: { skus: number; samples?: number }): Promise<CatalogBenchResult> {
  const skus = Math.max(1, Math.floor(params.skus));
  const samples = Math.max(1000, Math.floor(params.samples ?? 2000));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prilavok-bench-catalog-'));
  let peakRss = process.memoryUsage().rss;
  const sampleRss = (): void => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  };
  const sampler = setInterval(sampleRss, 100);
  const db = (() => {
    try {
      return openDatabase(path.join(dir, 'catalog.sqlite'), 'catalog');
    } catch (error) {
      clearInterval(sampler);
      fs.rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  })();
  try {
    const csv = path.join(dir, 'catalog.csv');
    process.stderr.write(`generating ${skus} SKUs…\n`);
    await generateCatalogCsv(csv, skus, 42);

    process.stderr.write('importing…\n');
    const started = process.hrtime.bigint();
    const result = await importCatalogCsv(db, csv, { replace: true, onProgress: sampleRss });
    const importS = Number(process.hrtime.bigint() - started) / 1e9;
    if (result.imported === 0) throw new Error(`the generated catalog did not import: ${result.errors[0]?.message ?? 'no rows'}`);
    fs.rmSync(csv, { force: true });

    const repo = new CatalogRepository(db);
    const rnd = prng(7);
    const count = db.prepare('SELECT max(num) AS n FROM products').get() as { n: number };
    const codeOf = db.prepare('SELECT b.code FROM products p JOIN barcodes b ON b.product_id = p.id WHERE p.num = ? LIMIT 1').pluck();
    const nameOf = db.prepare('SELECT name FROM products WHERE num = ?').pluck();

    // The samples are picked before timing, from random products.
    const codes: string[] = [];
    while (codes.length < samples) {
      const code = codeOf.get(1 + Math.floor(rnd() * count.n)) as string | undefined;
      if (code) codes.push(code);
    }
    const queries: string[] = [];
    while (queries.length < samples) {
      const name = nameOf.get(1 + Math.floor(rnd() * count.n)) as string | undefined;
      const words = (name ? foldText(name).match(/\p{L}{3,}/gu) : null) ?? [];
      if (words.length === 0) continue;
      const word = words[Math.floor(rnd() * words.length)]!;
      const length = Math.min(word.length, 3 + Math.floor(rnd() * 6)); // 3..8 letters
      queries.push(word.slice(0, length));
    }

    process.stderr.write('timing lookups…\n');
    for (let i = 0; i < Math.min(200, codes.length); i++) repo.byBarcode(codes[i]!);
    const lookupUs: number[] = [];
    for (const code of codes) {
      const t = process.hrtime.bigint();
      const product = repo.byBarcode(code);
      lookupUs.push(Number(process.hrtime.bigint() - t) / 1e3);
      if (!product) throw new Error(`lookup of ${code} found nothing`);
    }
    sampleRss();

    process.stderr.write('timing searches…\n');
    for (let i = 0; i < Math.min(100, queries.length); i++) repo.search(queries[i]!, 20);
    const searchMs: number[] = [];
    for (const query of queries) {
      const t = process.hrtime.bigint();
      repo.search(query, 20);
      searchMs.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    sampleRss();

    const round = (x: number, digits: number): number => Number(x.toFixed(digits));
    return {
      bench: 'catalog',
      node: process.version,
      cpus: os.availableParallelism?.() ?? os.cpus().length,
      params: { skus, samples },
      metrics: {
        import_s: round(importS, 2),
        lookup_p99_us: round(p99(lookupUs), 1),
        search_p99_ms: round(p99(searchMs), 2),
        rss_mb: Math.round(peakRss / (1024 * 1024)),
      },
    };
  } finally {
    clearInterval(sampler);
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
