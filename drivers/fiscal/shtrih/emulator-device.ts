// The emulated register's behaviour: modes and submodes (reference §1.2), the FN with its FD counter
// and fiscal sign, the 24-hour shift, stored documents for FF0A, the unsent-to-OFD queue, paper.
// Input: a request payload; output: the answer payload, after the state is saved.
import { createHash } from 'node:crypto';
import { CodecError, encodeFields, type FieldValues } from './codec';
import { CMD, FD_TYPE, STATUS_FLAG, decodeRequest, encodeAnswer, vatFromByte } from './commands';
import { EmulatedDrawers } from './emulator-drawer';
import { SHTRIH_ERROR } from './errors';
import { TlvArchive, saveState, type EmulatorState, type StoredFd } from './emulator-state';
import { TAG, encodeTlv, tlvByte, tlvFvlnMilli, tlvString, tlvStruct, tlvU32, tlvUnixTime, tlvVln } from './tlv';

const SHIFT_LIMIT_MS = 24 * 3_600_000;
const SYSADMIN = 30;
/** FF46 operation type → mode 8 receipt type in the high nibble: 8.0 sale, 8.1 buy, 8.2/8.3 returns. */
const RECEIPT_TYPE: Record<number, number> = { 1: 0, 3: 1, 2: 2, 4: 3 };
// 28h prints nothing, so paper does not stop it here (UNCONFIRMED whether real firmware refuses it while
// waiting for B0).
const NOT_BLOCKED_BY_PRINT = new Set<number>([CMD.shortStatus, CMD.fullStatus, CMD.deviceType, CMD.fnStatus, CMD.findDocument,
  CMD.ofdStatus, CMD.markingStatus, CMD.continuePrint, CMD.requestDocumentTlv, CMD.readDocumentTlvBlock, CMD.openDrawer]);
/** FFD type of a correction receipt (FF0A/FF3A numbering). */
export const FD_TYPE_CORRECTION = 31;
/** How many of the latest documents keep their TLV in the state file (it is rewritten on every change). */
const TLV_DOCUMENTS_KEPT = 64;
/** How many of the latest documents FF3A/FF3B can hand out: the state file's, then the side file's (TlvArchive). */
export const TLV_DOCUMENTS_ARCHIVED = 1_000;
/** FF3B block size: what fits a frame with room to spare (the real device's choice is UNCONFIRMED). */
const TLV_BLOCK_BYTES = 200;
/** FF46 rate byte (as vatFromByte names it) → FFD 1199 (reference §3). */
const TAG_1199: Record<string, number> = {
  vat20: 1, vat10: 2, vat20_120: 3, vat10_110: 4, vat0: 5, none: 6, vat5: 7, vat7: 8, vat5_105: 9, vat7_107: 10, vat22: 11, vat22_122: 12,
};
const fromHex = (h: string) => Uint8Array.from(Buffer.from(h, 'hex'));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');

export interface DeviceOptions {
  stateFile: string | null;
  now?: () => number;
  /**
   * The OFD exchange: a document is acknowledged (ticket received) this long after it was written, or after
   * the OFD link came up if that was later; documents go in FD order. null: no OFD link, nothing is
   * acknowledged and the unsent queue only grows. Default DEFAULT_OFD_ACK_MS.
   */
  ofdAckMs?: number | null;
  /** The drawers on the register's drawer port; the emulator keeps them across restarts (a fresh pair by default). */
  drawers?: EmulatedDrawers;
}

/** How long the modelled OFD takes to acknowledge a document by default. */
export const DEFAULT_OFD_ACK_MS = 3_000;

export interface Execution {
  answer: Uint8Array;
  /** The code of the command executed (for fault triggers). */
  code: number;
  /** True when the command wrote a fiscal document. */
  wroteDocument: boolean;
}

export class ShtrihDevice {
  private readonly now: () => number;
  /** The document FF3A selected for FF3B (volatile, like the device's own read pointer). */
  private tlvRead: { bytes: Uint8Array; at: number } | null = null;

