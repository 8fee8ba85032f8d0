// The permissive mode at the checkout: a marked item is added only after its code is checked (online,
// offline or through ТС ПИоТ) and the rules allow the sale. Every decision is journalled; a refusal
// is a MARKING_REFUSED error with the plain words the cashier reads aloud, and nothing is added.
// The check is the only part of the sale path that waits for the network, and it is bounded by the
// checker's budget (1.5 s online, then the local module); when nothing answers the sale proceeds, as
// the law says, and the journal records how the code was (not) checked.
import { PosError, type MarkingCheckEntry, type MarkingLineCheck, type MarkingRuleSwitch, type Product, type User } from '../../contract';
import type { MarkingChecker } from '../../marking/check-answer';
import { decide, RULE_NAMES, type RuleName } from '../../marking/rules';
import type { MarkingCheckFilter, MarkingJournal, MarkingOperation } from '../../store/marking-journal';
import { newId } from '../../store/ids';
import type { AuditLog } from '../../store/audit-log';
import type { Outbox } from '../../store/outbox';
import type { Clock } from '../clock';
import { errors } from '../../app/errors';
import type { MarkedScan } from './read-code';

export interface MarkingLaneSettings {
  /** INN of the legal entity selling at this lane: picks the True API key when several share the store. */
  inn: string | null;
  /** IANA zone of the store: expiry dates are compared in the store's time. */
  timeZone: string;
}

export interface MarkingServiceDeps {
  journal: MarkingJournal;
  audit: AuditLog;
  /** The head office gets every decision (its shape: src-main/upstream/document-schemas.ts 'marking.check'). */
  outbox: Pick<Outbox, 'add'>;
  /** Runs fn in one transaction (the sales store's). */
  transaction: <T>(fn: () => T) => T;
  clock: Clock;
  /** Null: no checking channel configured; every code is sold as 'unavailable' and journalled as such. */
  checker: MarkingChecker | null;
  settings: () => MarkingLaneSettings;
}

export interface MarkingCheckInput {
  actor: User;
  receiptId: string;
  scan: MarkedScan;
  product: Product;
  priceKopecks: number;
  operation: MarkingOperation;
}

export class MarkingService {
  constructor(private readonly deps: MarkingServiceDeps) {}

  /**
   * Checks one code for a line about to be added. Resolves with what the line carries and the journal
   * write, which the caller runs inside the transaction that adds the line (one commit, not two: a synced
   * commit is most of the check's own time); or journals the refusal and throws MARKING_REFUSED. Never
   * throws just because the channels are down.
   */
  async check(input: MarkingCheckInput): Promise<{ line: MarkingLineCheck; journal: () => void }> {
    const { scan, product } = input;
    const startedAt = this.deps.clock.nowIso();
    const outcome = this.deps.checker
      ? await this.deps.checker.check({ code: scan.code, cis: scan.cis, groupId: scan.groupId, inn: this.deps.settings().inn })
      : { kind: 'unavailable' as const, attempts: [] };
    const nowMs = this.deps.clock.nowMs();
    const switches = this.activeSwitches(nowMs);
    const decision = decide({
      parsed: scan.parsed, outcome, priceKopecks: input.priceKopecks, isReturn: input.operation === 'return', nowMs,
      storeTimeZone: this.deps.settings().timeZone, groupShort: scan.groupShort,
      switches: { isOff: (group: string, rule: RuleName) => switches.some((s) => (s.productGroup === group || s.productGroup === '*') && s.rule === rule) },
    });
    const checkId = newId();
    const reqId = outcome.kind === 'answer' ? outcome.answer.reqId : null;
    const at = this.deps.clock.nowIso();
    const journal = () => {
      this.deps.journal.record({
        id: checkId, at, receiptId: input.receiptId, actorId: input.actor.id, code: scan.code, gtin: scan.gtin14, productId: product.id,
        productGroup: scan.groupShort, operation: input.operation, allowed: decision.allowed, rule: decision.rule, checkedBy: decision.checkedBy,
        message: decision.message, reqId,
        details: { startedAt, attempts: outcome.attempts, skippedRules: decision.skippedRules, outcome: outcome.kind,
          facts: outcome.kind === 'answer' ? outcome.answer.codes[0] ?? null : null },
      });
      this.deps.outbox.add({ type: 'marking.check', aggregateId: checkId, at, payload: {
        code: scan.code, gtin: /^\d{14}$/.test(scan.gtin14) ? scan.gtin14 : null,
        decision: !decision.allowed ? 'block' : decision.checkedBy === 'offline' ? 'allowOffline' : 'allow',
        rule: decision.rule ?? `${decision.checkedBy}.ok`,
        checkedBy: decision.checkedBy === 'emergency' || decision.checkedBy === 'unavailable' ? 'none' : decision.checkedBy,
        reqId, at,
      } });
      if (!decision.allowed) {
        this.deps.audit.append({ at, actorId: input.actor.id, authorisedBy: null, action: 'marking.refused', subjectId: input.receiptId,
          details: { checkId, rule: decision.rule, gtin: scan.gtin14, productId: product.id, checkedBy: decision.checkedBy } });
      }
    };
    if (!decision.allowed) {
      this.deps.transaction(journal);
      throw new PosError('MARKING_REFUSED', decision.message, { rule: decision.rule, checkedBy: decision.checkedBy, checkId, gtin: scan.gtin14 });
    }
    const r = decision.requisite1260;
    const line: MarkingLineCheck = {
      checkedBy: decision.checkedBy,
      requisite1260: r ? { t1262: r[1262], t1263: r[1263], t1264: r[1264], t1265: r[1265] } : null,
      skippedRules: decision.skippedRules,
      checkId,
    };
    return { line, journal };
  }

