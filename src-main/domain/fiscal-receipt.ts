// A closed sale as an FFD 1.2 receipt: the tag values the fiscal register must be given. Pure and
// device-neutral: the driver turns it into its own commands (and its model-specific rate bytes).
// Tags: ../shared/reference/fiscal-registers.md §3 (FFD 1.2 essentials).
import type { MarkingGroup, Sale, Unit, VatRate } from '../contract';

/** 1054 признак расчёта. */
export const CALCULATION_SIGN = { sale: 1, saleReturn: 2, purchase: 3, purchaseReturn: 4 } as const;
export type CalculationSign = (typeof CALCULATION_SIGN)[keyof typeof CALCULATION_SIGN];

/** 1055 система налогообложения (bit mask; a receipt carries exactly one bit). */
export const TAX_SYSTEM = { osn: 1, usnIncome: 2, usnIncomeMinusExpense: 4, eshn: 16, patent: 32 } as const;
export type TaxSystem = (typeof TAX_SYSTEM)[keyof typeof TAX_SYSTEM];

/** 1199 ставка НДС (FFD 1.2 with the 2026 codes 11 = 22 %, 12 = 22/122; 20 % codes 1 and 3 are gone). */
export const VAT_TAG_1199: Record<VatRate, number> = {
  vat22: 11, vat10: 2, vat22_122: 12, vat10_110: 4, vat0: 5, none: 6, vat5: 7, vat7: 8, vat5_105: 9, vat7_107: 10,
};

/** 2108 мера количества. */
export const MEASURE_TAG_2108: Record<Unit, number> = { piece: 0, kg: 11, metre: 22, litre: 41 };

/**
 * 1212 признак предмета расчёта: 1 товар; 31 подакцизный товар с кодом маркировки (tobacco);
 * 33 товар с кодом маркировки. Goods that must be marked but were sold without a scanned code get 30/32
 * from the marking issue's rules, not here.
 */
export function itemTypeTag1212(marking: MarkingGroup | null): number {
  if (marking === null) return 1;
  return marking === 'tobacco' ? 31 : 33;
}

/** 1214 способ расчёта: 4 = полный расчёт (the only one a shop counter uses for a paid sale). */
export const PAYMENT_METHOD_FULL = 4;
/** 1214 = 5: частичный расчёт и кредит; 6: передача в кредит (the whole amount on credit). */
export const PAYMENT_METHOD_PARTIAL_CREDIT = 5;
export const PAYMENT_METHOD_CREDIT = 6;

export interface FiscalItem {
  name: string;            // 1030, at most 128 characters
  priceKopecks: number;    // 1079
  quantityMilli: number;   // 1023 (fractional for weighed goods)
  amountKopecks: number;   // 1043
  vatTag: number;          // 1199
  vatKopecks: number;      // 1200
  itemType: number;        // 1212
  paymentMethod: number;   // 1214
  measure: number;         // 2108
  /** 1163 product code: EAN-13 (1302) where the line has one. */
  gtin: string | null;
  /** 2000: the marking code of a marked item (the FN checks and binds it). */
  markingCode: string | null;
  /** 1260 with 1262–1265: the permissive-mode answer, when the check produced one. */
  industryRequisite: { foivId: string; documentDate: string; documentNumber: string; value: string } | null;
}

/**
 * A barcode that may go into 1302 (EAN-13): 13 digits, a valid check digit, and not a GS1
 * restricted-circulation number (prefix 2: in-store and scale labels, not a product's GTIN).
 */
export function isGtin13(barcode: string): boolean {
  if (!/^[0-9]{13}$/.test(barcode) || barcode.startsWith('2')) return false;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(barcode[i]) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10 === Number(barcode[12]);
}

export interface FiscalPayments {
  cashKopecks: number;          // 1031
  electronicKopecks: number;    // 1081
  prepaymentKopecks: number;    // 1215
  postpaymentKopecks: number;   // 1216
  considerationKopecks: number; // 1217
}

export interface FiscalReceipt {
  sign: CalculationSign;       // 1054
  taxSystem: TaxSystem;        // 1055
  cashierName: string;         // 1021
  cashierInn: string | null;   // 1203
  buyerContact: string | null; // 1008 (phone or e-mail for an electronic receipt)
  items: FiscalItem[];
  totalKopecks: number;
  payments: FiscalPayments;
}

export interface FiscalSettings {
  taxSystem: TaxSystem;
  cashierInn?: string | null;
}

const MAX_NAME = 128;

export function fiscalReceiptFromSale(sale: Sale, settings: FiscalSettings, buyerContact: string | null = null): FiscalReceipt {
  const items = sale.lines.filter((l) => !l.voided).map((l): FiscalItem => ({
    name: l.name.slice(0, MAX_NAME),
    priceKopecks: l.priceKopecks,
    quantityMilli: l.quantityMilli,
    amountKopecks: l.amountKopecks,
    vatTag: VAT_TAG_1199[l.vat],
    vatKopecks: l.vatKopecks,
    itemType: itemTypeTag1212(l.marking),
    paymentMethod: PAYMENT_METHOD_FULL,
    measure: MEASURE_TAG_2108[l.unit],
    gtin: l.barcode !== null && isGtin13(l.barcode) ? l.barcode : null,
    markingCode: l.markingCode ?? null,
    industryRequisite: l.markingCheck?.requisite1260
      ? { foivId: l.markingCheck.requisite1260.t1262, documentDate: l.markingCheck.requisite1260.t1263,
        documentNumber: l.markingCheck.requisite1260.t1264, value: l.markingCheck.requisite1260.t1265 }
      : null,
  }));
  // Sales closed before mixed payments carry only cash; later ones carry their FFD sums.
  const payments: FiscalPayments = sale.ffdPayments ?? {
    cashKopecks: sale.payments.filter((p) => p.method === 'cash').reduce((sum, p) => sum + p.amountKopecks, 0),
    electronicKopecks: 0, prepaymentKopecks: 0, postpaymentKopecks: 0, considerationKopecks: 0,
  };
  // 1214: goods handed over on credit are not "full payment": 6 when all of it is credit, 5 when part is.
  const method = payments.postpaymentKopecks === 0 ? PAYMENT_METHOD_FULL
    : payments.postpaymentKopecks >= sale.totals.totalKopecks ? PAYMENT_METHOD_CREDIT : PAYMENT_METHOD_PARTIAL_CREDIT;
  for (const item of items) item.paymentMethod = method;
  return {
    sign: CALCULATION_SIGN.sale,
    taxSystem: settings.taxSystem,
    cashierName: sale.cashier.name,
    cashierInn: settings.cashierInn ?? null,
    buyerContact,
    items,
    totalKopecks: sale.totals.totalKopecks,
    payments,
  };
}

/** The receipt's payments must cover its total exactly (the register refuses anything else). */
export function paymentsBalance(receipt: FiscalReceipt): boolean {
  const p = receipt.payments;
  const paid = p.cashKopecks + p.electronicKopecks + p.prepaymentKopecks + p.postpaymentKopecks + p.considerationKopecks;
  const items = receipt.items.reduce((sum, i) => sum + i.amountKopecks, 0);
  return paid === receipt.totalKopecks && items === receipt.totalKopecks;
}
