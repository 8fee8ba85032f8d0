// Finding the sale a buyer brings back: this lane's database first, then the head office's receipt lookup
// (a return is accepted at any lane of the chain). Each sale comes with what may still be returned of
// each line: sold, less what this lane's returns hold, less what the head office reports other lanes
// returned. The sales found are remembered for a while, so that starting a return uses exactly what the
// cashier saw (a sale of another lane exists here only as that answer).
import type { FoundSale, LocalizedText, ReturnSaleSource, ReturnSearch, Sale } from '../../contract';
import { otherLanesReturnedMilli, returnableMilli } from '../../domain/return-caps';
import type { ReturnRepository, ReturnSaleSnapshot } from '../../store/return-repository';
import type { SaleFinder } from '../../store/sale-finder';
import type { SaleRepository } from '../../store/sale-repository';
import type { FoundReceipt, HqReceiptLookup, ReceiptLookupQuery } from '../../upstream/receipt-lookup';
import type { Clock } from '../clock';
import { errors } from '../../app/errors';
import { returnErrors } from './return-errors';

export type HeadOfficeLookup = 'notConfigured' | 'asked' | 'unreachable';

/** How long a search's answer may be used to start a return. */
const FOUND_TTL_MS = 15 * 60_000;
const MAX_FOUND = 20;

export interface ReturnLookupDeps {
  sales: Pick<SaleRepository, 'byId'>;
  finder: SaleFinder;
  returns: Pick<ReturnRepository, 'returnedMilli' | 'acknowledgedMilli'>;
  /** Null when the lane has no head office. */
  headOffice: Pick<HqReceiptLookup, 'find'> | null;
  /** False while the relay sees the link down: the cashier is not kept waiting for a dead link. */
  linkUsable: () => boolean;
  clock: Clock;
}

export interface FoundForReturn {
  source: ReturnSaleSource;
  snapshot: ReturnSaleSnapshot;
}

export class ReturnLookup {
  private readonly found = new Map<string, FoundForReturn & { atMs: number }>();

  constructor(private readonly deps: ReturnLookupDeps) {}

  async search(query: ReturnSearch): Promise<{ sales: FoundSale[]; headOffice: HeadOfficeLookup }> {
    const q = withUtcTimes(query);
    const local = this.deps.finder.find({ ...q, number: q.saleNumber, limit: MAX_FOUND })
      .map((id) => this.deps.sales.byId(id)).filter((s): s is Sale => s !== null);
    const { remote, headOffice } = await this.askHeadOffice(q);
    const results: FoundForReturn[] = [];
    for (const sale of local) {
      // This lane's sale as the head office knows it: what other lanes returned of it.
      const there = remote.find((r) => r.sale.id === sale.id);
      results.push({ source: 'lane', snapshot: { sale, laneName: null, otherLanesReturnedMilli: there ? this.otherLanes(sale.id, there) : {} } });
    }
    for (const r of remote) {
      if (local.some((s) => s.id === r.sale.id)) continue;
      results.push({ source: 'headOffice', snapshot: { sale: r.sale, laneName: r.laneName, otherLanesReturnedMilli: this.otherLanes(r.sale.id, r) } });
    }
    if (results.length === 0) throw returnErrors.saleNotFound(headOffice);
    const nowMs = this.deps.clock.nowMs();
    for (const f of results.slice(0, MAX_FOUND)) this.found.set(f.snapshot.sale.id, { ...f, atMs: nowMs });
    this.forgetOld(nowMs);
    return { sales: results.slice(0, MAX_FOUND).map((f) => this.describe(f)), headOffice };
  }

  /** The sale as the cashier's search found it (or, for this lane's own sales, as the database has it now). */
  forReturn(saleId: string): FoundForReturn {
    const nowMs = this.deps.clock.nowMs();
    const hit = this.found.get(saleId);
    const local = this.deps.sales.byId(saleId);
    if (local) return { source: 'lane', snapshot: { sale: local, laneName: null, otherLanesReturnedMilli: hit && nowMs - hit.atMs <= FOUND_TTL_MS ? hit.snapshot.otherLanesReturnedMilli : {} } };
    if (!hit || nowMs - hit.atMs > FOUND_TTL_MS) throw returnErrors.searchAgain(saleId);
    return { source: hit.source, snapshot: hit.snapshot };
  }

