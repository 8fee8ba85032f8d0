// A plain-text receipt feed for video systems that match text patterns (Milestone XProtect Transact
// "transaction definitions" with start/stop patterns and match rules; Genetec Transaction Finder
// parsers). One CRLF-terminated line per event, the fixed marker first, then " | "-separated fields:
//
//   *** ЧЕК 0A1B2C3D ОТКРЫТ *** | 23.11.2026 12:00:01 | КАССА 01 | КАМЕРА 3 | КАССИР Иванова
//   ТОВАР 1: Молоко 3,2% 1 л | ШК 4601234567890 | 2 x 79,90 = 159,80 | 23.11.2026 12:00:02 | КАССА 01 | …
//   *** ЧЕК 0A1B2C3D ЗАКРЫТ *** №12 ИТОГ 159,80 | …
//
// Start pattern for Milestone: "*** ЧЕК * ОТКРЫТ ***"; stop patterns: "*** ЧЕК * ЗАКРЫТ ***",
// "*** ЧЕК * ОТМЕНЕН ***", "*** ЧЕК * ОТЛОЖЕН ***" (and the same with ВОЗВРАТ). Event rules match
// "СТОРНО", "ВОЗВРАТ", "ДИСК.КАРТА", "ДЕНЕЖНЫЙ ЯЩИК", "ПОДТВЕРЖДЕНИЕ СТАРШЕГО". Names are cleaned of
// control characters (a CR/LF in a name cannot forge a line) and of "|" (it cannot forge a field).
// The format is ours; no vendor defines it (Genetec's parser format is not public).
import type { PosEvent, PosLine } from '../../../src-main/services/pos-events/pos-event';
import { localTime, nonEmpty, receiptRef, rubles, thousandths } from '../text';
import { amountOf, encodeText, terminatedFramer, VideoFrameError, type ParsedFrame, type SinkTarget, type VideoFormat } from '../format';

export const TEXTFEED_NAME_MAX = 80;

/** Every line starts with one of these (longest first, so that a prefix never shadows a longer marker). */
export const TEXTFEED_MARKERS = [
  '*** ВОЗВРАТ', '*** ЧЕК', 'ТОВАР', 'СТОРНО', 'ИЗМ.КОЛ', 'СКИДКА', 'ДИСК.КАРТА', 'ПОДАР.КАРТА', 'ОПЛАТА', 'ВОЗВРАТ',
  'ДЕНЕЖНЫЙ ЯЩИК ОТКРЫТ', 'ВНЕСЕНИЕ', 'ИЗЪЯТИЕ', 'СМЕНА', 'ВХОД', 'ВЫХОД', 'ПОДТВЕРЖДЕНИЕ СТАРШЕГО',
] as const;

const PAYMENT = { cash: 'НАЛИЧНЫЕ', card: 'КАРТА', sbp: 'СБП', certificate: 'СЕРТИФИКАТ', other: 'ПРОЧЕЕ' } as const;
const ROLE = { cashier: 'КАССИР', supervisor: 'СТАРШИЙ КАССИР', administrator: 'АДМИНИСТРАТОР' } as const;

const name = (text: string) => nonEmpty(text.replace(/\|/g, '/'), TEXTFEED_NAME_MAX);
const money = (kopecks: number) => rubles(kopecks, ',');
const qty = (milli: number, line: PosLine) => `${thousandths(milli, ',')}${line.weighed || line.unit === 'kg' ? ' кг' : line.unit === 'litre' ? ' л' : ''}`;

function lineText(marker: string, line: PosLine, quantityMilli: number, amountKopecks: number): string {
  return `${marker} ${line.position}: ${name(line.name)} | ШК ${line.barcode ? name(line.barcode) : '-'} | ${qty(quantityMilli, line)} x ${money(line.priceKopecks)} = ${money(amountKopecks)}`;
}

