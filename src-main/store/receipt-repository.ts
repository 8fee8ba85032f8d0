// Receipts in progress (open or parked) and their lines. A receipt's lines are rows, so a scan
// writes one small row rather than rewriting the whole receipt.
import type { Database, Statement } from 'better-sqlite3';
import type { Receipt, ReceiptLine, ReceiptStatus, ReceiptSummary, ReceiptTotals } from '../contract';

interface ReceiptRow { id: string; shift_id: string; cashier_id: string; status: ReceiptStatus; opened_at: string; total_kopecks: number; kind: ReceiptKind }

/** A sale, or a return against a sale (docs/returns.md): both are receipts, one on screen at a time. */
export type ReceiptKind = 'sale' | 'return';

export interface ReceiptHeader {
  id: string;
  shiftId: string;
  cashierId: string;
  status: ReceiptStatus;
  openedAt: string;
  /** Absent on insert means a sale. */
  kind?: ReceiptKind;
}

export class ReceiptRepository {
  private readonly headerStmt: Statement<[string], ReceiptRow>;
  private readonly linesStmt: Statement<[string], { line: string }>;
  private readonly insertStmt: Statement<[string, string, string, string, string, string, ReceiptKind]>;
  private readonly statusStmt: Statement<[string, string, string]>;
  private readonly totalStmt: Statement<[number, string, string]>;
  private readonly insertLineStmt: Statement<[{ id: string; receipt: string; line: string }]>;
  private readonly updateLineStmt: Statement<[string, string, string]>;
  private readonly activeStmt: Statement<[], ReceiptRow & { line_count: number; first_line: string | null }>;
  private readonly currentOpenStmt: Statement<[], ReceiptRow>;

  constructor(private readonly db: Database) {
    this.headerStmt = db.prepare('SELECT * FROM receipts WHERE id = ?');
    this.linesStmt = db.prepare('SELECT line FROM receipt_lines WHERE receipt_id = ? ORDER BY position');
    this.insertStmt = db.prepare(
      'INSERT INTO receipts (id, shift_id, cashier_id, status, opened_at, updated_at, kind) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.statusStmt = db.prepare('UPDATE receipts SET status = ?, updated_at = ? WHERE id = ?');
    this.totalStmt = db.prepare('UPDATE receipts SET total_kopecks = ?, updated_at = ? WHERE id = ?');
    this.insertLineStmt = db.prepare(
      'INSERT INTO receipt_lines (id, receipt_id, position, line) VALUES (@id, @receipt, (SELECT coalesce(max(position), 0) + 1 FROM receipt_lines WHERE receipt_id = @receipt), @line)');
    this.updateLineStmt = db.prepare('UPDATE receipt_lines SET line = ? WHERE id = ? AND receipt_id = ?');
    this.activeStmt = db.prepare(`
      SELECT r.*,
        (SELECT count(*) FROM receipt_lines l WHERE l.receipt_id = r.id AND json_extract(l.line, '$.voided') = 0) AS line_count,
        (SELECT json_extract(l.line, '$.name') FROM receipt_lines l WHERE l.receipt_id = r.id ORDER BY position LIMIT 1) AS first_line
      FROM receipts r WHERE r.status IN ('open', 'parked') ORDER BY r.opened_at, r.id`);
    this.currentOpenStmt = db.prepare("SELECT * FROM receipts WHERE status = 'open' ORDER BY updated_at DESC LIMIT 1");
  }

  header(id: string): ReceiptHeader | null {
    const row = this.headerStmt.get(id);
    return row ? toHeader(row) : null;
  }

  lines(id: string): ReceiptLine[] {
    return this.linesStmt.all(id).map((r) => JSON.parse(r.line) as ReceiptLine);
  }

  insert(header: ReceiptHeader, atIso: string): void {
    this.insertStmt.run(header.id, header.shiftId, header.cashierId, header.status, header.openedAt, atIso, header.kind ?? 'sale');
  }

  setStatus(id: string, status: ReceiptStatus, atIso: string): void {
    this.statusStmt.run(status, atIso, id);
  }

  setTotal(id: string, totals: ReceiptTotals, atIso: string): void {
    this.totalStmt.run(totals.totalKopecks, atIso, id);
  }

  addLine(receiptId: string, line: ReceiptLine): void {
    this.insertLineStmt.run({ id: line.id, receipt: receiptId, line: JSON.stringify(line) });
  }

  updateLine(receiptId: string, line: ReceiptLine): void {
    this.updateLineStmt.run(JSON.stringify(line), line.id, receiptId);
  }

  /** Open and parked receipts, oldest first. */
  active(): ReceiptSummary[] {
    return this.activeStmt.all().map((r) => ({
      id: r.id, status: r.status, kind: r.kind, openedAt: r.opened_at, totalKopecks: r.total_kopecks,
      lineCount: r.line_count, firstLineName: r.first_line,
    }));
  }

  /**
   * The open or parked receipt holding this marking code on an active line, or null: one physical item
   * (one code) cannot be on two receipts of the lane at once. Found through the line's indexed
   * marking_code column (sales migration 7), so it costs the same however many receipts the lane keeps.
   */
  holderOfMarkingCode(code: string): string | null {
    this.holderStmt ??= this.db.prepare(`SELECT r.id FROM receipts r JOIN receipt_lines l ON l.receipt_id = r.id
      WHERE l.marking_code = ? AND r.status IN ('open','parked') AND json_extract(l.line, '$.voided') = 0 LIMIT 1`);
    const row = this.holderStmt.get(code) as { id: string } | undefined;
    return row?.id ?? null;
  }

  private holderStmt: Statement | null = null;

  /** The receipt on the screen, if any: at most one is 'open', the rest are parked. */
  currentOpen(): ReceiptHeader | null {
    const row = this.currentOpenStmt.get();
    return row ? toHeader(row) : null;
  }

  assemble(header: ReceiptHeader, lines: ReceiptLine[], totals: ReceiptTotals): Receipt {
    return { id: header.id, status: header.status, openedAt: header.openedAt, cashierId: header.cashierId, shiftId: header.shiftId, lines, totals };
  }
}

function toHeader(row: ReceiptRow): ReceiptHeader {
  return { id: row.id, shiftId: row.shift_id, cashierId: row.cashier_id, status: row.status, openedAt: row.opened_at, kind: row.kind };
}
