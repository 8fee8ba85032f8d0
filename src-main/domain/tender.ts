// Cash tender: what the cashier types as "received" against the receipt total.

export type CashTenderResult = { ok: true; changeKopecks: number } | { ok: false; shortKopecks: number };

/**
 * Change to give, or how much is still missing. Tendering exactly the total gives zero change.
 * Throws RangeError on a negative or non-integer amount: the contract never lets one through, so
 * seeing one here is a bug, not a customer situation.
 */
export function cashTender(totalKopecks: number, tenderedKopecks: number): CashTenderResult {
  if (!Number.isSafeInteger(totalKopecks) || totalKopecks < 0) throw new RangeError(`total must be a non-negative integer: ${totalKopecks}`);
  if (!Number.isSafeInteger(tenderedKopecks) || tenderedKopecks < 0) throw new RangeError(`tendered must be a non-negative integer: ${tenderedKopecks}`);
  if (tenderedKopecks >= totalKopecks) return { ok: true, changeKopecks: tenderedKopecks - totalKopecks };
  return { ok: false, shortKopecks: totalKopecks - tenderedKopecks };
}