  private ofdAckMs: number | null;
  /** When the OFD link came up (the device started, or setOfd() put it online). */
  private ofdOnlineSinceMs: number;
  /** Index in state.documents of the first document not known to be acknowledged (a hint). */
  private ofdCursor = 0;
  private readonly tlvArchive: TlvArchive;
  readonly drawers: EmulatedDrawers;

  constructor(public state: EmulatorState, private readonly options: DeviceOptions) {
    this.now = options.now ?? Date.now;
    this.drawers = options.drawers ?? new EmulatedDrawers();
    this.ofdAckMs = options.ofdAckMs === undefined ? DEFAULT_OFD_ACK_MS : options.ofdAckMs;
    this.ofdOnlineSinceMs = this.now();
    this.tlvArchive = new TlvArchive(options.stateFile ? `${options.stateFile}.tlv` : null, TLV_DOCUMENTS_ARCHIVED);
  }

  /** The OFD link: acknowledge after ackMs (online), or never (null: offline). Going online restarts the clock. */
  setOfd(ackMs: number | null): void {
    if (ackMs !== null && this.ofdAckMs === null) this.ofdOnlineSinceMs = this.now();
    this.ofdAckMs = ackMs;
  }

  /**
   * The OFD's tickets that are due by now, in FD order (the FN sends the oldest unsent document first and
   * the next only after its ticket). Returns whether anything changed.
   */
  acknowledgeOfd(): boolean {
    const ackMs = this.ofdAckMs;
    if (ackMs === null) return false;
    const now = this.now();
    let changed = false;
    const docs = this.state.documents;
    // Everything before the first unsent document is acknowledged: start there, not at FD 1.
    if (this.ofdCursor > docs.length || (this.ofdCursor > 0 && !docs[this.ofdCursor - 1]!.ofdAcknowledged)) this.ofdCursor = 0;
    for (; this.ofdCursor < docs.length; this.ofdCursor++) {
      const doc = docs[this.ofdCursor]!;
      if (doc.ofdAcknowledged) continue;
      // A document from a state file older than this model carries no time: it is due like one written at start.
      const due = Math.max(doc.writtenAtMs ?? 0, this.ofdOnlineSinceMs) + ackMs;
      if (due > now) break;
      doc.ofdAcknowledged = true;
      changed = true;
    }
    return changed;
  }

  get mode(): number {
    const s = this.state;
    if (s.receipt) return 0x08 | ((RECEIPT_TYPE[s.receipt.operationType] ?? 0) << 4);
    if (!s.shiftOpen) return 4;
    return this.shiftExpired() ? 3 : 2;
  }

  shiftExpired(): boolean {
    const s = this.state;
    return s.shiftOpen && s.shiftOpenedAtMs !== null && this.now() - s.shiftOpenedAtMs >= SHIFT_LIMIT_MS;
  }

  /** The operator loads paper: an interrupted print now waits for B0 (submode 3). */
  loadPaper(): void {
    this.state.paperOut = false;
    this.state.submode = this.state.submode === 2 ? 3 : 0;
    this.save();
  }

  /** Paper runs out while printing the current document (submode 2). */
  paperOutWhilePrinting(): void {
    this.state.paperOut = true;
    this.state.submode = 2;
    this.save();
  }

  save(): void { saveState(this.options.stateFile, this.state); }

  execute(payload: Uint8Array): Execution {
    let code = payload[0] === 0xff && payload.length > 1 ? 0xff00 | payload[1]! : payload[0] ?? 0;
    let values: FieldValues;
    try {
      const req = decodeRequest(payload);
      code = req.code;
      values = req.values;
    } catch (error) {
      const err = error instanceof CodecError && error.code === 'unknown-command' ? SHTRIH_ERROR.unsupported : SHTRIH_ERROR.badParameters;
      return { answer: rawError(code, err), code, wroteDocument: false };
    }
    const before = this.state.lastFd;
    if (this.acknowledgeOfd()) this.save();
    const result = this.dispatch(code, values);
    const answer = typeof result === 'number' ? encodeAnswer(code, result) : encodeAnswer(code, 0, result);
    return { answer, code, wroteDocument: this.state.lastFd !== before };
  }

