// Catalog CSV import (format: docs/catalog-csv.md). Streams the input — never the whole file in
// memory — validates every row, reports bad rows by line number and imports the rest, in
// transactions of BATCH_ROWS rows.
//
// Without `replace` rows are merged: a row whose id exists updates that product (and replaces its
// barcodes). With `replace` the file becomes the whole catalog, atomically: rows go into staging
// tables that no reader looks at, and one transaction drops the live tables and renames the staging
// ones. A reader (WAL snapshot) sees the old catalog until that commit and the new one after it; if
// the import fails or imports nothing, the old catalog stays.
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import { MARKING_GROUPS, VAT_RATES, type MarkingGroup, type Unit, type VatRate } from '../contract/model';
import { CsvRecordReader } from './csv-records';
import { foldText } from './catalog-text';
import { CATALOG_TABLES, createCatalogTables } from './migrations/catalog';

export interface CatalogImportOptions {
  /** The file is the whole new catalog (atomic swap) instead of updates merged into the current one. */
  replace?: boolean;
  /** Called after every batch with the number of data rows read so far (good and bad). */
  onProgress?(rows: number): void;
  /** Rows per transaction; default 10 000. */
  batchRows?: number;
}

export interface CatalogImportError {
  /** Physical line in the file (the header is line 1). */
  line: number;
  message: string;
}

export interface CatalogImportResult {
  imported: number;
  /** The first MAX_REPORTED_ERRORS errors, in file order. */
  errors: CatalogImportError[];
  /** All errors, including those not listed. */
  errorCount: number;
}

export const MAX_REPORTED_ERRORS = 1000;
const DEFAULT_BATCH_ROWS = 10_000;
const STAGING = '_staging';

export const CATALOG_COLUMNS = ['id', 'name', 'price', 'vat', 'unit', 'barcodes', 'plu', 'marking', 'age_limit', 'weighed'] as const;
type Column = (typeof CATALOG_COLUMNS)[number];
const REQUIRED_COLUMNS: readonly Column[] = ['id', 'name', 'price', 'vat'];

export interface CatalogRow {
  id: string;
  name: string;
  priceKopecks: number;
  vat: VatRate;
  unit: Unit;
  weighed: boolean;
  plu: number | null;
  marking: MarkingGroup | null;
  ageLimit: number | null;
  barcodes: string[];
}

// ---------------------------------------------------------------------------------------------
// Field parsing: pure functions, every failure a sentence for the person who made the file.

const VAT_ALIASES: Record<string, VatRate> = (() => {
  const map: Record<string, VatRate> = {};
  for (const rate of VAT_RATES) map[rate] = rate;
  Object.assign(map, {
    '22': 'vat22', '10': 'vat10', '0': 'vat0', '5': 'vat5', '7': 'vat7',
    'none': 'none', 'безндс': 'none', 'no': 'none',
    '22/122': 'vat22_122', '10/110': 'vat10_110', '5/105': 'vat5_105', '7/107': 'vat7_107',
  } satisfies Record<string, VatRate>);
  return map;
})();

const UNIT_ALIASES: Record<string, Unit> = {
  '': 'piece', piece: 'piece', pcs: 'piece', 'шт': 'piece',
  kg: 'kg', 'кг': 'kg',
  litre: 'litre', liter: 'litre', l: 'litre', 'л': 'litre',
  metre: 'metre', meter: 'metre', m: 'metre', 'м': 'metre',
};

