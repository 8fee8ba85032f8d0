// A card operation that reached its outcome, as the payment.operation document the head office gets
// (src-main/upstream/document-schemas.ts). Written by the payment journal in the transaction that
// records the outcome. The card number goes out masked or not at all.
import type { CardOperation } from '../contract/payment-model';
import type { DocumentPayload } from '../upstream/document-schemas';

/** A masked card number as the document allows it: digits, spaces and at least one mask character. */
const MASKED_CARD = /^(?=.*[*Xx])[0-9*Xx ]{4,23}$/;

/** The document of an operation whose state is approved or declined. */
export function paymentOperationDocument(op: CardOperation & { state: 'approved' | 'declined' }, at: string): DocumentPayload<'payment.operation'> {
  return {
    id: op.id,
    receiptId: op.receiptId,
    originalId: op.originalId,
    kind: op.kind,
    // The journal does not keep the method (an SBP payment through the terminal is journalled like a card one).
    method: 'card',
    amountKopecks: op.amountKopecks,
    outcome: op.state,
    rrn: clip(op.approved?.rrn ?? null, 32),
    authCode: clip(op.approved?.authCode ?? null, 16),
    terminalId: op.terminalId,
    cardMasked: maskedCard(op.approved?.cardMasked ?? null),
    declineCode: op.state === 'declined' ? clip(op.outcome?.code ?? null, 32) : null,
    at,
  };
}

/**
 * The terminal's masked number when it is masked; otherwise only its last four digits ("**** 1234"):
 * a terminal that reports a full number (some builds do) must not send it upstream.
 */
export function maskedCard(reported: string | null): string | null {
  if (reported === null) return null;
  const value = reported.trim();
  if (MASKED_CARD.test(value)) return value;
  const digits = value.replace(/\D/g, '');
  return digits.length >= 4 ? `**** ${digits.slice(-4)}` : null;
}

function clip(value: string | null, max: number): string | null {
  return value === null ? null : value.slice(0, max);
}
