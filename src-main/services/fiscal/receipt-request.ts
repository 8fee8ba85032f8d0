// A closed sale as the register's receipt request: the FFD 1.2 tag values come from the domain
// (fiscalReceiptFromSale); this only translates them to the device-neutral driver interface.
import type { Sale, VatRate } from '../../contract';
import {
  CALCULATION_SIGN, MEASURE_TAG_2108, TAX_SYSTEM, VAT_TAG_1199, fiscalReceiptFromSale, paymentsBalance,
  type FiscalReceipt, type FiscalSettings,
} from '../../domain/fiscal-receipt';
import type { CalculationSign, MeasureUnit, ReceiptRequest, TaxSystem } from '../../../drivers/fiscal/fiscal-register';

const invert = <K extends string>(m: Record<K, number>): Map<number, K> => new Map(Object.entries(m).map(([k, v]) => [v as number, k as K]));
const SIGN_NAME = invert<CalculationSign>(CALCULATION_SIGN as Record<CalculationSign, number>);
const TAX_NAME = invert<TaxSystem>(TAX_SYSTEM as Record<TaxSystem, number>);
const VAT_NAME = invert<VatRate>(VAT_TAG_1199);
const UNIT_NAME: Map<number, MeasureUnit> = new Map(Object.entries(MEASURE_TAG_2108).map(([unit, tag]) => [tag, unit === 'piece' ? 'piece' : unit as MeasureUnit]));

export interface SaleReceipt {
  receipt: FiscalReceipt;
  request: ReceiptRequest;
}

/** Throws an Error with the reason when the sale cannot be a receipt (the job is then parked). */
export function receiptForSale(sale: Sale, settings: FiscalSettings): SaleReceipt {
  // 1008: the buyer's phone or e-mail the sale carries, for an electronic receipt.
  const receipt = fiscalReceiptFromSale(sale, settings, sale.buyerContact ?? null);
  if (receipt.items.length === 0) throw new Error('the sale has no lines');
  if (!paymentsBalance(receipt)) throw new Error('the payments do not cover the total exactly');
  const sign = SIGN_NAME.get(receipt.sign);
  const taxSystem = TAX_NAME.get(receipt.taxSystem);
  if (!sign || !taxSystem) throw new Error('unknown calculation sign or tax system');
  const request: ReceiptRequest = {
    sign,
    taxSystem,
    items: receipt.items.map((item) => {
      const vat = VAT_NAME.get(item.vatTag);
      if (!vat) throw new Error(`unknown VAT tag ${item.vatTag}`);
      return {
        name: item.name, quantityMilli: item.quantityMilli, priceKopecks: item.priceKopecks, amountKopecks: item.amountKopecks,
        vat, vatKopecks: item.vatKopecks, paymentMethod: item.paymentMethod, itemType: item.itemType,
        unit: UNIT_NAME.get(item.measure) ?? 'piece',
        ...(item.gtin ? { productCode: { gtin: item.gtin } } : {}),
        ...(item.markingCode ? { markingCode: item.markingCode } : {}),
        ...(item.industryRequisite ? { industryRequisite: item.industryRequisite } : {}),
      };
    }),
    payments: {
      cashKopecks: receipt.payments.cashKopecks, electronicKopecks: receipt.payments.electronicKopecks,
      prepaymentKopecks: receipt.payments.prepaymentKopecks, postpaymentKopecks: receipt.payments.postpaymentKopecks,
      counterProvisionKopecks: receipt.payments.considerationKopecks,
    },
    cashier: { name: receipt.cashierName, ...(receipt.cashierInn ? { inn: receipt.cashierInn } : {}) },
    ...(receipt.buyerContact ? { buyerContact: receipt.buyerContact } : {}),
  };
  return { receipt, request };
}

/**
 * An explicit receipt job (kind 'receipt', payload { request }) as the runner needs it: the request, and
 * what reconciliation compares a document with (1054 sign and total). Throws an Error with the reason
 * when it cannot be a receipt.
 */
export function receiptForRequestJob(payload: unknown): { request: ReceiptRequest; receipt: { sign: number; totalKopecks: number } } {
  const request = (payload as { request?: ReceiptRequest } | null)?.request;
  if (!request || !Array.isArray(request.items) || request.items.length === 0) throw new Error('the receipt has no lines');
  const sign = CALCULATION_SIGN[request.sign];
  if (sign === undefined || TAX_SYSTEM[request.taxSystem] === undefined) throw new Error('unknown calculation sign or tax system');
  let totalKopecks = 0;
  for (const item of request.items) {
    if (!Number.isInteger(item.quantityMilli) || item.quantityMilli <= 0 || !Number.isInteger(item.priceKopecks) || item.priceKopecks < 0) {
      throw new Error(`bad quantity or price in line '${item.name}'`);
    }
    if (item.amountKopecks === undefined || !Number.isInteger(item.amountKopecks)) throw new Error(`line '${item.name}' has no amount`);
    if (VAT_TAG_1199[item.vat] === undefined) throw new Error(`unknown VAT rate ${String(item.vat)}`);
    totalKopecks += item.amountKopecks;
  }
  const p = request.payments;
  const paid = p.cashKopecks + p.electronicKopecks + (p.prepaymentKopecks ?? 0) + (p.postpaymentKopecks ?? 0) + (p.counterProvisionKopecks ?? 0);
  if (paid !== totalKopecks) throw new Error(`the payments (${paid}) do not equal the total (${totalKopecks})`);
  return { request, receipt: { sign, totalKopecks } };
}
