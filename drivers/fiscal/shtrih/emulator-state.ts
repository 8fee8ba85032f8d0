// The emulated register's persistent state: what a real KKT keeps in its FN and non-volatile memory.
// Written atomically (tmp + fsync + rename) after every change and before the answer goes out, so a
// "power cut" after the document write leaves the document in the file.
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { readStateFile, writeStateFile } from '../../emulator-support/state-file';

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
  /** When the FN wrote it (the emulator's clock, epoch ms); the OFD model acknowledges it some time after. */
  writtenAtMs?: number;
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
  /** What the register printed of its reports (X and Z), newest last, bounded: tests read the "paper". */
  tape?: string[];
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
  return (file ? readStateFile<EmulatorState>(file, 1, 'emulator state') : null) ?? freshState();
}

export function saveState(file: string | null, state: EmulatorState): void {
  if (file) writeStateFile(file, state);
}

/**
 * The FN's TLV of the latest documents beyond what the state file keeps: an append-only side file
 * (`<state>.tlv`, one JSON line `{fd, tlv}` per document, fsynced before the answer like the state), so
 * keeping a thousand documents costs one short append per document instead of rewriting them all on every
 * change. The last line for an FD wins (a power cut may leave a line for an FD the state never recorded;
 * the next document with that number overwrites it). Compacted when it grows to twice what is kept.
 */
export class TlvArchive {
  private readonly byFd = new Map<number, string>();
  private lines = 0;

  constructor(private readonly file: string | null, private readonly keep: number) {
    if (!file || !existsSync(file)) return;
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!line) continue;
      try {
        const { fd, tlv } = JSON.parse(line) as { fd: unknown; tlv: unknown };
        if (typeof fd === 'number' && typeof tlv === 'string') this.remember(fd, tlv);
        this.lines++;
      } catch { /* a line torn by a power cut: ignore it */ }
    }
  }

  get(fd: number): string | undefined { return this.byFd.get(fd); }

  append(fd: number, tlv: string): void {
    this.remember(fd, tlv);
    if (!this.file) return;
    const handle = openSync(this.file, 'a');
    try {
      writeSync(handle, `${JSON.stringify({ fd, tlv })}\n`);
      fsyncSync(handle);
    } finally {
      closeSync(handle);
    }
    if (++this.lines >= 2 * this.keep) this.compact();
  }

  private remember(fd: number, tlv: string): void {
    this.byFd.delete(fd);
    this.byFd.set(fd, tlv);
    while (this.byFd.size > this.keep) this.byFd.delete(this.byFd.keys().next().value!);
  }

  private compact(): void {
    const tmp = `${this.file!}.tmp`;
    const handle = openSync(tmp, 'w');
    try {
      writeSync(handle, [...this.byFd].map(([fd, tlv]) => `${JSON.stringify({ fd, tlv })}\n`).join(''));
      fsyncSync(handle);
    } finally {
      closeSync(handle);
    }
    renameSync(tmp, this.file!);
    this.lines = this.byFd.size;
  }
}
