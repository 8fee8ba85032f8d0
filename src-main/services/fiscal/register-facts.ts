// Reading the register's facts for conditions and reconciliation (reference §5): status, FN status,
// the documents made since a job's fdBefore (FF0A), when the open shift started. Read-only commands.
import type { FiscalRegister, FnStatus, RegisterStatus, StoredDocument } from '../../../drivers/fiscal/fiscal-register';
import { CALCULATION_SIGN } from '../../domain/fiscal-receipt';
import type { FiscalDocumentFacts, RegisterFacts } from '../../domain/fiscal-reconciliation';
import type { JournalDocument } from '../../store/fiscal-journal';

export interface DeviceFacts { status: RegisterStatus; fn: FnStatus }

export async function readDeviceFacts(register: FiscalRegister): Promise<DeviceFacts> {
  const status = await register.status();
  const fn = await register.fnStatus();
  return { status, fn };
}

export function documentFacts(doc: StoredDocument, fdNumber: number): FiscalDocumentFacts {
  if (doc.kind === 'receipt') {
    const sign = typeof doc.sign === 'number' ? doc.sign : CALCULATION_SIGN[doc.sign];
    return { fdNumber: doc.fdNumber, documentType: 'receipt', calculationSign: sign, totalKopecks: doc.totalKopecks, fiscalSign: String(doc.fiscalSign) };
  }
  if (doc.kind === 'correction') {
    const sign = doc.sign === null ? null : typeof doc.sign === 'number' ? doc.sign : CALCULATION_SIGN[doc.sign];
    return { fdNumber: doc.fdNumber, documentType: 'correction', calculationSign: sign, totalKopecks: doc.totalKopecks, fiscalSign: String(doc.fiscalSign) };
  }
  if (doc.kind === 'shiftOpen' || doc.kind === 'shiftClose') {
    return { fdNumber: doc.fdNumber, documentType: doc.kind, calculationSign: null, totalKopecks: null, fiscalSign: String(doc.fiscalSign) };
  }
  // A driver that does not know type 31 still tells it apart: a correction receipt, sign and total unknown.
  if (doc.kind === 'other' && doc.documentType === 31) return { fdNumber, documentType: 'correction', calculationSign: null, totalKopecks: null, fiscalSign: '' };
  return { fdNumber, documentType: 'other', calculationSign: null, totalKopecks: null, fiscalSign: '' };
}

/** The document as the journal keeps it (JSON-safe: raw bytes as hex). */
export function journalDocument(doc: StoredDocument, fdNumber: number): JournalDocument {
  if (doc.kind === 'other') {
    return { fdNumber, fiscalSign: '', dateTime: null,
      document: { kind: 'other', documentType: doc.documentType, ofdAcknowledged: doc.ofdAcknowledged, raw: Buffer.from(doc.raw).toString('hex') } };
  }
  return { fdNumber: doc.fdNumber, fiscalSign: String(doc.fiscalSign), dateTime: doc.dateTime, document: { ...doc } };
}

/**
 * A receipt's journal document read back from the FN in full (FF3A/FF3B TLV, decoded to tag → value)
 * where the driver can, else the FF0A summary. The TLV read is read-only and comes after the document
 * exists, so a failure only costs the detail: it falls back to the summary, never fails the step.
 */
export async function receiptJournalDocument(register: FiscalRegister, summary: StoredDocument, fdNumber: number): Promise<JournalDocument> {
  const doc = journalDocument(summary, fdNumber);
  if (!register.readDocumentTlv) return doc;
  try {
    const tlv = await register.readDocumentTlv(fdNumber);
    return { ...doc, document: { source: 'fn-tlv', kind: summary.kind, fdNumber: tlv.fdNumber, documentType: tlv.documentType, fields: tlv.fields } };
  } catch {
    return doc;
  }
}

/**
 * Everything reconcile() needs. Documents other jobs already own are passed as 'other' so that a
 * receipt of the same sum made for another sale is never taken for this job's.
 */
export async function gatherRegisterFacts(register: FiscalRegister, fdBefore: number, claimed: (from: number, to: number) => Set<number>,
  maxScan: number): Promise<{ facts: RegisterFacts; documents: Map<number, StoredDocument> } | { tooMany: number }> {
  const { status, fn } = await readDeviceFacts(register);
  const documents = new Map<number, StoredDocument>();
  const documentsSince: FiscalDocumentFacts[] = [];
  if (fn.lastFdNumber - fdBefore > maxScan) return { tooMany: fn.lastFdNumber - fdBefore };
  if (fn.lastFdNumber > fdBefore) {
    const owned = claimed(fdBefore + 1, fn.lastFdNumber);
    for (let fd = fdBefore + 1; fd <= fn.lastFdNumber; fd++) {
      const doc = await register.findDocument(fd);
      documents.set(fd, doc);
      const facts = documentFacts(doc, fd);
      documentsSince.push(owned.has(fd) ? { ...facts, documentType: 'other' } : facts);
    }
  }
  return {
    facts: {
      fnSerial: fn.fnSerial, lastFd: fn.lastFdNumber,
      receiptOpen: status.receiptOpen || fn.currentDocument === 4,
      printPending: status.paperOut || status.awaitingContinuePrint,
      documentsSince,
    },
    documents,
  };
}

/** The register's local date-time text (YYYY-MM-DDTHH:MM[:SS]) as epoch ms; null when unreadable. */
export function registerTimeMs(text: string | null, utcOffsetMinutes: number): number | null {
  if (!text) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?/.exec(text);
  if (!m) return null;
  const utc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0));
  return Number.isFinite(utc) ? utc - utcOffsetMinutes * 60_000 : null;
}

/** What the journal knows of the newest shift document it made on an FN, and which FDs it owns. */
export interface ShiftHint {
  last: { fdNumber: number; kind: 'shiftOpen' | 'shiftClose'; dateTime: string | null } | null;
  /** FDs in a range the journal owns (receipts and shift documents it made). */
  known(from: number, to: number): Set<number>;
}

/**
 * The date-time text of the open shift's shift-open document, or null when none is found. Looks
 * backwards from the last FD, asking the register (FF0A) only about documents the journal did not make.
 */
export async function findShiftOpenTime(register: FiscalRegister, lastFd: number, hint: ShiftHint, maxScan: number): Promise<string | null> {
  const floor = Math.max(hint.last?.fdNumber ?? 0, lastFd - maxScan, 0);
  const known = hint.known(floor + 1, lastFd);
  for (let fd = lastFd; fd > floor; fd--) {
    if (known.has(fd)) continue;
    const doc = await register.findDocument(fd);
    if (doc.kind === 'shiftOpen') return doc.dateTime;
    if (doc.kind === 'shiftClose') return null;
  }
  if (hint.last && hint.last.fdNumber > lastFd - maxScan) return hint.last.kind === 'shiftOpen' ? hint.last.dateTime : null;
  return null;
}
