// The emulated register's persistent state: what a real KKT keeps in its FN and non-volatile memory.
// Written atomically (tmp + fsync + rename) after every change and before the answer goes out, so a
// "power cut" after the document write leaves the document in the file.
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';

export interface StoredFd {
  fd: number;
  /** 2 shift open, 3 receipt, 5 shift close (FF0A numbering). */
  type: number;
  dateTime: string;
  fiscalSign: number;
  operationType?: number;
  amountKopecks?: number;
  shiftNumber?: number;
  ofdAcknowledged: boolean;
  tlvCount?: number;
  /** The document as the FN's TLV (hex), what FF3A/FF3B hand out; kept for the latest documents only. */
  tlv?: string;
}

export interface OpenReceipt {
  /** FF46 operation type / tag 1054: 1 sale, 2 sale return, 3 purchase, 4 purchase return. */
  operationType: number;
  items: Array<{
    name: string; quantityMilli: number; priceKopecks: number; amountKopecks: number; taxRate: number; tlvCount: number; marked: boolean;
    paymentMethod?: number; itemType?: number;
    /** Item-level TLVs bound by FF4D, hex, in the order received. */
    tlvs?: string[];
  }>;
  receiptTlvCount: number;
  /** Receipt-level TLVs (FF0C), hex. */
  receiptTlvs?: string[];
}

export interface EmulatorState {
  version: 1;
  serial: number;
  inn: number;
  fnSerial: string;
  kktDocumentNumber: number;
  lastFd: number;
  shiftNumber: number;
  shiftOpen: boolean;
  shiftOpenedAtMs: number | null;
  receiptsInShift: number;
  receipt: OpenReceipt | null;
  documents: StoredFd[];
  cashKopecks: number;
  paperOut: boolean;
  /** 0 paper present, 1 passive paper out, 2 printing interrupted (paper out), 3 waiting for B0. */
  submode: number;
  marking: { checked: boolean; accepted: boolean | null; boundInReceipt: number };
  /** FF0C tags sent with no receipt open: they go into the next document (a correction receipt). */
  pendingTlvs?: string[];
}

export function freshState(): EmulatorState {
  return {
    version: 1, serial: 12_345_678, inn: 7_700_000_001, fnSerial: '9999078900000001',
    kktDocumentNumber: 0, lastFd: 1, shiftNumber: 0, shiftOpen: false, shiftOpenedAtMs: null, receiptsInShift: 0,
    receipt: null,
    // FD 1 is the registration report every fiscalised FN starts with.
    documents: [{ fd: 1, type: 1, dateTime: '2026-01-05T09:00', fiscalSign: 1_000_001, ofdAcknowledged: true }],
    cashKopecks: 0, paperOut: false, submode: 0,
    marking: { checked: false, accepted: null, boundInReceipt: 0 },
  };
}

export function loadState(file: string | null): EmulatorState {
  if (!file || !existsSync(file)) return freshState();
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as EmulatorState;
  if (parsed.version !== 1) throw new Error(`emulator state ${file}: unknown version`);
  return parsed;
}

export function saveState(file: string | null, state: EmulatorState): void {
  if (!file) return;
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, JSON.stringify(state));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}
