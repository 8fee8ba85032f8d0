// A tender that an outside account backs: bonus points now (the loyalty service, a later issue), perhaps
// a gift-certificate registry later. The payment flow only ever sees a hold: the account is reserved
// before the sale closes, the hold is captured in the sale's own transaction, released otherwise. So a
// loyalty service plugs in by implementing this, and nothing in the payment flow changes.

export interface TenderHold {
  holdId: string;
  receiptId: string;
  amountKopecks: number;
  /** What the receipt prints ("Бонусы: карта **** 1234"). */
  display: string;
}

export interface TenderBacking {
  readonly kind: 'bonus';
  /** Reserves amountKopecks worth of the account for this receipt; refuses with a PosError when it cannot. */
  hold(request: { receiptId: string; account: string; amountKopecks: number }): Promise<TenderHold>;
  /** The hold as it stands (null when unknown, expired or released) — read when the sale closes. */
  held(holdId: string): TenderHold | null;
  /** Inside the sale's transaction: the hold becomes a spend for that sale (a row on the same database, or an outbox row). */
  capture(holdId: string, saleId: string): void;
  /** The receipt was cancelled or the tender taken off. */
  release(holdId: string): Promise<void>;
}
