// Exactly-once fiscalisation: after a timeout, a lost answer, a crash or a power cut, decide from the
// register's facts — never from hope — whether the job's document exists. The fiscal service gathers
// the facts (FN status, last document number, the documents since, the device mode) and acts on the
// decision; this function only decides. Recipe: ../shared/reference/fiscal-registers.md §5.
//
// Invariant: a fiscal document is identified by (FN serial, FD number, fiscal sign) and FD numbers
// grow by one per document on one FN. The journal row written before the first byte went out holds
// the FN serial and the last FD number seen then (fdBefore).

export interface JournalledJob {
  fnSerial: string;
  /** Last fiscal document number on the FN when the job started. */
  fdBefore: number;
  /** What the document must show to be ours: a receipt by sign and total, a shift document by its type. */
  expect: { documentType: 'receipt' | 'correction'; calculationSign: number; totalKopecks: number } | { documentType: 'shiftOpen' | 'shiftClose' };
}

function isOurs(expect: JournalledJob['expect'], d: FiscalDocumentFacts): boolean {
  if (d.documentType !== expect.documentType) return false;
  if (!('calculationSign' in expect)) return true;
  if (expect.documentType === 'correction') {
    // A correction receipt is known by its type (31); sign and total are compared when the register reports them.
    return (d.calculationSign === null || d.calculationSign === expect.calculationSign)
      && (d.totalKopecks === null || d.totalKopecks === expect.totalKopecks);
  }
  return d.calculationSign === expect.calculationSign && d.totalKopecks === expect.totalKopecks;
}

export interface FiscalDocumentFacts {
  fdNumber: number;
  documentType: 'receipt' | 'shiftOpen' | 'shiftClose' | 'correction' | 'other';
  calculationSign: number | null;
  totalKopecks: number | null;
  fiscalSign: string;
}

export interface RegisterFacts {
  fnSerial: string;
  lastFd: number;
  /** A receipt is open on the device (mode 8) — started, not closed. */
  receiptOpen: boolean;
  /** The device stopped printing after the document was made (paper out, waiting for continue-print). */
  printPending: boolean;
  /** Documents fdBefore+1 … lastFd as read back from the FN (FF0A); may be fewer if a lookup failed. */
  documentsSince: FiscalDocumentFacts[];
}

export type Reconciliation =
  /** Our document exists: record it. If the print stopped, only continue printing — never re-sell. */
  | { action: 'done'; document: FiscalDocumentFacts; continuePrint: boolean }
  /** No document was made and nothing is open: the job can run again from the start. */
  | { action: 'redo' }
  /** Our receipt is open on the device but was never closed: cancel it, then run the job again. */
  | { action: 'cancelAndRedo' }
  /** The facts do not say for sure: a person must look (the job stays with this register). */
  | { action: 'manual'; reason: string };

export function reconcile(job: JournalledJob, facts: RegisterFacts): Reconciliation {
  if (facts.fnSerial !== job.fnSerial) {
    return { action: 'manual', reason: `the fiscal drive changed (${job.fnSerial} → ${facts.fnSerial}); document numbers cannot be compared` };
  }
  if (facts.lastFd < job.fdBefore) {
    return { action: 'manual', reason: `the last document number went back (${job.fdBefore} → ${facts.lastFd})` };
  }
  if (facts.lastFd === job.fdBefore) {
    // No document was made since the job started.
    return facts.receiptOpen ? { action: 'cancelAndRedo' } : { action: 'redo' };
  }

  const expectedCount = facts.lastFd - job.fdBefore;
  if (facts.documentsSince.length < expectedCount) {
    return { action: 'manual', reason: `${expectedCount} documents were made since the job started but only ${facts.documentsSince.length} could be read` };
  }
  const ours = facts.documentsSince.filter((d) =>
    d.fdNumber > job.fdBefore && d.fdNumber <= facts.lastFd
    && isOurs(job.expect, d));
  if (ours.length === 1) {
    if (facts.receiptOpen) {
      // Our document exists and yet a receipt is open: someone else started one. Not ours to cancel.
      return { action: 'manual', reason: 'the document exists but another receipt is open on the register' };
    }
    return { action: 'done', document: ours[0]!, continuePrint: facts.printPending };
  }
  if (ours.length > 1) {
    return { action: 'manual', reason: `${ours.length} documents since the job started match it; one of them may be a duplicate` };
  }
  // Documents were made (a shift opened, another program printed), none of them is ours.
  return facts.receiptOpen ? { action: 'cancelAndRedo' } : { action: 'redo' };
}
