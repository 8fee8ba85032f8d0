// sb_pilot result codes the driver acts on. Everything else non-zero is the bank's or the terminal's
// refusal and becomes a declined outcome with the code and the text from `e`.
// UNCONFIRMED beyond 0: the numbers come from open integrations (SetRetail's Sber plugin, the
// peripherals reference), not from Sber's documentation.
export const UPOS_CODE = {
  ok: 0,
  /** The library is busy with another operation: nothing was started. */
  busy: 115,
  /** The customer or cashier cancelled on the pinpad. */
  cancelledOnPinpad: 2000,
  /** No such operation (status enquiry by request id, cancel by RRN): it never happened. */
  notFound: 4118,
  /** Status enquiry: the operation was not performed. */
  notPerformed: 4311,
} as const;

const WORDS: ReadonlyMap<number, { ru: string; en: string }> = new Map([
  [UPOS_CODE.ok, { ru: 'Одобрено', en: 'Approved' }],
  [UPOS_CODE.busy, { ru: 'Терминал занят другой операцией', en: 'The terminal is busy with another operation' }],
  [UPOS_CODE.cancelledOnPinpad, { ru: 'Операция отменена на пинпаде', en: 'Cancelled on the pinpad' }],
  [UPOS_CODE.notFound, { ru: 'Операция не найдена', en: 'Operation not found' }],
  [UPOS_CODE.notPerformed, { ru: 'Операция не выполнена', en: 'Operation not performed' }],
]);

/** The terminal's own text when it gave one, else our words for the code. */
export function describeCode(code: number, terminalText: string): string {
  if (terminalText !== '') return terminalText;
  return WORDS.get(code)?.ru ?? `Ошибка терминала ${code}`;
}
