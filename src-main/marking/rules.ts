// The permissive-mode decision (разрешительный режим): may this marked item be sold (or taken back) after
// the check answered what it answered? Rules in the order of reference §3.1 (KkmServer's order, matching
// piot123, FMU-API and the CRPT test plan). Pure: the time and the administrator's switches come in.
//
// - An emergency answer (HTTP 203) or no answer in time: the sale proceeds without tag 1260 (§1.4, §3.2).
// - An offline answer (local module, or ТС ПИоТ from its offline base): only isBlocked and sold decide
//   (§2 "Offline decision"); found/valid/verified/realizable are not known offline.
// - A rule the administrator switched off for the group does not block; it is recorded in skippedRules.
import type { CheckOutcome, CodeFacts } from './check-answer';
import { industryRequisite1260, isOfflineAnswer, type IndustryRequisite1260 } from './fiscal-tags';
import { ogvNames } from './ogv-names';
import type { ParsedCode } from './parse-code';
import { groupById } from './product-groups';

export const RULE_NAMES = [
  'grayZone',
  'notFound',
  'invalid',
  'notUtilised',
  'blocked',
  'notInCirculation',
  'sold',
  'neverSold',
  'expired',
  'priceAboveMrp',
  'priceBelowSmp',
  'priceBelowMrp',
  'notOwner',
  'errorCode',
] as const;
export type RuleName = (typeof RULE_NAMES)[number];

export type CheckedBy = 'online' | 'offline' | 'tspiot' | 'emergency' | 'unavailable';

export interface RuleSwitches {
  /** True when the administrator switched the rule off for the group (short name, e.g. "milk"). */
  isOff(groupShort: string, rule: RuleName): boolean;
}

export interface DecisionInput {
  /** The parsed code (may be null when the caller only has the answer). */
  parsed: Pick<ParsedCode, 'cis' | 'code' | 'groupIds' | 'mrpKopecks' | 'packageKind'> | null;
  outcome: CheckOutcome;
  /** Line price in kopecks (per unit sold: per pack, per block). */
  priceKopecks: number;
  isReturn: boolean;
  nowMs: number;
  /** IANA zone for expiry dates given without a zone (default UTC). */
  storeTimeZone?: string;
  switches: RuleSwitches;
  /**
   * The product group as the shop knows it (from the catalog), for the administrator's switches; when
   * absent, the group the answer (or the code's layout) names.
   */
  groupShort?: string | null;
  /** Apply the optional "isOwner=false when isTracking" rule (FMU-API; default off). */
  checkOwner?: boolean;
}

export interface Decision {
  allowed: boolean;
  /** The rule that refused, or that let the item through unchecked (grayZone); null when all passed. */
  rule: RuleName | null;
  message: { ru: string; en: string };
  checkedBy: CheckedBy;
  /** Tag 1260 for the fiscal document when an answer allowed the sale; null otherwise. */
  requisite1260: IndustryRequisite1260 | null;
  /** Rules that would have refused but were switched off by the administrator. */
  skippedRules: RuleName[];
}

const TAKE_BACK_RU = 'Продажа запрещена. Заберите товар у покупателя.';
const TAKE_BACK_EN = 'The sale is not allowed. Take the item back from the buyer.';
const CALL_ADMIN_RU = 'Продажа по этой цене запрещена. Позовите администратора.';
const CALL_ADMIN_EN = 'The sale at this price is not allowed. Call the administrator.';

export function rubles(kopecks: number): string {
  const sign = kopecks < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(kopecks));
  return `${sign}${Math.floor(abs / 100)},${String(abs % 100).padStart(2, '0')} ₽`;
}

type Refusal = { rule: RuleName; ru: string; en: string };

