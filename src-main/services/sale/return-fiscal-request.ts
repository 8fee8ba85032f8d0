// A closed return as the register's receipt request: 1054 = 2 (возврат прихода). Its items are made the
// way a sale's are (same FFD tags: 1212 by marking, 1214, 2108, 1163, the marking code 2000 and the
// return check's 1260), and its payments are the cash and card sums paid back (1031, 1081); only the
// calculation sign differs. The fiscal service runs it as an explicit receipt job: journalled before its
// first byte and reconciled by sign and total after any failure, exactly like a sale.
import type { ReceiptRequest } from '../../../drivers/fiscal/fiscal-register';
import type { Sale, SaleReturn } from '../../contract';
import type { FiscalSettings } from '../../domain/fiscal-receipt';
import { receiptForSale } from '../fiscal/receipt-request';

export function returnReceiptRequest(ret: SaleReturn, settings: FiscalSettings): ReceiptRequest {
  // The return seen through a sale's shape: the lines, totals, cashier and FFD sums are what the register needs.
  const asSale: Sale = {
    id: ret.id, receiptId: ret.receiptId, number: ret.number, shiftId: ret.shiftId, closedAt: ret.closedAt, cashier: ret.cashier,
    lines: ret.lines, totals: ret.totals, payments: [], ffdPayments: ret.ffdPayments,
    tenderedKopecks: ret.ffdPayments.cashKopecks, changeKopecks: 0, fiscalState: 'pending',
  };
  const { request } = receiptForSale(asSale, settings);
  return { ...request, sign: 'saleReturn' };
}
