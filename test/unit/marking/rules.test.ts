import { describe, expect, it } from 'vitest';
import type { CheckOutcome, CodeFacts, CheckAnswer } from '../../../src-main/marking/check-answer';
import { parseMarkingCode, type ParsedCode } from '../../../src-main/marking/parse-code';
import { decide, expiryInstantMs, RULE_NAMES, type DecisionInput, type RuleName } from '../../../src-main/marking/rules';
import { STAND } from './codes';

function parsed(code: string): ParsedCode {
  const r = parseMarkingCode(code);
  if (!r.valid) throw new Error(r.error.code);
  return r;
}

const MILK = parsed(STAND.milkNotApplied);
const PACK = parsed(STAND.packOver135); // MRP 145.00 in the code
const BLOCK = parsed(STAND.blockUpTo100);
const NCP = parsed(STAND.ncpPack);
const NOW = Date.parse('2025-03-10T12:00:00Z');

function facts(over: Partial<CodeFacts> = {}): CodeFacts {
  return {
    cis: MILK.cis, gtin: MILK.gtin, found: true, valid: true, verified: true, utilised: true, realizable: true, sold: false,
    isBlocked: false, ogvs: [], expireDate: null, groupIds: [8], mrpKopecks: null, smpKopecks: null, grayZone: false,
    isOwner: null, isTracking: null, errorCode: 0, message: null, packageType: 'UNIT', packageQuantity: null, ...over,
  };
}

function answer(f: CodeFacts, over: Partial<CheckAnswer> = {}): CheckOutcome {
  return {
    kind: 'answer', attempts: [],
    answer: { channel: 'online', reqId: 'req-1', reqTimestamp: NOW - 500, inst: null, version: null, checkedOffline: false, codes: [f], ...over },
  };
}

const noSwitches = { isOff: () => false };
function input(outcome: CheckOutcome, over: Partial<DecisionInput> = {}): DecisionInput {
  return { parsed: MILK, outcome, priceKopecks: 8_990, isReturn: false, nowMs: NOW, switches: noSwitches, ...over };
}

describe('permissive-mode rules in the reference order', () => {
  it('a clean online answer allows the sale and carries 1260', () => {
    const d = decide(input(answer(facts())));
    expect(d).toMatchObject({ allowed: true, rule: null, checkedBy: 'online', skippedRules: [] });
    expect(d.requisite1260).toEqual({ 1262: '030', 1263: '21.11.2023', 1264: '1944', 1265: `UUID=req-1&Time=${NOW - 500}` });
  });

  const refusals: Array<[string, Partial<CodeFacts>, RuleName, RegExp]> = [
    ['not found', { found: false }, 'notFound', /не найдена/],
    ['errorCode 10 is "not found"', { errorCode: 10 }, 'notFound', /не найдена/],
    ['not valid', { valid: false }, 'invalid', /неверный/],
    ['crypto tail not verified (case 5.14)', { verified: false }, 'invalid', /неверный/],
    ['not applied to the pack (case 5.1)', { utilised: false }, 'notUtilised', /не нанесена/],
    ['blocked by authorities (case 5.6)', { isBlocked: true, ogvs: ['FNS', 'RPN'] }, 'blocked', /ФНС, Роспотребнадзор/],
    ['permit documents void (case 5.22)', { isBlocked: true, ogvs: ['RD'] }, 'blocked', /разрешительная документация/],
    ['veterinary certificate cancelled (case 5.23)', { isBlocked: true, ogvs: ['VETRF'] }, 'blocked', /ВетИС/],
    ['not in circulation (case 5.2)', { realizable: false, sold: false }, 'notInCirculation', /не введена в оборот/],
    ['already sold (case 5.5)', { realizable: false, sold: true }, 'sold', /уже продан/],
    ['expired (case 5.7)', { expireDate: '2025-03-10T11:59:59.000Z' }, 'expired', /Срок годности/],
    ['another error code', { errorCode: 4, message: 'bad characters' }, 'errorCode', /ошибка 4.*bad characters/],
  ];
  for (const [what, f, rule, text] of refusals) {
    it(`${what} → refused by ${rule}`, () => {
      const d = decide(input(answer(facts(f))));
      expect(d).toMatchObject({ allowed: false, rule, checkedBy: 'online', requisite1260: null });
      expect(d.message.ru).toMatch(text);
      expect(d.message.en.length).toBeGreaterThan(10);
    });
  }

  it('the first failing rule in order decides: not found beats blocked', () => {
    expect(decide(input(answer(facts({ found: false, isBlocked: true })))).rule).toBe('notFound');
  });

  it('the cashier reads a plain sentence', () => {
    expect(decide(input(answer(facts({ realizable: false })))).message.ru)
      .toBe('Марка не введена в оборот. Продажа запрещена. Заберите товар у покупателя.');
  });

  it('an expiry date equal to now refuses; a day later allows', () => {
    expect(decide(input(answer(facts({ expireDate: new Date(NOW).toISOString() })))).rule).toBe('expired');
    expect(decide(input(answer(facts({ expireDate: '2025-03-11T00:00:00Z' })))).allowed).toBe(true);
  });

  it('a date without a zone is read in the store time zone', () => {
    // 12:00 UTC is 15:00 in Moscow: "2025-03-10T14:00" Moscow time is past, UTC it is not.
    const f = facts({ expireDate: '2025-03-10T14:00:00' });
    expect(decide(input(answer(f), { storeTimeZone: 'Europe/Moscow' })).rule).toBe('expired');
    expect(decide(input(answer(f), { storeTimeZone: 'UTC' })).allowed).toBe(true);
    expect(expiryInstantMs('2025-03-10', 'Asia/Vladivostok')).toBe(Date.parse('2025-03-09T14:00:00Z'));
    expect(expiryInstantMs('not a date')).toBeNull();
  });

  it('isOwner=false with isTracking=true refuses only when the optional rule is on', () => {
    const f = facts({ isOwner: false, isTracking: true });
    expect(decide(input(answer(f))).allowed).toBe(true);
    expect(decide(input(answer(f), { checkOwner: true })).rule).toBe('notOwner');
    expect(decide(input(answer(facts({ isOwner: false, isTracking: false })), { checkOwner: true })).allowed).toBe(true);
  });

  it('grayZone skips the check and allows the sale (tobacco)', () => {
    const d = decide(input(answer(facts({ grayZone: true, realizable: false, groupIds: [3] })), { parsed: PACK }));
    expect(d).toMatchObject({ allowed: true, rule: 'grayZone' });
    expect(d.requisite1260).not.toBeNull();
  });
});

