// The permissive-mode journal: every marking-code decision the lane made (allowed or refused), and the
// administrator's rule switches. Refusals are the violation journal supervisors filter and export.
import type { Database, Statement } from 'better-sqlite3';

export type MarkingOperation = 'sale' | 'return';

export interface MarkingCheckRecord {
  id: string;
  at: string;
  receiptId: string | null;
  actorId: string | null;
  code: string;
  gtin: string | null;
  productId: string | null;
  productGroup: string | null;
  operation: MarkingOperation;
  allowed: boolean;
  rule: string | null;
  checkedBy: string;
  message: { ru: string; en: string };
  reqId: string | null;
  details: Record<string, unknown>;
}

export interface MarkingCheckFilter {
  from?: string;
  to?: string;
  refusedOnly?: boolean;
  rule?: string;
  productGroup?: string;
  limit: number;
}

export interface RuleSwitch {
  productGroup: string;
  rule: string;
  offUntil: string;
  reason: string;
  setBy: string;
  setAt: string;
}

interface CheckRow {
  id: string; at: string; receipt_id: string | null; actor_id: string | null; code: string; gtin: string | null;
  product_id: string | null; product_group: string | null; operation: MarkingOperation; allowed: number; rule: string | null;
  checked_by: string; message_ru: string; message_en: string; req_id: string | null; details: string;
}

export class MarkingJournal {
  private readonly insertCheck: Statement;
  private readonly upsertSwitch: Statement;
  private readonly deleteSwitch: Statement;
  private readonly allSwitches: Statement;

  constructor(private readonly db: Database) {
    this.insertCheck = db.prepare(`INSERT INTO marking_checks
      (id, at, receipt_id, actor_id, code, gtin, product_id, product_group, operation, allowed, rule, checked_by, message_ru, message_en, req_id, details)
      VALUES (@id, @at, @receiptId, @actorId, @code, @gtin, @productId, @productGroup, @operation, @allowed, @rule, @checkedBy, @messageRu, @messageEn, @reqId, @details)`);
    this.upsertSwitch = db.prepare(`INSERT INTO marking_rule_switches (product_group, rule, off_until, reason, set_by, set_at)
      VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (product_group, rule) DO UPDATE SET off_until = excluded.off_until,
      reason = excluded.reason, set_by = excluded.set_by, set_at = excluded.set_at`);
    this.deleteSwitch = db.prepare('DELETE FROM marking_rule_switches WHERE product_group = ? AND rule = ?');
    this.allSwitches = db.prepare('SELECT product_group, rule, off_until, reason, set_by, set_at FROM marking_rule_switches ORDER BY product_group, rule');
  }

  record(check: MarkingCheckRecord): void {
    this.insertCheck.run({
      ...check, allowed: check.allowed ? 1 : 0, messageRu: check.message.ru, messageEn: check.message.en, details: JSON.stringify(check.details),
    });
  }

  /** Newest first. */
  list(filter: MarkingCheckFilter): MarkingCheckRecord[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.from) { where.push('at >= ?'); params.push(filter.from); }
    if (filter.to) { where.push('at < ?'); params.push(filter.to); }
    if (filter.refusedOnly) where.push('allowed = 0');
    if (filter.rule) { where.push('rule = ?'); params.push(filter.rule); }
    if (filter.productGroup) { where.push('product_group = ?'); params.push(filter.productGroup); }
    const sql = `SELECT * FROM marking_checks ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY at DESC, id DESC LIMIT ?`;
    const rows = this.db.prepare(sql).all(...params, filter.limit) as CheckRow[];
    return rows.map((r) => ({
      id: r.id, at: r.at, receiptId: r.receipt_id, actorId: r.actor_id, code: r.code, gtin: r.gtin, productId: r.product_id,
      productGroup: r.product_group, operation: r.operation, allowed: r.allowed === 1, rule: r.rule, checkedBy: r.checked_by,
      message: { ru: r.message_ru, en: r.message_en }, reqId: r.req_id, details: JSON.parse(r.details) as Record<string, unknown>,
    }));
  }

  setSwitch(s: RuleSwitch): void {
    this.upsertSwitch.run(s.productGroup, s.rule, s.offUntil, s.reason, s.setBy, s.setAt);
  }

  clearSwitch(productGroup: string, rule: string): boolean {
    return this.deleteSwitch.run(productGroup, rule).changes > 0;
  }

  switches(): RuleSwitch[] {
    return (this.allSwitches.all() as Array<{ product_group: string; rule: string; off_until: string; reason: string; set_by: string; set_at: string }>)
      .map((r) => ({ productGroup: r.product_group, rule: r.rule, offUntil: r.off_until, reason: r.reason, setBy: r.set_by, setAt: r.set_at }));
  }
}
