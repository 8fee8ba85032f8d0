// The lane's internal stream of POS events: what the cashier and the customer did at the till, in
// order, each with its own time. Loss prevention (video export today, analytics later) reads this
// stream; nothing in it is needed to sell, so publishing it can never slow or fail a sale.
//
// Every event carries: id (UUIDv7), at (the time of the change, the same instant as its audit record),
// laneId, the logged-in cashier, the shift number. Receipt events add receiptId; the sale number is
// only known when the receipt closes (it is the lane's sequence of closed sales).
import type { Role, Unit } from '../../contract';

export interface PosActor {
  id: string;
  name: string;
  role: Role;
}

/** A receipt line as loss prevention sees it. position is 1-based, as printed. */
export interface PosLine {
  lineId: string;
  position: number;
  name: string;
  barcode: string | null;
  unit: Unit;
  weighed: boolean;
  /** Thousandths: grams for kg goods, 1000 per piece. */
  quantityMilli: number;
  priceKopecks: number;
  amountKopecks: number;
}

export const PAYMENT_KINDS = ['cash', 'card', 'sbp', 'certificate', 'other'] as const;
export type PaymentKind = (typeof PAYMENT_KINDS)[number];

/** How a card number reached the lane (Axxon enter_type: 1 keyboard, 2 MSR, 3 pinpad, 4 barcode). */
export type CardEntry = 'keyboard' | 'msr' | 'pinpad' | 'barcode';

interface Base {
  id: string;
  /** ISO time of the change itself (never the time it is sent). */
  at: string;
  laneId: string;
  cashier: PosActor | null;
  shiftNumber: number | null;
}

interface OnReceipt extends Base {
  receiptId: string;
}

export interface ReceiptOpened extends OnReceipt { kind: 'receipt.opened' }
/** A scan or a search pick. When it merged into an existing line, line is the merged line. */
export interface LineAdded extends OnReceipt { kind: 'line.added'; line: PosLine; addedQuantityMilli: number }
export interface LineVoided extends OnReceipt { kind: 'line.voided'; line: PosLine; authorisedBy: PosActor | null }
export interface QuantityChanged extends OnReceipt {
  kind: 'line.quantityChanged'; line: PosLine; fromQuantityMilli: number; authorisedBy: PosActor | null;
}
/** Defined for the discounts issue (not produced yet): a discount on a line (lineId) or the receipt. */
export interface DiscountApplied extends OnReceipt {
  kind: 'discount.applied'; description: string; amountKopecks: number; lineId: string | null;
}
/** Defined for the loyalty issue (not produced yet). cardNumber is already masked by the producer. */
export interface CardApplied extends OnReceipt {
  kind: 'card.applied'; cardNumber: string; cardKind: 'loyalty' | 'discount' | 'gift'; entry: CardEntry;
}
export interface PaymentMade extends OnReceipt {
  kind: 'payment'; method: PaymentKind; amountKopecks: number; tenderedKopecks: number; changeKopecks: number;
}
export interface ReceiptClosed extends OnReceipt { kind: 'receipt.closed'; saleNumber: number; totalKopecks: number; lineCount: number }
export interface ReceiptCancelled extends OnReceipt {
  kind: 'receipt.cancelled'; totalKopecks: number; lineCount: number; authorisedBy: PosActor | null;
}
export interface ReceiptParked extends OnReceipt { kind: 'receipt.parked' }
export interface ReceiptResumed extends OnReceipt { kind: 'receipt.resumed' }
/** Defined for the returns issue (not produced yet): a return document refers to the original sale. */
export interface ReturnOpened extends OnReceipt { kind: 'return.opened'; originalSaleNumber: number | null }
export interface ReturnLineAdded extends OnReceipt { kind: 'return.lineAdded'; line: PosLine }
export interface ReturnClosed extends OnReceipt {
  kind: 'return.closed'; returnNumber: number; totalKopecks: number; method: PaymentKind; authorisedBy: PosActor | null;
}
/** Defined for the drawer driver; until it lands the sale service reports the kick of a cash payment. */
export interface DrawerOpened extends Base { kind: 'drawer.opened'; reason: 'payment' | 'cashMove' | 'manual' }
export interface CashMoved extends Base { kind: 'cash.moved'; direction: 'in' | 'out'; amountKopecks: number; comment: string }
export interface ShiftOpened extends Base { kind: 'shift.opened' }
export interface ShiftClosed extends Base {
  kind: 'shift.closed'; salesCount: number; salesTotalKopecks: number; cashInDrawerKopecks: number;
}
export interface UserLoggedIn extends Base { kind: 'user.loggedIn'; user: PosActor }
export interface UserLoggedOut extends Base { kind: 'user.loggedOut'; user: PosActor }
/** A supervisor's PIN authorised what the cashier could not do alone (permission names the act). */
export interface SupervisorOverride extends Base {
  kind: 'supervisor.override'; supervisor: PosActor; permission: string; receiptId: string | null;
}

export type PosEvent =
  | ReceiptOpened | LineAdded | LineVoided | QuantityChanged | DiscountApplied | CardApplied | PaymentMade
  | ReceiptClosed | ReceiptCancelled | ReceiptParked | ReceiptResumed | ReturnOpened | ReturnLineAdded | ReturnClosed
  | DrawerOpened | CashMoved | ShiftOpened | ShiftClosed | UserLoggedIn | UserLoggedOut | SupervisorOverride;

export type PosEventKind = PosEvent['kind'];

export const POS_EVENT_KINDS = [
  'receipt.opened', 'line.added', 'line.voided', 'line.quantityChanged', 'discount.applied', 'card.applied', 'payment',
  'receipt.closed', 'receipt.cancelled', 'receipt.parked', 'receipt.resumed', 'return.opened', 'return.lineAdded',
  'return.closed', 'drawer.opened', 'cash.moved', 'shift.opened', 'shift.closed', 'user.loggedIn', 'user.loggedOut',
  'supervisor.override',
] as const satisfies readonly PosEventKind[];

// Compile-time proof that the list above names every kind.
type Missing = Exclude<PosEventKind, (typeof POS_EVENT_KINDS)[number]>;
const _allKindsListed: Missing extends never ? true : never = true;
void _allKindsListed;

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * What a service hands to publish(): the stream adds id, laneId and the current shift number
 * (shift.opened gives its own number, which becomes the current one).
 */
export type PosEventInput = DistributiveOmit<PosEvent, 'id' | 'laneId' | 'shiftNumber'> & { shiftNumber?: number | null };

export function posActor(user: { id: string; name: string; role: Role }): PosActor {
  return { id: user.id, name: user.name, role: user.role };
}

export function posLine(line: {
  id: string; name: string; barcode: string | null; unit: Unit; weighed: boolean; quantityMilli: number; priceKopecks: number; amountKopecks: number;
}, position: number): PosLine {
  return {
    lineId: line.id, position, name: line.name, barcode: line.barcode, unit: line.unit, weighed: line.weighed,
    quantityMilli: line.quantityMilli, priceKopecks: line.priceKopecks, amountKopecks: line.amountKopecks,
  };
}