  journal(filter: MarkingCheckFilter): MarkingCheckEntry[] {
    return this.deps.journal.list(filter).map((r) => ({
      id: r.id, at: r.at, receiptId: r.receiptId, code: r.code, gtin: r.gtin, productGroup: r.productGroup, operation: r.operation,
      allowed: r.allowed, rule: r.rule, checkedBy: r.checkedBy, message: r.message,
    }));
  }

  /** The journal as CSV (semicolon-separated, as Russian spreadsheets expect), GS shown as \u001d. */
  exportCsv(filter: Omit<MarkingCheckFilter, 'limit'>): { fileName: string; csv: string } {
    const rows = this.deps.journal.list({ ...filter, limit: 100_000 });
    const header = ['at', 'operation', 'allowed', 'rule', 'checked_by', 'product_group', 'gtin', 'code', 'receipt_id', 'message'];
    const lines = [header.join(';')];
    for (const r of rows) {
      lines.push([r.at, r.operation, r.allowed ? '1' : '0', r.rule ?? '', r.checkedBy, r.productGroup ?? '', r.gtin ?? '',
        r.code.replaceAll('\u001d', '\\u001d'), r.receiptId ?? '', r.message.ru].map(csvCell).join(';'));
    }
    const day = this.deps.clock.nowIso().slice(0, 10);
    return { fileName: `marking-journal-${day}.csv`, csv: `${lines.join('\r\n')}\r\n` };
  }

  switches(): MarkingRuleSwitch[] {
    return this.deps.journal.switches();
  }

  /** Switches a rule off for a group until a moment; the reason goes to the audit log. */
  setSwitch(actor: User, s: MarkingRuleSwitch): MarkingRuleSwitch[] {
    if (!(RULE_NAMES as readonly string[]).includes(s.rule)) {
      throw errors.invalidState('Неизвестное правило проверки', 'Unknown check rule', { rule: s.rule });
    }
    const offUntilMs = Date.parse(s.offUntil);
    const nowMs = this.deps.clock.nowMs();
    if (!Number.isFinite(offUntilMs) || offUntilMs <= nowMs) {
      throw errors.invalidState('Срок отключения должен быть в будущем', 'The switch-off must end in the future');
    }
    // A switch is temporary by design: at most 31 days, then it must be set again with a new reason.
    if (offUntilMs - nowMs > 31 * 86_400_000) {
      throw errors.invalidState('Правило можно отключить не более чем на 31 день', 'A rule can be switched off for at most 31 days');
    }
    const at = this.deps.clock.nowIso();
    const stored = { productGroup: s.productGroup, rule: s.rule, offUntil: new Date(offUntilMs).toISOString(), reason: s.reason, setBy: actor.id, setAt: at };
    this.deps.transaction(() => {
      this.deps.journal.setSwitch(stored);
      this.deps.audit.append({ at, actorId: actor.id, authorisedBy: null, action: 'marking.ruleOff', subjectId: null,
        details: { productGroup: s.productGroup, rule: s.rule, offUntil: stored.offUntil, reason: s.reason } });
    });
    return this.switches();
  }

  clearSwitch(actor: User, productGroup: string, rule: string): MarkingRuleSwitch[] {
    const at = this.deps.clock.nowIso();
    this.deps.transaction(() => {
      if (this.deps.journal.clearSwitch(productGroup, rule)) {
        this.deps.audit.append({ at, actorId: actor.id, authorisedBy: null, action: 'marking.ruleOn', subjectId: null, details: { productGroup, rule } });
      }
    });
    return this.switches();
  }

  private activeSwitches(nowMs: number) {
    return this.deps.journal.switches().filter((s) => Date.parse(s.offUntil) > nowMs);
  }
}

function csvCell(value: string): string {
  return /[;"\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
