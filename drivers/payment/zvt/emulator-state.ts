// What the emulated PT keeps across restarts: its counters, its journal of operations and the open
// end-of-day batch. Written atomically (tmp + fsync + rename) before the answer that reports a change.
import { readStateFile, writeStateFile } from '../../emulator-support/state-file';

export type JournalKind = 'purchase' | 'refund' | 'reversal';

export interface JournalEntry {
  kind: JournalKind;
  amountKopecks: number;
  currency: number;
  /** 0 approved, anything else the result code it ended with. */
  resultCode: number;
  /** Approved operations only; 1..9999. */
  receiptNumber: number | null;
  traceNumber: number;
  turnoverNumber: number | null;
  /** Local time "YYYY-MM-DDTHH:MM:SS". */
  at: string;
  panMasked: string;
  cardName: string;
  authCode: string | null;
  /** A reversal names the receipt it undid. */
  reversedReceipt?: number;
  /** Set on a purchase once it is reversed. */
  reversed?: boolean;
  /** Set by end of day: the operation left the batch and can no longer be reversed. */
  settled?: boolean;
}

export interface ZvtEmulatorState {
  version: 1;
  terminalId: string;
  lastReceiptNumber: number;
  lastTraceNumber: number;
  lastTurnoverNumber: number;
  /** Newest last; trimmed to JOURNAL_LIMIT. */
  journal: JournalEntry[];
  /** Totals since the last end of day. */
  batch: { purchases: number; purchaseKopecks: number; refunds: number; refundKopecks: number; reversals: number; reversalKopecks: number };
  endOfDayCount: number;
}

export const JOURNAL_LIMIT = 200;

export function emptyBatch(): ZvtEmulatorState['batch'] {
  return { purchases: 0, purchaseKopecks: 0, refunds: 0, refundKopecks: 0, reversals: 0, reversalKopecks: 0 };
}

export function freshZvtState(): ZvtEmulatorState {
  return { version: 1, terminalId: '52001234', lastReceiptNumber: 0, lastTraceNumber: 0, lastTurnoverNumber: 0, journal: [], batch: emptyBatch(), endOfDayCount: 0 };
}

export function loadZvtState(file: string | null): ZvtEmulatorState {
  return (file ? readStateFile<ZvtEmulatorState>(file, 1, 'ZVT emulator state') : null) ?? freshZvtState();
}

export function saveZvtState(file: string | null, state: ZvtEmulatorState): void {
  if (file) writeStateFile(file, state);
}
