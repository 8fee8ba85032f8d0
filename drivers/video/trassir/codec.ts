// TRASSIR ActivePOS, "DSSL XML" (trassir.com manual: setup-pos-dsslxml, setup-pos-dsslxml-azs).
// One `<?xml …?><transaction>…</transaction>` block per event, over TCP or UDP, UTF-8. Fields used:
// event_type, operation_id, cashier, date (dd/mm/yyyy), time (hh:mm:ss, the store's local time),
// position, quantity, weight (kg), volume (litres), price_per_unit, price (rubles with a dot),
// barcode, text, location. The camera is bound to the terminal in TRASSIR itself, so it is not sent.
//
// Confirmed by the manual's examples: POSNG_RECEIPT_OPEN, POSNG_POSITION_ADD, POSNG_RECEIPT_CLOSE,
// POSNG_PAYMENT_CASH, POSNG_RECEIPT_CHANGE, POSNG_RECEIPT_NUMBER; listed in our reference:
// …_RECEIPT_RETURN, …_RETURN_CLOSE, …_CANCEL, …_DELAY, …_DELAYED_RESTORE, …_PAYOUT, POSNG_SHIFT_START/END.
// UNCONFIRMED (names we could not find in a public document; verify against the customer's TRASSIR
// before go-live, they are one table below): POSNG_POSITION_CANCEL, POSNG_POSITION_CHANGE,
// POSNG_DISCOUNT, POSNG_CARD, POSNG_PAYMENT_CARD, POSNG_PAYMENT_OTHER, POSNG_RECEIPT_PAYIN,
// POSNG_DRAWER_OPEN, POSNG_CASHIER_LOGIN/LOGOUT, POSNG_ADMIN_LOGIN/LOGOUT; overrides are sent as
// POSNG_COMMENT (documented for the banknote-counter variant). Whether ActivePOS wants the weight
// in kg (as the manual's example "1.234") or grams (as its SDK returns) is also UNCONFIRMED: we send kg.
import type { PosEvent, PosLine } from '../../../src-main/services/pos-events/pos-event';
import { element } from '../xml';
import { localTime, nonEmpty, receiptRef, rubles, thousandths } from '../text';
import { amountOf, terminatedFramer, VideoFrameError, type ParsedFrame, type SinkTarget, type VideoFormat } from '../format';
import { parseFlatXml, XmlFrameError } from '../xml';

/** Product names longer than this are cut (ActivePOS captions are one line). */
export const TRASSIR_TEXT_MAX = 120;

export const TRASSIR_EVENT_TYPES = [
  'POSNG_RECEIPT_OPEN', 'POSNG_POSITION_ADD', 'POSNG_POSITION_CANCEL', 'POSNG_POSITION_CHANGE', 'POSNG_DISCOUNT', 'POSNG_CARD',
  'POSNG_PAYMENT_CASH', 'POSNG_PAYMENT_CARD', 'POSNG_PAYMENT_OTHER', 'POSNG_RECEIPT_CHANGE', 'POSNG_RECEIPT_NUMBER',
  'POSNG_RECEIPT_CLOSE', 'POSNG_RECEIPT_CANCEL', 'POSNG_RECEIPT_DELAY', 'POSNG_RECEIPT_DELAYED_RESTORE', 'POSNG_RECEIPT_RETURN',
  'POSNG_RECEIPT_RETURN_CLOSE', 'POSNG_DRAWER_OPEN', 'POSNG_RECEIPT_PAYIN', 'POSNG_RECEIPT_PAYOUT', 'POSNG_SHIFT_START',
  'POSNG_SHIFT_END', 'POSNG_CASHIER_LOGIN', 'POSNG_CASHIER_LOGOUT', 'POSNG_ADMIN_LOGIN', 'POSNG_ADMIN_LOGOUT', 'POSNG_COMMENT',
] as const;

const FIELDS = ['event_type', 'operation_id', 'cashier', 'date', 'time', 'position', 'quantity', 'weight', 'volume',
  'price_per_unit', 'barcode', 'text', 'price', 'location'] as const;
type Field = (typeof FIELDS)[number];
type Block = Partial<Record<Field, string | number | null>>;

function lineFields(line: PosLine, quantityMilli: number, amountKopecks: number): Block {
  const measured = line.weighed || line.unit === 'kg' ? { weight: thousandths(quantityMilli) }
    : line.unit === 'litre' ? { volume: thousandths(quantityMilli) }
      : { quantity: thousandths(quantityMilli) };
  return {
    position: line.position, ...measured, price_per_unit: rubles(line.priceKopecks), barcode: line.barcode,
    text: nonEmpty(line.name, TRASSIR_TEXT_MAX), price: rubles(amountKopecks),
  };
}

