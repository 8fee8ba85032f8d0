// Shifts and cash moves.
import type { Database, Statement } from 'better-sqlite3';
import type { Shift } from '../contract';

interface ShiftRow { id: string; number: number; opened_at: string; opened_by: string; closed_at: string | null }

export interface ShiftTotals {
  salesCount: number;
  salesTotalKopecks: number;
  cashSalesKopecks: number;
  cashInKopecks: number;
  cashOutKopecks: number;
  openReceipts: number;
  /** Returns closed in the shift, their total, and the cash paid out for them (docs/returns.md). */
  returnsCount: number;
  returnsTotalKopecks: number;
  cashRefundsKopecks: number;
}

export class ShiftRepository {
  private readonly currentStmt: Statement<[], ShiftRow>;
  private readonly byIdStmt: Statement<[string], ShiftRow>;
  private readonly insertStmt: Statement<[string, number, string, string]>;
  private readonly closeStmt: Statement<[string, string, string]>;
  private readonly insertMoveStmt: Statement<[string, string, string, number, string, string, string]>;
  private readonly salesStmt: Statement<[string], { n: number; total: number; cash: number }>;
  private readonly movesStmt: Statement<[string], { cash_in: number; cash_out: number }>;
  private readonly openReceiptsStmt: Statement<[string], { n: number }>;
  private readonly returnsStmt: Statement<[string], { n: number; total: number; cash: number }>;

  constructor(db: Database) {
    this.currentStmt = db.prepare('SELECT * FROM shifts WHERE closed_at IS NULL');
    this.byIdStmt = db.prepare('SELECT * FROM shifts WHERE id = ?');
    this.insertStmt = db.prepare('INSERT INTO shifts (id, number, opened_at, opened_by) VALUES (?, ?, ?, ?)');
    this.closeStmt = db.prepare('UPDATE shifts SET closed_at = ?, closed_by = ? WHERE id = ? AND closed_at IS NULL');
    this.insertMoveStmt = db.prepare(
      'INSERT INTO cash_moves (id, shift_id, direction, amount_kopecks, comment, user_id, at) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.salesStmt = db.prepare(
      'SELECT count(*) AS n, coalesce(sum(total_kopecks), 0) AS total, coalesce(sum(cash_kopecks), 0) AS cash FROM sales WHERE shift_id = ?');
    this.movesStmt = db.prepare(`SELECT
        coalesce(sum(CASE WHEN direction = 'in' THEN amount_kopecks END), 0) AS cash_in,
        coalesce(sum(CASE WHEN direction = 'out' THEN amount_kopecks END), 0) AS cash_out
      FROM cash_moves WHERE shift_id = ?`);
    this.openReceiptsStmt = db.prepare(
      "SELECT count(*) AS n FROM receipts WHERE shift_id = ? AND status IN ('open','parked') AND total_kopecks > 0");
    this.returnsStmt = db.prepare(
      'SELECT count(*) AS n, coalesce(sum(total_kopecks), 0) AS total, coalesce(sum(cash_kopecks), 0) AS cash FROM sale_returns WHERE shift_id = ?');
  }

  current(): Shift | null {
    const row = this.currentStmt.get();
    return row ? toShift(row) : null;
  }

  byId(id: string): Shift | null {
    const row = this.byIdStmt.get(id);
    return row ? toShift(row) : null;
  }

  open(shift: { id: string; number: number; openedAt: string; openedBy: string }): void {
    this.insertStmt.run(shift.id, shift.number, shift.openedAt, shift.openedBy);
  }

  close(id: string, closedAt: string, closedBy: string): boolean {
    return this.closeStmt.run(closedAt, closedBy, id).changes === 1;
  }

  addCashMove(move: { id: string; shiftId: string; direction: 'in' | 'out'; amountKopecks: number; comment: string; userId: string; at: string }): void {
    this.insertMoveStmt.run(move.id, move.shiftId, move.direction, move.amountKopecks, move.comment, move.userId, move.at);
  }

  totals(shiftId: string): ShiftTotals {
    const sales = this.salesStmt.get(shiftId)!;
    const moves = this.movesStmt.get(shiftId)!;
    const returns = this.returnsStmt.get(shiftId)!;
    return {
      salesCount: sales.n,
      salesTotalKopecks: sales.total,
      cashSalesKopecks: sales.cash,
      cashInKopecks: moves.cash_in,
      cashOutKopecks: moves.cash_out,
      openReceipts: this.openReceiptsStmt.get(shiftId)!.n,
      returnsCount: returns.n,
      returnsTotalKopecks: returns.total,
      cashRefundsKopecks: returns.cash,
    };
  }
}

function toShift(row: ShiftRow): Shift {
  return {
    id: row.id, number: row.number, openedAt: row.opened_at, openedBy: row.opened_by,
    closedAt: row.closed_at, status: row.closed_at === null ? 'open' : 'closed',
  };
}