function head(event: PosEvent): string {
  switch (event.kind) {
    case 'receipt.opened': return `*** ЧЕК ${receiptRef(event.receiptId)} ОТКРЫТ ***`;
    case 'line.added': return lineText('ТОВАР', event.line, event.addedQuantityMilli, amountOf(event.line.priceKopecks, event.addedQuantityMilli));
    case 'line.voided': return `${lineText('СТОРНО', event.line, event.line.quantityMilli, event.line.amountKopecks)}${event.authorisedBy ? ` | ПОДТВЕРДИЛ ${name(event.authorisedBy.name)}` : ''}`;
    case 'line.quantityChanged': return `ИЗМ.КОЛ ${event.line.position}: ${name(event.line.name)} | ${qty(event.fromQuantityMilli, event.line)} -> ${qty(event.line.quantityMilli, event.line)} = ${money(event.line.amountKopecks)}${event.authorisedBy ? ` | ПОДТВЕРДИЛ ${name(event.authorisedBy.name)}` : ''}`;
    case 'discount.applied': return `СКИДКА ${name(event.description)} = ${money(event.amountKopecks)}`;
    case 'card.applied': return `${event.cardKind === 'gift' ? 'ПОДАР.КАРТА' : 'ДИСК.КАРТА'} ${name(event.cardNumber)}`;
    case 'payment': return `ОПЛАТА ${PAYMENT[event.method]} ${money(event.amountKopecks)} | ВНЕСЕНО ${money(event.tenderedKopecks)} | СДАЧА ${money(event.changeKopecks)}`;
    case 'receipt.closed': return `*** ЧЕК ${receiptRef(event.receiptId)} ЗАКРЫТ *** №${event.saleNumber} ИТОГ ${money(event.totalKopecks)}`;
    case 'receipt.cancelled': return `*** ЧЕК ${receiptRef(event.receiptId)} ОТМЕНЕН *** ИТОГ ${money(event.totalKopecks)}${event.authorisedBy ? ` | ПОДТВЕРДИЛ ${name(event.authorisedBy.name)}` : ''}`;
    case 'receipt.parked': return `*** ЧЕК ${receiptRef(event.receiptId)} ОТЛОЖЕН ***`;
    case 'receipt.resumed': return `*** ЧЕК ${receiptRef(event.receiptId)} ВОССТАНОВЛЕН ***`;
    case 'return.opened': return `*** ВОЗВРАТ ${receiptRef(event.receiptId)} ОТКРЫТ ***${event.originalSaleNumber === null ? '' : ` ПО ЧЕКУ №${event.originalSaleNumber}`}`;
    case 'return.lineAdded': return lineText('ВОЗВРАТ', event.line, event.line.quantityMilli, event.line.amountKopecks);
    case 'return.closed': return `*** ВОЗВРАТ ${receiptRef(event.receiptId)} ЗАКРЫТ *** №${event.returnNumber} ИТОГ ${money(event.totalKopecks)} ${PAYMENT[event.method]}${event.authorisedBy ? ` | ПОДТВЕРДИЛ ${name(event.authorisedBy.name)}` : ''}`;
    case 'drawer.opened': return 'ДЕНЕЖНЫЙ ЯЩИК ОТКРЫТ';
    case 'cash.moved': return `${event.direction === 'in' ? 'ВНЕСЕНИЕ' : 'ИЗЪЯТИЕ'} ${money(event.amountKopecks)}${event.comment ? ` | ${name(event.comment)}` : ''}`;
    case 'shift.opened': return `СМЕНА ${event.shiftNumber ?? '-'} ОТКРЫТА`;
    case 'shift.closed': return `СМЕНА ${event.shiftNumber ?? '-'} ЗАКРЫТА | ЧЕКОВ ${event.salesCount} | ВЫРУЧКА ${money(event.salesTotalKopecks)} | В ЯЩИКЕ ${money(event.cashInDrawerKopecks)}`;
    case 'user.loggedIn': return `ВХОД ${ROLE[event.user.role]} ${name(event.user.name)}`;
    case 'user.loggedOut': return `ВЫХОД ${ROLE[event.user.role]} ${name(event.user.name)}`;
    case 'supervisor.override': return `ПОДТВЕРЖДЕНИЕ СТАРШЕГО ${name(event.supervisor.name)}: ${name(event.permission)}`;
  }
}

export function encodeTextfeedLine(event: PosEvent, target: SinkTarget): string {
  const t = localTime(event.at, target.timeZone);
  const parts = [head(event), `${t.day}.${t.month}.${t.year} ${t.hour}:${t.minute}:${t.second}`, `КАССА ${name(target.terminalId)}`];
  if (target.camera !== null) parts.push(`КАМЕРА ${target.camera}`);
  if (event.cashier) parts.push(`КАССИР ${name(event.cashier.name)}`);
  return `${parts.join(' | ')}\r\n`;
}

const TRAILER = / \| ([0-9]{2})\.([0-9]{2})\.([0-9]{4}) ([01][0-9]|2[0-3]):([0-5][0-9]):([0-5][0-9]) \| КАССА ([^|]+?)(?: \| КАМЕРА ([0-9]{1,3}))?(?: \| КАССИР ([^|]+))?$/;

export function parseTextfeed(message: string): ParsedFrame {
  if (!message.endsWith('\r\n')) throw new VideoFrameError('line does not end with CRLF');
  const line = message.slice(0, -2);
  if (/[\u0000-\u001f\u007f]/.test(line)) throw new VideoFrameError('control character inside a line');
  const marker = TEXTFEED_MARKERS.find((m) => line.startsWith(m));
  if (!marker) throw new VideoFrameError(`unknown marker: ${line.slice(0, 30)}`);
  const trailer = TRAILER.exec(line);
  if (!trailer) throw new VideoFrameError('no "| dd.mm.yyyy hh:mm:ss | КАССА n" trailer');
  const fields: Record<string, string> = {
    text: line.slice(0, trailer.index),
    date: `${trailer[1]}.${trailer[2]}.${trailer[3]}`,
    time: `${trailer[4]}:${trailer[5]}:${trailer[6]}`,
    terminal: trailer[7]!,
  };
  if (trailer[8] !== undefined) fields['camera'] = trailer[8];
  if (trailer[9] !== undefined) fields['cashier'] = trailer[9];
  if ((marker === '*** ЧЕК' || marker === '*** ВОЗВРАТ') && !/^\*\*\* (ЧЕК|ВОЗВРАТ) [0-9A-Z]{1,8} (ОТКРЫТ|ЗАКРЫТ|ОТМЕНЕН|ОТЛОЖЕН|ВОССТАНОВЛЕН) \*\*\*/.test(line)) {
    throw new VideoFrameError(`malformed receipt marker: ${line.slice(0, 40)}`);
  }
  return { type: marker, fields };
}

export const textfeedFormat: VideoFormat = {
  protocol: 'textfeed',
  encode: (event, target) => [encodeText(encodeTextfeedLine(event, target), target.encoding)],
  framer: (encoding) => terminatedFramer('\r\n', encoding),
  parse: parseTextfeed,
};
