// The fiscal service's own errors, with the words a cashier or supervisor sees (ru, en).
import type { JournalError } from '../../store/fiscal-journal';

export const fiscalServiceErrors = {
  paperOut: (): JournalError => ({ code: 'FISCAL_PAPER_OUT',
    message: { ru: 'В кассе кончилась бумага. Заправьте ленту', en: 'The register is out of paper. Load a new roll' } }),
  shiftClosed: (): JournalError => ({ code: 'FISCAL_SHIFT_CLOSED',
    message: { ru: 'Смена на кассе не открыта, а автооткрытие выключено', en: 'No shift is open on the register and automatic opening is off' } }),
  badPayload: (reason: string): JournalError => ({ code: 'FISCAL_BAD_JOB',
    message: { ru: 'Чек нельзя пробить: данные чека неверны', en: 'The receipt cannot be fiscalised: its data are wrong' }, details: { reason } }),
  unexpected: (reason: string): JournalError => ({ code: 'FISCAL_INTERNAL',
    message: { ru: 'Ошибка фискального модуля. Чек сохранён', en: 'Fiscal service error. The sale is safe' }, details: { reason } }),
};

/** Thrown inside the service for a condition that must be waited out, not counted as a refusal. */
export class FiscalWait extends Error {
  constructor(readonly error: JournalError) {
    super(error.message.en);
    this.name = 'FiscalWait';
  }
}

/** Thrown when a job can never succeed as it stands: it is parked at once. */
export class FiscalJobInvalid extends Error {
  constructor(readonly error: JournalError) {
    super(error.message.en);
    this.name = 'FiscalJobInvalid';
  }
}
