// ShtrihRegister: the FiscalRegister over the Shtrih-M protocol (reference §1). It encodes commands
// from the table in commands.ts, runs them through the link layer, handles 0x50 (still printing:
// wait and repeat, it was refused) and 0x58 (send B0, then repeat), and maps everything else to
// typed errors. It never resends a fiscal command after a lost answer: see link.ts.
import type { ByteTransport } from '../../transport/byte-transport';
import { openSerial } from '../../transport/serial';
import { openTcp, parseTcpAddress } from '../../transport/tcp';
import type {
  CalculationSign, CorrectionRequest, DrawerNumber, FiscalDocumentTlv, FiscalRegister, FnStatus, MarkingCheckResult, MarkingStatus, MeasureUnit, OfdStatus,
  ReceiptItem, ReceiptRequest, ReceiptResult, RegisterStatus, StoredDocument, TaxSystem,
} from '../fiscal-register';
import { FiscalError, fiscalErrors } from '../fiscal-error';
import { CodecError, decodeFields, type FieldValues } from './codec';
import {
  CMD, FD_TYPE, STATUS_FLAG, decodeAnswer, decodeMarkingCheckTail, documentDataLayout, documentHeadLayout, encodeRequest, specOf, vatByte,
  type ShtrihModelFamily,
} from './commands';
import { SHTRIH_ERROR, shtrihDeviceError, shtrihErrorInfo } from './errors';
import { ShtrihLink, type LinkOptions } from './link';
import {
  TAG, decodeDocumentTlv, encodeTlv, tlvByte, tlvIndustryRequisite, tlvProductCodeEan13, tlvString, tlvStruct, tlvUnixTime,
} from './tlv';

export interface ShtrihOptions {
  /** Operator password used for everyday commands; the default is the system administrator (30). */
  password?: number;
  /** System administrator password, required by FN and marking commands (FF61 per javapos). */
  sysadminPassword?: number;
  family?: ShtrihModelFamily;
  link?: LinkOptions;
  /** Override answer timeouts per command code (tests shorten them). */
  answerTimeoutMs?: Partial<Record<number, number>> & { default?: number };
  /** How long 0x50 (still printing) may go on before giving up. */
  busyBudgetMs?: number;
}

const SIGN_TO_OPERATION: Record<CalculationSign, number> = { sale: 1, saleReturn: 2, purchase: 3, purchaseReturn: 4 };
const OPERATION_TO_SIGN: Record<number, CalculationSign> = { 1: 'sale', 2: 'saleReturn', 3: 'purchase', 4: 'purchaseReturn' };
/** FF45 tax-system bitmask, tag 1055 (reference §1.3, §3). */
const TAX_SYSTEM_BIT: Record<TaxSystem, number> = { osn: 1, usnIncome: 2, usnIncomeMinusExpense: 4, eshn: 16, patent: 32 };
/** Tag 2108 values (reference §3). */
const UNIT_CODE: Record<MeasureUnit, number> = { piece: 0, gram: 10, kg: 11, ml: 40, litre: 41, metre: 22, other: 255 };
/** Commands that create a fiscal document: a paper error in their answer does not mean "not done". */
const DOCUMENT_COMMANDS = new Set<number>([CMD.closeReceiptV2, CMD.legacyClose, CMD.openShift, CMD.zReport, CMD.correctionReceiptV2]);

const num = (v: FieldValues, k: string): number => {
  const x = v[k];
  if (typeof x !== 'number') throw fiscalErrors.protocol(`field ${k} missing`);
  return x;
};
const str = (v: FieldValues, k: string): string => (typeof v[k] === 'string' ? v[k] as string : '');

export class ShtrihRegister implements FiscalRegister {
  readonly protocol = 'shtrih-m';
  readonly link: ShtrihLink;
  private readonly password: number;
  private readonly sysadmin: number;
  private readonly family: ShtrihModelFamily;

  constructor(transport: ByteTransport, private readonly options: ShtrihOptions = {}) {
    this.link = new ShtrihLink(transport, options.link);
    this.password = options.password ?? 30;
    this.sysadmin = options.sysadminPassword ?? 30;
    this.family = options.family ?? 'desktop';
  }

