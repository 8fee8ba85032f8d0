// Axxon PSIM / Intellect / Axxon One POS, "XML protocol" (docs.axxonsoft.com, POS 5.4: "General
// information about XML protocol", "Fields and their values"). One <TransactionBlock> package per
// operation, elements separated by CRLF, over TCP (one port per POS; the POS reconnects itself).
// Required: FunctionNumber; TransactionTimestamp (yyyy-mm-ddThh:nn:ss.fff, UTC) is sent always.
// Recommended fields we fill: cash_number, receipt_number, item_name/_barcode/_price/_quantity,
// receipt_discount, card_number, enter_type, payment_name/_amount/_change, result (1 cancelled,
// 2 delayed), user_name, shift_number; TerminalId for a multi-POS server (MixForward routes by it).
// The protocol accepts any further parameters, so we add `operation` (a Russian caption),
// `sale_number`, `total`, `camera` and `supervisor` where they apply.
//
// UNCONFIRMED: the numbering of FunctionNumber. Axxon treats it as an operation code that its
// xml_titles settings map to captions; no public list of "standard" codes was found, so the table
// below is ours (documented in docs/video-export.md) and must be entered in xml_titles on site.
// UNCONFIRMED: whether the server expects UTF-8 or the Windows code page: the sink's encoding setting
// chooses (no XML prolog is sent, as in Axxon's own examples, so nothing contradicts the bytes).
import type { PosEvent, PosLine } from '../../../src-main/services/pos-events/pos-event';
import { element, parseFlatXml, XmlFrameError } from '../xml';
import { nonEmpty, receiptRef, rubles, thousandths } from '../text';
import { amountOf, encodeText, terminatedFramer, VideoFrameError, type ParsedFrame, type SinkTarget, type VideoFormat } from '../format';

export const AXXON_TEXT_MAX = 120;

/** Our FunctionNumber table (see the UNCONFIRMED note above). */
export const AXXON_FUNCTIONS: Record<PosEvent['kind'], { code: number; caption: string }> = {
  'receipt.opened': { code: 1, caption: 'ОТКРЫТИЕ ЧЕКА' },
  'line.added': { code: 2, caption: 'ТОВАР' },
  'line.voided': { code: 3, caption: 'СТОРНО' },
  'line.quantityChanged': { code: 4, caption: 'ИЗМЕНЕНИЕ КОЛИЧЕСТВА' },
  'discount.applied': { code: 5, caption: 'СКИДКА' },
  'card.applied': { code: 6, caption: 'КАРТА' },
  'payment': { code: 7, caption: 'ОПЛАТА' },
  'receipt.closed': { code: 8, caption: 'ЗАКРЫТИЕ ЧЕКА' },
  'receipt.cancelled': { code: 9, caption: 'ОТМЕНА ЧЕКА' },
  'receipt.parked': { code: 10, caption: 'ЧЕК ОТЛОЖЕН' },
  'receipt.resumed': { code: 11, caption: 'ЧЕК ВОССТАНОВЛЕН' },
  'return.opened': { code: 12, caption: 'ОТКРЫТИЕ ВОЗВРАТА' },
  'return.lineAdded': { code: 13, caption: 'ВОЗВРАТ ТОВАРА' },
  'return.closed': { code: 14, caption: 'ЗАКРЫТИЕ ВОЗВРАТА' },
  'drawer.opened': { code: 15, caption: 'ДЕНЕЖНЫЙ ЯЩИК ОТКРЫТ' },
  'cash.moved': { code: 16, caption: 'ВНЕСЕНИЕ/ИЗЪЯТИЕ' },
  'shift.opened': { code: 17, caption: 'ОТКРЫТИЕ СМЕНЫ' },
  'shift.closed': { code: 18, caption: 'ЗАКРЫТИЕ СМЕНЫ' },
  'user.loggedIn': { code: 19, caption: 'ВХОД' },
  'user.loggedOut': { code: 20, caption: 'ВЫХОД' },
  'supervisor.override': { code: 21, caption: 'ПОДТВЕРЖДЕНИЕ СТАРШЕГО КАССИРА' },
};

const ENTER_TYPE = { keyboard: 1, msr: 2, pinpad: 3, barcode: 4 } as const;
const PAYMENT_NAME = { cash: 'НАЛИЧНЫЕ', card: 'КАРТА', sbp: 'СБП', certificate: 'СЕРТИФИКАТ', other: 'ПРОЧЕЕ' } as const;

type Fields = Array<[string, string | number | null | undefined]>;

function item(line: PosLine, quantityMilli: number, amountKopecks: number): Fields {
  return [['item_position', line.position], ['item_name', nonEmpty(line.name, AXXON_TEXT_MAX)], ['item_barcode', line.barcode], ['item_price', rubles(line.priceKopecks)],
    ['item_quantity', thousandths(quantityMilli)], ['item_sum', rubles(amountKopecks)]];
}

