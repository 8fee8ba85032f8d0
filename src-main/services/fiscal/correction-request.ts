// A correction receipt job (kind 'correction', payload { request: CorrectionRequest }): the supervisor's
// request (contract) becomes the driver-neutral CorrectionRequest when it is queued, with the lane's tax
// system, so the job's payload is exactly what goes to the register. The runner checks it again before
// the first byte and reconciliation compares a found document with its sign and total.
import type { CorrectionRequest, TaxSystem } from '../../../drivers/fiscal/fiscal-register';
import type { FiscalCorrectionRequest } from '../../contract/fiscal-correction';
import { CALCULATION_SIGN, TAX_SYSTEM } from '../../domain/fiscal-receipt';

const TAX_NAME = new Map<number, TaxSystem>(Object.entries(TAX_SYSTEM).map(([k, v]) => [v as number, k as TaxSystem]));
const VAT_KEYS = ['vat22', 'vat10', 'vat0', 'none', 'vat22_122', 'vat10_110'] as const;

/** The contract request as the register's request, with the lane's 1055 tax system (bit value). */
export function correctionFromContract(r: FiscalCorrectionRequest, taxSystemBit: number): CorrectionRequest {
  const taxSystem = TAX_NAME.get(taxSystemBit);
  if (!taxSystem) throw new Error(`unknown tax system ${taxSystemBit}`);
  const vatKopecks: NonNullable<CorrectionRequest['vatKopecks']> = {};
  for (const k of VAT_KEYS) if (r.vat[k]) vatKopecks[k] = r.vat[k];
  return {
    sign: r.sign, correctionType: r.correctionType, taxSystem,
    basis: { date: r.basisDate, ...(r.orderNumber ? { orderNumber: r.orderNumber } : {}) },
    totalKopecks: r.totalKopecks,
    payments: { ...r.payments },
    vatKopecks,
  };
}

const isSum = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0;

/**
 * The job's request and what reconciliation compares a document with (1054 sign, total). Throws an Error
 * with the reason when it cannot be a correction receipt (the job is then parked, or refused when queued).
 */
export function correctionForJob(payload: unknown): { request: CorrectionRequest; expect: { sign: number; totalKopecks: number } } {
  const request = (payload as { request?: CorrectionRequest } | null)?.request;
  if (!request || typeof request !== 'object') throw new Error('the correction has no request');
  if (request.sign !== 'sale' && request.sign !== 'purchase') throw new Error(`a correction receipt is a sale or a purchase, not ${String(request.sign)}`);
  if (request.correctionType !== 'self' && request.correctionType !== 'ordered') throw new Error('unknown correction type');
  if (TAX_SYSTEM[request.taxSystem] === undefined) throw new Error('unknown tax system');
  if (!request.basis || !/^\d{4}-\d{2}-\d{2}$/.test(request.basis.date)) throw new Error('the correction basis needs a date (YYYY-MM-DD)');
  if (request.correctionType === 'ordered' && !request.basis.orderNumber) throw new Error('a correction by order needs the order number');
  if (!isSum(request.totalKopecks) || request.totalKopecks === 0) throw new Error('the total must be a positive number of kopecks');
  const p = request.payments;
  const parts = [p?.cashKopecks, p?.electronicKopecks, p?.prepaymentKopecks ?? 0, p?.postpaymentKopecks ?? 0, p?.counterProvisionKopecks ?? 0];
  if (!parts.every(isSum)) throw new Error('bad payment sums');
  const paid = (parts as number[]).reduce((n, x) => n + x, 0);
  if (paid !== request.totalKopecks) throw new Error(`the payments (${paid}) do not equal the total (${request.totalKopecks})`);
  for (const [k, v] of Object.entries(request.vatKopecks ?? {})) {
    if (!(VAT_KEYS as readonly string[]).includes(k) || !isSum(v)) throw new Error(`bad VAT sum ${k}`);
  }
  return { request, expect: { sign: CALCULATION_SIGN[request.sign], totalKopecks: request.totalKopecks } };
}
