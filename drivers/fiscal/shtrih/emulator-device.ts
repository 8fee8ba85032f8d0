// The emulated register's behaviour: modes and submodes (reference §1.2), the FN with its FD counter
// and fiscal sign, the 24-hour shift, stored documents for FF0A, the unsent-to-OFD queue, paper.
// Input: a request payload; output: the answer payload, after the state is saved.
import { createHash } from 'node:crypto';
import { CodecError, encodeFields, type FieldValues } from './codec';
import { CMD, FD_TYPE, decodeRequest, encodeAnswer, vatFromByte } from './commands';
import { SHTRIH_ERROR } from './errors';
import { saveState, type EmulatorState, type StoredFd } from './emulator-state';

const SHIFT_LIMIT_MS = 24 * 3_600_000;
const SYSADMIN = 30;
/** FF46 operation type → mode 8 receipt type in the high nibble: 8.0 sale, 8.1 buy, 8.2/8.3 returns. */
const RECEIPT_TYPE: Record<number, number> = { 1: 0, 3: 1, 2: 2, 4: 3 };
const NOT_BLOCKED_BY_PRINT = new Set<number>([CMD.shortStatus, CMD.fullStatus, CMD.deviceType, CMD.fnStatus, CMD.findDocument,
  CMD.ofdStatus, CMD.markingStatus, CMD.continuePrint]);

export interface DeviceOptions {
  stateFile: string | null;
  now?: () => number;
}

export interface Execution {
  answer: Uint8Array;
  /** The code of the command executed (for fault triggers). */
  code: number;
  /** True when the command wrote a fiscal document. */
  wroteDocument: boolean;
}

export class ShtrihDevice {
  private readonly now: () => number;

  constructor(public state: EmulatorState, private readonly options: DeviceOptions) {
    this.now = options.now ?? Date.now;
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
        return { operator, flags: s.paperOut ? 0 : 0x0003, mode: this.mode, submode: s.submode, operationsLo: this.receiptOps() & 0xff,
          battery: 0, power: 0, reserved1: 0, reserved2: 0, operationsHi: this.receiptOps() >> 8, reserved3: 0, reserved4: 0, reserved5: 0, lastPrintResult: 0 };
      case CMD.fullStatus: {
        const t = this.deviceTime();
        return { operator, firmwareVersion: 'C1', firmwareBuild: 1, firmwareDate: '2026-01-05', hallNumber: 1,
          documentNumber: s.kktDocumentNumber & 0xffff, flags: s.paperOut ? 0 : 0x0003, mode: this.mode, submode: s.submode, port: 0,
          fpVersion: '00', fpBuild: 0, fpDate: '2000-01-01', date: t.slice(0, 10), time: `${t.slice(11, 16)}:00`, fpFlags: 0,
          serial: s.serial, lastShift: s.shiftOpen ? s.shiftNumber - 1 : s.shiftNumber, freeRecords: 0, registrations: 1,
          registrationsLeft: 11, inn: s.inn, serialHi: 0 };
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
        s.shiftOpen = false;
        s.shiftOpenedAtMs = null;
        this.writeFd({ type: FD_TYPE.shiftClose, shiftNumber: s.shiftNumber });
        return { operator };
      }
      case CMD.xReport:
        if (s.receipt) return SHTRIH_ERROR.receiptOpen;
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
      case CMD.tlv:
        if (!s.shiftOpen) return SHTRIH_ERROR.wrongMode;
        if (s.receipt) s.receipt.receiptTlvCount++;
        this.save();
        return {};
      case CMD.tlvOperation: {
        const last = s.receipt?.items.at(-1);
        if (!last) return SHTRIH_ERROR.wrongMode;
        last.tlvCount++;
        this.save();
        return {};
      }
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
        s.receipt.items.at(-1)!.marked = true;
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
    s.receipt ??= { operationType, items: [], receiptTlvCount: 0 };
    if (s.receipt.items.length >= 255) return 0x0e;
    s.receipt.items.push({ name: String(v.name ?? v.text ?? ''), quantityMilli, priceKopecks, amountKopecks, taxRate, tlvCount: 0, marked: false });
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
    const doc = this.writeFd({ type: FD_TYPE.receipt, operationType: s.receipt.operationType, amountKopecks: payable }, () => {
      s.receipt = null;
      s.receiptsInShift++;
      s.marking = { checked: false, accepted: null, boundInReceipt: 0 };
    });
    if (code === CMD.legacyClose) return { operator, change };
    return { change, fdNumber: doc.fd, fiscalSign: doc.fiscalSign, dateTime: doc.dateTime };
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

  private receiptOps(): number { return this.state.receipt?.items.length ?? 0; }

  private bumpKktDocument(): void {
    this.state.kktDocumentNumber = (this.state.kktDocumentNumber + 1) % 0x10000;
    this.save();
  }

  /** Writes a fiscal document to the "FN": next FD number, a fiscal sign, unsent to the OFD. */
  private writeFd(doc: Omit<StoredFd, 'fd' | 'dateTime' | 'fiscalSign' | 'ofdAcknowledged'>, alsoChange?: () => void): StoredFd {
    const s = this.state;
    const fd = s.lastFd + 1;
    const dateTime = this.deviceTime();
    const hash = createHash('sha256').update(`${s.fnSerial}|${fd}|${dateTime}|${doc.type}|${doc.amountKopecks ?? ''}`).digest();
    const stored: StoredFd = { ...doc, fd, dateTime, fiscalSign: hash.readUInt32LE(0), ofdAcknowledged: false };
    s.lastFd = fd;
    s.documents.push(stored);
    s.kktDocumentNumber = (s.kktDocumentNumber + 1) % 0x10000;
    alsoChange?.();
    this.save();
    return stored;
  }

  /** The register's clock: Moscow time (UTC+3), as FN date-time text. */
  private deviceTime(): string {
    return new Date(this.now() + 3 * 3_600_000).toISOString().slice(0, 16);
  }
}

function documentData(doc: StoredFd): Uint8Array {
  if (doc.type === FD_TYPE.receipt) {
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

function rawError(code: number, error: number): Uint8Array {
  return code > 0xff ? Uint8Array.of(code >> 8, code & 0xff, error) : Uint8Array.of(code, error);
}

