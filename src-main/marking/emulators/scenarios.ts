// What the emulated national system "knows" about a code: a scenario picked from the first two
// characters of the code's serial (AI 21; characters 15–21 of a 29-char tobacco pack), so that a test
// or a demo chooses the answer by the code it scans. The table is in docs/marking.md ("Emulators").
// Two digits right after the prefix pick the product group (e.g. serial `SD08…` = sold milk).

export type Scenario =
  | 'ok' | 'notFound' | 'invalid' | 'badCrypto' | 'notUtilised' | 'notRealizable' | 'sold' | 'blocked'
  | 'expired' | 'tobacco' | 'ncp' | 'grayZone' | 'otherError' | 'notOwner';

export const SCENARIO_PREFIXES: Readonly<Record<string, Scenario>> = {
  NF: 'notFound', IV: 'invalid', BC: 'badCrypto', NU: 'notUtilised', NR: 'notRealizable', SD: 'sold',
  BL: 'blocked', EX: 'expired', TB: 'tobacco', NC: 'ncp', GZ: 'grayZone', ER: 'otherError', OW: 'notOwner',
};

const GS = '\u001d';
/** Tobacco MRP and ЕМЦ the emulator answers with when the code does not carry one (kopecks). */
export const TOBACCO_MRP_KOPECKS = 18_000;
export const TOBACCO_SMP_KOPECKS = 14_000;
/** Minimum price of a nicotine-containing product (group 16: mrp is a minimum), kopecks. */
export const NCP_MIN_KOPECKS = 50_000;

interface CodeParts { shape: 'ai' | 'pack' | 'other'; gtin: string | null; serial: string; printView: string; mrp8005: number | null }

export function codeParts(raw: string): CodeParts {
  const code = raw.startsWith(GS) ? raw.slice(1) : raw;
  if (/^01\d{14}21/.test(code)) {
    const fields = code.split(GS);
    const mrpField = fields.find((f) => /^8005\d{6}$/.test(f));
    return { shape: 'ai', gtin: code.slice(2, 16), serial: fields[0]!.slice(18), printView: fields[0]!, mrp8005: mrpField ? Number(mrpField.slice(4)) : null };
  }
  if (/^\d{14}/.test(code) && code.length >= 21 && !code.includes(GS)) {
    return { shape: 'pack', gtin: code.slice(0, 14), serial: code.slice(14, 21), printView: code.slice(0, 21), mrp8005: null };
  }
  return { shape: 'other', gtin: null, serial: code, printView: code, mrp8005: null };
}

export function scenarioOf(code: string): Scenario {
  return SCENARIO_PREFIXES[codeParts(code).serial.slice(0, 2)] ?? 'ok';
}

function groupOf(code: string, scenario: Scenario): number {
  if (scenario === 'tobacco' || scenario === 'grayZone') return 3;
  if (scenario === 'ncp') return 16;
  const parts = codeParts(code);
  const digits = parts.serial.slice(2, 4);
  if (/^\d\d$/.test(digits) && SCENARIO_PREFIXES[parts.serial.slice(0, 2)]) return Number(digits);
  return parts.shape === 'pack' || parts.mrp8005 !== null ? 3 : 2;
}

const day = 86_400_000;

/** One code's entry of a True API codes/check answer (§1.3 field names). */
export function trueApiFacts(code: string, nowMs: number): Record<string, unknown> {
  const scenario = scenarioOf(code);
  const parts = codeParts(code);
  const groupId = groupOf(code, scenario);
  const facts: Record<string, unknown> = {
    cis: code, gtin: parts.gtin, printView: parts.printView, groupIds: [groupId],
    found: true, valid: true, verified: true, utilised: true, realizable: true, sold: false,
    isBlocked: false, errorCode: 0, packageType: parts.mrp8005 !== null ? 'GROUP' : 'UNIT',
    producerInn: '7700000000', isOwner: true, isTracking: false,
  };
  if (parts.mrp8005 !== null) facts['packageQuantity'] = 10;
  if (groupId === 8) facts['expireDate'] = new Date(nowMs + 7 * day).toISOString();
  if (groupId === 3) { facts['mrp'] = parts.mrp8005 ?? TOBACCO_MRP_KOPECKS; facts['smp'] = TOBACCO_SMP_KOPECKS; }
  switch (scenario) {
    case 'ok': case 'tobacco': break;
    case 'notFound': Object.assign(facts, { found: false, utilised: false, realizable: false, errorCode: 10, message: 'Код не найден' }); break;
    case 'invalid': Object.assign(facts, { valid: false, errorCode: 1, message: 'Ошибка валидации КМ' }); break;
    case 'badCrypto': Object.assign(facts, { verified: false, errorCode: 5, message: 'Ошибка проверки крипто-подписи' }); break;
    case 'notUtilised': Object.assign(facts, { utilised: false, realizable: false }); break;
    case 'notRealizable': Object.assign(facts, { realizable: false }); break;
    case 'sold': Object.assign(facts, { realizable: false, sold: true }); break;
    case 'blocked': Object.assign(facts, { isBlocked: true, ogvs: ['RPN', 'FTS'] }); break;
    case 'expired': facts['expireDate'] = new Date(nowMs - day).toISOString(); break;
    case 'ncp': facts['mrp'] = NCP_MIN_KOPECKS; break;
    case 'grayZone': Object.assign(facts, { realizable: false, grayZone: true }); break;
    case 'otherError': Object.assign(facts, { errorCode: 9, message: 'Идентификаторы применения не поддерживаются' }); break;
    case 'notOwner': Object.assign(facts, { isOwner: false, isTracking: true }); break;
  }
  return facts;
}

/** One code's entry of a local module outCheck answer: it knows blocks and sales only (§2). */
export function localModuleFacts(cis: string, nowMs: number): Record<string, unknown> {
  const online = trueApiFacts(cis, nowMs);
  const facts: Record<string, unknown> = {
    cis, gtin: online['gtin'], printView: online['printView'], isBlocked: online['isBlocked'],
    sold: online['sold'], isGreyGtin: false,
  };
  if (online['ogvs']) facts['ogvs'] = online['ogvs'];
  // "ЛМ 2.6 всегда возвращает smp" (FMU-API): tobacco gets its ЕМЦ and MRP.
  if (online['smp'] !== undefined) { facts['smp'] = online['smp']; facts['mrp'] = online['mrp']; }
  return facts;
}