/** Roubles as written by people ("89.90", "89,9", "1 299") → kopecks, without floating point. */
export function parseRoublesToKopecks(text: string): number | null {
  const m = /^(\d{1,9})(?:[.,](\d{1,2}))?$/.exec(text.replace(/[\s\u00a0]/g, ''));
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

export function parseVatRate(text: string): VatRate | null {
  const key = text.trim().toLowerCase().replace(/[\s%]/g, '').replace(/^ндс/, '');
  return VAT_ALIASES[key] ?? null;
}

function parseOptionalInt(text: string, min: number, max: number): number | null | undefined {
  const t = text.trim();
  if (t === '') return null;
  if (!/^\d{1,9}$/.test(t)) return undefined;
  const n = Number(t);
  return n >= min && n <= max ? n : undefined;
}

/** One data row → a catalog row, or the reason it is refused. */
export function parseCatalogRow(fields: readonly string[], columns: readonly Column[]): CatalogRow | string {
  if (fields.length !== columns.length) return `wrong column count: expected ${columns.length}, found ${fields.length}`;
  const get = (c: Column): string => {
    const i = columns.indexOf(c);
    return i < 0 ? '' : fields[i]!;
  };
  const id = get('id').trim();
  if (id === '') return 'missing id';
  if (!/^[0-9A-Za-z-]{1,64}$/.test(id)) return `bad id "${id.slice(0, 80)}": letters, digits and dashes only, at most 64`;
  const name = get('name').replace(/[\s\u0000-\u001f]+/g, ' ').trim();
  if (name === '') return 'missing name';
  if (name.length > 255) return `name too long (${name.length} characters, at most 255)`;
  const priceText = get('price').trim();
  const priceKopecks = parseRoublesToKopecks(priceText);
  if (priceKopecks === null) return `bad price "${priceText.slice(0, 40)}": expected roubles like 89.90 or 89,90`;
  const vatText = get('vat');
  const vat = parseVatRate(vatText);
  if (vat === null) return `unknown VAT rate "${vatText.trim().slice(0, 20)}": expected 22, 10, 0, none, 5, 7, 22/122, 10/110, 5/105, 7/107`;
  const unitText = get('unit').trim().toLowerCase();
  const unit = UNIT_ALIASES[unitText];
  if (unit === undefined) return `unknown unit "${unitText.slice(0, 20)}": expected piece, kg, litre or metre`;
  const weighedText = get('weighed').trim().toLowerCase();
  if (!['', '0', '1', 'true', 'false'].includes(weighedText)) return `bad weighed "${weighedText.slice(0, 20)}": expected 0 or 1`;
  const weighed = weighedText === '1' || weighedText === 'true';
  if (weighed && unit !== 'kg') return `weighed goods must have unit kg, found ${unit}`;
  const plu = parseOptionalInt(get('plu'), 1, 999_999);
  if (plu === undefined) return `bad PLU "${get('plu').trim().slice(0, 20)}": expected a whole number 1..999999`;
  const markingText = get('marking').trim().toLowerCase();
  const marking = markingText === '' ? null : (MARKING_GROUPS as readonly string[]).includes(markingText) ? (markingText as MarkingGroup) : undefined;
  if (marking === undefined) return `unknown marking group "${markingText.slice(0, 20)}": expected one of ${MARKING_GROUPS.join(', ')}`;
  const age = parseOptionalInt(get('age_limit'), 0, 99);
  if (age === undefined) return `bad age_limit "${get('age_limit').trim().slice(0, 20)}": expected a whole number 0..99`;
  const barcodes: string[] = [];
  for (const raw of get('barcodes').split('|')) {
    const code = raw.trim();
    if (code === '') continue;
    if (!/^[\x21-\x7e]{1,64}$/.test(code)) return `bad barcode "${code.slice(0, 70)}": printable ASCII without spaces, at most 64`;
    if (!barcodes.includes(code)) barcodes.push(code);
  }
  return { id, name, priceKopecks, vat, unit, weighed, plu, marking, ageLimit: age === 0 ? null : age, barcodes };
}

/** The header → column order, or the reason the file cannot be read. */
export function parseCatalogHeader(fields: readonly string[]): Column[] | string {
  const columns: Column[] = [];
  for (const raw of fields) {
    const name = raw.trim().toLowerCase();
    if (!(CATALOG_COLUMNS as readonly string[]).includes(name)) {
      return `unknown column "${raw.trim().slice(0, 40)}" in the header: expected ${CATALOG_COLUMNS.join(';')}`;
    }
    if (columns.includes(name as Column)) return `column "${name}" appears twice in the header`;
    columns.push(name as Column);
  }
  const missing = REQUIRED_COLUMNS.filter((c) => !columns.includes(c));
  if (missing.length > 0) return `the header lacks column(s) ${missing.join(', ')}`;
  return columns;
}

// ---------------------------------------------------------------------------------------------
// Writing rows into one set of catalog tables (live, or staging for a replace).

class CatalogWriter {
  private readonly productNum: Statement<[string], { num: number }>;
  private readonly pluOwner: Statement<[number], { id: string }>;
  private readonly codeOwner: Statement<[string], { product_id: string }>;
  private readonly insertProduct: Statement<unknown[]>;
  private readonly updateProduct: Statement<unknown[]>;
  private readonly deleteCodes: Statement<[string]>;
  private readonly insertCode: Statement<[string, string]>;
  private readonly deleteFts: Statement<[number]>;
  private readonly insertFts: Statement<[number, string]>;
  readonly writeBatch: (rows: { line: number; row: CatalogRow }[]) => { imported: number; errors: CatalogImportError[] };

  constructor(db: Database, suffix: string, private readonly replace: boolean) {
    const products = `products${suffix}`;
    const barcodes = `barcodes${suffix}`;
    const fts = `products_fts${suffix}`;
    this.productNum = db.prepare(`SELECT num FROM ${products} WHERE id = ?`);
    this.pluOwner = db.prepare(`SELECT id FROM ${products} WHERE plu = ?`);
    this.codeOwner = db.prepare(`SELECT product_id FROM ${barcodes} WHERE code = ?`);
    this.insertProduct = db.prepare(
      `INSERT INTO ${products} (id, name, price_kopecks, vat, unit, weighed, plu, marking, age_limit) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.updateProduct = db.prepare(
      `UPDATE ${products} SET id = ?, name = ?, price_kopecks = ?, vat = ?, unit = ?, weighed = ?, plu = ?, marking = ?, age_limit = ? WHERE num = ?`);
    this.deleteCodes = db.prepare(`DELETE FROM ${barcodes} WHERE product_id = ?`);
    this.insertCode = db.prepare(`INSERT INTO ${barcodes} (code, product_id) VALUES (?, ?)`);
    this.deleteFts = db.prepare(`DELETE FROM ${fts} WHERE rowid = ?`);
    this.insertFts = db.prepare(`INSERT INTO ${fts} (rowid, name) VALUES (?, ?)`);
    this.writeBatch = db.transaction((rows: { line: number; row: CatalogRow }[]) => {
      let imported = 0;
      const errors: CatalogImportError[] = [];
      for (const { line, row } of rows) {
        const refused = this.write(row);
        if (refused === null) imported++;
        else errors.push({ line, message: refused });
      }
      return { imported, errors };
    });
  }

  /** Writes one row; returns why it was refused, or null. Checks first, so a refused row writes nothing. */
  private write(row: CatalogRow): string | null {
    const existing = this.productNum.get(row.id)?.num;
    if (existing !== undefined && this.replace) return `duplicate id "${row.id}" (already on an earlier line)`;
    if (row.plu !== null) {
      const owner = this.pluOwner.get(row.plu)?.id;
      if (owner !== undefined && owner !== row.id) return `duplicate PLU ${row.plu} (already used by product "${owner}")`;
    }
    for (const code of row.barcodes) {
      const owner = this.codeOwner.get(code)?.product_id;
      if (owner !== undefined && owner !== row.id) return `duplicate barcode ${code} (already used by product "${owner}")`;
    }
    const values = [row.id, row.name, row.priceKopecks, row.vat, row.unit, row.weighed ? 1 : 0, row.plu, row.marking, row.ageLimit];
    let num: number;
    if (existing === undefined) {
      num = Number(this.insertProduct.run(...values).lastInsertRowid);
    } else {
      num = existing;
      this.updateProduct.run(...values, num);
      this.deleteCodes.run(row.id);
      this.deleteFts.run(num);
    }
    for (const code of row.barcodes) this.insertCode.run(code, row.id);
    this.insertFts.run(num, foldText(row.name));
    return null;
  }
}

/**
 * Refreshes the typo-fallback vocabulary (search_terms) from the word index, and merges the word
 * index's segments so that searches read one B-tree per word.
 */
export function finishCatalogIndexes(db: Database, suffix = ''): void {
  const vocab = `catalog_vocab${suffix}`;
  db.exec(`
    DROP TABLE IF EXISTS temp.${vocab};
    CREATE VIRTUAL TABLE temp.${vocab} USING fts5vocab(main, 'products_fts${suffix}', 'row');
  `);
  db.transaction(() => {
    db.exec(`
      DELETE FROM search_terms${suffix};
      INSERT INTO search_terms${suffix} (term)
        SELECT term FROM temp.${vocab} WHERE length(term) >= 3 AND term GLOB '*[^0-9]*';
      INSERT INTO search_terms${suffix} (search_terms${suffix}) VALUES ('optimize');
      INSERT INTO products_fts${suffix} (products_fts${suffix}) VALUES ('optimize');
    `);
  }).immediate();
  db.exec(`DROP TABLE temp.${vocab}`);
}

function dropStaging(db: Database): void {
  db.transaction(() => {
    for (const table of CATALOG_TABLES) db.exec(`DROP TABLE IF EXISTS ${table}${STAGING}`);
  }).immediate();
}

const running = new WeakSet<Database>();

/**
 * Imports a catalog CSV (a path or a readable stream of UTF-8 text). Resolves with the number of
 * rows imported and the refused rows; rejects only when the input cannot be read.
 */
export async function importCatalogCsv(
  db: Database,
  input: NodeJS.ReadableStream | string,
  options: CatalogImportOptions = {},
): Promise<CatalogImportResult> {
  if (running.has(db)) throw new Error('a catalog import is already running on this database');
  running.add(db);
  const stream = typeof input === 'string' ? fs.createReadStream(input, { highWaterMark: 1 << 20 }) : input;
  const replace = options.replace === true;
  const batchRows = Math.max(1, options.batchRows ?? DEFAULT_BATCH_ROWS);
  const errors: CatalogImportError[] = [];
  let errorCount = 0;
  let imported = 0;
  let rowsRead = 0;
  const report = (e: CatalogImportError): void => {
    errorCount++;
    if (errors.length < MAX_REPORTED_ERRORS) errors.push(e);
  };
  const previousCache = db.pragma('cache_size', { simple: true }) as number;
  let stagingCreated = false;
  try {
    db.pragma('cache_size = -32768'); // 32 MiB while importing: the unique indexes stay in memory
    let writer: CatalogWriter | null = null;
    const openWriter = (): CatalogWriter => {
      if (replace) {
        dropStaging(db); // leftovers of an interrupted import
        db.transaction(() => createCatalogTables(db, STAGING, `g${Date.now().toString(36)}${randomBytes(3).toString('hex')}`)).immediate();
        stagingCreated = true;
      }
      return new CatalogWriter(db, replace ? STAGING : '', replace);
    };

    const reader = new CsvRecordReader();
    const decoder = new TextDecoder('utf-8');
    let columns: Column[] | null = null;
    let headerError = false;
    let pending: { line: number; row: CatalogRow }[] = [];
    let pendingErrors: CatalogImportError[] = []; // reported with the batch, so the list stays in file order
    const flush = (): void => {
      if (pending.length > 0) {
        writer ??= openWriter();
        const result = writer.writeBatch(pending);
        imported += result.imported;
        pendingErrors.push(...result.errors);
        pending = [];
      }
      for (const e of pendingErrors.sort((a, b) => a.line - b.line)) report(e);
      pendingErrors = [];
      options.onProgress?.(rowsRead);
    };
    const accept = (records: ReturnType<CsvRecordReader['push']>): void => {
      for (const record of records) {
        if (headerError) return;
        if (columns === null) {
          const header = record.error ?? parseCatalogHeader(record.fields);
          if (typeof header === 'string') {
            report({ line: record.line, message: header });
            headerError = true;
            return;
          }
          columns = header;
          continue;
        }
        rowsRead++;
        const row = record.error ?? parseCatalogRow(record.fields, columns);
        if (typeof row === 'string') pendingErrors.push({ line: record.line, message: row });
        else pending.push({ line: record.line, row });
        if (pending.length + pendingErrors.length >= batchRows) flush();
      }
    };

    for await (const chunk of stream) {
      accept(reader.push(typeof chunk === 'string' ? chunk : decoder.decode(chunk as Uint8Array, { stream: true })));
      if (headerError) break;
    }
    if (!headerError) {
      accept(reader.push(decoder.decode()));
      accept(reader.end());
    }
    if (columns === null && !headerError) report({ line: 1, message: 'the file is empty: a header row is required' });
    if (!headerError) flush();

    if (imported > 0) {
      if (replace) {
        finishCatalogIndexes(db, STAGING);
        db.transaction(() => {
          for (const table of CATALOG_TABLES) db.exec(`DROP TABLE ${table}`);
          for (const table of CATALOG_TABLES) db.exec(`ALTER TABLE ${table}${STAGING} RENAME TO ${table}`);
        }).immediate();
        stagingCreated = false;
      } else {
        finishCatalogIndexes(db);
      }
    }
    return { imported, errors, errorCount };
  } finally {
    if (stagingCreated) dropStaging(db);
    if (typeof input === 'string') (stream as fs.ReadStream).destroy();
    db.pragma(`cache_size = ${previousCache}`);
    running.delete(db);
  }
}