  /** `port` is a device path (/dev/ttyS0, a pty link) or tcp://HOST:PORT. */
  static async open(port: string, options: ShtrihOptions & { baudRate?: number } = {}): Promise<ShtrihRegister> {
    const tcp = port.startsWith('tcp://') ? parseTcpAddress(port) : null;
    if (port.startsWith('tcp://') && !tcp) throw fiscalErrors.noLink({ port, reason: 'bad TCP address' });
    try {
      const transport = tcp ? await openTcp(tcp) : await openSerial({ path: port, baudRate: options.baudRate ?? 115_200 });
      return new ShtrihRegister(transport, options);
    } catch (error) {
      throw fiscalErrors.noLink({ port, reason: (error as Error).message });
    }
  }

  // ---- the command runner ---------------------------------------------------------------------------

  async run(code: number, values: FieldValues = {}): Promise<FieldValues> {
    const spec = specOf(code);
    const usesSysadmin = code > 0xff;
    const request = encodeRequest(code, code === CMD.deviceType ? values : { password: usesSysadmin ? this.sysadmin : this.password, ...values });
    const timeouts = this.options.answerTimeoutMs ?? {};
    const answerTimeoutMs = timeouts[code] ?? timeouts.default ?? spec.timeoutMs;
    const busyDeadline = Date.now() + (this.options.busyBudgetMs ?? 60_000);
    let continued = false;
    let busyDelayMs = 50;
    for (;;) {
      const payload = await this.link.exchange(request, { commandName: spec.name, commandCode: code, readOnly: spec.readOnly, answerTimeoutMs });
      let answer;
      try {
        answer = decodeAnswer(payload);
      } catch (error) {
        if (error instanceof CodecError) {
          throw spec.readOnly ? fiscalErrors.protocol(error.message, { command: spec.name })
            : fiscalErrors.outcomeUnknown(spec.name, { reason: `unreadable answer: ${error.message}` });
        }
        throw error;
      }
      if (answer.error === 0) return answer.values;
      // 0x50: the register is still printing and refused the command; wait and repeat (javapos does not count it).
      if (answer.error === SHTRIH_ERROR.stillPrinting && Date.now() < busyDeadline) {
        await new Promise((r) => setTimeout(r, busyDelayMs));
        busyDelayMs = Math.min(busyDelayMs * 2, 1_000);
        continue;
      }
      // 0x58: waiting for B0 after a paper change; B0 finishes the old document, then the command is repeated.
      if (answer.error === SHTRIH_ERROR.awaitingContinuePrint && code !== CMD.continuePrint && !continued) {
        continued = true;
        await this.run(CMD.continuePrint);
        continue;
      }
      if (DOCUMENT_COMMANDS.has(code) && shtrihErrorInfo(answer.error).category === 'paper') {
        // Reference §5.6: paper ran out after the FN wrote the document. Reconcile; then B0 only.
        const base = shtrihDeviceError(answer.error, spec.name);
        throw new FiscalError('outcome-unknown', base.code, base.text, { ...base.details, documentMayExist: true });
      }
      throw shtrihDeviceError(answer.error, spec.name);
    }
  }

  // ---- status -------------------------------------------------------------------------------------------

  async deviceType(): Promise<{ type: number; subtype: number; protocol: string; model: number; name: string }> {
    const v = await this.run(CMD.deviceType);
    return { type: num(v, 'deviceType'), subtype: num(v, 'deviceSubtype'),
      protocol: `${num(v, 'protocolVersion')}.${num(v, 'protocolSubversion')}`, model: num(v, 'model'), name: str(v, 'deviceName') };
  }

  async status(): Promise<RegisterStatus> {
    const v = await this.run(CMD.shortStatus);
    const modeRaw = num(v, 'mode');
    const mode = modeRaw & 0x0f;
    const submode = num(v, 'submode');
    return {
      mode, modeRaw, submode,
      shiftState: mode === 3 ? 'expired' : mode === 2 || mode === 8 ? 'open' : 'closed',
      receiptOpen: mode === 8,
      paperOut: submode === 1 || submode === 2,
      awaitingContinuePrint: submode === 3,
      operator: num(v, 'operator'),
      drawerOpen: (num(v, 'flags') & STATUS_FLAG.drawerOpen) !== 0,
    };
  }

