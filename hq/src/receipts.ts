// Receipt lookup for returns: a return may be made at any lane of any store, so the search runs over
// the whole chain (optionally one store). Each sale comes with the quantities already returned per
// line, summed from returned_lines (filled by return documents once the lane sends them).
import type { Sale } from '../../src-main/contract/model';
import type { Sql } from './db';

export interface ReceiptQuery {
  number?: number;
  fiscalSign?: string;
  /** ФД: unique per FN only, so a search by it may find sales of several registers. */
  fdNumber?: number;
  from?: string;
  to?: string;
  storeId?: string;
  limit: number;
}

export interface FoundReceipt {
  saleId: string;
  storeId: string;
  laneId: string;
  laneName: string;
  sale: Sale;
  lines: { lineId: string; quantityMilli: number; returnedMilli: number }[];
}

export async function findReceipts(db: Sql, q: ReceiptQuery): Promise<FoundReceipt[]> {
  const rows = await db.query<{ document_id: string; store_id: string; lane_id: string; lane_name: string; payload: Sale; returned: Record<string, number | string>;
    fiscal_sign: string | null; fd_number: string | number | null; fn_serial: string | null }>(
    `SELECT s.document_id, s.store_id, s.lane_id, l.name AS lane_name, d.payload, s.fiscal_sign, s.fd_number, s.fn_serial,
            COALESCE((SELECT jsonb_object_agg(r.line_id, r.q) FROM (
                SELECT line_id, sum(quantity_milli) AS q FROM returned_lines WHERE sale_document_id = s.document_id GROUP BY line_id) r),
              '{}'::jsonb) AS returned
       FROM sales s JOIN documents d ON d.id = s.document_id JOIN lanes l ON l.id = s.lane_id
      WHERE ($1::int IS NULL OR s.number = $1) AND ($2::text IS NULL OR s.fiscal_sign = $2)
        AND ($3::timestamptz IS NULL OR s.closed_at >= $3) AND ($4::timestamptz IS NULL OR s.closed_at < $4)
        AND ($5::text IS NULL OR s.store_id = $5) AND ($7::bigint IS NULL OR s.fd_number = $7)
      ORDER BY s.closed_at DESC, s.document_id LIMIT $6`,
    [q.number ?? null, q.fiscalSign ?? null, q.from ?? null, q.to ?? null, q.storeId ?? null, q.limit, q.fdNumber ?? null]);
  return rows.map((r) => ({
    saleId: r.document_id, storeId: r.store_id, laneId: r.lane_id, laneName: r.lane_name, sale: withFiscalDocument(r.payload, r),
    lines: r.payload.lines.filter((l) => !l.voided).map((l) => ({ lineId: l.id, quantityMilli: l.quantityMilli, returnedMilli: Number(r.returned[l.id] ?? 0) })),
  }));
}

/**
 * The sale as sent closed carries no fiscal document (the register made it later); the one its lane sent
 * since (fiscal.document, projected onto the lookup row) is put on it, as the selling lane shows it.
 */
function withFiscalDocument(sale: Sale, r: { fiscal_sign: string | null; fd_number: string | number | null; fn_serial: string | null }): Sale {
  if (sale.fiscalDocument || r.fiscal_sign === null || r.fd_number === null || r.fn_serial === null) return sale;
  return { ...sale, fiscalState: 'done', fiscalDocument: { fnSerial: r.fn_serial, fdNumber: Number(r.fd_number), fiscalSign: r.fiscal_sign, dateTime: null } };
}
