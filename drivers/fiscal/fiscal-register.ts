// The device-neutral fiscal register services speak to (ARCHITECTURE §2, §4). Amounts are kopecks,
// quantities thousandths, VAT the contract's VatRate. A driver maps these to its protocol; nothing
// here knows Shtrih or ATOL bytes.
import type { VatRate } from '../../src-main/contract/model';

/** FFD tag 1054. */
export type CalculationSign = 'sale' | 'saleReturn' | 'purchase' | 'purchaseReturn';
/** FFD tag 1055 (one system per receipt). */
export type TaxSystem = 'osn' | 'usnIncome' | 'usnIncomeMinusExpense' | 'eshn' | 'patent';
/** FFD tag 2108. */
export type MeasureUnit = 'piece' | 'gram' | 'kg' | 'ml' | 'litre' | 'metre' | 'other';

export interface ReceiptItem {
  name: string;
  /** Thousandths of a unit: 1000 = one piece / 1 kg. */
  quantityMilli: number;
  priceKopecks: number;
  /** Line total; when omitted the register computes price × quantity. */
  amountKopecks?: number;
  vat: VatRate;
  /** VAT in the line; when omitted the register computes it. */
  vatKopecks?: number;
  /** FFD 1214, 4 = full payment (default). */
  paymentMethod?: number;
  /** FFD 1212, 1 = goods (default). */
  itemType?: number;
  unit?: MeasureUnit;
  department?: number;
  /** FFD 1163 product code; today only an EAN-13 (1302) from the line's barcode. */
  productCode?: { gtin: string };
  /** Raw marking code (GS1 DataMatrix content, GS as 0x1D) when the item is marked: tag 2000. */
  markingCode?: string;
  /**
   * FFD 2003 planned status for the FN's own check of the code (1 piece sold, 2 measured goods sold,
   * 3 piece returned, 4 part returned). Default: 1, or 2 for a fractional quantity.
   */
  markingPlannedStatus?: number;
  /** Tag 1260 (industry requisite: permissive-mode proof), 1262–1265, when the check gave one. */
  industryRequisite?: { foivId: string; documentDate: string; documentNumber: string; value: string };
  /** Extra item-level FFD tags, already TLV-encoded (bound to this operation, FF4D on Shtrih). */
  extraTlv?: Uint8Array[];
}

export interface ReceiptPayments {
  cashKopecks: number;
  electronicKopecks: number;
  prepaymentKopecks?: number;
  postpaymentKopecks?: number;
  counterProvisionKopecks?: number;
}

export interface ReceiptRequest {
  sign: CalculationSign;
  taxSystem: TaxSystem;
  items: ReceiptItem[];
  payments: ReceiptPayments;
  cashier?: { name: string; inn?: string };
  /** 1008: phone (+7…) or e-mail for an electronic receipt. */
  buyerContact?: string;
  /** Printed at the bottom of the receipt. */
  footerText?: string;
}

export interface FiscalDocumentRef {
  fdNumber: number;
  fiscalSign: number;
  /** Device-reported date-time, ISO without zone (the register's local time), when it reports one. */
  dateTime: string | null;
}

export interface ReceiptResult extends FiscalDocumentRef { changeKopecks: number }
export interface ShiftResult extends FiscalDocumentRef { shiftNumber: number | null }

export interface RegisterStatus {
  /** Low nibble of the Shtrih mode byte, or the closest equivalent. */
  mode: number;
  /** Mode byte as the device sent it (Shtrih: high nibble = receipt type in mode 8). */
  modeRaw: number;
  submode: number;
  shiftState: 'closed' | 'open' | 'expired';
  receiptOpen: boolean;
  paperOut: boolean;
  awaitingContinuePrint: boolean;
  operator: number;
  /** The cash drawer's switch, where the register reports one (Shtrih: bit 11 of the flags); absent otherwise. */
  drawerOpen?: boolean;
}

/** A cash drawer connector on the register (Shtrih 28h takes 0 or 1). */
export type DrawerNumber = 0 | 1;

export interface FnStatus {
  phase: number;
  /** 0 none, 2 shift open, 4 receipt, 8 shift close, 0x14 correction (Shtrih FF01 numbering). */
  currentDocument: number;
  shiftOpen: boolean;
  warningFlags: number;
  dateTime: string;
  fnSerial: string;
  lastFdNumber: number;
}