  private dispatch(code: number, v: FieldValues): number | FieldValues {
    const s = this.state;
    if (code !== CMD.deviceType) {
      const password = Number(v.password);
      if (code > 0xff ? password !== SYSADMIN : !(password >= 1 && password <= 30)) return SHTRIH_ERROR.badPassword;
    }
    if (!NOT_BLOCKED_BY_PRINT.has(code)) {
      if (s.submode === 3) return SHTRIH_ERROR.awaitingContinuePrint;
      if (s.paperOut) return SHTRIH_ERROR.noPaper;
    }
    const operator = code === CMD.deviceType ? 0 : Math.min(Number(v.password), 30);
    switch (code) {
      case CMD.deviceType:
        // UNCONFIRMED: type/subtype/model numbers of a real ШТРИХ-М-01Ф; the name says what we are.
        return { deviceType: 0, deviceSubtype: 0, protocolVersion: 1, protocolSubversion: 0, model: 0, language: 0, deviceName: 'ЭМУЛЯТОР ШТРИХ-М' };
      case CMD.shortStatus:
        return { operator, flags: this.flags(), mode: this.mode, submode: s.submode, operationsLo: this.receiptOps() & 0xff,
          battery: 0, power: 0, reserved1: 0, reserved2: 0, operationsHi: this.receiptOps() >> 8, reserved3: 0, reserved4: 0, reserved5: 0, lastPrintResult: 0 };
      case CMD.fullStatus: {
        const t = this.deviceTime();
        return { operator, firmwareVersion: 'C1', firmwareBuild: 1, firmwareDate: '2026-01-05', hallNumber: 1,
          documentNumber: s.kktDocumentNumber & 0xffff, flags: this.flags(), mode: this.mode, submode: s.submode, port: 0,
          fpVersion: '00', fpBuild: 0, fpDate: '2000-01-01', date: t.slice(0, 10), time: `${t.slice(11, 16)}:00`, fpFlags: 0,
          serial: s.serial, lastShift: s.shiftOpen ? s.shiftNumber - 1 : s.shiftNumber, freeRecords: 0, registrations: 1,
          registrationsLeft: 11, inn: s.inn, serialHi: 0 };
      }
      case CMD.openDrawer: {
        const drawer = Number(v.drawer);
        if (drawer !== 0 && drawer !== 1) return SHTRIH_ERROR.badParameters;
        this.drawers.kick(drawer);
        return { operator };
      }
      case CMD.fnStatus:
        return { phase: 3, currentDocument: s.receipt ? 4 : 0, documentData: 0, shiftOpen: s.shiftOpen ? 1 : 0,
          warningFlags: 0, dateTime: this.deviceTime(), fnSerial: s.fnSerial, lastFd: s.lastFd };
      case CMD.findDocument: {
        const doc = s.documents.find((d) => d.fd === v.fdNumber);
        if (!doc) return SHTRIH_ERROR.fnNoData;
        return { documentType: doc.type, ofdAcknowledged: doc.ofdAcknowledged ? 1 : 0, data: documentData(doc) };
      }
      case CMD.ofdStatus: {
        const unsent = s.documents.filter((d) => !d.ofdAcknowledged);
        const first = unsent[0];
        return { exchangeFlags: unsent.length > 0 ? 0x01 : 0, readState: 0, unsentCount: unsent.length, firstUnsentFd: first?.fd ?? 0,
          firstUnsentDateTime: first ? encodeFields([{ name: 'd', kind: 'fnDateTime' }], { d: first.dateTime }) : new Uint8Array(5) };
      }
      case CMD.openShift: {
        if (s.receipt) return SHTRIH_ERROR.receiptOpen;
        if (s.shiftOpen) return SHTRIH_ERROR.wrongMode;
        s.shiftNumber++;
        s.shiftOpen = true;
        s.shiftOpenedAtMs = this.now();
        s.receiptsInShift = 0;
        this.writeFd({ type: FD_TYPE.shiftOpen, shiftNumber: s.shiftNumber });
        return { operator };
      }
      case CMD.zReport: {
        if (s.receipt) return SHTRIH_ERROR.receiptOpen;
        if (!s.shiftOpen) return SHTRIH_ERROR.wrongMode;
        this.printShiftReport('Z');
        s.shiftOpen = false;
        s.shiftOpenedAtMs = null;
        this.writeFd({ type: FD_TYPE.shiftClose, shiftNumber: s.shiftNumber });
        return { operator };
      }
      case CMD.xReport:
        if (s.receipt) return SHTRIH_ERROR.receiptOpen;
        this.printShiftReport('X');
        this.bumpKktDocument();
        return { operator };
      case CMD.cashIn: case CMD.cashOut: {
        const gate = this.shiftGate();
        if (gate) return gate;
        if (s.receipt) return SHTRIH_ERROR.receiptOpen;
        const amount = Number(v.amount);
        if (code === CMD.cashOut && amount > s.cashKopecks) return 0x46;
        s.cashKopecks += code === CMD.cashIn ? amount : -amount;
        this.bumpKktDocument();
        return { operator, documentNumber: s.kktDocumentNumber & 0xffff };
      }
      case CMD.operationV2: case CMD.legacySale: return this.operation(code, v, operator);
      case CMD.tlv: {
        if (!s.shiftOpen) return SHTRIH_ERROR.wrongMode;
        const tlv = toHex(v.tlv as Uint8Array);
        if (s.receipt) {
          s.receipt.receiptTlvCount++;
          (s.receipt.receiptTlvs ??= []).push(tlv);
        } else {
          (s.pendingTlvs ??= []).push(tlv);
        }
        this.save();
        return {};
      }
      case CMD.tlvOperation: {
        const last = s.receipt?.items.at(-1);
        if (!last) return SHTRIH_ERROR.wrongMode;
        last.tlvCount++;
        (last.tlvs ??= []).push(toHex(v.tlv as Uint8Array));
        this.save();
        return {};
      }
      case CMD.requestDocumentTlv: {
        const doc = s.documents.find((d) => d.fd === v.fdNumber);
        const hex = doc ? doc.tlv ?? this.tlvArchive.get(doc.fd) : undefined;
        if (!doc || !hex) return SHTRIH_ERROR.fnNoData;
        const bytes = fromHex(hex);
        this.tlvRead = { bytes, at: 0 };
        return { documentType: doc.type, documentLength: bytes.length };
      }
      case CMD.readDocumentTlvBlock: {
        const r = this.tlvRead;
        if (!r || r.at >= r.bytes.length) return SHTRIH_ERROR.fnNoData;
        const block = r.bytes.slice(r.at, r.at + TLV_BLOCK_BYTES);
        r.at += block.length;
        return { block };
      }
      case CMD.correctionReceiptV2: return this.correction(v);
      case CMD.closeReceiptV2: case CMD.legacyClose: return this.closeReceipt(code, v, operator);
      case CMD.cancelReceipt:
        if (!s.receipt) return SHTRIH_ERROR.receiptClosed;
        s.receipt = null;
        s.marking = { checked: false, accepted: null, boundInReceipt: 0 };
        this.save();
        return { operator };
      case CMD.continuePrint:
        // B0 with nothing to continue is answered OK here (UNCONFIRMED: some firmware may answer 72h).
        if (s.paperOut) return SHTRIH_ERROR.noPaper;
        s.submode = 0;
        this.save();
        return { operator };
      case CMD.markingCheck: return this.markingCheck(v);
      case CMD.markingAccept:
        if (!s.marking.checked) return SHTRIH_ERROR.markingOrder;
        s.marking.accepted = Number(v.accept) === 1;
        s.marking.checked = false;
        this.save();
        return { checkResult: s.marking.accepted ? 0x0f : 0 };
      case CMD.markingBind: {
        if (!s.receipt || s.receipt.items.length === 0) return SHTRIH_ERROR.wrongMode;
        if (s.receipt.items.filter((i) => i.marked).length >= 128) return 0xa3;
        // FF67 without a preceding FF61/FF69: the register checks the code itself (reference §1.3).
        const item = s.receipt.items.at(-1)!;
        item.marked = true;
        // The FN puts the code (2000) and its check result (2106) into the item's 1059 structure.
        const code = v.code instanceof Uint8Array ? v.code : new Uint8Array(0);
        const result = s.marking.accepted === false ? 0x00 : 0x0f;
        (item.tlvs ??= []).push(toHex(encodeTlv(TAG.markingCode, code)), toHex(tlvByte(TAG.markingCheckResult, result)));
        s.marking.accepted = null;
        this.save();
        return { checkResult: 0x0f };
      }
      case CMD.markingStatus:
        return { checkState: s.marking.checked ? 3 : 1, allowedCommands: 0xff, notificationFill: 0, queueLength: 0 };
      default:
        return SHTRIH_ERROR.unsupported;
    }
  }