  fullStatus(): Promise<FieldValues> { return this.run(CMD.fullStatus); }

  async fnStatus(): Promise<FnStatus> {
    const v = await this.run(CMD.fnStatus);
    return {
      phase: num(v, 'phase'), currentDocument: num(v, 'currentDocument'), shiftOpen: num(v, 'shiftOpen') === 1,
      warningFlags: num(v, 'warningFlags'), dateTime: str(v, 'dateTime'), fnSerial: str(v, 'fnSerial').trim(), lastFdNumber: num(v, 'lastFd'),
    };
  }

  async ofdStatus(): Promise<OfdStatus> {
    const v = await this.run(CMD.ofdStatus);
    const unsent = num(v, 'unsentCount');
    const dtRaw = v.firstUnsentDateTime instanceof Uint8Array ? v.firstUnsentDateTime : new Uint8Array(0);
    let firstUnsentDateTime: string | null = null;
    if (unsent > 0 && dtRaw.length === 5) firstUnsentDateTime = str(decodeFields([{ name: 'dt', kind: 'fnDateTime' }], dtRaw), 'dt');
    return { unsentCount: unsent, firstUnsentFd: unsent > 0 ? num(v, 'firstUnsentFd') : null, firstUnsentDateTime, exchangeFlags: num(v, 'exchangeFlags') };
  }

  // ---- shift, reports, cash -------------------------------------------------------------------------------

  async openShift(): Promise<void> { await this.run(CMD.openShift); }
  async closeShift(): Promise<void> { await this.run(CMD.zReport); }
  async xReport(): Promise<void> { await this.run(CMD.xReport); }
  async cashIn(amountKopecks: number): Promise<void> { await this.run(CMD.cashIn, { amount: amountKopecks }); }
  async cashOut(amountKopecks: number): Promise<void> { await this.run(CMD.cashOut, { amount: amountKopecks }); }

  // ---- cash drawer ------------------------------------------------------------------------------------

  /** 28h: kicks drawer 0 or 1. Whether it opened shows in status().drawerOpen where a switch is wired. */
  async openDrawer(drawer: DrawerNumber): Promise<void> {
    // The type already says so; this stops a caller from plain JS before a byte goes out.
    if (drawer !== 0 && drawer !== 1) throw new RangeError(`cash drawer ${String(drawer)}: a Shtrih register has drawers 0 and 1`);
    await this.run(CMD.openDrawer, { drawer });
  }

  // ---- receipts -----------------------------------------------------------------------------------------------

  async addReceiptTlv(tlv: Uint8Array): Promise<void> { await this.run(CMD.tlv, { tlv }); }

  /**
   * FF46, then the item's own tags bound to it (FF4D), then FF67 for a marked item (javapos order,
   * reference §1.3). A marked item is first checked by the FN (FF61) and accepted (FF69): the
   * permissive-mode decision was made at the checkout, so the FN's answer is recorded, not re-judged.
   */
  async addItem(sign: CalculationSign, item: ReceiptItem): Promise<void> {
    if (item.markingCode) await this.checkAndAcceptMarkingCode(sign, item);
    await this.run(CMD.operationV2, {
      operationType: SIGN_TO_OPERATION[sign],
      quantity: item.quantityMilli,
      price: item.priceKopecks,
      amount: item.amountKopecks ?? null,
      taxAmount: item.vatKopecks ?? null,
      taxRate: vatByte(item.vat, this.family),
      department: item.department ?? 1,
      paymentMethod: item.paymentMethod ?? 4,
      itemType: item.itemType ?? 1,
      name: item.name,
    });
    // 2108 tells the FN how to read the FF46 quantity: with 11 (kg) it is a fractional 1023 (1.235 kg);
    // FF46 already carries thousandths (×10⁶ on the wire), so nothing else is needed for weighed goods.
    await this.run(CMD.tlvOperation, { tlv: tlvByte(TAG.measureUnit, UNIT_CODE[item.unit ?? 'piece']) });
    if (item.productCode) await this.run(CMD.tlvOperation, { tlv: tlvProductCodeEan13(item.productCode.gtin) });
    if (item.industryRequisite) await this.run(CMD.tlvOperation, { tlv: tlvIndustryRequisite(item.industryRequisite) });
    for (const tlv of item.extraTlv ?? []) await this.run(CMD.tlvOperation, { tlv });
    if (item.markingCode) await this.bindMarkingCode(item.markingCode);
  }

