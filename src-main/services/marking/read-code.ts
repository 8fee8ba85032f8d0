// Reading a scan as a marking code for the sale path: separators restored, layout checked, and the
// product group narrowed by the catalog (a code may fit several groups' layouts; the product says which).
import type { MarkingGroup, Product } from '../../contract';
import { parseMarkingCode, type ParsedCode } from '../../marking/parse-code';
import { groupByShort } from '../../marking/product-groups';

export interface MarkedScan {
  /** Full code, GS as \u001d: tag 2000 and what the True API gets. */
  code: string;
  /** What the local module gets. */
  cis: string;
  gtin14: string;
  /** The catalog's EAN-13 form of the GTIN, when it has one (leading zero). */
  gtin13: string | null;
  /** The True API group short name and id, from the product (or the code's only fitting layout). */
  groupShort: string | null;
  groupId: number | null;
  parsed: ParsedCode;
  /** Net weight from AI 3103 (kg with three decimals → grams), for weighed marked goods. */
  weightGrams: number | null;
}

export type MarkingRead =
  | ({ kind: 'ok' } & MarkedScan & { gtin: string })
  | { kind: 'invalid'; message: { ru: string; en: string }; code: string };

/** The catalog's marking groups in the True API's names (§3.3). 'other': the check names the group. */
const GROUP_OF_CATALOG: Record<MarkingGroup, string | null> = {
  tobacco: 'tobacco', dairy: 'milk', shoes: 'shoes', water: 'water', beer: 'beer', clothes: 'lp', perfume: 'perfumery', tires: 'tires', other: null,
};

const ALIAS = /<GS>|\{GS\}|\\u001d|\\x1d|\\035|\^\]/i;

/**
 * Whether a scan should be read as a marking code rather than a product barcode: it carries GS (or a
 * textual alias of it), an AIM identifier of a GS1 2D symbol, bracketed AIs, the GS1 "01 + GTIN + 21"
 * start, or the 29-character tobacco pack shape. EAN/UPC, scale labels and article codes never do.
 */
export function looksLikeMarkingCode(raw: string): boolean {
  const s = raw.trim();
  if (s.includes('\u001d') || ALIAS.test(s)) return true;
  if (/^\](d2|Q3|C1)/.test(s)) return true;
  if (/^\(01\)\d{14}\(21\)/.test(s)) return true;
  if (/^01\d{14}21./.test(s) && s.length >= 25) return true;
  return /^\d{14}[\x21-\x7e]{15}$/.test(s);
}

export function readMarkingScan(raw: string): MarkingRead {
  const parsed = parseMarkingCode(raw);
  if (!parsed.valid) return { kind: 'invalid', message: parsed.error.message, code: parsed.error.code };
  return { kind: 'ok', ...scanOf(parsed, null), gtin: parsed.gtin };
}

/** The reading that fits the product's group (among the alternatives a rebuilt code may have). */
export function narrowToProduct(read: Extract<MarkingRead, { kind: 'ok' }>, product: Product): MarkedScan {
  const wanted = product.marking ? GROUP_OF_CATALOG[product.marking] : null;
  const readings = [read.parsed, ...read.parsed.alternatives];
  const fitting = wanted ? readings.find((r) => r.groups.includes(wanted)) : undefined;
  return scanOf(fitting ?? read.parsed, wanted);
}

function scanOf(parsed: ParsedCode, wanted: string | null): MarkedScan {
  const groupShort = wanted ?? (parsed.groups.length === 1 ? parsed.groups[0]! : null);
  const weight = parsed.tail['3103'];
  return {
    code: parsed.code,
    cis: parsed.cis,
    gtin14: parsed.gtin,
    gtin13: parsed.gtin.startsWith('0') ? parsed.gtin.slice(1) : null,
    groupShort,
    groupId: groupShort ? groupByShort(groupShort)?.id ?? null : null,
    parsed,
    weightGrams: weight !== undefined && /^\d{6}$/.test(weight) ? Number(weight) : null,
  };
}
