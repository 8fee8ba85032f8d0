// `prilavok catalog import|gen`
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { CatalogStore } from '../../store/catalog-store';
import { generateCatalogCsv } from '../../store/catalog-generator';
import { dataDirFrom, flag, option } from '../data-dir';

export async function catalogCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'import') return importCommand(rest);
  if (sub === 'gen') return genCommand(rest);
  process.stderr.write('usage: prilavok catalog import FILE [--replace] [--data-dir DIR] | catalog gen --skus N [--out FILE]\n');
  return 2;
}

async function importCommand(argv: string[]): Promise<number> {
  const file = argv.find((a, i) => !a.startsWith('--') && !(i > 0 && argv[i - 1] === '--data-dir'));
  if (!file) {
    process.stderr.write('usage: prilavok catalog import FILE [--replace] [--data-dir DIR]\n');
    return 2;
  }
  const dataDir = dataDirFrom(argv);
  mkdirSync(dataDir, { recursive: true });
  const store = CatalogStore.open(join(dataDir, 'catalog.sqlite'));
  try {
    const started = Date.now();
    const result = await store.importCsv({ file }, {
      replace: flag(argv, 'replace'),
      onProgress: (rows) => process.stderr.write(`\rimported ${rows} rows`),
    });
    process.stderr.write('\n');
    for (const e of result.errors) process.stdout.write(`${file}:${e.line}: ${e.message}\n`);
    const extra = 'errorCount' in result ? (result as { errorCount: number }).errorCount - result.errors.length : 0;
    if (extra > 0) process.stdout.write(`… and ${extra} more bad rows\n`);
    process.stdout.write(`imported ${result.imported} products in ${((Date.now() - started) / 1000).toFixed(1)} s; ${store.products.count()} in the catalog\n`);
    return result.errors.length > 0 ? 1 : 0;
  } finally {
    store.close();
  }
}

async function genCommand(argv: string[]): Promise<number> {
  const skus = Number(option(argv, 'skus'));
  if (!Number.isInteger(skus) || skus < 1 || skus > 10_000_000) {
    process.stderr.write('prilavok catalog gen: --skus must be an integer from 1 to 10 000 000\n');
    return 2;
  }
  const seed = option(argv, 'seed') === undefined ? 1 : Number(option(argv, 'seed'));
  const out = option(argv, 'out');
  await generateCatalogCsv(out ?? process.stdout, skus, seed);
  return 0;
}
