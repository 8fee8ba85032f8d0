// The Shtrih-M commands Prilavok speaks: one table of request and answer layouts (reference §1.3,
// spec v1.17 "Описание команд"). The driver encodes requests and decodes answers from it; the
// emulator does the reverse. Layouts the reference does not give are marked UNCONFIRMED.
import {
  CodecError, commandBytes, decodeFields, encodeFields, splitCommand,
  type Field, type FieldValues,
} from './codec';
import type { VatRate } from '../../../src-main/contract/model';

export const CMD = {
  shortStatus: 0x10,
  fullStatus: 0x11,
  openDrawer: 0x28,
  xReport: 0x40,
  zReport: 0x41,
  cashIn: 0x50,
  cashOut: 0x51,
  legacySale: 0x80,
  legacyClose: 0x85,
  cancelReceipt: 0x88,
  continuePrint: 0xb0,
  openShift: 0xe0,
  deviceType: 0xfc,
  fnStatus: 0xff01,
  findDocument: 0xff0a,
  tlv: 0xff0c,
  ofdStatus: 0xff39,
  requestDocumentTlv: 0xff3a,
  readDocumentTlvBlock: 0xff3b,
  correctionReceiptV2: 0xff4a,
  closeReceiptV2: 0xff45,
  operationV2: 0xff46,
  tlvOperation: 0xff4d,
  markingCheck: 0xff61,
  markingBind: 0xff67,
  markingAccept: 0xff69,
  markingStatus: 0xff70,
} as const;
export type CommandName = keyof typeof CMD;

/**
 * Bits of the KKT flags word in the 10h and 11h answers that Prilavok reads (javapos PrinterFlags;
 * the same bits in the open Shtrih-FR-K driver's shtrih_flags.h): bit 0 journal roll, bit 1 receipt
 * roll, bit 11 the cash drawer is open. Which of the two drawer connectors bit 11 senses is
 * UNCONFIRMED (one sensor input; the emulator sets it while either drawer is open), as is what a
 * register without a drawer switch reports (we expect 0, "closed").
 */
export const STATUS_FLAG = { journalRoll: 0x0001, receiptRoll: 0x0002, drawerOpen: 0x0800 } as const;

export interface CommandSpec {
  name: CommandName;
  code: number;
  /** Read-only commands may be resent after a lost answer; others never (reference §1.5). */
  readOnly: boolean;
  /** Answer timeout, javapos `PrinterCommand.getDefaultTimeout` (reference §1.5). */
  timeoutMs: number;
  request: readonly Field[];
  answer: readonly Field[];
}

const pw: Field = { name: 'password', kind: 'u32' };
const operator: Field = { name: 'operator', kind: 'u8' };
const money = (name: string): Field => ({ name, kind: 'money' });
const u8 = (name: string, optional = false): Field => ({ name, kind: 'u8', optional });

const closeSums: Field[] = Array.from({ length: 16 }, (_, i) => money(`sum${i + 1}`));
const closeTaxes: Field[] = Array.from({ length: 6 }, (_, i) => money(`tax${i + 1}`));

