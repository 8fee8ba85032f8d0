// The errors of a return at the till, in the words the cashier reads (ru, en), with details for the log.
import { PosError, type LocalizedText } from '../../contract';
import { errors } from '../../app/errors';

export const returnErrors = {
  saleNotFound: (headOffice: 'notConfigured' | 'asked' | 'unreachable') => new PosError('NOT_FOUND', {
    ru: headOffice === 'unreachable'
      ? 'Чек не найден на этой кассе, а центральный офис недоступен. Проверьте номер или повторите позже. Возврат без чека на кассе не оформляется.'
      : 'Чек не найден. Проверьте номер чека, ФД, ФП или дату. Возврат без чека на кассе не оформляется.',
    en: headOffice === 'unreachable'
      ? 'The receipt is not on this lane and the head office cannot be reached. Check the number or try later. Returns without a receipt are not made at the till.'
      : 'Receipt not found. Check the receipt number, FD, fiscal sign or date. Returns without a receipt are not made at the till.',
  }, { what: 'sale', headOffice }),
  searchAgain: (saleId: string) => new PosError('NOT_FOUND', {
    ru: 'Чек нужно найти заново: результаты поиска устарели.', en: 'Find the receipt again: the search results are out of date.',
  }, { what: 'sale', saleId }),
  notReturnable: (reason: LocalizedText, details?: Record<string, unknown>) => new PosError('INVALID_STATE', reason, details),
  notAReturn: (receiptId: string) => errors.invalidState('Это не возврат', 'This is not a return', { receiptId }),
  notOpen: (status: string) => errors.invalidState('Возврат не открыт: возобновите его', 'The return is not open: resume it first', { status }),
  linesLocked: () => errors.invalidState(
    'Деньги уже возвращены на карту: состав возврата менять нельзя. Закройте возврат.',
    'Money has already gone back to the card: the return\'s goods cannot change. Close the return.'),
  lineNotOnSale: (saleLineId: string) => errors.notFound('sale line', saleLineId),
  quantity: (problem: 'notWhole' | 'exceedsReturnable' | 'markedNeedsCode', returnableMilli: number) => new PosError('INVALID_STATE', {
    notWhole: { ru: 'Штучный товар возвращается целыми единицами', en: 'Piece goods come back in whole units' },
    exceedsReturnable: { ru: 'Нельзя вернуть больше, чем продано (с учётом прежних возвратов)', en: 'Cannot return more than was sold (earlier returns included)' },
    markedNeedsCode: { ru: 'Маркированный товар возвращается только по своему коду: отсканируйте марку', en: 'A marked item comes back only with its own code: scan it' },
  }[problem], { problem, returnableMilli }),
  codeNotSold: () => new PosError('MARKING_REFUSED', {
    ru: 'Этот код маркировки не продавался по этому чеку. Верните товар покупателю: возврат по нему не оформляется.',
    en: 'This marking code was not sold on this receipt. Give the item back to the buyer: it cannot be returned here.',
  }, { rule: 'notOnReceipt' }),
  codeAlreadyReturned: () => new PosError('MARKING_REFUSED', {
    ru: 'Этот товар уже возвращён (или уже в другом возврате).', en: 'This item has already been returned (or is on another return).',
  }, { rule: 'alreadyReturned' }),
  empty: () => errors.invalidState('В возврате нет товаров', 'The return has no goods'),
  cardRefundsPending: (parts: number) => errors.invalidState(
    'Верните деньги на карту (или, если терминал не может, — наличными с разрешения старшего кассира)',
    'Refund the card first (or, if the terminal cannot, in cash with a supervisor\'s approval)', { cardParts: parts }),
  refundInDoubt: () => errors.invalidState(
    'Исход возврата на карту ещё не известен: дождитесь ответа терминала или решения старшего кассира',
    'The card refund\'s outcome is not known yet: wait for the terminal or a supervisor\'s decision'),
  noSuchCardPart: (purchaseOperationId: string) => errors.notFound('card refund part', purchaseOperationId),
  cardPartNotRefundable: (state: string) => errors.invalidState(
    'Эту часть нельзя вернуть на карту на этой кассе', 'This part cannot be refunded to the card at this lane', { state }),
  notEnoughCash: (cashInDrawerKopecks: number, neededKopecks: number) => errors.invalidState(
    'В кассе недостаточно наличных для возврата', 'There is not enough cash in the drawer for the refund', { cashInDrawerKopecks, neededKopecks }),
  cancelAfterCardRefund: () => errors.invalidState(
    'Деньги уже возвращены на карту: возврат нельзя отменить, его нужно закрыть',
    'Money has already gone back to the card: the return cannot be cancelled, it must be closed'),
  openReturnOnScreen: () => errors.invalidState(
    'Открыт возврат: закройте, отложите или отмените его', 'A return is open: close, park or cancel it first'),
  useReturnCancel: () => errors.invalidState(
    'Возврат отменяется в окне возврата', 'A return is cancelled from the return screen'),
};
