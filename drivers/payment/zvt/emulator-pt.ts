// The emulated payment terminal's bookkeeping: what it decides about an operation, what it remembers
// (journal, counters, batch) and what it reports (status information BMPs, receipt lines). The link
// and the dialog live in emulator.ts. Decisions follow fixed amount rules, so tests can choose:
//
//   kopecks ending in 13  → declined, result code 05 (declined by the bank)
//   kopecks ending in 51  → declined, 33 (insufficient funds; 0x33 = 51)
//   kopecks ending in 64  → declined, 64 (card not readable)
//   amount 0              → C8 (amount too small);  above 1 000 000.00 → C3 (maximum amount exceeded)
//   currency other than the PT's (643) → 6F (wrong currency)
//   reversal of a receipt not in the batch → B5; of one already reversed → B4
//   everything else is approved with a masked MIR card 2200 00** **** 1234, auth code = "A" + trace.
import { existsSync } from 'node:fs';
import { bmp, type BmpField } from './bmp';
import { RESULT_CODE } from './result-codes';
import { JOURNAL_LIMIT, emptyBatch, loadZvtState, saveZvtState, type JournalEntry, type JournalKind, type ZvtEmulatorState } from './emulator-state';

export const EMULATOR_CURRENCY = 643;
export const MAX_AMOUNT_KOPECKS = 100_000_000;
const PAN = '220000******1234';
const CARD_NAME = 'MIR';
const CARD_TYPE = 0x05; // UNCONFIRMED: ZVT card type numbers are assigned per network; any byte will do here.

export class ZvtPt {
  state: ZvtEmulatorState;

  constructor(private readonly stateFile: string | null, private readonly now: () => Date = () => new Date(), initial?: ZvtEmulatorState) {
    this.state = initial && !(stateFile && existsSync(stateFile)) ? structuredClone(initial) : loadZvtState(stateFile);
    this.save();
  }

  save(): void { saveZvtState(this.stateFile, this.state); }

  lastEntry(): JournalEntry | null { return this.state.journal.at(-1) ?? null; }

  /** The amount rules above; 0 = approve. */
  decide(kind: JournalKind, amountKopecks: number, currency: number): number {
    if (currency !== EMULATOR_CURRENCY) return RESULT_CODE.wrongCurrency;
    if (kind === 'reversal') return 0;
    if (amountKopecks <= 0) return RESULT_CODE.amountTooSmall;
    if (amountKopecks > MAX_AMOUNT_KOPECKS) return RESULT_CODE.maxAmountExceeded;
    switch (amountKopecks % 100) {
      case 13: return RESULT_CODE.declined;
      case 51: return RESULT_CODE.insufficientFunds;
      case 64: return RESULT_CODE.cardNotReadable;
      default: return 0;
    }
  }

  /** Finds what a reversal undoes, or the result code that refuses it. */
  reversalTarget(receiptNumber: number): { entry: JournalEntry } | { code: number } {
    const entry = this.state.journal.findLast((e) => e.kind === 'purchase' && e.receiptNumber === receiptNumber && e.resultCode === 0);
    if (!entry) return { code: RESULT_CODE.reversalNotPossible };
    if (entry.reversed) return { code: RESULT_CODE.alreadyReversed };
    // Only the open batch can be reversed; after end of day it takes a refund.
    return entry.settled ? { code: RESULT_CODE.reversalNotPossible } : { entry };
  }

  /** Records an operation (approved when resultCode is 0) and saves the state before anything is said. */
  record(kind: JournalKind, amountKopecks: number, currency: number, resultCode: number, reversed?: JournalEntry): JournalEntry {
    const s = this.state;
    s.lastTraceNumber = s.lastTraceNumber % 999_999 + 1;
    const approved = resultCode === 0;
    const entry: JournalEntry = {
      kind, amountKopecks, currency, resultCode,
      receiptNumber: approved ? (s.lastReceiptNumber = s.lastReceiptNumber % 9_999 + 1) : null,
      traceNumber: s.lastTraceNumber,
      turnoverNumber: approved ? (s.lastTurnoverNumber = s.lastTurnoverNumber % 999_999 + 1) : null,
      at: localIso(this.now()),
      panMasked: PAN, cardName: CARD_NAME,
      authCode: approved && kind !== 'reversal' ? `A${String(s.lastTraceNumber).padStart(6, '0')}` : null,
    };
    if (reversed && approved) {
      entry.reversedReceipt = reversed.receiptNumber ?? undefined;
      reversed.reversed = true;
    }
    if (approved) {
      const b = s.batch;
      if (kind === 'purchase') { b.purchases++; b.purchaseKopecks += amountKopecks; }
      if (kind === 'refund') { b.refunds++; b.refundKopecks += amountKopecks; }
      if (kind === 'reversal') { b.reversals++; b.reversalKopecks += amountKopecks; }
    }
    s.journal.push(entry);
    if (s.journal.length > JOURNAL_LIMIT) s.journal.splice(0, s.journal.length - JOURNAL_LIMIT);
    this.save();
    return entry;
  }

