import { describe, expect, it } from 'vitest';
import type { CardOutcome, LastOperationReport } from '../../../drivers/payment/payment-terminal';
import { matchLastOperation, type JournalledOperation } from '../../../src-main/services/payment/last-operation-match';

const approved = (amountKopecks: number, rrn: string | null, receiptNumber: string | null = null): CardOutcome => ({
  state: 'approved', amountKopecks, rrn, authCode: null, receiptNumber, terminalId: 'T1', cardMasked: '**** 1', cardType: 'MIR', slip: ['OK'],
});
const report = (reference: string | null, amountKopecks: number, outcome: CardOutcome, kind: LastOperationReport['kind'] = 'purchase'): LastOperationReport =>
  ({ reference, kind, amountKopecks, outcome });
const ours: JournalledOperation = { reference: 'ours', kind: 'purchase', amountKopecks: 100_00, approved: null };
const prevSame: JournalledOperation = { reference: 'prev', kind: 'purchase', amountKopecks: 100_00, approved: { rrn: 'R1', receiptNumber: '7' } };
const prevOther: JournalledOperation = { reference: 'prev', kind: 'purchase', amountKopecks: 55_00, approved: { rrn: 'R1', receiptNumber: '7' } };

describe("matching the terminal's last-operation report to an operation in doubt", () => {
  it('by echoed reference: ours, the previous one (ours never arrived), or a stranger (supervisor)', () => {
    expect(matchLastOperation(ours, prevSame, report('ours', 100_00, approved(100_00, 'R2')))).toMatchObject({ decision: 'approved', basis: 'reference', operation: { rrn: 'R2' } });
    expect(matchLastOperation(ours, prevSame, report('prev', 100_00, approved(100_00, 'R1')))).toEqual({ decision: 'notPerformed', basis: 'reference' });
    expect(matchLastOperation(ours, prevSame, report('who', 100_00, approved(100_00, 'R9'))).decision).toBe('supervisor');
    expect(matchLastOperation(ours, null, report('ours', 100_00, { state: 'declined', code: '05', message: 'no', slip: [] })))
      .toMatchObject({ decision: 'declined', code: '05' });
    expect(matchLastOperation(ours, null, report('ours', 100_00, { state: 'unknown', reason: 'busy' }))).toEqual({ decision: 'unknown', reason: 'busy' });
  });

  it('no report at all goes to a supervisor', () => {
    expect(matchLastOperation(ours, null, null).decision).toBe('supervisor');
  });

  it('without a reference: kind and amount, with the bank identifiers telling ours from the previous one', () => {
    expect(matchLastOperation(ours, prevOther, report(null, 100_00, approved(100_00, 'R2')))).toMatchObject({ decision: 'approved', basis: 'amount' });
    expect(matchLastOperation(ours, null, report(null, 100_00, approved(100_00, null)))).toMatchObject({ decision: 'approved', basis: 'amount' });
    expect(matchLastOperation(ours, prevOther, report(null, 55_00, approved(55_00, 'R1')))).toMatchObject({ decision: 'notPerformed' });
    expect(matchLastOperation(ours, prevSame, report(null, 100_00, approved(100_00, 'R1')))).toEqual({ decision: 'notPerformed', basis: 'identifiers' });
    expect(matchLastOperation(ours, prevSame, report(null, 100_00, approved(100_00, 'R2')))).toMatchObject({ decision: 'approved', basis: 'identifiers' });
    expect(matchLastOperation(ours, prevOther, report(null, 77_00, approved(77_00, 'R5'))).decision).toBe('supervisor');
    expect(matchLastOperation(ours, null, report(null, 100_00, approved(100_00, 'R2'), 'refund')).decision).toBe('supervisor');
  });

  it('same kind and amount as the previous operation and nothing to tell them apart: a supervisor decides', () => {
    const prevNoIds: JournalledOperation = { ...prevSame, approved: { rrn: null, receiptNumber: null } };
    expect(matchLastOperation(ours, prevNoIds, report(null, 100_00, approved(100_00, null))))
      .toMatchObject({ decision: 'supervisor', reason: expect.stringMatching(/cannot tell/) });
    expect(matchLastOperation(ours, prevNoIds, report(null, 100_00, approved(100_00, 'R2'))).decision).toBe('supervisor');
  });

  it('a report that does not say its kind (ZVT after a lane restart) matches by amount and identifiers', () => {
    expect(matchLastOperation(ours, prevOther, report(null, 100_00, approved(100_00, null, '8'), null))).toMatchObject({ decision: 'approved', basis: 'amount' });
    expect(matchLastOperation(ours, prevSame, report(null, 100_00, approved(100_00, null, '8'), null))).toMatchObject({ decision: 'approved', basis: 'identifiers' });
    expect(matchLastOperation(ours, prevSame, report(null, 100_00, approved(100_00, null, '7'), null))).toEqual({ decision: 'notPerformed', basis: 'identifiers' });
    expect(matchLastOperation(ours, prevOther, report(null, 55_00, approved(55_00, null, '7'), null))).toMatchObject({ decision: 'notPerformed' });
    const cancel: JournalledOperation = { reference: 'c', kind: 'cancel', amountKopecks: 100_00, approved: null };
    expect(matchLastOperation(cancel, prevSame, report(null, 100_00, approved(100_00, null, '7'), null))).toEqual({ decision: 'notPerformed', basis: 'identifiers' });
    expect(matchLastOperation(cancel, prevSame, report(null, 100_00, approved(100_00, null, '9'), null))).toMatchObject({ decision: 'approved', basis: 'identifiers' });
  });

  it("a reference claimed for ours on a report carrying the previous operation's identifiers is the previous one's", () => {
    // ZVT infers the reference from the amount; the receipt number says the report is the previous purchase.
    expect(matchLastOperation(ours, prevSame, report('ours', 100_00, approved(100_00, null, '7')))).toEqual({ decision: 'notPerformed', basis: 'identifiers' });
    expect(matchLastOperation(ours, prevSame, report('ours', 100_00, approved(100_00, null, '8')))).toMatchObject({ decision: 'approved', basis: 'reference' });
  });

  it('an approval of the amount the terminal just declined is ours: the declined one left no approval', () => {
    const prevDeclined: JournalledOperation = { reference: 'prev', kind: 'purchase', amountKopecks: 100_00, approved: null, declined: true };
    expect(matchLastOperation(ours, prevDeclined, report(null, 100_00, approved(100_00, null, '8'), null))).toMatchObject({ decision: 'approved', basis: 'amount' });
    expect(matchLastOperation(ours, { ...prevDeclined, declined: false }, report(null, 100_00, approved(100_00, null, '8'), null)).decision).toBe('supervisor');
  });

  it('a decline takes no money whichever operation it was', () => {
    expect(matchLastOperation(ours, prevSame, report(null, 100_00, { state: 'declined', code: '51', message: 'funds', slip: [] })))
      .toMatchObject({ decision: 'declined', code: '51' });
  });
});
