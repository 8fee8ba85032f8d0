// The payment service's errors, with the words a cashier or supervisor sees (ru, en).
import { PosError } from '../../contract';

export const paymentErrors = {
  receiptNotOpen: (status: string) => new PosError('INVALID_STATE',
    { ru: 'Чек не открыт: оплата невозможна', en: 'The receipt is not open: it cannot be paid' }, { status }),
  exceedsRemainder: (remainderKopecks: number) => new PosError('LIMIT_EXCEEDED',
    { ru: 'Сумма по карте больше остатка к оплате', en: 'The card amount exceeds what is left to pay' }, { remainderKopecks }),
  noTerminal: (code: string, terminalId?: string) => new PosError('INVALID_STATE',
    { ru: 'Нет доступного банковского терминала', en: 'No bank terminal is available' }, { code, ...(terminalId ? { terminalId } : {}) }),
  terminalBusy: (terminalId: string) => new PosError('INVALID_STATE',
    { ru: 'Терминал занят другой операцией', en: 'The terminal is busy with another operation' }, { terminalId }),
  terminalUnreachable: (terminalId: string, reason: string) => new PosError('INVALID_STATE',
    { ru: 'Терминал не отвечает', en: 'The terminal does not answer' }, { terminalId, reason }),
  unresolved: (terminalId: string) => new PosError('INVALID_STATE',
    { ru: 'Итог прошлой операции на терминале ещё не выяснен', en: 'The outcome of the previous operation on this terminal is not known yet' }, { terminalId }),
  notCancellable: (reason: string) => new PosError('INVALID_STATE',
    { ru: 'Операцию нельзя отменить', en: 'The operation cannot be cancelled' }, { reason }),
  settledUseRefund: () => new PosError('INVALID_STATE',
    { ru: 'Сверка итогов уже прошла: оформите возврат', en: 'The terminal has settled since: make a refund instead' }),
  notRefundable: (reason: string) => new PosError('INVALID_STATE',
    { ru: 'По этой операции возврат невозможен', en: 'This operation cannot be refunded' }, { reason }),
  refundTooLarge: (leftKopecks: number) => new PosError('LIMIT_EXCEEDED',
    { ru: 'Сумма возврата больше оплаченной', en: 'The refund exceeds what was paid' }, { leftKopecks }),
  notInDoubt: (state: string) => new PosError('INVALID_STATE',
    { ru: 'Операция не ждёт решения старшего кассира', en: 'The operation does not await a supervisor' }, { state }),
  splitRefused: (problem: string, details: Record<string, unknown> = {}) => new PosError('INVALID_STATE',
    { ru: 'Оплата не сходится с суммой чека', en: 'The payments do not match the receipt total' }, { problem, ...details }),
  shortPaid: (remainderKopecks: number) => new PosError('INSUFFICIENT_TENDER',
    { ru: 'Оплачено меньше суммы чека', en: 'Less than the total is paid' }, { remainderKopecks }),
};

/** Outcome codes for operations that certainly never reached the terminal. */
export const NEVER_REACHED = {
  notSent: 'NOT_SENT',         // journalled, then the lane stopped before calling the driver
  notStarted: 'NOT_STARTED',   // the driver said the operation certainly did not start (TerminalError)
  notPerformed: 'NOT_PERFORMED', // the terminal's last-operation report shows an earlier operation: ours never arrived
} as const;

export const NEVER_REACHED_CODES: ReadonlySet<string> = new Set(Object.values(NEVER_REACHED));