export type StoredDocument =
  | { kind: 'receipt'; fdNumber: number; fiscalSign: number; dateTime: string; ofdAcknowledged: boolean; sign: CalculationSign | number; totalKopecks: number }
  | { kind: 'shiftOpen' | 'shiftClose'; fdNumber: number; fiscalSign: number; dateTime: string; ofdAcknowledged: boolean; shiftNumber: number }
  /** A correction receipt (FFD type 31); sign and total when the device reports them with the document. */
  | { kind: 'correction'; fdNumber: number; fiscalSign: number; dateTime: string; ofdAcknowledged: boolean; sign: CalculationSign | number | null; totalKopecks: number | null }
  | { kind: 'other'; documentType: number; ofdAcknowledged: boolean; raw: Uint8Array };

/**
 * A fiscal document as the FN keeps it, read back as TLV (Shtrih FF3A/FF3B) and decoded: tag → value
 * (strings, numbers, nested objects for STLV; a repeated tag and 1059 as arrays; unknown tags as hex).
 */
export interface FiscalDocumentTlv {
  fdNumber: number;
  /** FFD document type (3 receipt, 31 correction receipt, 2 shift open, 5 shift close, …). */
  documentType: number;
  fields: Record<string, unknown>;
}

/** FFD 1173: 0 on the taxpayer's own initiative, 1 by an order of the tax authority. */
export type CorrectionType = 'self' | 'ordered';

/**
 * A correction receipt (FFD "чек коррекции"): the sums it corrects, by payment and VAT. Only the
 * 'sale' and 'purchase' signs are allowed by the FF4A command (1054 = 1 / 3).
 */
export interface CorrectionRequest {
  sign: Extract<CalculationSign, 'sale' | 'purchase'>;
  correctionType: CorrectionType;
  taxSystem: TaxSystem;
  /** 1174 basis: date of the corrected event (local ISO date) and, for an order, its number. */
  basis: { date: string; orderNumber?: string };
  totalKopecks: number;
  payments: ReceiptPayments;
  /** VAT sums by rate, as FF4A carries them; absent = 0. */
  vatKopecks?: Partial<Record<'vat22' | 'vat10' | 'vat0' | 'none' | 'vat22_122' | 'vat10_110', number>>;
}

export interface OfdStatus {
  unsentCount: number;
  firstUnsentFd: number | null;
  firstUnsentDateTime: string | null;
  exchangeFlags: number;
}

/** The FN's local check of a marking code and the OISM answer, neutral form (FFD 1.2 tags). */
export interface MarkingCheckResult {
  /** 2004 */
  localResult: number;
  localReason: number;
  /** 2106 */
  checkResult: number;
  /** 2100 */
  codeType: number | null;
  onlineCode: number | null;
  rawTlv: Uint8Array;
}

export interface MarkingStatus {
  checkState: number;
  allowedCommands: number;
  notificationFill: number;
  queueLength: number;
}

export interface FiscalRegister {
  readonly protocol: string;
  status(): Promise<RegisterStatus>;
  fnStatus(): Promise<FnStatus>;
  ofdStatus(): Promise<OfdStatus>;
  openShift(): Promise<void>;
  /** Z report; closes the shift and makes the shift-close fiscal document. */
  closeShift(): Promise<void>;
  xReport(): Promise<void>;
  cashIn(amountKopecks: number): Promise<void>;
  cashOut(amountKopecks: number): Promise<void>;

  // Step calls (the service journals between them).
  /** Receipt-level TLVs (cashier, buyer contact) before the first item. */
  addReceiptTlv(tlv: Uint8Array): Promise<void>;
  addItem(sign: CalculationSign, item: ReceiptItem): Promise<void>;
  closeReceipt(request: Pick<ReceiptRequest, 'payments' | 'taxSystem' | 'footerText'>): Promise<ReceiptResult>;
  cancelReceipt(): Promise<void>;
  continuePrint(): Promise<void>;
  /** The whole receipt in one call: receipt TLVs, items, close. */
  fiscaliseReceipt(request: ReceiptRequest): Promise<ReceiptResult>;

  findDocument(fdNumber: number): Promise<StoredDocument>;
  /** The whole document from the FN as decoded TLV; optional: not every protocol can. */
  readDocumentTlv?(fdNumber: number): Promise<FiscalDocumentTlv>;
  /** A correction receipt; optional: not every driver has it. */
  fiscaliseCorrection?(request: CorrectionRequest): Promise<ReceiptResult>;

  checkMarkingCode(code: string, plannedStatus: number, quantityMilli?: number): Promise<MarkingCheckResult>;
  acceptMarkingCode(accept: boolean): Promise<number>;
  bindMarkingCode(code: string): Promise<number>;
  markingStatus(): Promise<MarkingStatus>;

  /** Kicks a cash drawer wired to the register; optional: not every register has a drawer port. */
  openDrawer?(drawer: DrawerNumber): Promise<void>;

  close(): Promise<void>;
}