  /** The found sale as the search dialog shows it: lines with what may still come back, and why it cannot when it cannot. */
  describe(f: FoundForReturn): FoundSale {
    const { sale } = f.snapshot;
    const lines = returnableLines(sale, this.deps.returns.returnedMilli(sale.id), f.snapshot.otherLanesReturnedMilli);
    return {
      saleId: sale.id, number: sale.number, closedAt: sale.closedAt, totalKopecks: sale.totals.totalKopecks, cashierName: sale.cashier.name,
      source: f.source, laneName: f.snapshot.laneName,
      fiscalDocument: sale.fiscalDocument ? { fdNumber: sale.fiscalDocument.fdNumber, fiscalSign: sale.fiscalDocument.fiscalSign } : null,
      paidBy: [...new Set(sale.payments.map((p) => p.method))],
      lines,
      refusal: refusalOf(sale, lines),
    };
  }

  private async askHeadOffice(q: ReturnSearch): Promise<{ remote: FoundReceipt[]; headOffice: HeadOfficeLookup }> {
    if (!this.deps.headOffice) return { remote: [], headOffice: 'notConfigured' };
    const query: ReceiptLookupQuery = {
      ...(q.saleNumber !== undefined ? { number: q.saleNumber } : {}), ...(q.fiscalSign !== undefined ? { fiscalSign: q.fiscalSign.replace(/^0+(?=\d)/, '') } : {}),
      ...(q.fdNumber !== undefined ? { fdNumber: q.fdNumber } : {}),
      ...(q.closedFrom !== undefined ? { from: q.closedFrom } : {}), ...(q.closedTo !== undefined ? { to: q.closedTo } : {}),
    };
    if (!this.deps.linkUsable()) return { remote: [], headOffice: 'unreachable' };
    try {
      const remote = await this.deps.headOffice.find(query);
      return { remote, headOffice: 'asked' };
    } catch {
      return { remote: [], headOffice: 'unreachable' };
    }
  }

  private otherLanes(saleId: string, r: FoundReceipt): Record<string, number> {
    const acknowledged = this.deps.returns.acknowledgedMilli(saleId);
    const out: Record<string, number> = {};
    for (const l of r.lines) {
      const other = otherLanesReturnedMilli(l.returnedMilli, acknowledged.get(l.lineId) ?? 0);
      if (other > 0) out[l.lineId] = other;
    }
    return out;
  }

  private forgetOld(nowMs: number): void {
    for (const [id, f] of this.found) if (nowMs - f.atMs > FOUND_TTL_MS) this.found.delete(id);
  }
}

/** Times as the database keeps them (UTC, toISOString), whatever offset the caller wrote them with. */
function withUtcTimes(q: ReturnSearch): ReturnSearch {
  const utc = (iso: string | undefined, name: string): string | undefined => {
    if (iso === undefined) return undefined;
    const ms = Date.parse(iso);
    if (Number.isNaN(ms)) throw errors.badRequest([`${name}: an ISO 8601 time`]);
    return new Date(ms).toISOString();
  };
  const closedFrom = utc(q.closedFrom, 'closedFrom');
  const closedTo = utc(q.closedTo, 'closedTo');
  return { ...q, ...(closedFrom ? { closedFrom } : {}), ...(closedTo ? { closedTo } : {}) };
}

/** The sale's active lines with what this lane's returns hold and other lanes returned taken off. */
export function returnableLines(sale: Sale, localReturned: ReadonlyMap<string, number>, otherLanes: Readonly<Record<string, number>>): FoundSale['lines'] {
  return sale.lines.filter((l) => !l.voided).map((l) => {
    const returnedMilli = Math.min(l.quantityMilli, (localReturned.get(l.id) ?? 0) + (otherLanes[l.id] ?? 0));
    return {
      lineId: l.id, productId: l.productId, name: l.name, unit: l.unit, weighed: l.weighed, marking: l.marking, priceKopecks: l.priceKopecks,
      quantityMilli: l.quantityMilli, amountKopecks: l.amountKopecks, returnedMilli, returnableMilli: returnableMilli(l.quantityMilli, returnedMilli),
    };
  });
}

/** Why a sale cannot be returned at this till, or null. */
export function refusalOf(sale: Sale, lines: FoundSale['lines']): LocalizedText | null {
  if (sale.payments.some((p) => p.method === 'internal' || p.method === 'bonus')) {
    return { ru: 'Чек оплачен сертификатом, в кредит или бонусами: такой возврат оформляет администратор, не касса.',
      en: 'The sale was paid with a certificate, credit or bonus points: such a return is made by the administrator, not at the till.' };
  }
  if (sale.fiscalState === 'failed') {
    return { ru: 'Чек продажи не пробит на кассе (фискальное задание ждёт старшего кассира): сначала разберите его.',
      en: 'The sale was never fiscalised (its fiscal job waits for a supervisor): sort that out first.' };
  }
  if (lines.every((l) => l.returnableMilli === 0)) {
    return { ru: 'Всё по этому чеку уже возвращено (или уже в другом возврате, открытом или отложенном).',
      en: 'Everything on this receipt has already been returned (or is on another return, open or parked).' };
  }
  return null;
}