const SPECS: CommandSpec[] = [
  // FCh has no password. Answer per spec "Получить тип устройства".
  { name: 'deviceType', code: CMD.deviceType, readOnly: true, timeoutMs: 3_000, request: [],
    answer: [u8('deviceType'), u8('deviceSubtype'), u8('protocolVersion'), u8('protocolSubversion'), u8('model'), u8('language'),
      { name: 'deviceName', kind: 'textRest', size: 32 }] },
  // 10h offsets follow javapos ReadShortStatus (the PDF's text order is garbled, reference §1.3).
  { name: 'shortStatus', code: CMD.shortStatus, readOnly: true, timeoutMs: 3_000, request: [pw],
    answer: [operator, { name: 'flags', kind: 'u16' }, u8('mode'), u8('submode'), u8('operationsLo'), u8('battery'), u8('power'),
      u8('reserved1'), u8('reserved2'), u8('operationsHi'), u8('reserved3'), u8('reserved4'), u8('reserved5'), u8('lastPrintResult', true)] },
  // 11h: the reference lists the fields without the old fiscal-memory (ФП) block; the classic layout
  // keeps 7 bytes there (FP version, build, date) and FP flags after the time. UNCONFIRMED which one
  // current FN firmware uses; we keep the classic offsets (javapos ReadLongStatus does too, as far as we know).
  { name: 'fullStatus', code: CMD.fullStatus, readOnly: true, timeoutMs: 3_000, request: [pw],
    answer: [operator, { name: 'firmwareVersion', kind: 'ascii', size: 2 }, { name: 'firmwareBuild', kind: 'u16' },
      { name: 'firmwareDate', kind: 'date' }, u8('hallNumber'), { name: 'documentNumber', kind: 'u16' }, { name: 'flags', kind: 'u16' },
      u8('mode'), u8('submode'), u8('port'), { name: 'fpVersion', kind: 'ascii', size: 2 }, { name: 'fpBuild', kind: 'u16' },
      { name: 'fpDate', kind: 'date' }, { name: 'date', kind: 'date' }, { name: 'time', kind: 'time' }, u8('fpFlags'),
      { name: 'serial', kind: 'u32' }, { name: 'lastShift', kind: 'u16' }, { name: 'freeRecords', kind: 'u16' },
      u8('registrations'), u8('registrationsLeft'), { name: 'inn', kind: 'u48' }, { name: 'serialHi', kind: 'u16', optional: true }] },
  // 28h "Открыть денежный ящик" (javapos OpenCashDrawer): drawer number 0 or 1 → operator. Not read-only:
  // a kick whose answer was lost is not sent again (the drawer may already be open). Timeout: javapos default.
  { name: 'openDrawer', code: CMD.openDrawer, readOnly: false, timeoutMs: 30_000, request: [pw, u8('drawer')], answer: [operator] },
  { name: 'xReport', code: CMD.xReport, readOnly: false, timeoutMs: 30_000, request: [pw], answer: [operator] },
  { name: 'zReport', code: CMD.zReport, readOnly: false, timeoutMs: 65_000, request: [pw], answer: [operator] },
  { name: 'cashIn', code: CMD.cashIn, readOnly: false, timeoutMs: 30_000, request: [pw, money('amount')],
    answer: [operator, { name: 'documentNumber', kind: 'u16' }] },
  { name: 'cashOut', code: CMD.cashOut, readOnly: false, timeoutMs: 30_000, request: [pw, money('amount')],
    answer: [operator, { name: 'documentNumber', kind: 'u16' }] },
  // 80h/85h: legacy (pre-FFD 1.05) sale and close, still accepted by current devices.
  { name: 'legacySale', code: CMD.legacySale, readOnly: false, timeoutMs: 30_000,
    request: [pw, { name: 'quantity', kind: 'qty5' }, money('price'), u8('department'), u8('tax1'), u8('tax2'), u8('tax3'), u8('tax4'),
      { name: 'text', kind: 'text', size: 40 }],
    answer: [operator] },
  { name: 'legacyClose', code: CMD.legacyClose, readOnly: false, timeoutMs: 30_000,
    request: [pw, money('cash'), money('sum2'), money('sum3'), money('sum4'), { name: 'discount', kind: 'u16' },
      u8('tax1'), u8('tax2'), u8('tax3'), u8('tax4'), { name: 'text', kind: 'text', size: 40 }],
    answer: [operator, money('change')] },
  { name: 'cancelReceipt', code: CMD.cancelReceipt, readOnly: false, timeoutMs: 30_000, request: [pw], answer: [operator] },
  { name: 'continuePrint', code: CMD.continuePrint, readOnly: false, timeoutMs: 30_000, request: [pw], answer: [operator] },
  { name: 'openShift', code: CMD.openShift, readOnly: false, timeoutMs: 120_000, request: [pw], answer: [operator] },
  { name: 'fnStatus', code: CMD.fnStatus, readOnly: true, timeoutMs: 3_000, request: [pw],
    answer: [u8('phase'), u8('currentDocument'), u8('documentData'), u8('shiftOpen'), u8('warningFlags'),
      { name: 'dateTime', kind: 'fnDateTime' }, { name: 'fnSerial', kind: 'ascii', size: 16 }, { name: 'lastFd', kind: 'u32' }] },
  // FF0A answer: type, OFD ticket flag, then type-specific data (decodeStoredDocument).
  { name: 'findDocument', code: CMD.findDocument, readOnly: true, timeoutMs: 30_000, request: [pw, { name: 'fdNumber', kind: 'u32' }],
    answer: [u8('documentType'), u8('ofdAcknowledged'), { name: 'data', kind: 'bytesRest' }] },
  { name: 'tlv', code: CMD.tlv, readOnly: false, timeoutMs: 30_000, request: [pw, { name: 'tlv', kind: 'bytesRest', size: 250 }], answer: [] },
  { name: 'tlvOperation', code: CMD.tlvOperation, readOnly: false, timeoutMs: 30_000, request: [pw, { name: 'tlv', kind: 'bytesRest', size: 250 }], answer: [] },
  // FF39 answer layout from the spec's "Получить статус информационного обмена"; firstUnsentDateTime is
  // zero-filled when nothing is pending.
  { name: 'ofdStatus', code: CMD.ofdStatus, readOnly: true, timeoutMs: 3_000, request: [pw],
    answer: [u8('exchangeFlags'), u8('readState'), { name: 'unsentCount', kind: 'u16' }, { name: 'firstUnsentFd', kind: 'u32' },
      { name: 'firstUnsentDateTime', kind: 'bytesRest', size: 5 }] },
  // FF3A "Запросить фискальный документ в TLV формате": FD number → FFD document type (u16, the
  // document's STLV tag) and its length (u16). FF3B then hands out the TLV in blocks until that many
  // bytes were read (javapos FSReadDocument / DIOReadDocumentTLV). The block size the device picks
  // and the FN error 08h after the last block are UNCONFIRMED beyond javapos.
  { name: 'requestDocumentTlv', code: CMD.requestDocumentTlv, readOnly: true, timeoutMs: 30_000,
    request: [pw, { name: 'fdNumber', kind: 'u32' }], answer: [{ name: 'documentType', kind: 'u16' }, { name: 'documentLength', kind: 'u16' }] },
  { name: 'readDocumentTlvBlock', code: CMD.readDocumentTlvBlock, readOnly: true, timeoutMs: 30_000,
    request: [pw], answer: [{ name: 'block', kind: 'bytesRest' }] },
  // FF4A "Сформировать чек коррекции V2" (javapos FSPrintCorrectionReceipt2, 69 bytes): 1173 type,
  // 1054 sign (1 or 3), total, 5 payment sums (cash, electronic, prepayment, postpayment, counter-
  // provision), 6 VAT sums, 1055 bit. The VAT slots are named 18 %, 10 %, 0 %, none, 18/118, 10/110
  // in javapos; that the first and fifth now carry 22 % and 22/122 is UNCONFIRMED. Whether FFD 1.2
  // firmware still accepts FF4A (rather than a receipt-like correction with items) is UNCONFIRMED.
  { name: 'correctionReceiptV2', code: CMD.correctionReceiptV2, readOnly: false, timeoutMs: 30_000,
    request: [pw, u8('correctionType'), u8('calculationSign'), money('total'), money('cash'), money('electronic'), money('prepayment'),
      money('postpayment'), money('counterProvision'), ...closeTaxes, u8('taxSystem')],
    answer: [{ name: 'receiptNumber', kind: 'u16' }, { name: 'fdNumber', kind: 'u32' }, { name: 'fiscalSign', kind: 'u32' }] },
  // FF45 close V2: 182 bytes with the 64-byte text (reference §1.3).
  { name: 'closeReceiptV2', code: CMD.closeReceiptV2, readOnly: false, timeoutMs: 30_000,
    request: [pw, ...closeSums, u8('rounding'), ...closeTaxes, u8('taxSystem'), { name: 'text', kind: 'textRest', size: 64 }],
    answer: [money('change'), { name: 'fdNumber', kind: 'u32' }, { name: 'fiscalSign', kind: 'u32' },
      { name: 'dateTime', kind: 'fnDateTime', optional: true }] },
  // FF46 operation V2: 160 bytes with the 128-byte name (reference §1.3).
  { name: 'operationV2', code: CMD.operationV2, readOnly: false, timeoutMs: 30_000,
    request: [pw, u8('operationType'), { name: 'quantity', kind: 'qty6' }, money('price'), money('amount'), money('taxAmount'),
      u8('taxRate'), u8('department'), u8('paymentMethod'), u8('itemType'), { name: 'name', kind: 'textRest', size: 128 }],
    answer: [] },
  // FF61: 2003, 2102, code length, TLV length, code, TLV (reference §1.3). The answer's variable part
  // (online reason byte when the FN code is 0x20) is handled by decodeMarkingCheck. UNCONFIRMED beyond the reference.
  { name: 'markingCheck', code: CMD.markingCheck, readOnly: false, timeoutMs: 40_000,
    request: [pw, u8('plannedStatus'), u8('mode'), u8('codeLength'), u8('tlvLength'), { name: 'payload', kind: 'bytesRest' }],
    answer: [u8('localResult'), u8('localReason'), u8('codeType'), u8('extLength'), u8('onlineCode'), { name: 'rest', kind: 'bytesRest' }] },
  { name: 'markingAccept', code: CMD.markingAccept, readOnly: false, timeoutMs: 30_000, request: [pw, u8('accept')], answer: [u8('checkResult')] },
  // FF67: UNCONFIRMED layout — the reference names only "product-code prefix and DM type"; we send the
  // code length and the raw code and read the 2106 byte back.
  { name: 'markingBind', code: CMD.markingBind, readOnly: false, timeoutMs: 40_000,
    request: [pw, u8('codeLength'), { name: 'code', kind: 'bytesRest' }], answer: [u8('checkResult')] },
  // FF70: four status bytes per the reference; the field sizes are UNCONFIRMED.
  { name: 'markingStatus', code: CMD.markingStatus, readOnly: true, timeoutMs: 3_000, request: [pw],
    answer: [u8('checkState'), u8('allowedCommands'), u8('notificationFill'), u8('queueLength')] },
];

