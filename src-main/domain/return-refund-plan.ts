// How a return's money goes back: by the sale's own tenders. Card parts first, each to the card that
// paid, up to what that card paid less what earlier returns already refunded to it; whatever is left
// is cash. Cards first because paying cash back for a card purchase is the classic cash-out fraud and
// the acquirers' rules forbid it; the cash part never exceeds the sale's total (the line caps see to it).
import type { FfdPaymentSums } from '../contract/payment-model';

export interface CardPaid {
  purchaseOperationId: string;
  terminalId: string;
  cardMasked: string | null;
  /** What this card paid of the sale. */
  paidKopecks: number;
  /** Refunded to this card by other returns (done or in doubt): it cannot be refunded twice. */
  refundedElsewhereKopecks: number;
}

export interface CardRefundPart {
  card: CardPaid;
  amountKopecks: number;
}

export interface RefundPlan {
  cards: CardRefundPart[];
  cashKopecks: number;
}

export function planRefund(totalKopecks: number, cards: readonly CardPaid[]): RefundPlan {
  if (!Number.isSafeInteger(totalKopecks) || totalKopecks < 0) throw new RangeError(`return total out of range: ${totalKopecks}`);
  let left = totalKopecks;
  const parts: CardRefundPart[] = [];
  for (const card of cards) {
    const room = Math.max(0, card.paidKopecks - card.refundedElsewhereKopecks);
    const amountKopecks = Math.min(left, room);
    if (amountKopecks > 0) parts.push({ card, amountKopecks });
    left -= amountKopecks;
  }
  return { cards: parts, cashKopecks: left };
}

/** The return's FFD payment sums: cash (1031) and electronic (1081); a return takes no other tender back here. */
export function returnFfdPayments(cashKopecks: number, cardKopecks: number): FfdPaymentSums {
  return { cashKopecks, electronicKopecks: cardKopecks, prepaymentKopecks: 0, postpaymentKopecks: 0, considerationKopecks: 0 };
}
