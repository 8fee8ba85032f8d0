// `prilavok km check CODE [--api URL] [--key KEY] [--lm URL] [--fn SERIAL] [--price KOPECKS] [--return]
// [--budget-ms N] --json`: the permissive-mode decision for one code, through the same checker and
// rules the lane uses. --api is the True API CDN base (cdn/info), --lm the local module. With neither,
// no channel answers and the decision is "sell without 1260" — what the law says for that case.
// Exit 0: allowed; 1: refused or not a marking code; 2: usage error.
import { decide } from '../../marking/rules';
import { createMarkingChecker } from '../../marking/marking-checker';
import { parseMarkingCheckSettings } from '../../marking/check-settings';
import type { CheckOutcome } from '../../marking/check-answer';
import { groupById } from '../../marking/product-groups';
import { describeParse, readCodeArgument, readMarkingCodeArgument } from './km';

const USAGE = `usage: prilavok km check CODE [--api URL] [--key KEY] [--lm URL] [--fn SERIAL] [--price KOPECKS] [--return] [--budget-ms N] [--json]
  exit 0: the sale (or return) is allowed; 1: refused or not a marking code; 2: usage error
`;

interface CheckFlags { api: string | null; key: string; lm: string | null; fn: string; price: number | null; isReturn: boolean; budgetMs: number }

function readFlags(rest: string[]): CheckFlags | null {
  const flags: CheckFlags = { api: null, key: 'cli', lm: null, fn: '0000000000000000', price: null, isReturn: false, budgetMs: 1500 };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    const value = rest[i + 1];
    if (a === '--return') { flags.isReturn = true; continue; }
    if (value === undefined) return null;
    i++;
    if (a === '--api') flags.api = value;
    else if (a === '--key') flags.key = value;
    else if (a === '--lm') flags.lm = value;
    else if (a === '--fn') flags.fn = value;
    else if (a === '--price' && /^\d{1,12}$/.test(value)) flags.price = Number(value);
    else if (a === '--budget-ms' && /^\d{2,5}$/.test(value)) flags.budgetMs = Number(value);
    else return null;
  }
  return flags;
}

export async function kmCheckCommand(argv: string[]): Promise<number> {
  const arg = readCodeArgument(argv);
  const flags = arg ? readFlags(arg.rest) : null;
  if (!arg || !flags) {
    process.stderr.write(USAGE);
    return 2;
  }
  const parsed = readMarkingCodeArgument(arg.code, arg.options);
  const print = (out: Record<string, unknown>) => {
    process.stdout.write(arg.json ? `${JSON.stringify(out)}\n` : `${JSON.stringify(out, null, 2)}\n`);
  };
  if (!parsed.valid) {
    print({ code: describeParse(parsed), allowed: false, rule: 'unreadable', message: parsed.error.message });
    return 1;
  }
  let outcome: CheckOutcome = { kind: 'unavailable', attempts: [] };
  if (flags.api || flags.lm) {
    const checker = createMarkingChecker(parseMarkingCheckSettings({
      mode: 'trueApi', budgetMs: flags.budgetMs,
      trueApi: { cdnBase: flags.api ?? 'http://127.0.0.1:1', defaultApiKey: flags.key },
      localModule: flags.lm ? { url: flags.lm, clientId: flags.fn } : null,
    }));
    try {
      await checker.start();
      outcome = await checker.check({ code: parsed.code, cis: parsed.cis, groupId: parsed.groupIds.length === 1 ? parsed.groupIds[0]! : null, inn: null });
    } finally {
      checker.stop();
    }
  }
  // Without --price the price rules compare nothing: the code's own MRP (or 0) stands in.
  const price = flags.price ?? parsed.mrpKopecks ?? 0;
  const decision = decide({
    parsed, outcome, priceKopecks: price, isReturn: flags.isReturn, nowMs: Date.now(), storeTimeZone: 'Europe/Moscow',
    switches: { isOff: () => false },
  });
  const groups = outcome.kind === 'answer' ? (outcome.answer.codes[0]?.groupIds ?? []).map((id) => groupById(id)?.short ?? String(id)) : parsed.groups;
  print({
    code: describeParse(parsed), groups, outcome: outcome.kind, allowed: decision.allowed, rule: decision.rule, checked_by: decision.checkedBy,
    message: decision.message, requisite_1260: decision.requisite1260, skipped_rules: decision.skippedRules,
    attempts: outcome.attempts,
  });
  return decision.allowed ? 0 : 1;
}