export const COMMANDS: ReadonlyMap<number, CommandSpec> = new Map(SPECS.map((s) => [s.code, s]));

export function specOf(code: number): CommandSpec {
  const spec = COMMANDS.get(code);
  if (!spec) throw new CodecError('unknown-command', `unknown command 0x${code.toString(16)}`, { code });
  return spec;
}

/** Host → device frame payload. */
export function encodeRequest(code: number, values: FieldValues): Uint8Array {
  const body = encodeFields(specOf(code).request, values);
  const cmd = commandBytes(code);
  const out = new Uint8Array(cmd.length + body.length);
  out.set(cmd);
  out.set(body, cmd.length);
  return out;
}

/** Device side: decodes a request payload. */
export function decodeRequest(payload: Uint8Array): { code: number; spec: CommandSpec; values: FieldValues } {
  const { code, data } = splitCommand(payload);
  const spec = specOf(code);
  return { code, spec, values: decodeFields(spec.request, data) };
}

/** Device side: CMD ERR [data]; when ERR ≠ 0 only CMD+ERR go back (§1.1). */
export function encodeAnswer(code: number, error: number, values: FieldValues = {}): Uint8Array {
  const cmd = commandBytes(code);
  const body = error === 0 ? encodeFields(specOf(code).answer, values) : new Uint8Array(0);
  const out = new Uint8Array(cmd.length + 1 + body.length);
  out.set(cmd);
  out[cmd.length] = error;
  out.set(body, cmd.length + 1);
  return out;
}

