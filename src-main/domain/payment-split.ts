// A receipt paid by several tenders: cash (with change), cards on one or more terminals, internal
// payment types the administrator defines (gift certificate, credit, employee account) and bonus
// points. Checks a split against the receipt total and maps it to the FFD payment sums the fiscal
// document carries (1031 cash, 1081 electronic, 1215 prepayment, 1216 postpayment, 1217 counter-provision).
import type { FiscalPayments } from './fiscal-receipt';

export type TenderKind = 'cash' | 'card' | 'internal' | 'bonus';

/** Which FFD payment sum a tender lands in. */
export type FfdPaymentKind = 'cash' | 'electronic' | 'prepayment' | 'postpayment' | 'counterProvision';

export const FFD_PAYMENT_TAG: Readonly<Record<FfdPaymentKind, number>> = {
  cash: 1031, electronic: 1081, prepayment: 1215, postpayment: 1216, counterProvision: 1217,
};

/**
 * What an internal payment type usually means in FFD terms; the administrator's configured kind wins.
 * - A gift certificate was sold earlier as an advance, so paying with it offsets that advance: 1215.
 * - Goods given on credit are paid later: 1216.
 * - An employee account or barter is paid by something other than money: 1217.
 */
export const DEFAULT_INTERNAL_FFD_KIND = {
  giftCertificate: 'prepayment',
  credit: 'postpayment',
  employeeAccount: 'counterProvision',
  barter: 'counterProvision',
} as const satisfies Record<string, FfdPaymentKind>;

/**
 * Bonus points default to 1215. This is a business (and tax) choice, not a law of nature: where the
 * points count as an advance the customer earned, 1215 is usual; some retailers treat them as a
 * discount instead (lower line prices, no payment at all), others as 1217. Configurable per lane.
 */
export const DEFAULT_BONUS_FFD_KIND: FfdPaymentKind = 'prepayment';

/** Kinds an internal type or bonus may be mapped to: cash only ever comes through the drawer. */
export const NON_CASH_FFD_KINDS: readonly FfdPaymentKind[] = ['electronic', 'prepayment', 'postpayment', 'counterProvision'];

export type Tender =
  /** amountKopecks: what the customer handed over; may exceed the remainder only as the last tender. */
  | { kind: 'cash'; amountKopecks: number }
  | { kind: 'card'; amountKopecks: number; terminalId: string }
  | { kind: 'internal'; amountKopecks: number; typeId: string }
  | { kind: 'bonus'; amountKopecks: number };

/** A tender as it counts against the receipt: cash net of change. */
export type AppliedTender = Tender & { appliedKopecks: number };

export type SplitProblem =
  | { code: 'badAmount'; index: number }
  /** A card, internal or bonus tender larger than what was left to pay. */
  | { code: 'exceedsRemainder'; index: number; remainderKopecks: number }
  /** Cash over the remainder (change) is only possible as the last tender. */
  | { code: 'changeNotLast'; index: number }
  /** Nothing left to pay, yet another tender follows. */
  | { code: 'alreadyPaid'; index: number };

export type SplitResult =
  | { ok: true; applied: AppliedTender[]; paidKopecks: number; remainderKopecks: number; changeKopecks: number; complete: boolean }
  | { ok: false; problem: SplitProblem };

/**
 * Applies tenders in order against the total. A partial split (remainder > 0) is fine while the
 * customer is still paying; `complete` says whether the receipt may close.
 */
export function applyTenders(totalKopecks: number, tenders: readonly Tender[]): SplitResult {
  if (!Number.isSafeInteger(totalKopecks) || totalKopecks < 0) throw new RangeError(`total must be a non-negative integer: ${totalKopecks}`);
  let remainder = totalKopecks;
  let changeKopecks = 0;
  const applied: AppliedTender[] = [];
  for (let index = 0; index < tenders.length; index++) {
    const tender = tenders[index]!;
    if (!Number.isSafeInteger(tender.amountKopecks) || tender.amountKopecks <= 0) return { ok: false, problem: { code: 'badAmount', index } };
    if (remainder === 0) return { ok: false, problem: { code: 'alreadyPaid', index } };
    if (tender.amountKopecks > remainder) {
      if (tender.kind !== 'cash') return { ok: false, problem: { code: 'exceedsRemainder', index, remainderKopecks: remainder } };
      if (index !== tenders.length - 1) return { ok: false, problem: { code: 'changeNotLast', index } };
      changeKopecks = tender.amountKopecks - remainder;
    }
    const appliedKopecks = Math.min(tender.amountKopecks, remainder);
    applied.push({ ...tender, appliedKopecks });
    remainder -= appliedKopecks;
  }
  return { ok: true, applied, paidKopecks: totalKopecks - remainder, remainderKopecks: remainder, changeKopecks, complete: remainder === 0 };
}

/** What is left to pay after these tenders (never negative); throws on a split that does not apply. */
export function remainderKopecks(totalKopecks: number, tenders: readonly Tender[]): number {
  const result = applyTenders(totalKopecks, tenders);
  if (!result.ok) throw new RangeError(`split does not apply: ${result.problem.code} at ${result.problem.index}`);
  return result.remainderKopecks;
}

export interface TenderFfdConfig {
  /** The FFD kind of each internal payment type, by its id (from the administrator's settings). */
  internalKinds: Readonly<Record<string, FfdPaymentKind>>;
  bonusKind: FfdPaymentKind;
}

export function ffdKindOf(tender: Tender, config: TenderFfdConfig): FfdPaymentKind {
  switch (tender.kind) {
    case 'cash': return 'cash';
    case 'card': return 'electronic';
    case 'bonus': return config.bonusKind;
    case 'internal': {
      const kind = config.internalKinds[tender.typeId];
      if (kind === undefined) throw new RangeError(`unknown internal payment type: ${tender.typeId}`);
      return kind;
    }
  }
}

const SUM_FIELD: Readonly<Record<FfdPaymentKind, keyof FiscalPayments>> = {
  cash: 'cashKopecks', electronic: 'electronicKopecks', prepayment: 'prepaymentKopecks',
  postpayment: 'postpaymentKopecks', counterProvision: 'considerationKopecks',
};

/**
 * The fiscal document's payment sums. Cash counts net of change (1031 is what the receipt was paid in
 * cash; the change never reaches the FN), so the sums add up to the total of a complete split.
 */
export function ffdPaymentSums(applied: readonly AppliedTender[], config: TenderFfdConfig): FiscalPayments {
  const sums: FiscalPayments = { cashKopecks: 0, electronicKopecks: 0, prepaymentKopecks: 0, postpaymentKopecks: 0, considerationKopecks: 0 };
  for (const tender of applied) sums[SUM_FIELD[ffdKindOf(tender, config)]] += tender.appliedKopecks;
  return sums;
}