  /** The KKT flags of 10h/11h: both paper rolls while there is paper, and the drawer switch. */
  private flags(): number {
    const rolls = this.state.paperOut ? 0 : STATUS_FLAG.journalRoll | STATUS_FLAG.receiptRoll;
    return rolls | (this.drawers.isOpen() ? STATUS_FLAG.drawerOpen : 0);
  }

  private shiftGate(): number | null {
    if (!this.state.shiftOpen) return SHTRIH_ERROR.wrongMode;
    if (this.shiftExpired()) return SHTRIH_ERROR.shiftExpired;
    return null;
  }

  private operation(code: number, v: FieldValues, operator: number): number | FieldValues {
    const s = this.state;
    const gate = this.shiftGate();
    if (gate) return gate;
    const legacy = code === CMD.legacySale;
    const operationType = legacy ? 1 : Number(v.operationType);
    if (!(operationType in RECEIPT_TYPE)) return SHTRIH_ERROR.badParameters;
    if (s.receipt && s.receipt.operationType !== operationType) return SHTRIH_ERROR.wrongMode;
    const quantityMilli = Number(v.quantity);
    const priceKopecks = Number(v.price);
    if (quantityMilli <= 0) return 0x62;
    const taxRate = legacy ? Number(v.tax1) : Number(v.taxRate);
    if (!legacy && vatFromByte(taxRate) === null) return SHTRIH_ERROR.badParameters;
    const computed = Math.round((quantityMilli * priceKopecks) / 1000);
    const amountKopecks = !legacy && v.amount !== null ? Number(v.amount) : computed;
    if (!s.receipt) {
      s.receipt = { operationType, items: [], receiptTlvCount: 0, receiptTlvs: s.pendingTlvs ?? [] };
      s.pendingTlvs = [];
    }
    if (s.receipt.items.length >= 255) return 0x0e;
    s.receipt.items.push({ name: String(v.name ?? v.text ?? ''), quantityMilli, priceKopecks, amountKopecks, taxRate, tlvCount: 0, marked: false,
      paymentMethod: legacy ? 4 : Number(v.paymentMethod), itemType: legacy ? 1 : Number(v.itemType), tlvs: [] });
    this.save();
    return legacy ? { operator } : {};
  }