  private async checkAndAcceptMarkingCode(sign: CalculationSign, item: ReceiptItem): Promise<void> {
    const returned = sign === 'saleReturn' || sign === 'purchaseReturn';
    const fractional = item.quantityMilli % 1000 !== 0;
    const planned = item.markingPlannedStatus ?? (returned ? (fractional ? 4 : 3) : (fractional ? 2 : 1));
    const code = item.markingCode!;
    try {
      await this.checkMarkingCode(code, planned, fractional ? item.quantityMilli : undefined);
    } catch (error) {
      // A check left pending by an interrupted attempt (A1h: wrong order): reject it, then check again.
      if (!(error instanceof FiscalError) || error.details.deviceCode !== SHTRIH_ERROR.markingOrder) throw error;
      await this.acceptMarkingCode(false);
      await this.checkMarkingCode(code, planned, fractional ? item.quantityMilli : undefined);
    }
    await this.acceptMarkingCode(true);
  }

  async closeReceipt(request: Pick<ReceiptRequest, 'payments' | 'taxSystem' | 'footerText'>): Promise<ReceiptResult> {
    const p = request.payments;
    const sums: FieldValues = {};
    for (let i = 1; i <= 16; i++) sums[`sum${i}`] = 0;
    sums.sum1 = p.cashKopecks;
    sums.sum2 = p.electronicKopecks;
    sums.sum14 = p.prepaymentKopecks ?? 0;
    sums.sum15 = p.postpaymentKopecks ?? 0;
    sums.sum16 = p.counterProvisionKopecks ?? 0;
    const taxes: FieldValues = {};
    for (let i = 1; i <= 6; i++) taxes[`tax${i}`] = 0;
    const v = await this.run(CMD.closeReceiptV2, {
      ...sums, rounding: 0, ...taxes, taxSystem: TAX_SYSTEM_BIT[request.taxSystem], text: request.footerText ?? '',
    });
    return {
      changeKopecks: num(v, 'change') ?? 0, fdNumber: num(v, 'fdNumber'), fiscalSign: num(v, 'fiscalSign'),
      dateTime: typeof v.dateTime === 'string' ? v.dateTime : null,
    };
  }

  async cancelReceipt(): Promise<void> { await this.run(CMD.cancelReceipt); }
  async continuePrint(): Promise<void> { await this.run(CMD.continuePrint); }

  /**
   * Items first (the first FF46 opens the receipt), then receipt-level tags (FF0C), then FF45. Sending
   * FF0C after the first operation is what works on every model we know of; whether older firmware
   * accepts it before the first FF46 is UNCONFIRMED.
   */
  async fiscaliseReceipt(request: ReceiptRequest): Promise<ReceiptResult> {
    if (request.items.length === 0) throw fiscalErrors.protocol('a receipt needs at least one item');
    for (const item of request.items) await this.addItem(request.sign, item);
    if (request.cashier) {
      await this.addReceiptTlv(tlvString(TAG.cashierName, request.cashier.name.slice(0, 64)));
      if (request.cashier.inn) await this.addReceiptTlv(tlvString(TAG.cashierInn, request.cashier.inn.padEnd(12, ' ')));
    }
    if (request.buyerContact) await this.addReceiptTlv(tlvString(TAG.buyerContact, request.buyerContact.slice(0, 64)));
    return this.closeReceipt(request);
  }

