// The head office's receipt lookup for returns (GET /v1/receipts, docs/upstream.md): a return may be made
// at any lane of the chain, so a sale this lane does not hold is looked up there, with the quantities
// already returned per line. Kept apart from HqClient (the relay's client) because a cashier waits for
// it: one short request, its own timeout, and an answer that is validated before anyone believes it.
import { z } from 'zod';
import { Sale } from '../contract/model';
import { UpstreamError } from './hq-client';

export const FoundReceipt = z.object({
  /** The head office's document id of the sale (not the Sale's own id, which is sale.id). */
  saleId: z.string(),
  storeId: z.string(),
  laneId: z.string(),
  laneName: z.string(),
  sale: Sale,
  lines: z.array(z.object({ lineId: z.string(), quantityMilli: z.number().int().min(0), returnedMilli: z.number().int().min(0) })),
});
export type FoundReceipt = z.infer<typeof FoundReceipt>;

const LookupReply = z.object({ receipts: z.array(FoundReceipt).max(50) });

export interface ReceiptLookupQuery {
  number?: number;
  fiscalSign?: string;
  /** ФД: the head office matches it on every register's documents, so narrow by the sale it finds. */
  fdNumber?: number;
  from?: string;
  to?: string;
}

export interface ReceiptLookupConfig {
  baseUrl: string;
  token: string;
  /** A cashier is waiting with a buyer: give up quickly and say the head office is unreachable. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export class HqReceiptLookup {
  private readonly baseUrl: string;
  private readonly fetchFn: typeof fetch;

  constructor(private readonly config: ReceiptLookupConfig) {
    this.baseUrl = config.baseUrl.replace(/\/+$/, '');
    this.fetchFn = config.fetch ?? globalThis.fetch;
  }

  /** Sales of any store matching the query, newest first; throws UpstreamError when there is no usable answer. */
  async find(q: ReceiptLookupQuery): Promise<FoundReceipt[]> {
    const params = new URLSearchParams();
    if (q.number !== undefined) params.set('number', String(q.number));
    if (q.fiscalSign !== undefined) params.set('fiscalSign', q.fiscalSign);
    if (q.fdNumber !== undefined) params.set('fdNumber', String(q.fdNumber));
    if (q.from !== undefined) params.set('from', q.from);
    if (q.to !== undefined) params.set('to', q.to);
    let response: Response;
    let text: string;
    try {
      response = await this.fetchFn(`${this.baseUrl}/v1/receipts?${params.toString()}`, {
        headers: { authorization: `Bearer ${this.config.token}`, accept: 'application/json' },
        signal: AbortSignal.timeout(this.config.timeoutMs ?? 4_000),
      });
      text = await response.text();
    } catch (error) {
      throw new UpstreamError('link', 'upstream.unreachable', `the head office did not answer (${error instanceof Error ? error.message : String(error)})`);
    }
    if (!response.ok) {
      const s = response.status;
      const kind = s === 401 || s === 403 ? 'auth' : s >= 500 || s === 408 || s === 429 ? 'link' : 'rejected';
      throw new UpstreamError(kind, `http.${s}`, `the head office answered ${s} to the receipt lookup`, s);
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new UpstreamError('link', 'upstream.garbled', 'the head office answered the receipt lookup with a body that is not JSON', response.status);
    }
    const parsed = LookupReply.safeParse(body);
    if (!parsed.success) throw new UpstreamError('link', 'upstream.garbled', 'the head office sent a receipt lookup of the wrong shape', response.status);
    return parsed.data.receipts;
  }
}