export function decide(input: DecisionInput): Decision {
  const { outcome } = input;
  if (outcome.kind === 'emergency') {
    return {
      allowed: true, rule: null, checkedBy: 'emergency', requisite1260: null, skippedRules: [],
      message: { ru: 'Честный знак в аварийном режиме. Продажа разрешена без проверки.', en: 'Chestny Znak is in emergency mode. The sale is allowed without a check.' },
    };
  }
  if (outcome.kind === 'unavailable') return unavailable();

  const { answer } = outcome;
  const facts = factsFor(answer.codes, input.parsed);
  // An answer that says nothing about our code is no answer: the law lets the sale proceed.
  if (facts === undefined) return unavailable();

  const checkedBy: CheckedBy = answer.channel;
  const offline = isOfflineAnswer(answer);
  const groupIds = facts.groupIds.length > 0 ? facts.groupIds : (input.parsed?.groupIds ?? []);
  const groupShort = input.groupShort ?? (groupIds.length > 0 ? (groupById(groupIds[0]!)?.short ?? `group${groupIds[0]}`) : 'unknown');
  const skippedRules: RuleName[] = [];

  const allowed = (rule: RuleName | null, ru: string, en: string): Decision => ({
    allowed: true, rule, checkedBy, requisite1260: industryRequisite1260(answer), skippedRules, message: { ru, en },
  });

  // Rule 1: tobacco in the "gray zone" (temporarily not traceable): the check is skipped.
  if (!offline && facts.grayZone && !input.isReturn) {
    return allowed('grayZone', 'Товар из «серой зоны»: проверка не требуется. Продажа разрешена.', 'Gray-zone item: no check required. The sale is allowed.');
  }

  for (const refusal of refusals(input, facts, groupIds, offline)) {
    if (input.switches.isOff(groupShort, refusal.rule)) {
      skippedRules.push(refusal.rule);
      continue;
    }
    return { allowed: false, rule: refusal.rule, checkedBy, requisite1260: null, skippedRules, message: { ru: refusal.ru, en: refusal.en } };
  }
  return input.isReturn
    ? allowed(null, 'Проверка пройдена. Возврат разрешён.', 'Check passed. The return is allowed.')
    : allowed(null, 'Проверка пройдена. Продажа разрешена.', 'Check passed. The sale is allowed.');
}

function unavailable(): Decision {
  return {
    allowed: true, rule: null, checkedBy: 'unavailable', requisite1260: null, skippedRules: [],
    message: { ru: 'Нет ответа от Честного знака. Продажа разрешена без проверки.', en: 'Chestny Znak did not answer. The sale is allowed without a check.' },
  };
}

/** The answer's entry for our code: same КИ or full code, else the only entry. */
function factsFor(codes: readonly CodeFacts[], parsed: DecisionInput['parsed']): CodeFacts | undefined {
  if (parsed !== null) {
    const match = codes.find((c) => c.cis === parsed.cis || c.cis === parsed.code || (c.cis.length > 0 && parsed.code.startsWith(c.cis)));
    if (match !== undefined) return match;
  }
  return codes.length === 1 ? codes[0] : undefined;
}

/** Every rule that would refuse, in the reference's order (§3.1 rules 2–11). */
function refusals(input: DecisionInput, f: CodeFacts, groupIds: readonly number[], offline: boolean): Refusal[] {
  const out: Refusal[] = [];
  const take = (rule: RuleName, ru: string, en: string) => out.push({ rule, ru: `${ru} ${TAKE_BACK_RU}`, en: `${en} ${TAKE_BACK_EN}` });

  if (offline) {
    // §2: the local module knows blocks and (FMU-API) sold codes; the rest is forced true.
    if (f.isBlocked) out.push(blockedRefusal(f.ogvs));
    if (!input.isReturn && f.sold) take('sold', 'Товар уже продан.', 'The item has already been sold.');
    return out;
  }

  if (!f.found || f.errorCode === 10) take('notFound', 'Марка не найдена в Честном знаке.', 'The code is not known to Chestny Znak.');
  if (!f.valid || !f.verified) take('invalid', 'Код маркировки неверный или поддельный.', 'The marking code is malformed or forged.');
  if (!f.utilised) take('notUtilised', 'Марка не нанесена на товар.', 'The code was never applied to a pack.');
  if (f.isBlocked) out.push(blockedRefusal(f.ogvs));
  if (!f.realizable && !f.sold) take('notInCirculation', 'Марка не введена в оборот.', 'The code was never introduced into circulation.');
  if (input.isReturn) {
    // A return needs a sold item: one still in circulation was never sold to a buyer.
    if (f.realizable && !f.sold) {
      out.push({ rule: 'neverSold', ru: 'Этот товар не продавался. Возврат запрещён.', en: 'This item was never sold. The return is not allowed.' });
    }
  } else {
    if (f.sold) take('sold', 'Товар уже продан (выведен из оборота).', 'The item has already been sold (withdrawn from circulation).');
    if (f.expireDate !== null && isExpired(f.expireDate, input.nowMs, input.storeTimeZone)) {
      take('expired', 'Срок годности истёк.', 'The item is past its expiry date.');
    }
    out.push(...priceRefusals(input, f, groupIds));
  }
  if (input.checkOwner === true && f.isTracking === true && f.isOwner === false) {
    out.push({ rule: 'notOwner', ru: 'Товар не числится за магазином. Продажа запрещена. Позовите администратора.', en: 'The item is not registered to this shop. The sale is not allowed. Call the administrator.' });
  }
  if (f.errorCode !== 0 && f.errorCode !== 10) {
    const detail = f.message?.trim() ? ` ${f.message.trim()}` : '';
    take('errorCode', `Честный знак отклонил код (ошибка ${f.errorCode}).${detail}`, `Chestny Znak refused the code (error ${f.errorCode}).${detail}`);
  }
  return out;
}

