// Typed errors of fiscal registers. `kind` tells the fiscal service what it may do next:
// - 'device':          the register refused the command (it did not execute it); safe to decide and retry.
// - 'outcome-unknown': a non-read-only command was sent and no answer came back; the document may
//                      or may not exist. The service MUST reconcile (ARCHITECTURE §5) before anything else.
// - 'link':            no link at all (nothing was sent, or a read-only command failed every retry).
// - 'protocol':        the device answered bytes that do not parse.
import type { LocalizedText } from '../../src-main/contract/errors';

export type FiscalErrorKind = 'device' | 'outcome-unknown' | 'link' | 'protocol';

export class FiscalError extends Error {
  constructor(
    readonly kind: FiscalErrorKind,
    readonly code: string,
    readonly text: LocalizedText,
    readonly details: Record<string, unknown> = {},
  ) {
    super(`${code}: ${text.en}`);
    this.name = 'FiscalError';
  }
}

export const fiscalErrors = {
  outcomeUnknown: (command: string, details: Record<string, unknown> = {}) => new FiscalError('outcome-unknown', 'FISCAL_OUTCOME_UNKNOWN',
    { ru: 'Нет ответа от кассы. Проверяем, пробит ли чек…', en: 'No answer from the register. Checking whether the receipt went through…' },
    { command, ...details }),
  noLink: (details: Record<string, unknown> = {}) => new FiscalError('link', 'FISCAL_NO_LINK',
    { ru: 'Нет связи с кассой. Проверьте кабель и питание', en: 'No link to the register. Check the cable and power' }, details),
  protocol: (reason: string, details: Record<string, unknown> = {}) => new FiscalError('protocol', 'FISCAL_PROTOCOL',
    { ru: 'Касса ответила непонятно. Повторите или перезагрузите кассу', en: 'The register sent an unreadable answer. Retry or restart it' },
    { reason, ...details }),
};
