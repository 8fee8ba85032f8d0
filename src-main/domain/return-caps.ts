// How much of a sold line may still come back, and what giving part of it back is worth. Pure: the
// quantities already returned come in (this lane's returns, and what the head office reports of the
// others). Quantities are thousandths (grams for weighed goods), money kopecks, as everywhere.
import type { MarkingGroup, Unit } from '../contract';
import { roundDiv, toSafeNumber } from './money';

export interface SoldLine {
  unit: Unit;
  weighed: boolean;
  marking: MarkingGroup | null;
  quantityMilli: number;
  amountKopecks: number;
}

/**
 * What other lanes returned of a line: the head office counts every return document it holds, this
 * lane's own included once it has received them, so those are taken off (never below zero).
 */
export function otherLanesReturnedMilli(headOfficeReturnedMilli: number, locallyAcknowledgedMilli: number): number {
  return Math.max(0, headOfficeReturnedMilli - locallyAcknowledgedMilli);
}

/** Still returnable: sold minus already returned, never below zero (a sale can come back once). */
export function returnableMilli(soldMilli: number, returnedMilli: number): number {
  return Math.max(0, soldMilli - returnedMilli);
}

export type ReturnQuantityProblem =
  /** A piece line comes back in whole pieces. */
  | 'notWhole'
  /** More than was sold less what already came back. */
  | 'exceedsReturnable'
  /** A marked item comes back only with its own code scanned, never by a quantity typed in. */
  | 'markedNeedsCode';

/** Why the wanted quantity (0 = none) cannot come back of this line, or null when it can. */
export function returnQuantityProblem(line: SoldLine, returnedMilli: number, wantedMilli: number): ReturnQuantityProblem | null {
  if (wantedMilli === 0) return null;
  if (line.marking !== null) return 'markedNeedsCode';
  if (!line.weighed && line.unit === 'piece' && wantedMilli % 1000 !== 0) return 'notWhole';
  if (wantedMilli > returnableMilli(line.quantityMilli, returnedMilli)) return 'exceedsReturnable';
  return null;
}

/**
 * The money for giving back quantityMilli of a line when returnedBeforeMilli already came back:
 * amount × (before + now) / sold − amount × before / sold, each rounded to the kopeck. The parts of a
 * line returned in several goes therefore add up to exactly what the buyer paid for it, and a whole
 * line comes back at its own amount (a weighed line sold for 160,30 ₽ never returns as 160,29 ₽).
 */
export function returnAmountKopecks(line: Pick<SoldLine, 'quantityMilli' | 'amountKopecks'>, returnedBeforeMilli: number, quantityMilli: number): number {
  if (!Number.isSafeInteger(quantityMilli) || quantityMilli < 0 || !Number.isSafeInteger(returnedBeforeMilli) || returnedBeforeMilli < 0) {
    throw new RangeError(`return quantity out of range: ${quantityMilli} after ${returnedBeforeMilli}`);
  }
  if (returnedBeforeMilli + quantityMilli > line.quantityMilli) throw new RangeError('returning more than was sold');
  const share = (milli: number) => roundDiv(BigInt(line.amountKopecks) * BigInt(milli), BigInt(line.quantityMilli));
  return toSafeNumber(share(returnedBeforeMilli + quantityMilli) - share(returnedBeforeMilli), 'return amount');
}
