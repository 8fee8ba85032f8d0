// What a sale needs from its tenders when a mixed receipt closes: the payments array (method, terminal,
// amounts, slips), cash tendered and change, the FFD payment sums, and the card operations and bonus holds
// the sale's transaction must claim. Synchronous and read-only, so the sale service can call it inside
// its transaction and then attach the card operations (PaymentJournal.attachToSale) and capture the holds.
import type { FfdPaymentSums, InternalPaymentType, SalePayment, TenderRequest } from '../../contract/payment-model';
import { applyTenders, DEFAULT_BONUS_FFD_KIND, ffdPaymentSums, type FfdPaymentKind, type Tender } from '../../domain/payment-split';
import type { PaymentJournal } from '../../store/payment-journal';
import { paymentErrors } from './payment-errors';
import type { TenderHold } from './tender-backing';

export interface SalePayments {
  payments: SalePayment[];
  ffd: FfdPaymentSums;
  tenderedKopecks: number;
  changeKopecks: number;
  /** To attach to the sale in its transaction. */
  cardOperationIds: string[];
  /** To capture in the sale's transaction. */
  bonusHoldIds: string[];
}

export interface SalePaymentsConfig {
  /** FFD kind of bonus points (1215 by default; a business choice, see domain/payment-split.ts). */
  bonusKind?: Exclude<FfdPaymentKind, 'cash'>;
  /** The loyalty service's holds; without it a bonus tender is refused. */
  heldBonus?: (holdId: string) => TenderHold | null;
}

/** Throws a PosError when the tenders do not pay the receipt exactly (cash may give change) or refer to something invalid. */
export function salePayments(journal: Pick<PaymentJournal, 'operation' | 'forReceipt' | 'internalTypes'>, receiptId: string,
  totalKopecks: number, tenders: readonly TenderRequest[], config: SalePaymentsConfig = {}): SalePayments {
  const types = new Map<string, InternalPaymentType>(journal.internalTypes().map((t) => [t.id, t]));
  const bonusKind = config.bonusKind ?? (DEFAULT_BONUS_FFD_KIND as Exclude<FfdPaymentKind, 'cash'>);
  const seen = new Set<string>();
  const ordered: Array<{ tender: Tender; payment: (applied: number) => SalePayment }> = [];
  let cashTendered = 0;

  for (const t of tenders) {
    switch (t.kind) {
      case 'card': {
        const op = journal.operation(t.operationId);
        if (!op || op.receiptId !== receiptId || op.kind !== 'purchase' || op.state !== 'approved' || op.saleId !== null) {
          throw paymentErrors.splitRefused('cardNotApproved', { operationId: t.operationId, state: op?.state ?? 'missing' });
        }
        if (seen.has(op.id)) throw paymentErrors.splitRefused('duplicateCard', { operationId: op.id });
        seen.add(op.id);
        ordered.push({ tender: { kind: 'card', amountKopecks: op.amountKopecks, terminalId: op.terminalId }, payment: (applied) => ({
          method: 'card', amountKopecks: applied, terminalId: op.terminalId, operationId: op.id, rrn: op.approved?.rrn ?? null,
          authCode: op.approved?.authCode ?? null, cardMasked: op.approved?.cardMasked ?? null, cardType: op.approved?.cardType ?? null, slip: op.slip ?? [],
        }) });
        break;
      }
      case 'internal': {
        const type = types.get(t.typeId);
        if (!type || !type.enabled) throw paymentErrors.splitRefused('unknownInternalType', { typeId: t.typeId });
        ordered.push({ tender: { kind: 'internal', amountKopecks: t.amountKopecks, typeId: t.typeId }, payment: (applied) => ({
          method: 'internal', amountKopecks: applied, typeId: type.id, typeName: type.name, ffdKind: type.ffdKind, reference: t.reference ?? null,
        }) });
        break;
      }
      case 'bonus': {
        const hold = config.heldBonus?.(t.holdId) ?? null;
        if (!hold || hold.receiptId !== receiptId || hold.amountKopecks !== t.amountKopecks) throw paymentErrors.splitRefused('bonusNotHeld', { holdId: t.holdId });
        if (seen.has(`bonus:${t.holdId}`)) throw paymentErrors.splitRefused('duplicateBonus', { holdId: t.holdId });
        seen.add(`bonus:${t.holdId}`);
        ordered.push({ tender: { kind: 'bonus', amountKopecks: t.amountKopecks }, payment: (applied) => ({
          method: 'bonus', amountKopecks: applied, ffdKind: bonusKind, holdId: t.holdId,
        }) });
        break;
      }
      case 'cash':
        cashTendered += t.tenderedKopecks; // several cash entries are one tender, and it goes last (change)
        break;
    }
  }
  // Every approved card payment of this receipt must be in the sale: one left out would be money taken for nothing.
  const missing = journal.forReceipt(receiptId).filter((o) => o.kind === 'purchase' && o.state === 'approved' && o.saleId === null && !seen.has(o.id));
  if (missing.length > 0) throw paymentErrors.splitRefused('cardLeftOut', { operationIds: missing.map((o) => o.id) });

  if (cashTendered > 0) ordered.push({ tender: { kind: 'cash', amountKopecks: cashTendered }, payment: () => ({ method: 'cash', amountKopecks: 0, tenderedKopecks: 0, changeKopecks: 0 }) });
  const split = applyTenders(totalKopecks, ordered.map((o) => o.tender));
  if (!split.ok) throw paymentErrors.splitRefused(split.problem.code, { ...split.problem });
  if (!split.complete) throw paymentErrors.shortPaid(split.remainderKopecks);

  const payments = split.applied.map((a, i) => (a.kind === 'cash'
    ? { method: 'cash' as const, amountKopecks: a.appliedKopecks, tenderedKopecks: cashTendered, changeKopecks: split.changeKopecks }
    : ordered[i]!.payment(a.appliedKopecks)));
  const internalKinds = Object.fromEntries([...types.values()].map((t) => [t.id, t.ffdKind]));
  return {
    payments,
    ffd: ffdPaymentSums(split.applied, { internalKinds, bonusKind }),
    tenderedKopecks: cashTendered,
    changeKopecks: split.changeKopecks,
    cardOperationIds: [...seen].filter((id) => !id.startsWith('bonus:')),
    bonusHoldIds: tenders.flatMap((t) => (t.kind === 'bonus' ? [t.holdId] : [])),
  };
}