const PAYMENT_TYPE = { cash: 'POSNG_PAYMENT_CASH', card: 'POSNG_PAYMENT_CARD', sbp: 'POSNG_PAYMENT_OTHER', certificate: 'POSNG_PAYMENT_OTHER', other: 'POSNG_PAYMENT_OTHER' } as const;
const PAYMENT_TEXT = { cash: 'Наличные', card: 'Банковская карта', sbp: 'СБП', certificate: 'Сертификат', other: 'Прочее' } as const;

/** The blocks of one event: [event_type, fields] in order. */
function blocks(event: PosEvent): Array<[string, Block]> {
  switch (event.kind) {
    case 'receipt.opened': return [['POSNG_RECEIPT_OPEN', { text: `Чек ${receiptRef(event.receiptId)}` }]];
    case 'line.added': return [['POSNG_POSITION_ADD', lineFields(event.line, event.addedQuantityMilli, amountOf(event.line.priceKopecks, event.addedQuantityMilli))]];
    case 'line.voided': return [['POSNG_POSITION_CANCEL', lineFields(event.line, event.line.quantityMilli, event.line.amountKopecks)]];
    case 'line.quantityChanged': return [['POSNG_POSITION_CHANGE', {
      ...lineFields(event.line, event.line.quantityMilli, event.line.amountKopecks),
      text: `${event.line.name} (${thousandths(event.fromQuantityMilli)} → ${thousandths(event.line.quantityMilli)})`,
    }]];
    case 'discount.applied': return [['POSNG_DISCOUNT', { text: event.description, price: rubles(event.amountKopecks) }]];
    case 'card.applied': return [['POSNG_CARD', { text: `Карта ${event.cardNumber}` }]];
    case 'payment': {
      const out: Array<[string, Block]> = [[PAYMENT_TYPE[event.method], { text: PAYMENT_TEXT[event.method], price: rubles(event.amountKopecks) }]];
      if (event.changeKopecks > 0) out.push(['POSNG_RECEIPT_CHANGE', { price: rubles(event.changeKopecks) }]);
      return out;
    }
    case 'receipt.closed': return [
      ['POSNG_RECEIPT_NUMBER', { text: String(event.saleNumber) }],
      ['POSNG_RECEIPT_CLOSE', { price: rubles(event.totalKopecks) }],
    ];
    case 'receipt.cancelled': return [['POSNG_RECEIPT_CANCEL', {
      price: rubles(event.totalKopecks), text: event.authorisedBy ? `Подтвердил: ${event.authorisedBy.name}` : null,
    }]];
    case 'receipt.parked': return [['POSNG_RECEIPT_DELAY', {}]];
    case 'receipt.resumed': return [['POSNG_RECEIPT_DELAYED_RESTORE', {}]];
    case 'return.opened': return [['POSNG_RECEIPT_RETURN', { text: event.originalSaleNumber === null ? 'Возврат' : `Возврат по чеку ${event.originalSaleNumber}` }]];
    case 'return.lineAdded': return [['POSNG_POSITION_ADD', lineFields(event.line, event.line.quantityMilli, event.line.amountKopecks)]];
    case 'return.closed': return [
      ['POSNG_RECEIPT_NUMBER', { text: String(event.returnNumber) }],
      ['POSNG_RECEIPT_RETURN_CLOSE', { price: rubles(event.totalKopecks), text: PAYMENT_TEXT[event.method] }],
    ];
    case 'drawer.opened': return [['POSNG_DRAWER_OPEN', {}]];
    case 'cash.moved': return [[event.direction === 'in' ? 'POSNG_RECEIPT_PAYIN' : 'POSNG_RECEIPT_PAYOUT', { price: rubles(event.amountKopecks), text: event.comment }]];
    case 'shift.opened': return [['POSNG_SHIFT_START', { text: `Смена ${event.shiftNumber ?? ''}` }]];
    case 'shift.closed': return [['POSNG_SHIFT_END', { text: `Смена ${event.shiftNumber ?? ''}, чеков ${event.salesCount}`, price: rubles(event.salesTotalKopecks) }]];
    case 'user.loggedIn': return [[event.user.role === 'cashier' ? 'POSNG_CASHIER_LOGIN' : 'POSNG_ADMIN_LOGIN', { text: event.user.name }]];
    case 'user.loggedOut': return [[event.user.role === 'cashier' ? 'POSNG_CASHIER_LOGOUT' : 'POSNG_ADMIN_LOGOUT', { text: event.user.name }]];
    case 'supervisor.override': return [['POSNG_COMMENT', { text: `Подтверждение старшего кассира: ${event.supervisor.name} (${event.permission})` }]];
  }
}

