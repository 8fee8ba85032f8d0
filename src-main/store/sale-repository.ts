// Closed sales (append-only documents) and the fiscal jobs they leave for the fiscal service.
import { createHash } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import type { Sale, SaleSummary } from '../contract';

interface SaleRow {
  document: string;
  fiscal_state: string | null;
  fn_serial: string | null;
  fd_number: number | null;
  fiscal_sign: string | null;
  document_at: string | null;
}

export class SaleRepository {
  private readonly insertStmt: Statement<[string, string, number, string, string, string, number, number, string]>;
  private readonly insertJobStmt: Statement<[string, string, string, string, string, string, string]>;
  private readonly byIdStmt: Statement<[string], SaleRow>;
  private readonly journalStmt: Statement<[number, number], SaleRow>;

  constructor(db: Database) {
    this.insertStmt = db.prepare(`INSERT INTO sales
      (id, receipt_id, number, shift_id, closed_at, cashier_id, total_kopecks, cash_kopecks, document)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.insertJobStmt = db.prepare(`INSERT INTO fiscal_jobs
      (id, sale_id, kind, state, payload, payload_hash, created_at, updated_at) VALUES (?, ?, ?, 'pending', ?, ?, ?, ?)`);
    const select = `SELECT s.document, j.state AS fiscal_state, j.fn_serial, j.fd_number, j.fiscal_sign, j.document_at
      FROM sales s LEFT JOIN fiscal_jobs j ON j.sale_id = s.id`;
    this.byIdStmt = db.prepare(`${select} WHERE s.id = ?`);
    this.journalStmt = db.prepare(`${select} WHERE s.number < ? ORDER BY s.number DESC LIMIT ?`);
  }

  insert(sale: Sale, cashKopecks: number): void {
    this.insertStmt.run(sale.id, sale.receiptId, sale.number, sale.shiftId, sale.closedAt, sale.cashier.id,
      sale.totals.totalKopecks, cashKopecks, JSON.stringify(sale));
  }

  /** The fiscal job the fiscal-register service will execute: written with the sale, in its transaction. */
  addFiscalJob(job: { id: string; saleId: string; kind: 'sale'; payload: unknown; at: string }): void {
    const payload = JSON.stringify(job.payload);
    const hash = createHash('sha256').update(payload).digest('hex');
    this.insertJobStmt.run(job.id, job.saleId, job.kind, payload, hash, job.at, job.at);
  }

  byId(id: string): Sale | null {
    const row = this.byIdStmt.get(id);
    return row ? withFiscalState(row) : null;
  }

  journal(limit: number, beforeNumber = Number.MAX_SAFE_INTEGER): SaleSummary[] {
    return this.journalStmt.all(beforeNumber, limit).map((row) => {
      const sale = withFiscalState(row);
      return {
        id: sale.id, number: sale.number, closedAt: sale.closedAt, cashierName: sale.cashier.name,
        totalKopecks: sale.totals.totalKopecks, lineCount: sale.totals.lineCount, fiscalState: sale.fiscalState,
      };
    });
  }
}

/** The sale as closed, with what the fiscal service has since learned: 'failed' = parked for a person. */
function withFiscalState(row: SaleRow): Sale {
  const sale = JSON.parse(row.document) as Sale;
  const state = row.fiscal_state === 'done' ? 'done' : row.fiscal_state === 'manual' ? 'failed' : 'pending';
  const fiscalDocument = state === 'done' && row.fd_number !== null && row.fiscal_sign !== null && row.fn_serial !== null
    ? { fnSerial: row.fn_serial, fdNumber: row.fd_number, fiscalSign: row.fiscal_sign, dateTime: row.document_at }
    : null;
  return { ...sale, fiscalState: state, fiscalDocument };
}
