import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { reconcile, type FiscalDocumentFacts, type JournalledJob, type RegisterFacts } from '../../../src-main/domain/fiscal-reconciliation';

const job: JournalledJob = { fnSerial: '9999078900012345', fdBefore: 41, expect: { documentType: 'receipt', calculationSign: 1, totalKopecks: 19290 } };
const ours = (fd: number): FiscalDocumentFacts => ({ fdNumber: fd, documentType: 'receipt', calculationSign: 1, totalKopecks: 19290, fiscalSign: '1234567890' });
const facts = (over: Partial<RegisterFacts>): RegisterFacts => ({ fnSerial: job.fnSerial, lastFd: 41, receiptOpen: false, printPending: false, documentsSince: [], ...over });

describe('reconciling a fiscal job with the register', () => {
  it('no new document and nothing open: the job may run again', () => {
    expect(reconcile(job, facts({}))).toEqual({ action: 'redo' });
  });

  it('no new document but our receipt is open: cancel it, then run again', () => {
    expect(reconcile(job, facts({ receiptOpen: true }))).toEqual({ action: 'cancelAndRedo' });
  });

  it('exactly our document was made: done, with its fiscal sign', () => {
    expect(reconcile(job, facts({ lastFd: 42, documentsSince: [ours(42)] }))).toEqual({ action: 'done', document: ours(42), continuePrint: false });
  });

  it('paper ran out after the document was made: continue printing, never sell again', () => {
    expect(reconcile(job, facts({ lastFd: 42, printPending: true, documentsSince: [ours(42)] })))
      .toMatchObject({ action: 'done', continuePrint: true });
  });

  it('a shift-open document came first, then ours: done with ours', () => {
    const shiftOpen: FiscalDocumentFacts = { fdNumber: 42, documentType: 'shiftOpen', calculationSign: null, totalKopecks: null, fiscalSign: '1' };
    expect(reconcile(job, facts({ lastFd: 43, documentsSince: [shiftOpen, ours(43)] }))).toMatchObject({ action: 'done', document: { fdNumber: 43 } });
  });

  it('a different receipt was made by someone else: ours does not exist, redo', () => {
    const other: FiscalDocumentFacts = { ...ours(42), totalKopecks: 5000 };
    expect(reconcile(job, facts({ lastFd: 42, documentsSince: [other] }))).toEqual({ action: 'redo' });
  });

  it('two matching documents, or unreadable ones, or a changed drive: a person decides', () => {
    expect(reconcile(job, facts({ lastFd: 43, documentsSince: [ours(42), ours(43)] }))).toMatchObject({ action: 'manual' });
    expect(reconcile(job, facts({ lastFd: 43, documentsSince: [ours(43)] }))).toMatchObject({ action: 'manual' });
    expect(reconcile(job, facts({ fnSerial: '0000000000000001', lastFd: 1 }))).toMatchObject({ action: 'manual' });
    expect(reconcile(job, facts({ lastFd: 40 }))).toMatchObject({ action: 'manual' });
  });

  it('never redoes when our document exists, never reports done when it does not', () => {
    const doc = fc.record({
      documentType: fc.constantFrom('receipt', 'shiftOpen', 'shiftClose', 'correction', 'other'),
      calculationSign: fc.constantFrom(1, 2, 3, 4, null),
      totalKopecks: fc.constantFrom(19290, 100, null),
      fiscalSign: fc.string(),
    });
    fc.assert(fc.property(fc.array(doc, { maxLength: 5 }), fc.boolean(), fc.boolean(), (docs, open, pending) => {
      const documentsSince = docs.map((d, i) => ({ ...d, fdNumber: job.fdBefore + 1 + i } as FiscalDocumentFacts));
      const result = reconcile(job, facts({ lastFd: job.fdBefore + docs.length, receiptOpen: open, printPending: pending, documentsSince }));
      const matching = documentsSince.filter((d) => d.documentType === 'receipt' && d.calculationSign === 1 && d.totalKopecks === 19290);
      if (matching.length > 0) expect(['done', 'manual']).toContain(result.action);
      if (matching.length === 0) expect(result.action).not.toBe('done');
      if (result.action === 'done') expect(result.document).toBe(matching[0]);
    }));
  });
});

describe('reconciling a shift step with the register', () => {
  const shiftJob: JournalledJob = { fnSerial: job.fnSerial, fdBefore: 41, expect: { documentType: 'shiftOpen' } };
  const opened: FiscalDocumentFacts = { fdNumber: 42, documentType: 'shiftOpen', calculationSign: null, totalKopecks: null, fiscalSign: '77' };

  it('the shift-open document exists: done with it', () => {
    expect(reconcile(shiftJob, facts({ lastFd: 42, documentsSince: [opened] }))).toEqual({ action: 'done', document: opened, continuePrint: false });
  });

  it('no document since: open the shift again', () => {
    expect(reconcile(shiftJob, facts({}))).toEqual({ action: 'redo' });
  });

  it('a receipt is not a shift document: not ours', () => {
    expect(reconcile(shiftJob, facts({ lastFd: 42, documentsSince: [ours(42)] }))).toEqual({ action: 'redo' });
    expect(reconcile({ ...shiftJob, expect: { documentType: 'shiftClose' } }, facts({ lastFd: 42, documentsSince: [opened] }))).toEqual({ action: 'redo' });
  });

  it('a correction receipt is known by type 31, and by sign and total when the register reports them', () => {
    const cJob: JournalledJob = { ...job, expect: { documentType: 'correction', calculationSign: 1, totalKopecks: 1500_00 } };
    const corr = (fd: number, sign: number | null, total: number | null): FiscalDocumentFacts =>
      ({ fdNumber: fd, documentType: 'correction', calculationSign: sign, totalKopecks: total, fiscalSign: '9' });
    expect(reconcile(cJob, facts({ lastFd: 42, documentsSince: [corr(42, 1, 1500_00)] }))).toMatchObject({ action: 'done', document: { fdNumber: 42 } });
    expect(reconcile(cJob, facts({ lastFd: 42, documentsSince: [corr(42, null, null)] }))).toMatchObject({ action: 'done' });
    // A receipt of the same sum, or another correction, is not ours.
    expect(reconcile(cJob, facts({ lastFd: 42, documentsSince: [{ ...ours(42), totalKopecks: 1500_00 }] }))).toEqual({ action: 'redo' });
    expect(reconcile(cJob, facts({ lastFd: 42, documentsSince: [corr(42, 3, 1500_00)] }))).toEqual({ action: 'redo' });
    expect(reconcile(cJob, facts({ lastFd: 43, documentsSince: [corr(42, null, null), corr(43, null, null)] }))).toMatchObject({ action: 'manual' });
  });
});