function blockedRefusal(ogvs: readonly string[]): Refusal {
  const names = ogvNames(ogvs);
  const by = names.ru.length > 0 ? ` по решению: ${names.ru.join(', ')}` : '';
  const byEn = names.en.length > 0 ? ` by: ${names.en.join(', ')}` : '';
  return { rule: 'blocked', ru: `Товар заблокирован${by}. ${TAKE_BACK_RU}`, en: `The item is blocked${byEn}. ${TAKE_BACK_EN}` };
}

/** §3.1 rule 9. mrp/smp are kopecks; a value ≤ 0 counts as not given. */
function priceRefusals(input: DecisionInput, f: CodeFacts, groupIds: readonly number[]): Refusal[] {
  const out: Refusal[] = [];
  const price = input.priceKopecks;
  const isGroup = f.packageType === 'GROUP' || (f.packageType === null && input.parsed?.packageKind === 'block');
  for (const id of new Set(groupIds)) {
    const rule = groupById(id)?.price;
    if (rule === undefined) continue;
    let mrp = f.mrpKopecks;
    // Tobacco: the MRP printed in the code itself serves when the answer has none.
    if ((mrp === null || mrp <= 0) && id === 3) mrp = input.parsed?.mrpKopecks ?? null;
    if (mrp !== null && mrp > 0) {
      if (rule.mrp === 'maximum' && price > mrp) {
        out.push({ rule: 'priceAboveMrp', ru: `Цена выше максимальной розничной (МРЦ ${rubles(mrp)}). ${CALL_ADMIN_RU}`, en: `The price is above the maximum retail price (${rubles(mrp)}). ${CALL_ADMIN_EN}` });
      }
      // ncp (16, case 5.26) — and otp (12), UNCONFIRMED: mrp is a minimum.
      if (rule.mrp === 'minimum' && price < mrp) {
        out.push({ rule: 'priceBelowMrp', ru: `Цена ниже минимальной (${rubles(mrp)}). ${CALL_ADMIN_RU}`, en: `The price is below the minimum price (${rubles(mrp)}). ${CALL_ADMIN_EN}` });
      }
    }
    if (rule.smpMinimum && f.smpKopecks !== null && f.smpKopecks > 0) {
      // A block (GROUP) is held to the pack minimum times the packs in it; without a count, to one pack's.
      const perPack = f.smpKopecks;
      const minimum = isGroup && f.packageQuantity !== null && f.packageQuantity > 0 ? perPack * f.packageQuantity : perPack;
      if (price < minimum) {
        out.push({ rule: 'priceBelowSmp', ru: `Цена ниже единой минимальной (ЕМЦ ${rubles(minimum)}). ${CALL_ADMIN_RU}`, en: `The price is below the single minimum price (${rubles(minimum)}). ${CALL_ADMIN_EN}` });
      }
    }
  }
  return out;
}

/**
 * expireDate ≤ now. A value with a zone (Z or ±hh:mm) is an instant; a date or date-time without one is
 * wall time in the store's zone (ТС ПИоТ vendors compare in the store's time, §3.1 rule 8). Unreadable
 * dates do not refuse: the national system's own validity rules cover malformed answers.
 */
export function isExpired(expireDate: string, nowMs: number, timeZone = 'UTC'): boolean {
  const at = expiryInstantMs(expireDate, timeZone);
  return at !== null && at <= nowMs;
}

export function expiryInstantMs(expireDate: string, timeZone = 'UTC'): number | null {
  const text = expireDate.trim();
  if (/(?:Z|[+-]\d\d:?\d\d)$/i.test(text)) {
    const ms = Date.parse(text);
    return Number.isFinite(ms) ? ms : null;
  }
  const m = /^(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d)(?:\.\d+)?)?)?$/.exec(text);
  if (m === null) return null;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0));
  if (!Number.isFinite(wall)) return null;
  // Wall time → instant: subtract the zone's offset, re-measured at the result (DST edges).
  const first = wall - zoneOffsetMs(wall, timeZone);
  return wall - zoneOffsetMs(first, timeZone);
}

/** Offset of the zone from UTC at an instant, via Intl; an unknown zone counts as UTC. */
function zoneOffsetMs(instantMs: number, timeZone: string): number {
  try {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    }).formatToParts(new Date(instantMs));
    const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
    const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
    const offset = asUtc - Math.floor(instantMs / 1000) * 1000;
    return Number.isFinite(offset) ? offset : 0;
  } catch {
    return 0;
  }
}
