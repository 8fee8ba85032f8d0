// Returns against a sale (docs/returns.md): what each return receipt returns against, the card refunds it
// asked for, the closed return documents, and the quantities of a sale already returned. Return receipts
// and their lines are ordinary receipts (ReceiptRepository, kind 'return'); their lines carry saleLineId.
import type { Database, Statement } from 'better-sqlite3';
import type { ReturnSaleSource, Sale, SaleReturn } from '../contract';

/** The sale a return receipt returns against, as it was found when the return started. */
export interface ReturnSaleSnapshot {
  sale: Sale;
  /** The lane that sold it, when the head office found it. */
  laneName: string | null;
  /** Per sale line: what other lanes had returned, as the head office reported it (this lane's own taken off). */
  otherLanesReturnedMilli: Record<string, number>;
}

export interface ReturnOrigin {
  receiptId: string;
  saleId: string;
  source: ReturnSaleSource;
  snapshot: ReturnSaleSnapshot;
  reason: string;
  authorisedBy: string | null;
  createdAt: string;
}

export type CardRefundState = 'started' | 'approved' | 'declined' | 'unknown';

export interface CardRefundRecord {
  id: string;
  receiptId: string;
  purchaseOperationId: string;
  amountKopecks: number;
  operationId: string | null;
  state: CardRefundState;
  message: string | null;
  createdAt: string;
}

interface OriginRow { receipt_id: string; sale_id: string; sale_source: ReturnSaleSource; sale: string; reason: string; authorised_by: string | null; created_at: string }
interface RefundRow {
  id: string; receipt_id: string; purchase_operation_id: string; amount_kopecks: number; operation_id: string | null;
  state: CardRefundState; message: string | null; created_at: string;
}
interface ReturnRow { document: string; fiscal_state: string | null; fn_serial: string | null; fd_number: number | null; fiscal_sign: string | null; document_at: string | null }

const RETURN_SELECT = `SELECT r.document, j.state AS fiscal_state, j.fn_serial, j.fd_number, j.fiscal_sign, j.document_at
  FROM sale_returns r LEFT JOIN fiscal_jobs j ON j.id = r.fiscal_job_id`;

export class ReturnRepository {
  private readonly s: {
    insertOrigin: Statement<[string, string, ReturnSaleSource, string, string, string | null, string]>;
    origin: Statement<[string], OriginRow>;
    returned: Statement<[string, string], { line_id: string; q: number }>;
    acknowledged: Statement<[string], { line_id: string; q: number }>;
    codes: Statement<[string, string], { code: string }>;
    insertRefund: Statement<[string, string, string, number, string, string]>;
    settleRefund: Statement<[string | null, CardRefundState, string | null, string, string]>;
    refunds: Statement<[string], RefundRow>;
    refundsOfPurchase: Statement<[string], RefundRow>;
    insertReturn: Statement<[string, string, number, string, string, string, string, number, number, string, string, string]>;
    byId: Statement<[string], ReturnRow>;
    byReceipt: Statement<[string], ReturnRow>;
  };

