// Deciding, from the terminal's last-operation report, what became of an operation whose answer we
// never got. Pure: the journal gives our operation and the one before it on the same terminal.
//
// The terminal reports only its *last* operation. If ours reached it, the report is ours; if ours never
// did, the report describes the operation before ours (nobody else drives the lane's terminal). So the
// question is always "ours, or the previous one?", answered by our reference where the protocol echoes
// it, else by kind + amount and the bank's identifiers (RRN, receipt number). What stays ambiguous goes
// to a supervisor — never a blind retry.
import type { ApprovedOperation, CardOperationKind, LastOperationReport } from '../../../drivers/payment/payment-terminal';

export interface JournalledOperation {
  reference: string;
  kind: CardOperationKind;
  amountKopecks: number;
  approved: Pick<ApprovedOperation, 'rrn' | 'receiptNumber'> | null;
  /** The terminal declined it (it reached the terminal and took no money): an approval cannot be its report. */
  declined?: boolean;
}

export type MatchDecision =
  | { decision: 'approved'; operation: ApprovedOperation; slip: string[]; basis: MatchBasis }
  | { decision: 'declined'; code: string; message: string; slip: string[]; basis: MatchBasis }
  /** The report is about the operation before ours: ours never reached the terminal. */
  | { decision: 'notPerformed'; basis: MatchBasis }
  /** The terminal itself does not know yet (busy, still talking to the bank): ask again later. */
  | { decision: 'unknown'; reason: string }
  | { decision: 'supervisor'; reason: string };

export type MatchBasis = 'reference' | 'identifiers' | 'amount';

/**
 * @param ours the operation in doubt
 * @param previous the operation that reached this terminal just before ours, if any
 */
export function matchLastOperation(ours: JournalledOperation, previous: JournalledOperation | null,
  report: LastOperationReport | null): MatchDecision {
  if (report === null) return { decision: 'supervisor', reason: 'the terminal reports no last operation' };

  const ids = report.outcome.state === 'approved' ? { rrn: report.outcome.rrn, receiptNumber: report.outcome.receiptNumber } : null;
  if (report.reference !== null) {
    // A reference some protocols only infer (ZVT echoes none: its driver claims the report by amount) is
    // weaker than the bank's identifiers: an approval carrying the previous operation's RRN or receipt
    // number is that operation's, whatever reference came with it. (The payment chaos test found a
    // reversal lost before the terminal recorded as approved with the purchase's own receipt number:
    // the purchase was marked cancelled while the customer's money stayed taken.)
    if (report.reference === ours.reference) {
      if (ids && previous?.approved && sameIdentifiers(ids, previous.approved)) return { decision: 'notPerformed', basis: 'identifiers' };
      return outcomeOf(report, 'reference');
    }
    if (previous && report.reference === previous.reference) return { decision: 'notPerformed', basis: 'reference' };
    return { decision: 'supervisor', reason: `the terminal's last operation (${report.reference}) is not one the journal knows` };
  }

  // No echoed reference: the weaker match.
  if (ids && previous?.approved && sameIdentifiers(ids, previous.approved)) return { decision: 'notPerformed', basis: 'identifiers' };

  const likeOurs = sameShape(report, ours);
  const likePrevious = previous !== null && sameShape(report, previous);
  if (!likeOurs) {
    if (likePrevious) return { decision: 'notPerformed', basis: 'amount' };
    return { decision: 'supervisor', reason: 'the last operation on the terminal matches neither ours nor the one before it' };
  }
  if (report.outcome.state === 'unknown') return { decision: 'unknown', reason: report.outcome.reason };
  if (!likePrevious) return outcomeOf(report, 'amount');
  // Same kind and amount as the previous operation too. A decline takes no money whichever it was.
  if (report.outcome.state === 'declined') return outcomeOf(report, 'amount');
  // An approval with identifiers that differ from the previous operation's is a new one: ours.
  if (ids && previous!.approved && distinctIdentifiers(ids, previous!.approved)) return outcomeOf(report, 'identifiers');
  // The previous one was declined, so an approval is ours: a declined amount tried again is the common
  // case, and without this it went to a supervisor whenever the answer was lost.
  if (previous!.declined) return outcomeOf(report, 'amount');
  return { decision: 'supervisor', reason: 'the last operation has the same kind and amount as the one before ours; the terminal cannot tell them apart' };
}

function outcomeOf(report: LastOperationReport, basis: MatchBasis): MatchDecision {
  const o = report.outcome;
  switch (o.state) {
    case 'approved': {
      const { state: _state, slip, ...operation } = o;
      return { decision: 'approved', operation, slip, basis };
    }
    case 'declined': return { decision: 'declined', code: o.code, message: o.message, slip: o.slip, basis };
    case 'unknown': return { decision: 'unknown', reason: o.reason };
  }
}

/**
 * Same kind and amount. A report that does not say its kind (ZVT's repeat receipt after a lane restart:
 * the driver no longer knows what it sent) matches any kind; the bank identifiers still tell ours from
 * the previous operation. Without this every operation in doubt across a restart went to a supervisor.
 */
function sameShape(report: LastOperationReport, op: JournalledOperation): boolean {
  return (report.kind === null || report.kind === op.kind) && report.amountKopecks === op.amountKopecks;
}

type Ids = Pick<ApprovedOperation, 'rrn' | 'receiptNumber'>;

/** Some identifier both carry is equal. */
function sameIdentifiers(a: Ids, b: Ids): boolean {
  return (a.rrn !== null && a.rrn === b.rrn) || (a.receiptNumber !== null && a.receiptNumber === b.receiptNumber);
}

/** Some identifier both carry differs, and none is equal. */
function distinctIdentifiers(a: Ids, b: Ids): boolean {
  if (sameIdentifiers(a, b)) return false;
  return (a.rrn !== null && b.rrn !== null) || (a.receiptNumber !== null && b.receiptNumber !== null);
}