  private closeReceipt(code: number, v: FieldValues, operator: number): number | FieldValues {
    const s = this.state;
    if (!s.receipt) return SHTRIH_ERROR.receiptClosed;
    const total = s.receipt.items.reduce((n, i) => n + i.amountKopecks, 0);
    let cash: number;
    let other: number;
    let payable = total;
    if (code === CMD.legacyClose) {
      cash = Number(v.cash);
      other = Number(v.sum2) + Number(v.sum3) + Number(v.sum4);
      payable = Math.round(total * (1 - Number(v.discount) / 10_000));
    } else {
      cash = Number(v.sum1);
      other = 0;
      for (let i = 2; i <= 16; i++) other += Number(v[`sum${i}`]);
    }
    if (cash + other < payable) return SHTRIH_ERROR.paymentsLessThanTotal;
    if (other > payable) return 0x4d;
    const change = cash + other - payable;
    const incoming = s.receipt.operationType === 1 || s.receipt.operationType === 4;
    s.cashKopecks += (incoming ? 1 : -1) * (cash - change);
    const receipt = s.receipt;
    const payments = code === CMD.legacyClose
      ? { cash: cash - change, electronic: other, prepayment: 0, postpayment: 0, counterProvision: 0 }
      : { cash: cash - change, electronic: other - Number(v.sum14) - Number(v.sum15) - Number(v.sum16),
        prepayment: Number(v.sum14), postpayment: Number(v.sum15), counterProvision: Number(v.sum16) };
    const doc = this.writeFd({ type: FD_TYPE.receipt, operationType: s.receipt.operationType, amountKopecks: payable }, (stored) => {
      stored.tlv = toHex(receiptTlv(stored, receipt, code === CMD.legacyClose ? null : Number(v.taxSystem), payments));
      s.receipt = null;
      s.receiptsInShift++;
      s.marking = { checked: false, accepted: null, boundInReceipt: 0 };
    });
    if (code === CMD.legacyClose) return { operator, change };
    return { change, fdNumber: doc.fd, fiscalSign: doc.fiscalSign, dateTime: doc.dateTime };
  }

