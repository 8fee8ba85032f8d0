// What a marking-code check returned, in one neutral shape whichever channel answered: the True API
// online (codes/check), the local module offline (cis/outCheck) or the ТС ПИоТ service. The clients
// fill it; the permissive-mode rules (rules.ts) decide on it. Field names follow the True API answer
// (../shared/reference/marking-codes.md §1.3); a channel that does not report a field leaves it null.

export type CheckChannel = 'online' | 'offline' | 'tspiot';

/** One code's facts, as the national system (or the local module) reported them. */
export interface CodeFacts {
  cis: string;
  gtin: string | null;
  found: boolean;
  valid: boolean;
  verified: boolean;
  /** "нанесён": applied to the pack. */
  utilised: boolean;
  /** In circulation. */
  realizable: boolean;
  sold: boolean;
  isBlocked: boolean;
  /** Blocking authorities: RAR, FTS, FNS, RSHN, RPN, MVD, RZN, VETRF, RD, FSSP… */
  ogvs: string[];
  /** ISO date-time, or null where the group has none. */
  expireDate: string | null;
  groupIds: number[];
  /** Maximum retail price (tobacco) or minimum price (nicotine products), kopecks. */
  mrpKopecks: number | null;
  /** Single minimum price (ЕМЦ), kopecks. */
  smpKopecks: number | null;
  grayZone: boolean;
  isOwner: boolean | null;
  isTracking: boolean | null;
  /** 0 = none. */
  errorCode: number;
  message: string | null;
  /** UNIT / GROUP / BUNDLE / PRODUCT_SET. */
  packageType: string | null;
  packageQuantity: number | null;
}

/** A usable answer: its request id and time go into tag 1265. */
export interface CheckAnswer {
  channel: CheckChannel;
  /** UUID of the request (reqId). */
  reqId: string;
  /** Milliseconds since the epoch (reqTimestamp). */
  reqTimestamp: number;
  /** Local module / ТС ПИоТ instance id and version (for 1265 of an offline answer). */
  inst: string | null;
  version: string | null;
  /** True when the local module or ТС ПИоТ answered from its offline base (isCheckedOffline). */
  checkedOffline: boolean;
  codes: CodeFacts[];
}

/** One failed attempt on the way to an outcome: what the cashier's supervisor and the logs see. */
export interface CheckAttempt {
  channel: CheckChannel;
  /** Host or URL tried. */
  target: string;
  /** 'timeout' | 'http 429' | 'http 503' | 'not ready: sync_error' | 'connection refused' | … */
  failure: string;
  elapsedMs: number;
}

export type CheckOutcome =
  | { kind: 'answer'; answer: CheckAnswer; attempts: CheckAttempt[] }
  /** HTTP 203 (or a ТС ПИоТ emergency answer): the national system says sell without 1260. */
  | { kind: 'emergency'; channel: CheckChannel; attempts: CheckAttempt[] }
  /** No channel answered in time: the law says the sale proceeds, without 1260. */
  | { kind: 'unavailable'; attempts: CheckAttempt[] };

export interface CheckRequest {
  /** The full code, GS separators restored (what goes into tag 2000). */
  code: string;
  /** The code identifier sent to the local module (cut at the first GS; 21 chars for a tobacco pack). */
  cis: string;
  /** True API product group id (table §3.3) when known: the local module v2 and ТС ПИоТ v3 want it. */
  groupId: number | null;
  /** INN of the legal entity selling the item: picks the X-API-KEY when several share the store. */
  inn: string | null;
}

/** Whatever checks a code: the True API + local module pair, ТС ПИоТ, or a test double. */
export interface MarkingChecker {
  check(request: CheckRequest, signal?: AbortSignal): Promise<CheckOutcome>;
}