  constructor(db: Database) {
    this.s = {
      insertOrigin: db.prepare(`INSERT INTO return_receipts (receipt_id, sale_id, sale_source, sale, reason, authorised_by, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?)`),
      origin: db.prepare('SELECT * FROM return_receipts WHERE receipt_id = ?'),
      // Every return of the sale that is not cancelled holds its quantities: closed ones gave them back,
      // open and parked ones are about to (two returns at once must not give back more than was sold).
      returned: db.prepare(`SELECT json_extract(l.line, '$.saleLineId') AS line_id, sum(json_extract(l.line, '$.quantityMilli')) AS q
        FROM return_receipts rr JOIN receipts r ON r.id = rr.receipt_id JOIN receipt_lines l ON l.receipt_id = r.id
        WHERE rr.sale_id = ? AND r.status <> 'cancelled' AND r.id <> ? AND json_extract(l.line, '$.voided') = 0
        GROUP BY line_id`),
      acknowledged: db.prepare(`SELECT json_extract(l.line, '$.saleLineId') AS line_id, sum(json_extract(l.line, '$.quantityMilli')) AS q
        FROM sale_returns sr JOIN outbox o ON o.id = sr.outbox_id JOIN receipt_lines l ON l.receipt_id = sr.receipt_id
        WHERE sr.sale_id = ? AND o.state = 'sent' AND json_extract(l.line, '$.voided') = 0
        GROUP BY line_id`),
      codes: db.prepare(`SELECT json_extract(l.line, '$.markingCode') AS code
        FROM return_receipts rr JOIN receipts r ON r.id = rr.receipt_id JOIN receipt_lines l ON l.receipt_id = r.id
        WHERE rr.sale_id = ? AND r.status <> 'cancelled' AND r.id <> ? AND json_extract(l.line, '$.voided') = 0
          AND json_extract(l.line, '$.markingCode') IS NOT NULL`),
      insertRefund: db.prepare(`INSERT INTO return_card_refunds (id, receipt_id, purchase_operation_id, amount_kopecks, state, created_at, updated_at)
        VALUES (?, ?, ?, ?, 'started', ?, ?)`),
      settleRefund: db.prepare(`UPDATE return_card_refunds SET operation_id = coalesce(?, operation_id), state = ?, message = ?, updated_at = ?
        WHERE id = ?`),
      refunds: db.prepare('SELECT * FROM return_card_refunds WHERE receipt_id = ? ORDER BY created_at, rowid'),
      refundsOfPurchase: db.prepare('SELECT * FROM return_card_refunds WHERE purchase_operation_id = ? ORDER BY created_at, rowid'),
      insertReturn: db.prepare(`INSERT INTO sale_returns (id, receipt_id, number, sale_id, shift_id, closed_at, cashier_id, total_kopecks,
        cash_kopecks, fiscal_job_id, document, outbox_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      byId: db.prepare(`${RETURN_SELECT} WHERE r.id = ?`),
      byReceipt: db.prepare(`${RETURN_SELECT} WHERE r.receipt_id = ?`),
    };
  }

  addOrigin(o: ReturnOrigin): void {
    this.s.insertOrigin.run(o.receiptId, o.saleId, o.source, JSON.stringify(o.snapshot), o.reason, o.authorisedBy, o.createdAt);
  }

  origin(receiptId: string): ReturnOrigin | null {
    const r = this.s.origin.get(receiptId);
    return r ? { receiptId: r.receipt_id, saleId: r.sale_id, source: r.sale_source, snapshot: JSON.parse(r.sale) as ReturnSaleSnapshot,
      reason: r.reason, authorisedBy: r.authorised_by, createdAt: r.created_at } : null;
  }

  /** Per sale line: quantities this lane's returns of the sale hold (closed, open or parked), without one receipt's. */
  returnedMilli(saleId: string, exceptReceiptId = ''): Map<string, number> {
    return new Map(this.s.returned.all(saleId, exceptReceiptId).map((r) => [r.line_id, r.q]));
  }

  /** Per sale line: quantities of this lane's closed returns the head office has acknowledged. */
  acknowledgedMilli(saleId: string): Map<string, number> {
    return new Map(this.s.acknowledged.all(saleId).map((r) => [r.line_id, r.q]));
  }

  /** Marking codes already on this lane's returns of the sale (closed, open or parked), without one receipt's. */
  returnedCodes(saleId: string, exceptReceiptId = ''): string[] {
    return this.s.codes.all(saleId, exceptReceiptId).map((r) => r.code);
  }

  /** Written before the terminal hears of the refund (the caller's transaction, or its own statement). */
  startRefund(r: { id: string; receiptId: string; purchaseOperationId: string; amountKopecks: number; at: string }): void {
    this.s.insertRefund.run(r.id, r.receiptId, r.purchaseOperationId, r.amountKopecks, r.at, r.at);
  }

  settleRefund(id: string, r: { operationId: string | null; state: CardRefundState; message: string | null; at: string }): void {
    this.s.settleRefund.run(r.operationId, r.state, r.message, r.at, id);
  }

  refunds(receiptId: string): CardRefundRecord[] {
    return this.s.refunds.all(receiptId).map(toRefund);
  }

  refundsOfPurchase(purchaseOperationId: string): CardRefundRecord[] {
    return this.s.refundsOfPurchase.all(purchaseOperationId).map(toRefund);
  }

  /** The closed return, in the caller's transaction (with its receipt's status, its fiscal job, outbox row and audit record). */
  insertReturn(doc: SaleReturn, cashKopecks: number, fiscalJobId: string, outboxId: string): void {
    this.s.insertReturn.run(doc.id, doc.receiptId, doc.number, doc.sale.id, doc.shiftId, doc.closedAt, doc.cashier.id,
      doc.totals.totalKopecks, cashKopecks, fiscalJobId, JSON.stringify(doc), outboxId);
  }

  byId(id: string): SaleReturn | null {
    const row = this.s.byId.get(id);
    return row ? withFiscalState(row) : null;
  }

  byReceipt(receiptId: string): SaleReturn | null {
    const row = this.s.byReceipt.get(receiptId);
    return row ? withFiscalState(row) : null;
  }
}

function toRefund(r: RefundRow): CardRefundRecord {
  return { id: r.id, receiptId: r.receipt_id, purchaseOperationId: r.purchase_operation_id, amountKopecks: r.amount_kopecks,
    operationId: r.operation_id, state: r.state, message: r.message, createdAt: r.created_at };
}

/** The return as closed, with what the fiscal service has since learned: 'failed' = parked for a person. */
function withFiscalState(row: ReturnRow): SaleReturn {
  const doc = JSON.parse(row.document) as SaleReturn;
  const state = row.fiscal_state === 'done' ? 'done' : row.fiscal_state === 'manual' ? 'failed' : 'pending';
  const fiscalDocument = state === 'done' && row.fd_number !== null && row.fiscal_sign !== null && row.fn_serial !== null
    ? { fnSerial: row.fn_serial, fdNumber: row.fd_number, fiscalSign: row.fiscal_sign, dateTime: row.document_at }
    : null;
  return { ...doc, fiscalState: state, fiscalDocument };
}