  /** FF4A: a correction receipt is a document of its own (FFD type 31); no receipt may be open. */
  private correction(v: FieldValues): number | FieldValues {
    const result = this.correctionChecked(v);
    // A refused FF4A drops the FF0C tags sent for it (UNCONFIRMED what a real register keeps).
    if (typeof result === 'number' && this.state.pendingTlvs?.length) { this.state.pendingTlvs = []; this.save(); }
    return result;
  }

  private correctionChecked(v: FieldValues): number | FieldValues {
    const s = this.state;
    const gate = this.shiftGate();
    if (gate) return gate;
    if (s.receipt) return SHTRIH_ERROR.receiptOpen;
    const sign = Number(v.calculationSign);
    if (sign !== 1 && sign !== 3) return SHTRIH_ERROR.badParameters;
    const correctionType = Number(v.correctionType);
    if (correctionType !== 0 && correctionType !== 1) return SHTRIH_ERROR.badParameters;
    const total = Number(v.total);
    const p = { cash: Number(v.cash), electronic: Number(v.electronic), prepayment: Number(v.prepayment),
      postpayment: Number(v.postpayment), counterProvision: Number(v.counterProvision) };
    if (p.cash + p.electronic + p.prepayment + p.postpayment + p.counterProvision !== total) return SHTRIH_ERROR.paymentsLessThanTotal;
    const extra = s.pendingTlvs ?? [];
    s.cashKopecks += (sign === 1 ? 1 : -1) * p.cash;
    const doc = this.writeFd({ type: FD_TYPE_CORRECTION, operationType: sign, amountKopecks: total }, (stored) => {
      const parts = [...documentHead(stored), tlvByte(TAG.correctionType, correctionType), tlvByte(TAG.calculationSign, sign),
        tlvByte(TAG.taxSystem, Number(v.taxSystem)), ...extra.map(fromHex), ...totals(total, p)];
      stored.tlv = toHex(concat(parts));
      s.pendingTlvs = [];
    });
    return { receiptNumber: s.kktDocumentNumber & 0xffff, fdNumber: doc.fd, fiscalSign: doc.fiscalSign };
  }

  private markingCheck(v: FieldValues): number | FieldValues {
    const s = this.state;
    if (s.marking.checked) return SHTRIH_ERROR.markingOrder;
    const payload = v.payload instanceof Uint8Array ? v.payload : new Uint8Array(0);
    const codeLength = Number(v.codeLength);
    if (codeLength === 0 || codeLength + Number(v.tlvLength) !== payload.length) return SHTRIH_ERROR.badParameters;
    const code = new TextDecoder('latin1').decode(payload.subarray(0, codeLength));
    // A crypto tail (GS1 AI 91/92 after GS) is what the FN can verify locally.
    const hasCryptoTail = /\x1d9[12]/.test(code) || code.length >= 31;
    s.marking.checked = true;
    this.save();
    return { localResult: hasCryptoTail ? 0x03 : 0x00, localReason: hasCryptoTail ? 0 : 3, codeType: 2, extLength: 0, onlineCode: 0,
      rest: Uint8Array.of(hasCryptoTail ? 0x0f : 0x00) };
  }

