// Intermediate status codes (04 FF, ZVT 13.x chapter 10.3) in words a cashier can pass on.
// 0x40 added to a code means "… and remove the card" (the spec's second half of the table).
import type { CashierText } from './result-codes';

const STATUS: Record<number, CashierText> = {
  0x00: { ru: 'Подтвердите сумму на терминале', en: 'Confirm the amount on the terminal' },
  0x01: { ru: 'Смотрите на ПИН-пад', en: 'Watch the PIN pad' },
  0x02: { ru: 'Смотрите на ПИН-пад', en: 'Watch the PIN pad' },
  0x03: { ru: 'Не принято', en: 'Not accepted' },
  0x04: { ru: 'Ожидание ответа банка', en: 'Waiting for the bank' },
  0x05: { ru: 'Терминал отправляет автоотмену', en: 'Terminal is sending an auto-reversal' },
  0x06: { ru: 'Терминал отправляет отложенные операции', en: 'Terminal is sending post-bookings' },
  0x07: { ru: 'Карта не принимается', en: 'Card not admitted' },
  0x08: { ru: 'Карта неизвестна', en: 'Card unknown' },
  0x09: { ru: 'Срок действия карты истёк', en: 'Card expired' },
  0x0a: { ru: 'Вставьте или приложите карту', en: 'Insert or tap the card' },
  0x0b: { ru: 'Извлеките карту', en: 'Remove the card' },
  0x0c: { ru: 'Карта не читается', en: 'Card not readable' },
  0x0d: { ru: 'Ошибка обработки', en: 'Processing error' },
  0x0e: { ru: 'Подождите…', en: 'Please wait…' },
  0x0f: { ru: 'Терминал начал автоматическую сверку итогов', en: 'Terminal is running an automatic end of day' },
  0x10: { ru: 'Недействительная карта', en: 'Invalid card' },
  0x11: { ru: 'Показ баланса', en: 'Balance display' },
  0x12: { ru: 'Сбой системы', en: 'System malfunction' },
  0x13: { ru: 'Оплата невозможна', en: 'Payment not possible' },
  0x14: { ru: 'Недостаточно средств', en: 'Credit not sufficient' },
  0x15: { ru: 'Неверный ПИН. Попросите ввести ещё раз', en: 'Incorrect PIN. Ask to enter it again' },
  0x16: { ru: 'Превышен лимит', en: 'Limit not sufficient' },
  0x17: { ru: 'Подождите…', en: 'Please wait…' },
  0x18: { ru: 'Превышено число попыток ввода ПИН', en: 'PIN try limit exceeded' },
  0x19: { ru: 'Неверные данные карты', en: 'Card data incorrect' },
  0x1a: { ru: 'Сервисный режим', en: 'Service mode' },
  0x1b: { ru: 'Одобрено', en: 'Approved' },
  0x1c: { ru: 'Одобрено. Выдайте товар', en: 'Approved. Hand over the goods' },
  0x1d: { ru: 'Отказ', en: 'Declined' },
  0xc8: { ru: 'Терминал ждёт кассира', en: 'Terminal waits for the cashier' },
  0xc9: { ru: 'Терминал выполняет диагностику', en: 'Terminal is running a diagnosis' },
  0xca: { ru: 'Терминал выполняет инициализацию', en: 'Terminal is initialising' },
  0xd2: { ru: 'Соединение с банком…', en: 'Connecting to the bank…' },
  0xd3: { ru: 'Соединение с банком установлено', en: 'Connected to the bank' },
  0xe0: { ru: 'Выберите приложение карты на терминале', en: 'Select the card application on the terminal' },
  0xe1: { ru: 'Выберите язык на терминале', en: 'Select the language on the terminal' },
  0xf1: { ru: 'Офлайн', en: 'Offline' },
  0xf2: { ru: 'Онлайн', en: 'Online' },
  0xf3: { ru: 'Офлайн-операция', en: 'Offline transaction' },
};

const REMOVE_CARD: CashierText = { ru: 'извлеките карту', en: 'remove the card' };

export function intermediateStatusText(code: number): CashierText {
  const direct = STATUS[code];
  if (direct) return direct;
  if (code >= 0x41 && code <= 0x67) {
    const base = STATUS[code - 0x40];
    if (base) return { ru: `${base.ru}; ${REMOVE_CARD.ru}`, en: `${base.en}; ${REMOVE_CARD.en}` };
  }
  const h = code.toString(16).toUpperCase().padStart(2, '0');
  return { ru: `Терминал: статус ${h}`, en: `Terminal: status ${h}` };
}

/** Codes the emulator uses for a card purchase, in order. */
export const INTERMEDIATE = { insertCard: 0x0a, watchPinPad: 0x01, waitForHost: 0x04, removeCard: 0x0b, pleaseWait: 0x0e } as const;
