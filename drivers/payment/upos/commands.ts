// sb_pilot command lines (peripherals reference §3; SetRetail's Sber plugin for the optional parts).
//   1 <kopecks>                              purchase
//   3 <kopecks> 0 QSELECT <RRN>              refund of an operation by its RRN, without the card
//   8 <kopecks> [0 QSELECT <RRN>]            cancel (отмена) — of that RRN, else of the last operation
//   7                                        settlement (сверка итогов)
//   9 1 | 9 0                                full | short report
//   26                                       readiness check
//   52 <requestId>                           status of the operation sent with /q=<requestId>
// UNCONFIRMED: the QSELECT position for refund (SetRetail passes track-2 data or "0" there), the
// `52` enquiry and the `/q=` request id (SetRetail keeps it behind a setting: older sb_pilot builds
// may not know it). Request ids are therefore optional (UposTerminalOptions.requestIds).
import type { CardOperationKind } from '../payment-terminal';

export type UposCommand =
  | { op: 'card'; kind: CardOperationKind; amountKopecks: number; rrn: string | null }
  | { op: 'settlement' }
  | { op: 'report'; full: boolean }
  | { op: 'readiness' }
  | { op: 'status'; requestId: string };

const CARD_TYPE_AUTO = '0';
const WITHOUT_CARD = 'QSELECT';

export function commandArgs(c: UposCommand, requestId: string | null): string[] {
  const q = requestId === null ? [] : [`/q=${requestId}`];
  switch (c.op) {
    case 'card': {
      const amount = String(c.amountKopecks);
      const byRrn = c.rrn === null ? [] : [CARD_TYPE_AUTO, WITHOUT_CARD, c.rrn];
      if (c.kind === 'purchase') return ['1', amount, ...q];
      if (c.kind === 'refund') return ['3', amount, ...byRrn, ...q];
      return ['8', amount, ...byRrn, ...q];
    }
    case 'settlement': return ['7', ...q];
    case 'report': return ['9', c.full ? '1' : '0', ...q];
    case 'readiness': return ['26'];
    case 'status': return ['52', c.requestId, ...q];
  }
}

/** A request id as sb_pilot takes it: 8 hex digits (SetRetail derives them from the clock). */
export function newRequestId(nowMs: number, counter: number): string {
  return ((Math.floor(nowMs / 1000) * 64 + (counter % 64)) >>> 0).toString(16).toUpperCase().padStart(8, '0').slice(-8);
}

/** An RRN we are willing to put on a command line: digits/letters only, so nothing can inject arguments. */
export const isSafeRrn = (rrn: string): boolean => /^[0-9A-Za-z]{1,32}$/.test(rrn);