  /**
   * The X or Z report as the register prints it: the shift's receipts by calculation sign, from the
   * documents since the shift opened, and the cash in the drawer. Kept on the state's tape (bounded).
   */
  private printShiftReport(kind: 'X' | 'Z'): void {
    const s = this.state;
    const openAt = s.documents.findLastIndex((d) => d.type === FD_TYPE.shiftOpen && d.shiftNumber === s.shiftNumber);
    const receipts = s.shiftOpen && openAt >= 0 ? s.documents.slice(openAt + 1).filter((d) => d.type === FD_TYPE.receipt) : [];
    const money = (k: number) => `${Math.floor(k / 100)},${String(k % 100).padStart(2, '0')}`;
    const bySign = (sign: number) => receipts.filter((d) => (d.operationType ?? 1) === sign);
    const sum = (docs: StoredFd[]) => docs.reduce((t, d) => t + (d.amountKopecks ?? 0), 0);
    const lines = [
      `${kind}-ОТЧЁТ`, `СМЕНА № ${s.shiftNumber}`,
      `ЧЕКОВ ПРИХОДА: ${bySign(1).length}`, `ПРИХОД: ${money(sum(bySign(1)))}`,
      `ЧЕКОВ ВОЗВРАТА ПРИХОДА: ${bySign(2).length}`, `ВОЗВРАТ ПРИХОДА: ${money(sum(bySign(2)))}`,
      `НАЛИЧНЫХ В КАССЕ: ${money(s.cashKopecks)}`,
    ];
    s.tape = [...(s.tape ?? []), ...lines].slice(-500);
    this.save();
  }

  private receiptOps(): number { return this.state.receipt?.items.length ?? 0; }

  private bumpKktDocument(): void {
    this.state.kktDocumentNumber = (this.state.kktDocumentNumber + 1) % 0x10000;
    this.save();
  }

  /** Writes a fiscal document to the "FN": next FD number, a fiscal sign, unsent to the OFD. */
  private writeFd(doc: Omit<StoredFd, 'fd' | 'dateTime' | 'fiscalSign' | 'ofdAcknowledged'>, alsoChange?: (stored: StoredFd) => void): StoredFd {
    const s = this.state;
    const fd = s.lastFd + 1;
    const dateTime = this.deviceTime();
    const hash = createHash('sha256').update(`${s.fnSerial}|${fd}|${dateTime}|${doc.type}|${doc.amountKopecks ?? ''}`).digest();
    const stored: StoredFd = { ...doc, fd, dateTime, fiscalSign: hash.readUInt32LE(0), ofdAcknowledged: false, writtenAtMs: this.now() };
    s.lastFd = fd;
    s.documents.push(stored);
    s.kktDocumentNumber = (s.kktDocumentNumber + 1) % 0x10000;
    if (stored.type !== FD_TYPE.receipt && stored.type !== FD_TYPE_CORRECTION) {
      const parts = [...documentHead(stored)];
      if (stored.shiftNumber !== undefined) parts.push(tlvU32(1038, stored.shiftNumber));
      stored.tlv = toHex(concat(parts));
    }
    alsoChange?.(stored);
    // The side file first: a power cut after it and before the state leaves a line for an FD the state never
    // had, which the next document of that number replaces.
    if (stored.tlv) this.tlvArchive.append(stored.fd, stored.tlv);
    // The state file is rewritten on every change: only the latest documents keep their TLV there; the side
    // file keeps TLV_DOCUMENTS_ARCHIVED (FF3A on an older one answers 08h — an emulator limit, not the FN's).
    const drop = s.documents.length - TLV_DOCUMENTS_KEPT - 1;
    if (drop >= 0 && s.documents[drop]) delete s.documents[drop]!.tlv;
    this.save();
    return stored;
  }

  /** The register's clock: Moscow time (UTC+3), as FN date-time text. */
  private deviceTime(): string {
    return new Date(this.now() + 3 * 3_600_000).toISOString().slice(0, 16);
  }
}