export interface Answer { code: number; error: number; values: FieldValues }

export function decodeAnswer(payload: Uint8Array): Answer {
  const { code, data } = splitCommand(payload);
  if (data.length < 1) throw new CodecError('short', 'answer has no error byte', { code });
  const error = data[0]!;
  const spec = COMMANDS.get(code);
  if (error !== 0 || !spec) return { code, error, values: {} };
  return { code, error, values: decodeFields(spec.answer, data.subarray(1)) };
}

// ---- FF0A document data ----------------------------------------------------------------------------

export const FD_TYPE = { shiftOpen: 2, receipt: 3, shiftClose: 5, correction: 31 } as const;
const receiptDocLayout: Field[] = [{ name: 'dateTime', kind: 'fnDateTime' }, { name: 'fdNumber', kind: 'u32' },
  { name: 'fiscalSign', kind: 'u32' }, u8('operationType'), money('amount')];
/** The head every FF0A document data starts with. */
export const documentHeadLayout: Field[] = [{ name: 'dateTime', kind: 'fnDateTime' }, { name: 'fdNumber', kind: 'u32' },
  { name: 'fiscalSign', kind: 'u32' }];
const shiftDocLayout: Field[] = [{ name: 'dateTime', kind: 'fnDateTime' }, { name: 'fdNumber', kind: 'u32' },
  { name: 'fiscalSign', kind: 'u32' }, { name: 'shiftNumber', kind: 'u16' }];

