import { describe, expect, it } from 'vitest';
import type { FiscalRegister, StoredDocument } from '../../../../drivers/fiscal/fiscal-register';
import { documentFacts, findShiftOpenTime, receiptJournalDocument, registerTimeMs } from '../../../../src-main/services/fiscal/register-facts';

/** Only findDocument is asked; it counts the questions. */
function fnWith(docs: Record<number, StoredDocument>) {
  const asked: number[] = [];
  const register = { findDocument: async (fd: number) => { asked.push(fd); return docs[fd]!; } } as unknown as FiscalRegister;
  return { register, asked };
}
const receipt = (fd: number): StoredDocument => ({ kind: 'receipt', fdNumber: fd, fiscalSign: fd * 7, dateTime: '2026-11-23T12:00', ofdAcknowledged: false, sign: 'sale', totalKopecks: 100 });
const shift = (kind: 'shiftOpen' | 'shiftClose', fd: number, dateTime: string): StoredDocument => ({ kind, fdNumber: fd, fiscalSign: 1, dateTime, ofdAcknowledged: false, shiftNumber: 1 });

describe('register facts', () => {
  it('reads the register clock as local time with its UTC offset', () => {
    expect(registerTimeMs('2026-11-23T12:00', 180)).toBe(Date.parse('2026-11-23T09:00:00Z'));
    expect(registerTimeMs('2026-11-23 12:00:30', 0)).toBe(Date.parse('2026-11-23T12:00:30Z'));
    expect(registerTimeMs('garbage', 180)).toBeNull();
    expect(registerTimeMs(null, 180)).toBeNull();
  });

  it('turns FN documents into reconciliation facts with the 1054 sign as a number', () => {
    expect(documentFacts(receipt(5), 5)).toEqual({ fdNumber: 5, documentType: 'receipt', calculationSign: 1, totalKopecks: 100, fiscalSign: '35' });
    expect(documentFacts({ kind: 'other', documentType: 9, ofdAcknowledged: true, raw: new Uint8Array() }, 6)).toMatchObject({ fdNumber: 6, documentType: 'other' });
  });

  it('finds when the shift opened, asking the register only about documents the journal did not make', async () => {
    const { register, asked } = fnWith({ 2: shift('shiftOpen', 2, '2026-11-23T08:00'), 3: receipt(3), 4: receipt(4), 5: receipt(5) });
    const known = (from: number, to: number) => new Set([3, 4].filter((fd) => fd >= from && fd <= to));
    expect(await findShiftOpenTime(register, 5, { last: null, known }, 100)).toBe('2026-11-23T08:00');
    expect(asked).toEqual([5, 2]);
  });

  it('trusts the journal\'s own shift document when everything after it is known', async () => {
    const { register, asked } = fnWith({});
    const known = () => new Set([11, 12]);
    expect(await findShiftOpenTime(register, 12, { last: { fdNumber: 10, kind: 'shiftOpen', dateTime: '2026-11-23T07:00' }, known }, 100)).toBe('2026-11-23T07:00');
    expect(await findShiftOpenTime(register, 12, { last: { fdNumber: 10, kind: 'shiftClose', dateTime: null }, known }, 100)).toBeNull();
    expect(asked).toEqual([]);
  });

  it('a shift-close found first means no open shift is known', async () => {
    const { register } = fnWith({ 3: shift('shiftClose', 3, '2026-11-23T08:00'), 4: receipt(4) });
    expect(await findShiftOpenTime(register, 4, { last: null, known: () => new Set() }, 100)).toBeNull();
  });

  it('keeps the FN\'s own TLV document for a receipt, and the FF0A summary when the register cannot give it', async () => {
    const fields = { 1040: 5, 1054: 1, 1059: [{ 1030: 'Хлеб' }] };
    const reads = { readDocumentTlv: async (fd: number) => ({ fdNumber: fd, documentType: 3, fields }) } as unknown as FiscalRegister;
    expect(await receiptJournalDocument(reads, receipt(5), 5)).toEqual({ fdNumber: 5, fiscalSign: '35', dateTime: '2026-11-23T12:00',
      document: { source: 'fn-tlv', kind: 'receipt', fdNumber: 5, documentType: 3, fields } });
    const fails = { readDocumentTlv: async () => { throw new Error('link lost'); } } as unknown as FiscalRegister;
    expect((await receiptJournalDocument(fails, receipt(5), 5)).document).toMatchObject({ kind: 'receipt', totalKopecks: 100, sign: 'sale' });
    expect((await receiptJournalDocument({} as FiscalRegister, receipt(5), 5)).document).toMatchObject({ kind: 'receipt', totalKopecks: 100 });
  });
});