function documentData(doc: StoredFd): Uint8Array {
  if (doc.type === FD_TYPE.receipt || doc.type === FD_TYPE_CORRECTION) {
    return encodeFields([{ name: 'dt', kind: 'fnDateTime' }, { name: 'fd', kind: 'u32' }, { name: 'fp', kind: 'u32' },
      { name: 'op', kind: 'u8' }, { name: 'amount', kind: 'money' }],
    { dt: doc.dateTime, fd: doc.fd, fp: doc.fiscalSign, op: doc.operationType ?? 1, amount: doc.amountKopecks ?? 0 });
  }
  if (doc.type === FD_TYPE.shiftOpen || doc.type === FD_TYPE.shiftClose) {
    return encodeFields([{ name: 'dt', kind: 'fnDateTime' }, { name: 'fd', kind: 'u32' }, { name: 'fp', kind: 'u32' }, { name: 'shift', kind: 'u16' }],
      { dt: doc.dateTime, fd: doc.fd, fp: doc.fiscalSign, shift: doc.shiftNumber ?? 0 });
  }
  return encodeFields([{ name: 'dt', kind: 'fnDateTime' }, { name: 'fd', kind: 'u32' }, { name: 'fp', kind: 'u32' }],
    { dt: doc.dateTime, fd: doc.fd, fp: doc.fiscalSign });
}

type Payments = { cash: number; electronic: number; prepayment: number; postpayment: number; counterProvision: number };

/** 1012 date-time, 1040 FD number, 1077 fiscal sign: what every document starts with here. */
function documentHead(doc: StoredFd): Uint8Array[] {
  // 1077 as 6 bytes, the printed FP in the last 4 big-endian: UNCONFIRMED (decodeDocumentTlv reads it so).
  const fp = new Uint8Array(6);
  new DataView(fp.buffer).setUint32(2, doc.fiscalSign >>> 0, false);
  return [tlvUnixTime(TAG.dateTime, doc.dateTime), tlvU32(TAG.fdNumber, doc.fd), encodeTlv(TAG.fiscalSign, fp)];
}

function totals(total: number, p: Payments): Uint8Array[] {
  return [tlvVln(TAG.total, total), tlvVln(TAG.cash, p.cash), tlvVln(TAG.electronic, p.electronic), tlvVln(TAG.prepayment, p.prepayment),
    tlvVln(TAG.postpayment, p.postpayment), tlvVln(TAG.counterProvision, p.counterProvision)];
}

/** The receipt as the FN would keep it: head, 1054, 1055, receipt-level tags, 1059 per item with its FF4D tags, totals. */
function receiptTlv(doc: StoredFd, receipt: NonNullable<EmulatorState['receipt']>, taxSystem: number | null, p: Payments): Uint8Array {
  const parts = [...documentHead(doc), tlvByte(TAG.calculationSign, receipt.operationType)];
  if (taxSystem !== null) parts.push(tlvByte(TAG.taxSystem, taxSystem));
  for (const hex of receipt.receiptTlvs ?? []) parts.push(fromHex(hex));
  for (const item of receipt.items) {
    const rate = vatFromByte(item.taxRate);
    const children = [tlvString(TAG.itemName, item.name), tlvVln(TAG.unitPrice, item.priceKopecks), tlvFvlnMilli(TAG.quantity, item.quantityMilli),
      tlvVln(TAG.itemAmount, item.amountKopecks)];
    if (rate !== null) children.push(tlvByte(TAG.vatRate, TAG_1199[rate] ?? 0));
    children.push(tlvByte(TAG.itemType, item.itemType ?? 1), tlvByte(TAG.paymentMethod, item.paymentMethod ?? 4));
    for (const hex of item.tlvs ?? []) children.push(fromHex(hex));
    parts.push(tlvStruct(TAG.item, children));
  }
  parts.push(...totals(doc.amountKopecks ?? 0, p));
  return concat(parts);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, x) => n + x.length, 0));
  let at = 0;
  for (const x of parts) { out.set(x, at); at += x.length; }
  return out;
}

function rawError(code: number, error: number): Uint8Array {
  return code > 0xff ? Uint8Array.of(code >> 8, code & 0xff, error) : Uint8Array.of(code, error);
}