export function documentDataLayout(documentType: number): Field[] | null {
  // A correction receipt: the receipt's layout (operation type, sum) — UNCONFIRMED on real firmware; the driver
  // falls back to date-time, FD and FP when the data are shorter.
  if (documentType === FD_TYPE.receipt || documentType === FD_TYPE.correction) return receiptDocLayout;
  if (documentType === FD_TYPE.shiftOpen || documentType === FD_TYPE.shiftClose) return shiftDocLayout;
  return null;
}

// ---- FF61 answer tail -------------------------------------------------------------------------------

/** After the fixed bytes: [reason byte when onlineCode = 0x20], 2106, server TLVs. UNCONFIRMED. */
export function decodeMarkingCheckTail(onlineCode: number, rest: Uint8Array): { onlineReason: number | null; checkResult: number; tlv: Uint8Array } {
  let at = 0;
  let onlineReason: number | null = null;
  if (onlineCode === 0x20) {
    if (rest.length < 1) throw new CodecError('short', 'FF61: missing online reason byte');
    onlineReason = rest[at++]!;
  }
  if (rest.length < at + 1) throw new CodecError('short', 'FF61: missing tag 2106');
  const checkResult = rest[at++]!;
  return { onlineReason, checkResult, tlv: rest.slice(at) };
}

// ---- VAT -------------------------------------------------------------------------------------------


export type ShtrihModelFamily = 'desktop' | 'nano';

/**
 * The FF46 tax-rate byte (javapos getVatCodeShtrih / …Nano, reference §1.5). 22 % and 22/122 differ
 * between desktop models and Nano; the family is device configuration. Doc/VatTable.txt gives
 * 7/107 as 0x90 instead of 0x88 — UNCONFIRMED, verify on real firmware.
 */
export function vatByte(rate: VatRate, family: ShtrihModelFamily = 'desktop'): number {
  switch (rate) {
    case 'vat10': return 0x02;
    case 'vat0': return 0x04;
    case 'none': return 0x08;
    case 'vat10_110': return 0x20;
    case 'vat5': return 0x81;
    case 'vat7': return 0x82;
    case 'vat5_105': return 0x84;
    case 'vat7_107': return 0x88;
    case 'vat22': return family === 'nano' ? 0x90 : 0xcb;
    case 'vat22_122': return family === 'nano' ? 0xa0 : 0xcc;
  }
}

export function vatFromByte(code: number, family: ShtrihModelFamily = 'desktop'): VatRate | 'vat20' | 'vat20_120' | null {
  const rates: VatRate[] = ['vat10', 'vat0', 'none', 'vat10_110', 'vat5', 'vat7', 'vat5_105', 'vat7_107', 'vat22', 'vat22_122'];
  for (const r of rates) if (vatByte(r, family) === code) return r;
  if (code === 0x01) return 'vat20';
  if (code === 0x10) return 'vat20_120';
  return null;
}