/** The operation a block belongs to: the receipt for receipt events, the event itself otherwise. */
function operationId(event: PosEvent): string {
  return ('receiptId' in event && event.receiptId ? event.receiptId : event.id).toUpperCase();
}

export function encodeTrassir(event: PosEvent, target: SinkTarget): string {
  return encodeTrassirBlocks(event, target).join('');
}

/** One string per `<transaction>` block (a UDP sink sends each as its own datagram). */
export function encodeTrassirBlocks(event: PosEvent, target: SinkTarget): string[] {
  const t = localTime(event.at, target.timeZone);
  const who = event.kind === 'user.loggedIn' || event.kind === 'user.loggedOut' ? event.user.name : event.cashier?.name ?? '';
  return blocks(event).map(([type, f]) => {
    const all: Block = {
      event_type: type, operation_id: operationId(event), cashier: who || '-', date: `${t.day}/${t.month}/${t.year}`,
      time: `${t.hour}:${t.minute}:${t.second}`, ...f, location: target.terminalId,
    };
    const body = FIELDS.map((name) => element(name, all[name], name === 'text' ? TRASSIR_TEXT_MAX : 64)).filter(Boolean).join('\r\n');
    return `<?xml version="1.0" encoding="utf-8"?>\r\n<transaction>\r\n${body}\r\n</transaction>\r\n`;
  });
}

const NUMBER = /^-?[0-9]{1,12}(\.[0-9]{1,3})?$/;

/** The receiver's check of one block: known type, required fields, formats, no foreign fields. */
export function parseTrassir(message: string): ParsedFrame {
  let xml;
  try {
    xml = parseFlatXml(message);
  } catch (error) {
    throw new VideoFrameError(`malformed XML: ${(error as XmlFrameError).message}`);
  }
  if (xml.root !== 'transaction') throw new VideoFrameError(`root is <${xml.root}>, expected <transaction>`);
  const fields: Record<string, string> = {};
  for (const [name, value] of xml.fields) {
    if (!(FIELDS as readonly string[]).includes(name)) throw new VideoFrameError(`unknown field <${name}>`);
    if (name in fields) throw new VideoFrameError(`field <${name}> repeated`);
    fields[name] = value;
  }
  const type = fields['event_type'];
  if (!type) throw new VideoFrameError('no event_type');
  if (!(TRASSIR_EVENT_TYPES as readonly string[]).includes(type)) throw new VideoFrameError(`unknown event_type ${type.slice(0, 40)}`);
  for (const required of ['operation_id', 'cashier', 'date', 'time', 'location']) {
    if (!fields[required]) throw new VideoFrameError(`no ${required}`);
  }
  const date = /^([0-9]{2})\/([0-9]{2})\/([0-9]{4})$/.exec(fields['date']!);
  if (!date || Number(date[1]) < 1 || Number(date[1]) > 31 || Number(date[2]) < 1 || Number(date[2]) > 12) {
    throw new VideoFrameError(`date ${fields['date']!.slice(0, 20)} is not dd/mm/yyyy`);
  }
  if (!/^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$/.test(fields['time']!)) throw new VideoFrameError(`time ${fields['time']!.slice(0, 20)} is not hh:mm:ss`);
  for (const numeric of ['quantity', 'weight', 'volume', 'price_per_unit', 'price']) {
    const value = fields[numeric];
    if (value !== undefined && !NUMBER.test(value)) throw new VideoFrameError(`${numeric} "${value.slice(0, 20)}" is not a number`);
  }
  if (fields['position'] !== undefined && !/^[0-9]{1,4}$/.test(fields['position'])) throw new VideoFrameError('position is not a number');
  if (type === 'POSNG_POSITION_ADD' && (!fields['text'] || !fields['price'])) throw new VideoFrameError('POSITION_ADD without text or price');
  return { type, fields };
}

export const trassirFormat: VideoFormat = {
  protocol: 'trassir',
  encode: (event, target) => encodeTrassirBlocks(event, target).map((block) => Buffer.from(block, 'utf8')),
  framer: () => terminatedFramer('</transaction>', 'utf-8'),
  parse: parseTrassir,
};