  /** Closes the batch: returns its totals and starts a new one. Reversals of closed receipts stop working. */
  endOfDay(): { batch: ZvtEmulatorState['batch']; netKopecks: number } {
    const batch = this.state.batch;
    this.state.batch = emptyBatch();
    this.state.endOfDayCount++;
    for (const e of this.state.journal) e.settled = true;
    this.save();
    return { batch, netKopecks: batch.purchaseKopecks - batch.refundKopecks - batch.reversalKopecks };
  }


  /** Status information (04 0F) fields for an operation (ZVT 13.x §3.2). */
  statusFields(e: JournalEntry): BmpField[] {
    const [date, time] = e.at.split('T') as [string, string];
    const fields: BmpField[] = [
      bmp.resultCode(e.resultCode),
      bmp.amount(e.amountKopecks),
      bmp.currency(e.currency),
      bmp.trace(e.traceNumber),
      bmp.time(time.replace(/:/g, '')),
      bmp.date(date.slice(5).replace('-', '')),
      bmp.terminalId(this.state.terminalId),
      bmp.vuNumber('PRILAVOK-EMU'),
      bmp.pan(e.panMasked),
      bmp.cardType(CARD_TYPE),
      bmp.cardName(e.cardName),
    ];
    if (e.receiptNumber !== null) fields.push(bmp.receipt(e.receiptNumber));
    if (e.turnoverNumber !== null) fields.push(bmp.turnover(e.turnoverNumber));
    if (e.authCode) fields.push(bmp.aid(e.authCode));
    return fields;
  }

  /** The customer receipt as the PT would print it (ASCII: the emulator keeps to the 7-bit set). */
  receiptLines(e: JournalEntry): string[] {
    const title = { purchase: 'PURCHASE / OPLATA', refund: 'REFUND / VOZVRAT', reversal: 'REVERSAL / OTMENA' }[e.kind];
    const lines = [
      'PRILAVOK ZVT EMULATOR',
      `TID ${this.state.terminalId}  ${e.at.replace('T', ' ')}`,
      title,
      `${e.cardName} ${e.panMasked}`,
      `AMOUNT ${rub(e.amountKopecks)} RUB`,
      `TRACE ${e.traceNumber}${e.receiptNumber !== null ? `  RECEIPT ${e.receiptNumber}` : ''}`,
    ];
    if (e.reversedReceipt !== undefined) lines.push(`ORIGINAL RECEIPT ${e.reversedReceipt}`);
    lines.push(e.resultCode === 0 ? `APPROVED ${e.authCode ?? ''}`.trimEnd() : `DECLINED ${e.resultCode.toString(16).toUpperCase().padStart(2, '0')}`);
    return lines;
  }

  endOfDayLines(batch: ZvtEmulatorState['batch'], netKopecks: number): string[] {
    return [
      'PRILAVOK ZVT EMULATOR',
      `END OF DAY / SVERKA ITOGOV #${this.state.endOfDayCount}`,
      `PURCHASES ${batch.purchases}  ${rub(batch.purchaseKopecks)}`,
      `REFUNDS ${batch.refunds}  ${rub(batch.refundKopecks)}`,
      `REVERSALS ${batch.reversals}  ${rub(batch.reversalKopecks)}`,
      `TOTAL ${rub(netKopecks)} RUB`,
      'TOTALS AGREED',
    ];
  }
}

function rub(kopecks: number): string {
  const sign = kopecks < 0 ? '-' : '';
  const k = Math.abs(kopecks);
  return `${sign}${Math.floor(k / 100)}.${String(k % 100).padStart(2, '0')}`;
}

function localIso(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}
