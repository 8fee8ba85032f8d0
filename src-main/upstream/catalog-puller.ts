// Pulls the store's catalog from the head office with a cursor: only what changed since the cursor
// the lane last applied. Each page goes to apply(), which must store the page's items AND its cursor
// in one transaction of the catalog database — the cursor is read back through cursor(), so a crash
// between pages resumes exactly after the last applied page.
import { HqClient, UpstreamError, type CatalogPage, type HqLinkConfig } from './hq-client';

export interface CatalogPullerOptions extends HqLinkConfig {
  /** The cursor stored with the last applied page; null or '0' = from the beginning. */
  cursor(): string | null | Promise<string | null>;
  /**
   * Applies one page. first/last tell where the page sits in this pull, for an applier that stages
   * pages and swaps them in at the last one so a many-page change is never visible half applied.
   */
  apply(page: CatalogPage, position: { first: boolean; last: boolean }): void | Promise<void>;
  /** Items per page; default 1000 (the head office allows up to 5000). */
  pageSize?: number;
}

export interface CatalogPullResult {
  pages: number;
  items: number;
  cursor: string;
}

export class CatalogPuller {
  private readonly client: HqClient;
  private readonly pageSize: number;
  private running: Promise<CatalogPullResult> | null = null;

  constructor(private readonly options: CatalogPullerOptions) {
    this.client = new HqClient(options);
    this.pageSize = Math.min(5000, Math.max(1, options.pageSize ?? 1000));
  }

  /** Pulls until the head office has nothing newer. A pull already in flight is joined, not doubled. */
  pull(signal?: AbortSignal): Promise<CatalogPullResult> {
    this.running ??= this.pullPages(signal).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async pullPages(signal?: AbortSignal): Promise<CatalogPullResult> {
    let cursor = (await this.options.cursor()) ?? '0';
    const result: CatalogPullResult = { pages: 0, items: 0, cursor };
    for (;;) {
      const page = await this.client.catalogPage(cursor, this.pageSize, signal);
      checkPage(page, cursor);
      if (page.items.length > 0) {
        await this.options.apply(page, { first: result.pages === 0, last: !page.more });
        result.pages++;
        result.items += page.items.length;
      }
      cursor = page.cursor;
      result.cursor = cursor;
      if (!page.more || page.items.length === 0) return result;
    }
  }
}

/** Cursors only move forward; a page that says otherwise is not applied. */
function checkPage(page: CatalogPage, after: string): void {
  let previous = BigInt(after);
  for (const item of page.items) {
    const c = BigInt(item.cursor);
    if (c <= previous) throw new UpstreamError('link', 'upstream.garbled', `catalog page out of order at cursor ${item.cursor}`);
    if (!item.deleted && item.product === null) throw new UpstreamError('link', 'upstream.garbled', `catalog item ${item.id} has no product`);
    previous = c;
  }
  if (BigInt(page.cursor) !== previous) throw new UpstreamError('link', 'upstream.garbled', 'catalog page cursor does not match its items');
}