describe('returns', () => {
  it('a sold item may come back; one never sold may not (the sold rule inverted)', () => {
    expect(decide(input(answer(facts({ realizable: false, sold: true })), { isReturn: true }))).toMatchObject({ allowed: true, rule: null });
    const never = decide(input(answer(facts({ realizable: true, sold: false })), { isReturn: true }));
    expect(never).toMatchObject({ allowed: false, rule: 'neverSold' });
    expect(never.message.ru).toMatch(/Возврат запрещён/);
  });

  it('price and expiry rules do not apply to a return', () => {
    const f = facts({ realizable: false, sold: true, expireDate: '2020-01-01T00:00:00Z' });
    expect(decide(input(answer(f), { isReturn: true })).allowed).toBe(true);
  });
});

describe('price rules', () => {
  const tobacco = (over: Partial<CodeFacts> = {}) => facts({ cis: PACK.cis, gtin: PACK.gtin, groupIds: [3], mrpKopecks: 14_500, smpKopecks: 12_300, ...over });

  it('tobacco: above the MRP refuses, at the MRP allows', () => {
    expect(decide(input(answer(tobacco()), { parsed: PACK, priceKopecks: 14_501 })).rule).toBe('priceAboveMrp');
    expect(decide(input(answer(tobacco()), { parsed: PACK, priceKopecks: 14_500 })).allowed).toBe(true);
  });

  it('tobacco: below the single minimum price (ЕМЦ) refuses (case 5.24)', () => {
    const d = decide(input(answer(tobacco()), { parsed: PACK, priceKopecks: 12_299 }));
    expect(d.rule).toBe('priceBelowSmp');
    expect(d.message.ru).toContain('123,00 ₽');
  });

  it('tobacco without an MRP in the answer uses the MRP decoded from the pack code', () => {
    const d = decide(input(answer(tobacco({ mrpKopecks: null })), { parsed: PACK, priceKopecks: 15_000 }));
    expect(d.rule).toBe('priceAboveMrp');
    expect(d.message.ru).toContain('145,00 ₽');
  });

  it('a block (GROUP) is held to ЕМЦ × packs in it (case 5.25)', () => {
    const f = tobacco({ cis: BLOCK.cis, gtin: BLOCK.gtin, mrpKopecks: 199_000, smpKopecks: 12_300, packageType: 'GROUP', packageQuantity: 10 });
    expect(decide(input(answer(f), { parsed: BLOCK, priceKopecks: 122_999 })).rule).toBe('priceBelowSmp');
    expect(decide(input(answer(f), { parsed: BLOCK, priceKopecks: 123_000 })).allowed).toBe(true);
  });

  it('nicotine products (16): the MRP is a minimum (case 5.26)', () => {
    const f = facts({ cis: NCP.cis, gtin: NCP.gtin, groupIds: [16], mrpKopecks: 50_000 });
    expect(decide(input(answer(f), { parsed: NCP, priceKopecks: 49_999 })).rule).toBe('priceBelowMrp');
    expect(decide(input(answer(f), { parsed: NCP, priceKopecks: 90_000 })).allowed).toBe(true);
  });

  it('alternative tobacco (12): the MRP is a minimum (UNCONFIRMED)', () => {
    expect(decide(input(answer(facts({ groupIds: [12], mrpKopecks: 30_000 })), { priceKopecks: 29_000 })).rule).toBe('priceBelowMrp');
  });

  it('other groups ignore mrp', () => {
    expect(decide(input(answer(facts({ groupIds: [8], mrpKopecks: 100 })), { priceKopecks: 10_000 })).allowed).toBe(true);
  });
});