function specific(event: PosEvent): Fields {
  switch (event.kind) {
    case 'receipt.opened': case 'receipt.resumed': return [];
    case 'receipt.parked': return [['result', 2]];
    case 'line.added': return item(event.line, event.addedQuantityMilli, amountOf(event.line.priceKopecks, event.addedQuantityMilli));
    case 'line.voided': return [...item(event.line, event.line.quantityMilli, event.line.amountKopecks), ['supervisor', event.authorisedBy?.name]];
    case 'line.quantityChanged': return [...item(event.line, event.line.quantityMilli, event.line.amountKopecks),
      ['item_quantity_before', thousandths(event.fromQuantityMilli)], ['supervisor', event.authorisedBy?.name]];
    case 'discount.applied': return event.lineId
      ? [['item_discount', rubles(event.amountKopecks)], ['discount_name', event.description]]
      : [['receipt_discount', rubles(event.amountKopecks)], ['discount_name', event.description]];
    case 'card.applied': return [['card_number', event.cardNumber], ['enter_type', ENTER_TYPE[event.entry]], ['card_kind', event.cardKind]];
    case 'payment': return [['payment_name', PAYMENT_NAME[event.method]], ['payment_amount', rubles(event.amountKopecks)],
      ['payment_tendered', rubles(event.tenderedKopecks)], ['payment_change', rubles(event.changeKopecks)]];
    case 'receipt.closed': return [['sale_number', event.saleNumber], ['total', rubles(event.totalKopecks)], ['item_count', event.lineCount]];
    case 'receipt.cancelled': return [['result', 1], ['total', rubles(event.totalKopecks)], ['item_count', event.lineCount], ['supervisor', event.authorisedBy?.name]];
    case 'return.opened': return [['original_sale_number', event.originalSaleNumber]];
    case 'return.lineAdded': return item(event.line, event.line.quantityMilli, event.line.amountKopecks);
    case 'return.closed': return [['sale_number', event.returnNumber], ['total', rubles(event.totalKopecks)],
      ['payment_name', PAYMENT_NAME[event.method]], ['supervisor', event.authorisedBy?.name]];
    case 'drawer.opened': return [['reason', event.reason]];
    case 'cash.moved': return [['operation', event.direction === 'in' ? 'ВНЕСЕНИЕ' : 'ИЗЪЯТИЕ'], ['payment_amount', rubles(event.amountKopecks)], ['comment', event.comment]];
    case 'shift.opened': return [];
    case 'shift.closed': return [['total', rubles(event.salesTotalKopecks)], ['receipt_count', event.salesCount], ['cash_in_drawer', rubles(event.cashInDrawerKopecks)]];
    case 'user.loggedIn': case 'user.loggedOut': return [['user_role', event.user.role]];
    case 'supervisor.override': return [['supervisor', event.supervisor.name], ['permission', event.permission]];
  }
}

export function encodeAxxonText(event: PosEvent, target: SinkTarget): string {
  const fn = AXXON_FUNCTIONS[event.kind];
  const who = event.kind === 'user.loggedIn' || event.kind === 'user.loggedOut' ? event.user.name : event.cashier?.name;
  const extra = specific(event);
  const fields: Fields = [
    ['FunctionNumber', fn.code],
    ['TransactionTimestamp', new Date(event.at).toISOString().slice(0, 23)],
    ['TerminalId', target.terminalId],
    ['cash_number', target.terminalId],
    ['camera', target.camera],
    ['operation', extra.some(([k]) => k === 'operation') ? undefined : fn.caption],
    ['receipt_number', 'receiptId' in event && event.receiptId ? receiptRef(event.receiptId) : undefined],
    ['user_name', who],
    ['shift_number', event.shiftNumber],
    ...extra,
  ];
  const body = fields.map(([name, value]) => element(name, value, name.endsWith('_name') || name === 'comment' ? AXXON_TEXT_MAX : 64)).filter(Boolean).join('\r\n');
  return `<TransactionBlock>\r\n${body}\r\n</TransactionBlock>\r\n`;
}

const TIMESTAMP = /^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]\.[0-9]{3}$/;
const DECIMAL = /^-?[0-9]{1,12}([.,][0-9]{1,3})?$/;
const CODES = new Set(Object.values(AXXON_FUNCTIONS).map((f) => String(f.code)));

export function parseAxxon(message: string): ParsedFrame {
  let xml;
  try {
    xml = parseFlatXml(message);
  } catch (error) {
    throw new VideoFrameError(`malformed XML: ${(error as XmlFrameError).message}`);
  }
  if (xml.root !== 'TransactionBlock') throw new VideoFrameError(`root is <${xml.root}>, expected <TransactionBlock>`);
  if (!/^\s*<TransactionBlock>\r\n/.test(message) || /[^\r]\n/.test(message.trim())) throw new VideoFrameError('elements must be separated by CRLF');
  const fields: Record<string, string> = {};
  for (const [name, value] of xml.fields) {
    if (name in fields) throw new VideoFrameError(`field <${name}> repeated`);
    fields[name] = value;
  }
  const fn = fields['FunctionNumber'];
  if (fn === undefined) throw new VideoFrameError('no FunctionNumber (required)');
  if (!/^[0-9]{1,4}$/.test(fn)) throw new VideoFrameError(`FunctionNumber "${fn.slice(0, 20)}" is not a number`);
  if (!CODES.has(fn)) throw new VideoFrameError(`FunctionNumber ${fn} is not in the agreed table`);
  const ts = fields['TransactionTimestamp'];
  if (ts !== undefined && !TIMESTAMP.test(ts)) throw new VideoFrameError(`TransactionTimestamp "${ts.slice(0, 30)}" is not yyyy-mm-ddThh:nn:ss.fff`);
  for (const [name, value] of Object.entries(fields)) {
    if (/(_price|_amount|_change|_sum|_discount|_quantity|^total)$/.test(name) && !DECIMAL.test(value)) {
      throw new VideoFrameError(`${name} "${value.slice(0, 20)}" is not a number`);
    }
  }
  if (fn === '2' && (!fields['item_name'] || !fields['item_price'])) throw new VideoFrameError('item without item_name or item_price');
  return { type: fn, fields };
}

export const axxonFormat: VideoFormat = {
  protocol: 'axxon',
  encode: (event, target) => [encodeText(encodeAxxonText(event, target), target.encoding)],
  framer: (encoding) => terminatedFramer('</TransactionBlock>', encoding),
  parse: parseAxxon,
};
