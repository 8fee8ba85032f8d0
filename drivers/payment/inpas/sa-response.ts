// What an SA response means for a card operation (field meanings in sa-fields.ts). Pure.
import type { CardOperationKind, CardOutcome } from '../payment-terminal';
import { cleanMessage, cleanSlip, maskPan, SA_ERROR_CODE_ELEMENT, SA_ERROR_TEXT_ELEMENT, SA_FIELD, SA_OPERATION, SA_SUCCESS } from './sa-fields';
import type { SaDocument } from './sa-xml';

const nonEmpty = (v: string | undefined): string | null => (v === undefined || v.trim() === '' ? null : v.trim());

export const operationCode = (kind: CardOperationKind): string =>
  kind === 'purchase' ? SA_OPERATION.sale : kind === 'refund' ? SA_OPERATION.refund : SA_OPERATION.cancel;

export function cardKindOf(code: string | undefined): CardOperationKind | null {
  switch (code) {
    case SA_OPERATION.sale: return 'purchase';
    case SA_OPERATION.refund: return 'refund';
    case SA_OPERATION.cancel: return 'cancel';
    default: return null;
  }
}

/** The words for the cashier: field 19, else <errordescription>, else the code. */
export function responseMessage(doc: SaDocument): string {
  const text = nonEmpty(doc.fields.get(SA_FIELD.message));
  if (text !== null) return cleanMessage(text);
  return nonEmpty(doc.elements.get(SA_ERROR_TEXT_ELEMENT)) ?? `Отказ терминала (${declineCode(doc)})`;
}

function declineCode(doc: SaDocument): string {
  return nonEmpty(doc.fields.get(SA_FIELD.hostCode)) ?? nonEmpty(doc.fields.get(SA_FIELD.result))
    ?? nonEmpty(doc.elements.get(SA_ERROR_CODE_ELEMENT)) ?? 'unknown';
}

/**
 * The outcome of a card operation from its response. A response without field 39, or about another
 * operation than the one asked, is not an answer to our question: 'unknown'.
 */
export function cardOutcomeOf(doc: SaDocument, expectedOperation: string, requestedKopecks: number): CardOutcome {
  const result = nonEmpty(doc.fields.get(SA_FIELD.result));
  const echoedOperation = nonEmpty(doc.fields.get(SA_FIELD.operation));
  if (echoedOperation !== null && echoedOperation !== expectedOperation) {
    return { state: 'unknown', reason: `the answer is about operation ${echoedOperation}, not ${expectedOperation}` };
  }
  if (result === null) {
    if (doc.elements.has(SA_ERROR_CODE_ELEMENT)) {
      return { state: 'declined', code: declineCode(doc), message: responseMessage(doc), slip: [] };
    }
    return { state: 'unknown', reason: 'the answer has no result field 39' };
  }
  const slip = cleanSlip(doc.fields.get(SA_FIELD.slip) ?? '');
  if (result !== SA_SUCCESS) return { state: 'declined', code: declineCode(doc), message: responseMessage(doc), slip };
  const amount = Number(doc.fields.get(SA_FIELD.amountKopecks));
  return {
    state: 'approved',
    slip,
    amountKopecks: Number.isSafeInteger(amount) && amount > 0 ? amount : requestedKopecks,
    rrn: nonEmpty(doc.fields.get(SA_FIELD.rrn)),
    authCode: nonEmpty(doc.fields.get(SA_FIELD.authCode)),
    receiptNumber: nonEmpty(doc.fields.get(SA_FIELD.receiptNumber)),
    terminalId: nonEmpty(doc.fields.get(SA_FIELD.terminalId)),
    cardMasked: (() => { const pan = nonEmpty(doc.fields.get(SA_FIELD.cardNumber)); return pan === null ? null : maskPan(pan); })(),
    cardType: null,
  };
}