describe('administrator switches', () => {
  it('a switched-off rule does not refuse and is recorded; the next failing rule still decides', () => {
    const switches = { isOff: (group: string, rule: RuleName) => group === 'milk' && rule === 'notInCirculation' };
    const allowed = decide(input(answer(facts({ realizable: false })), { switches }));
    expect(allowed).toMatchObject({ allowed: true, skippedRules: ['notInCirculation'] });
    expect(allowed.requisite1260).not.toBeNull();
    const next = decide(input(answer(facts({ realizable: false, expireDate: '2020-01-01T00:00:00Z' })), { switches }));
    expect(next).toMatchObject({ allowed: false, rule: 'expired', skippedRules: ['notInCirculation'] });
  });

  it('a switch for another group does not apply', () => {
    const switches = { isOff: (group: string) => group === 'water' };
    expect(decide(input(answer(facts({ realizable: false })), { switches })).allowed).toBe(false);
  });

  it('the group comes from the answer, else from the parsed code', () => {
    const seen: string[] = [];
    const switches = { isOff: (group: string) => { seen.push(group); return false; } };
    decide(input(answer(facts({ found: false, groupIds: [] })), { switches }));
    expect(seen[0]).toBe('milk');
  });

  it('rule names are letters only (the contract switch schema)', () => {
    for (const name of RULE_NAMES) expect(name).toMatch(/^[A-Za-z]+$/);
  });
});

describe('channels', () => {
  it('emergency (HTTP 203): allowed without 1260', () => {
    expect(decide(input({ kind: 'emergency', channel: 'online', attempts: [] }))).toMatchObject({ allowed: true, rule: null, checkedBy: 'emergency', requisite1260: null });
  });

  it('nothing answered: allowed without 1260', () => {
    const d = decide(input({ kind: 'unavailable', attempts: [{ channel: 'online', target: 'cdn01', failure: 'timeout', elapsedMs: 1500 }] }));
    expect(d).toMatchObject({ allowed: true, checkedBy: 'unavailable', requisite1260: null });
  });

  it('an answer without our code counts as no answer', () => {
    const outcome = answer(facts());
    if (outcome.kind === 'answer') outcome.answer.codes = [];
    expect(decide(input(outcome)).checkedBy).toBe('unavailable');
  });

  it('offline (local module): only isBlocked and sold decide; 1265 carries Inst and Ver', () => {
    const lm = { channel: 'offline' as const, inst: 'lm-7', version: '2.6' };
    const d = decide(input(answer(facts({ found: false, valid: false, utilised: false, realizable: false }), lm)));
    expect(d).toMatchObject({ allowed: true, checkedBy: 'offline' });
    expect(d.requisite1260?.[1265]).toBe(`UUID=req-1&Time=${NOW - 500}&Inst=lm-7&Ver=2.6`);
    expect(decide(input(answer(facts({ isBlocked: true, ogvs: ['RSHN'] }), lm))).rule).toBe('blocked');
    expect(decide(input(answer(facts({ sold: true }), lm))).rule).toBe('sold');
    expect(decide(input(answer(facts({ expireDate: '2020-01-01T00:00:00Z' }), lm))).allowed).toBe(true);
  });

  it('ТС ПИоТ answering from its offline base is treated as offline', () => {
    const d = decide(input(answer(facts({ found: false }), { channel: 'tspiot', checkedOffline: true, inst: 'p', version: '3' })));
    expect(d).toMatchObject({ allowed: true, checkedBy: 'tspiot' });
    expect(decide(input(answer(facts({ found: false }), { channel: 'tspiot' }))).rule).toBe('notFound');
  });
});
