// Reading the catalog: lookups by barcode, id and PLU go through unique indexes; name search goes
// through FTS5. Nothing here loads more rows than it returns, so a million SKUs cost no JS memory.
import type { Database, Statement } from 'better-sqlite3';
import type { MarkingGroup, Product, Unit, VatRate } from '../contract/model';
import { ftsString, prefixDistance, queryWords, trigrams } from './catalog-text';

interface ProductRecord {
  num: number;
  id: string;
  name: string;
  price_kopecks: number;
  vat: string;
  unit: string;
  weighed: number;
  plu: number | null;
  marking: string | null;
  age_limit: number | null;
  codes: string | null;
}

const COLUMNS = `p.num, p.id, p.name, p.price_kopecks, p.vat, p.unit, p.weighed, p.plu, p.marking, p.age_limit,
  (SELECT group_concat(b.code, '|') FROM barcodes b WHERE b.product_id = p.id) AS codes`;

/** Words shorter than this are ignored when the query has longer ones («вода 1,5 л» → «вода»). */
const MIN_WORD_CHARS = 2;
/** The typo fallback only corrects words at least this long; shorter ones are too ambiguous. */
const MIN_TYPO_WORD_CHARS = 4;

function toProduct(r: ProductRecord): Product {
  return {
    id: r.id,
    name: r.name,
    priceKopecks: r.price_kopecks,
    vat: r.vat as VatRate,
    unit: r.unit as Unit,
    weighed: r.weighed === 1,
    plu: r.plu,
    marking: r.marking as MarkingGroup | null,
    ageLimit: r.age_limit,
    barcodes: r.codes ? r.codes.split('|').sort() : [],
  };
}

export class CatalogRepository {
  private readonly byBarcodeStmt: Statement<[string], ProductRecord>;
  private readonly byIdStmt: Statement<[string], ProductRecord>;
  private readonly byPluStmt: Statement<[number], ProductRecord>;
  private readonly byNumStmt: Statement<[number], ProductRecord>;
  private readonly matchStmt: Statement<[string, number], { num: number }>;
  private readonly termsStmt: Statement<[string, number], { term: string }>;
  private readonly countStmt: Statement<[], { n: number }>;
  private readonly anyStmt: Statement<[], { one: number }>;

  constructor(db: Database) {
    this.byBarcodeStmt = db.prepare(`SELECT ${COLUMNS} FROM barcodes c JOIN products p ON p.id = c.product_id WHERE c.code = ?`);
    this.byIdStmt = db.prepare(`SELECT ${COLUMNS} FROM products p WHERE p.id = ?`);
    this.byPluStmt = db.prepare(`SELECT ${COLUMNS} FROM products p WHERE p.plu = ?`);
    this.byNumStmt = db.prepare(`SELECT ${COLUMNS} FROM products p WHERE p.num = ?`);
    // No ORDER BY rank: bm25 over every hit of a short prefix costs tens of ms at a million SKUs;
    // FTS5 streams hits in rowid order and stops at the limit. The cashier refines by typing more.
    this.matchStmt = db.prepare('SELECT rowid AS num FROM products_fts WHERE products_fts MATCH ? LIMIT ?');
    this.termsStmt = db.prepare('SELECT term FROM search_terms WHERE search_terms MATCH ? ORDER BY rank LIMIT ?');
    this.countStmt = db.prepare('SELECT count(*) AS n FROM products');
    this.anyStmt = db.prepare('SELECT 1 AS one FROM products LIMIT 1');
  }

  byBarcode(code: string): Product | null {
    if (code.length === 0 || code.length > 128) return null;
    const r = this.byBarcodeStmt.get(code);
    return r ? toProduct(r) : null;
  }

  byId(id: string): Product | null {
    if (id.length === 0 || id.length > 128) return null;
    const r = this.byIdStmt.get(id);
    return r ? toProduct(r) : null;
  }

  byPlu(plu: number): Product | null {
    if (!Number.isSafeInteger(plu)) return null;
    const r = this.byPluStmt.get(plu);
    return r ? toProduct(r) : null;
  }

  /**
   * Products whose name holds words starting with every word of the query, case- and ё-insensitive.
   * When nothing matches, each longer word is replaced by the catalog words within one or two typos
   * of it and the search runs once more. Any input is safe: it is reduced to words before FTS5 sees it.
   */
  search(query: string, limit: number): Product[] {
    const max = Math.min(Math.max(0, Math.floor(limit)), 500);
    if (max === 0) return [];
    let words = queryWords(query);
    const longer = words.filter((w) => [...w].length >= MIN_WORD_CHARS);
    if (longer.length > 0) words = longer;
    else if (words.every((w) => /^\p{L}$/u.test(w))) return []; // a lone letter matches half the catalog
    if (words.length === 0) return [];

    const found = this.matching(words.map((w) => `${ftsString(w)}*`).join(' AND '), max);
    if (found.length > 0) return found;

    let corrected = false;
    const groups = words.map((w) => {
      const alternatives = [`${ftsString(w)}*`];
      for (const term of this.closeTerms(w)) {
        alternatives.push(ftsString(term));
        corrected = true;
      }
      return `(${alternatives.join(' OR ')})`;
    });
    return corrected ? this.matching(groups.join(' AND '), max) : [];
  }

  count(): number {
    return this.countStmt.get()!.n;
  }

  /** Cheaper than count() on a million rows: start-up asks this, and must not scan an index. */
  isEmpty(): boolean {
    return this.anyStmt.get() === undefined;
  }

  private matching(expression: string, limit: number): Product[] {
    const out: Product[] = [];
    for (const { num } of this.matchStmt.all(expression, limit)) {
      const r = this.byNumStmt.get(num);
      if (r) out.push(toProduct(r));
    }
    return out;
  }

  /** Catalog words within a typo or two of a typed word, closest first. */
  private closeTerms(word: string): string[] {
    const length = [...word].length;
    if (length < MIN_TYPO_WORD_CHARS || /^\p{N}+$/u.test(word)) return [];
    const grams = trigrams(word);
    if (grams.length === 0) return [];
    const allowed = length >= 7 ? 2 : 1;
    const scored: { term: string; distance: number }[] = [];
    for (const { term } of this.termsStmt.all(grams.map(ftsString).join(' OR '), 200)) {
      const distance = prefixDistance(word, term);
      if (distance <= allowed) scored.push({ term, distance });
    }
    scored.sort((a, b) => a.distance - b.distance);
    return scored.slice(0, 8).map((s) => s.term);
  }
}