  async findDocument(fdNumber: number): Promise<StoredDocument> {
    const v = await this.run(CMD.findDocument, { fdNumber });
    const documentType = num(v, 'documentType');
    const ofdAcknowledged = num(v, 'ofdAcknowledged') === 1;
    const raw = v.data instanceof Uint8Array ? v.data : new Uint8Array(0);
    const layout = documentDataLayout(documentType);
    if (!layout) return { kind: 'other', documentType, ofdAcknowledged, raw };
    let d: FieldValues;
    if (documentType === FD_TYPE.correction) {
      // Sign and sum only when the firmware gives them (UNCONFIRMED); the FD number and type identify it anyway.
      try { d = decodeFields(layout, raw); } catch {
        try { d = decodeFields(documentHeadLayout, raw); } catch (error) { throw fiscalErrors.protocol((error as Error).message, { command: 'findDocument' }); }
      }
      const op = typeof d.operationType === 'number' ? d.operationType : null;
      return { kind: 'correction', fdNumber: num(d, 'fdNumber'), fiscalSign: num(d, 'fiscalSign'), dateTime: str(d, 'dateTime'), ofdAcknowledged,
        sign: op === null ? null : OPERATION_TO_SIGN[op] ?? op, totalKopecks: typeof d.amount === 'number' ? d.amount : null };
    }
    try { d = decodeFields(layout, raw); } catch (error) { throw fiscalErrors.protocol((error as Error).message, { command: 'findDocument' }); }
    if (documentType === FD_TYPE.receipt) {
      const op = num(d, 'operationType');
      return { kind: 'receipt', fdNumber: num(d, 'fdNumber'), fiscalSign: num(d, 'fiscalSign'), dateTime: str(d, 'dateTime'),
        ofdAcknowledged, sign: OPERATION_TO_SIGN[op] ?? op, totalKopecks: num(d, 'amount') };
    }
    return { kind: documentType === FD_TYPE.shiftOpen ? 'shiftOpen' : 'shiftClose', fdNumber: num(d, 'fdNumber'),
      fiscalSign: num(d, 'fiscalSign'), dateTime: str(d, 'dateTime'), ofdAcknowledged, shiftNumber: num(d, 'shiftNumber') };
  }

  /**
   * The document as the FN keeps it: FF3A gives its FFD type and length, FF3B hands out the TLV in
   * blocks until that many bytes arrived (javapos DIOReadDocumentTLV). Read-only: safe to repeat.
   */
  async readDocumentTlv(fdNumber: number): Promise<FiscalDocumentTlv> {
    const head = await this.run(CMD.requestDocumentTlv, { fdNumber });
    const documentType = num(head, 'documentType');
    const length = num(head, 'documentLength');
    const blocks: Uint8Array[] = [];
    let got = 0;
    while (got < length) {
      const v = await this.run(CMD.readDocumentTlvBlock);
      const block = v.block instanceof Uint8Array ? v.block : new Uint8Array(0);
      if (block.length === 0) throw fiscalErrors.protocol(`FD ${fdNumber}: empty TLV block after ${got} of ${length} bytes`, { command: 'readDocumentTlvBlock' });
      blocks.push(block);
      got += block.length;
    }
    const bytes = concat(blocks).subarray(0, length);
    try {
      return { fdNumber, documentType, fields: decodeDocumentTlv(bytes) };
    } catch (error) {
      if (error instanceof CodecError) throw fiscalErrors.protocol(`FD ${fdNumber}: ${error.message}`, { command: 'requestDocumentTlv' });
      throw error;
    }
  }

