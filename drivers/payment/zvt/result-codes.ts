// ZVT result codes (BMP 27, the byte of 06 1E and of 84 xx; ZVT 13.x chapter 10.2 "Error-messages").
// 01–63 come from the authorisation host and differ by acquirer, so they share one message. The
// words are for a cashier: what happened and what to do next.

export interface CashierText { ru: string; en: string }

const RESULT: Record<number, CashierText> = {
  0x00: { ru: 'Операция одобрена', en: 'Approved' },
  0x05: { ru: 'Отказ банка. Попросите другую карту или другой способ оплаты', en: 'Declined by the bank. Ask for another card or another way to pay' },
  0x33: { ru: 'Недостаточно средств на карте', en: 'Insufficient funds' },
  0x64: { ru: 'Карта не читается. Попробуйте ещё раз или вставьте карту чипом', en: 'Card not readable. Try again or insert the chip' },
  0x65: { ru: 'Нет данных карты. Вставьте или приложите карту ещё раз', en: 'No card data. Insert or tap the card again' },
  0x66: { ru: 'Ошибка обработки в терминале. Повторите операцию', en: 'Processing error in the terminal. Try again' },
  0x6a: { ru: 'Журнал терминала полон. Сделайте сверку итогов', en: 'Terminal journal full. Run the end of day' },
  0x6b: { ru: 'Терминал не зарегистрирован кассой. Повторите операцию', en: 'Terminal not registered by the till. Try again' },
  0x6c: { ru: 'Операция отменена (таймаут или кнопка отмены)', en: 'Cancelled (time-out or the cancel key)' },
  0x6f: { ru: 'Неверная валюта', en: 'Wrong currency' },
  0x71: { ru: 'Недостаточно средств', en: 'Insufficient funds' },
  0x72: { ru: 'Ошибка чипа. Попробуйте бесконтактно или другую карту', en: 'Chip error. Try contactless or another card' },
  0x73: { ru: 'Неверные данные карты', en: 'Card data incorrect' },
  0x77: { ru: 'Сверка итогов сейчас невозможна', en: 'End of day not possible now' },
  0x78: { ru: 'Срок действия карты истёк', en: 'Card expired' },
  0x79: { ru: 'Карта ещё не действует', en: 'Card not yet valid' },
  0x7a: { ru: 'Карта не обслуживается', en: 'Card unknown' },
  0x7d: { ru: 'Нет связи с банком. Повторите позже или примите другой способ оплаты', en: 'No connection to the bank. Try later or take another way to pay' },
  0x83: { ru: 'Функция недоступна в терминале', en: 'Function not possible on this terminal' },
  0x85: { ru: 'В терминале нет ключей. Вызовите сервис', en: 'Key missing in the terminal. Call service' },
  0x89: { ru: 'Неисправен ПИН-пад. Вызовите сервис', en: 'PIN pad defective. Call service' },
  0x9a: { ru: 'Ошибка протокола связи с кассой', en: 'Till link protocol error' },
  0x9b: { ru: 'Ошибка связи с банком', en: 'Communication error with the bank' },
  0x9c: { ru: 'Терминал занят. Подождите и повторите', en: 'Terminal busy. Wait and try again' },
  0xa0: { ru: 'Терминал не готов', en: 'Terminal not ready' },
  0xa1: { ru: 'Банк не отвечает. Повторите позже', en: 'The bank does not answer. Try later' },
  0xa3: { ru: 'Нет связи с банком', en: 'No connection to the bank' },
  0xb1: { ru: 'Память терминала заполнена. Сделайте сверку итогов', en: 'Terminal memory full. Run the end of day' },
  0xb2: { ru: 'Журнал терминала полон. Сделайте сверку итогов', en: 'Merchant journal full. Run the end of day' },
  0xb4: { ru: 'Операция уже отменена', en: 'Already reversed' },
  0xb5: { ru: 'Отмена невозможна (операция не найдена или уже в сверке). Сделайте возврат', en: 'Reversal not possible (not found or already settled). Make a refund' },
  0xb7: { ru: 'Неверная сумма', en: 'Wrong amount' },
  0xc3: { ru: 'Превышена максимальная сумма', en: 'Maximum amount exceeded' },
  0xc5: { ru: 'Способ оплаты не поддерживается', en: 'Payment method not supported' },
  0xc6: { ru: 'Валюта не поддерживается', en: 'Currency not supported' },
  0xc8: { ru: 'Сумма слишком мала', en: 'Amount too small' },
  0xcc: { ru: 'Принтер терминала не готов', en: 'Terminal printer not ready' },
  0xdc: { ru: 'В терминале осталась карта. Извлеките её', en: 'A card is still inserted. Remove it' },
  0xe2: { ru: 'Неисправен картридер. Вызовите сервис', en: 'Card reader defective. Call service' },
  0xf0: { ru: 'Есть незакрытая смена. Сделайте сверку итогов', en: 'Open end-of-day batch present. Run the end of day' },
  0xff: { ru: 'Системная ошибка терминала', en: 'Terminal system error' },
};

/** A code we have no words for still says which code it is, so support can look it up. */
export function resultText(code: number): CashierText {
  const known = RESULT[code];
  if (known) return known;
  const h = code.toString(16).toUpperCase().padStart(2, '0');
  if (code >= 0x01 && code <= 0x63) return { ru: `Отказ банка (код ${h})`, en: `Declined by the host (code ${h})` };
  return { ru: `Ошибка терминала (код ${h})`, en: `Terminal error (code ${h})` };
}

/** Our cashier messages carry both languages; the UI picks one. */
export function bilingual(t: CashierText): string {
  return `${t.ru} / ${t.en}`;
}

export const RESULT_CODE = {
  success: 0x00,
  declined: 0x05,
  insufficientFunds: 0x33,
  cardNotReadable: 0x64,
  notRegistered: 0x6b,
  aborted: 0x6c,
  wrongCurrency: 0x6f,
  functionNotPossible: 0x83,
  busy: 0x9c,
  notReady: 0xa0,
  alreadyReversed: 0xb4,
  reversalNotPossible: 0xb5,
  maxAmountExceeded: 0xc3,
  amountTooSmall: 0xc8,
  systemError: 0xff,
} as const;
