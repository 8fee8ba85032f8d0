// Finding a closed sale of this lane by what the buyer's receipt shows: the receipt number, the fiscal
// document number (ФД), the fiscal sign (ФП) or when it was made. For returns (docs/returns.md).
import type { Database, Statement } from 'better-sqlite3';

export interface SaleQuery {
  number?: number;
  fdNumber?: number;
  /** Digits as printed; leading zeros do not matter. */
  fiscalSign?: string;
  /** ISO times: closedFrom ≤ closed_at < closedTo. */
  closedFrom?: string;
  closedTo?: string;
  limit: number;
}

type Params = { number: number | null; fd: number | null; sign: string | null; from: string | null; to: string | null; limit: number };

export class SaleFinder {
  private readonly findStmt: Statement<[Params], { id: string }>;

  constructor(db: Database) {
    this.findStmt = db.prepare(`SELECT s.id FROM sales s LEFT JOIN fiscal_jobs j ON j.sale_id = s.id
      WHERE (@number IS NULL OR s.number = @number)
        AND (@fd IS NULL OR j.fd_number = @fd)
        AND (@sign IS NULL OR j.fiscal_sign = @sign)
        AND (@from IS NULL OR s.closed_at >= @from)
        AND (@to IS NULL OR s.closed_at < @to)
      ORDER BY s.closed_at DESC, s.number DESC LIMIT @limit`);
  }

  /** Sale ids, newest first. */
  find(q: SaleQuery): string[] {
    const sign = q.fiscalSign === undefined ? null : q.fiscalSign.replace(/^0+(?=\d)/, '');
    return this.findStmt.all({ number: q.number ?? null, fd: q.fdNumber ?? null, sign, from: q.closedFrom ?? null, to: q.closedTo ?? null, limit: q.limit })
      .map((r) => r.id);
  }
}
