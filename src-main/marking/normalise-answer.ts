// Raw per-code JSON from any channel → CodeFacts (marking-codes.md §1.3). The channels share the True
// API field names; only the defaults for a field the channel does not report differ:
// - online (True API, ТС ПИоТ online): a missing flag is false, so a thin answer blocks rather than passes;
// - offline (local module, ТС ПИоТ isCheckedOffline): the ЛМ reports essentially blocks and sales
//   (§2 "Offline decision"), so found/valid/verified/utilised/realizable default to true, as FMU-API and
//   piot123 do. A value the channel does report always wins.
import type { CodeFacts } from './check-answer';
import { field } from './http-json';

export type FactsDefaults = 'online' | 'offline';

/** Thrown for an answer whose shape cannot be read; the clients turn it into a failed attempt. */
export class BadAnswer extends Error {
  constructor(reason: string) { super(reason); this.name = 'BadAnswer'; }
}

export function normaliseCodeFacts(raw: unknown, requestedCis: string, defaults: FactsDefaults): CodeFacts {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new BadAnswer('a code entry is not an object');
  const f = (name: string) => field(raw, name);
  const assumed = defaults === 'offline';
  return {
    cis: str(f('cis')) ?? requestedCis,
    gtin: str(f('gtin')),
    found: bool(f('found'), assumed),
    valid: bool(f('valid'), assumed),
    verified: bool(f('verified'), assumed),
    utilised: bool(f('utilised'), assumed),
    realizable: bool(f('realizable'), assumed),
    sold: bool(f('sold'), false),
    isBlocked: bool(f('isBlocked'), false),
    ogvs: Array.isArray(f('ogvs')) ? (f('ogvs') as unknown[]).filter((x): x is string => typeof x === 'string') : [],
    expireDate: str(f('expireDate')),
    groupIds: Array.isArray(f('groupIds')) ? (f('groupIds') as unknown[]).filter((x): x is number => Number.isSafeInteger(x)) : [],
    // True API mrp/smp are kopecks already (§1.3); a fractional value is not trusted as money.
    mrpKopecks: kopecks(f('mrp')),
    smpKopecks: kopecks(f('smp')),
    grayZone: bool(f('grayZone'), false),
    isOwner: optionalBool(f('isOwner')),
    isTracking: optionalBool(f('isTracking')),
    errorCode: Number.isSafeInteger(f('errorCode')) ? f('errorCode') as number : 0,
    message: str(f('message')),
    packageType: str(f('packageType')),
    packageQuantity: Number.isSafeInteger(f('packageQuantity')) ? f('packageQuantity') as number : null,
  };
}

/** reqId and reqTimestamp are what tag 1265 needs: an answer without them is not usable. */
export function requestStamp(json: unknown): { reqId: string; reqTimestamp: number } {
  const reqId = str(field(json, 'reqId'));
  const ts = field(json, 'reqTimestamp');
  const reqTimestamp = typeof ts === 'number' ? ts : typeof ts === 'string' && /^\d+$/.test(ts) ? Number(ts) : NaN;
  if (!reqId) throw new BadAnswer('no reqId in the answer');
  if (!Number.isSafeInteger(reqTimestamp)) throw new BadAnswer('no reqTimestamp in the answer');
  return { reqId, reqTimestamp };
}

export function codeList(json: unknown, name = 'codes'): unknown[] {
  const codes = field(json, name);
  if (!Array.isArray(codes) || codes.length === 0) throw new BadAnswer(`no ${name}[] in the answer`);
  return codes;
}

export function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null;
}
function bool(v: unknown, otherwise: boolean): boolean { return typeof v === 'boolean' ? v : otherwise; }
function optionalBool(v: unknown): boolean | null { return typeof v === 'boolean' ? v : null; }
function kopecks(v: unknown): number | null { return Number.isSafeInteger(v) && (v as number) >= 0 ? v as number : null; }