  /**
   * Correction receipt: the 1174 basis as a receipt-level TLV (FF0C), then FF4A. Sending FF0C before
   * FF4A with no document open is UNCONFIRMED (javapos sends its correction tags the same way as far
   * as we can tell); 1174 nesting 1178 date and 1179 order number follows the FFD table.
   */
  async fiscaliseCorrection(request: CorrectionRequest): Promise<ReceiptResult> {
    const p0 = request.payments;
    const paid = p0.cashKopecks + p0.electronicKopecks + (p0.prepaymentKopecks ?? 0) + (p0.postpaymentKopecks ?? 0) + (p0.counterProvisionKopecks ?? 0);
    // Checked here so that a refusal never leaves the 1174 tag waiting in the register for the next document.
    if (paid !== request.totalKopecks) throw fiscalErrors.protocol(`correction: the payments (${paid}) do not equal the total (${request.totalKopecks})`);
    if (!/^\d{4}-\d{2}-\d{2}/.test(request.basis.date)) throw fiscalErrors.protocol(`correction: bad basis date ${request.basis.date}`);
    const basis = [tlvUnixTime(TAG.correctionDate, `${request.basis.date.slice(0, 10)}T00:00`)];
    if (request.basis.orderNumber) basis.push(tlvString(TAG.correctionOrderNumber, request.basis.orderNumber.slice(0, 32)));
    await this.addReceiptTlv(tlvStruct(TAG.correctionBasis, basis));
    const p = request.payments;
    const vat = request.vatKopecks ?? {};
    const v = await this.run(CMD.correctionReceiptV2, {
      correctionType: request.correctionType === 'ordered' ? 1 : 0,
      calculationSign: SIGN_TO_OPERATION[request.sign],
      total: request.totalKopecks,
      cash: p.cashKopecks, electronic: p.electronicKopecks, prepayment: p.prepaymentKopecks ?? 0,
      postpayment: p.postpaymentKopecks ?? 0, counterProvision: p.counterProvisionKopecks ?? 0,
      tax1: vat.vat22 ?? 0, tax2: vat.vat10 ?? 0, tax3: vat.vat0 ?? 0, tax4: vat.none ?? 0, tax5: vat.vat22_122 ?? 0, tax6: vat.vat10_110 ?? 0,
      taxSystem: TAX_SYSTEM_BIT[request.taxSystem],
    });
    return { changeKopecks: 0, fdNumber: num(v, 'fdNumber'), fiscalSign: num(v, 'fiscalSign'), dateTime: null };
  }

  // ---- marking (FFD 1.2, reference §1.3) ------------------------------------------------------------------

  async checkMarkingCode(code: string, plannedStatus: number, quantityMilli?: number): Promise<MarkingCheckResult> {
    const codeBytes = new TextEncoder().encode(code);
    const tlvParts: Uint8Array[] = [];
    if (quantityMilli !== undefined && quantityMilli % 1000 !== 0) {
      // 1023 as FVLN: decimal point position byte, then the integer little-endian (UNCONFIRMED for FF61).
      tlvParts.push(tlvByte(TAG.measureUnit, UNIT_CODE.kg));
      const digits: number[] = [];
      let q = quantityMilli;
      do { digits.push(q % 256); q = Math.floor(q / 256); } while (q > 0);
      tlvParts.push(encodeTlv(TAG.quantity, Uint8Array.from([3, ...digits])));
    } else {
      tlvParts.push(tlvByte(TAG.measureUnit, UNIT_CODE.piece));
    }
    const tlv = concat(tlvParts);
    if (codeBytes.length > 255 || tlv.length > 255) throw fiscalErrors.protocol('marking code too long');
    const v = await this.run(CMD.markingCheck, {
      plannedStatus, mode: 0, codeLength: codeBytes.length, tlvLength: tlv.length, payload: concat([codeBytes, tlv]),
    });
    const onlineCode = num(v, 'onlineCode');
    const tail = decodeMarkingCheckTail(onlineCode, v.rest instanceof Uint8Array ? v.rest : new Uint8Array(0));
    return { localResult: num(v, 'localResult'), localReason: num(v, 'localReason'), checkResult: tail.checkResult,
      codeType: num(v, 'codeType'), onlineCode, rawTlv: tail.tlv };
  }

  async acceptMarkingCode(accept: boolean): Promise<number> {
    return num(await this.run(CMD.markingAccept, { accept: accept ? 1 : 0 }), 'checkResult');
  }

  async bindMarkingCode(code: string): Promise<number> {
    const bytes = new TextEncoder().encode(code);
    return num(await this.run(CMD.markingBind, { codeLength: bytes.length, code: bytes }), 'checkResult');
  }

  async markingStatus(): Promise<MarkingStatus> {
    const v = await this.run(CMD.markingStatus);
    return { checkState: num(v, 'checkState'), allowedCommands: num(v, 'allowedCommands'),
      notificationFill: num(v, 'notificationFill'), queueLength: num(v, 'queueLength') };
  }

  // ---- recovery ---------------------------------------------------------------------------------------

  /** ENQ and read an answer the register still holds (e.g. the lost FF45 reply); null when it holds none. */
  async readPendingAnswer(): Promise<ReturnType<typeof decodeAnswer> | null> {
    const payload = await this.link.readPendingAnswer();
    if (!payload) return null;
    try { return decodeAnswer(payload); } catch { return null; }
  }

  close(): Promise<void> { return this.link.close(); }
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}
