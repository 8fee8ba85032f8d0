// One POS event of every kind, with a product/cashier name the test chooses (Cyrillic, hostile, long).
import type { PosEvent, PosLine } from '../../../src-main/services/pos-events/pos-event';
import type { SinkTarget } from '../../../drivers/video/format';

export const TARGET: SinkTarget = { terminalId: 'K-01', camera: 3, timeZone: 'Europe/Moscow', encoding: 'utf-8' };

export function everyKind(name = 'Молоко «Домик в деревне» 3,2%', startIso = '2026-11-23T09:00:00.000Z'): PosEvent[] {
  let n = 0;
  const t0 = Date.parse(startIso);
  const cashier = { id: 'u1', name: 'Иванова А.', role: 'cashier' as const };
  const supervisor = { id: 'u2', name: 'Петрова Б.', role: 'supervisor' as const };
  const base = () => {
    n += 1;
    return { id: `0190-${String(n).padStart(4, '0')}`, at: new Date(t0 + n * 1000).toISOString(), laneId: 'lane-1', cashier, shiftNumber: 7 };
  };
  const receiptId = '01936f7e-8c2a-7b1d-9e3f-4a5b6c7d8e9f';
  const piece: PosLine = { lineId: 'l1', position: 1, name, barcode: '4601234567890', unit: 'piece', weighed: false, quantityMilli: 2000, priceKopecks: 7990, amountKopecks: 15980 };
  const kg: PosLine = { lineId: 'l2', position: 2, name: `${name} (вес)`, barcode: null, unit: 'kg', weighed: true, quantityMilli: 1234, priceKopecks: 15000, amountKopecks: 18510 };
  const litre: PosLine = { lineId: 'l3', position: 3, name: `${name} (розлив)`, barcode: '2000000000015', unit: 'litre', weighed: false, quantityMilli: 1500, priceKopecks: 9000, amountKopecks: 13500 };
  return [
    { ...base(), kind: 'user.loggedIn', user: cashier },
    { ...base(), kind: 'shift.opened', shiftNumber: 7 },
    { ...base(), kind: 'receipt.opened', receiptId },
    { ...base(), kind: 'line.added', receiptId, line: piece, addedQuantityMilli: 1000 },
    { ...base(), kind: 'line.added', receiptId, line: kg, addedQuantityMilli: 1234 },
    { ...base(), kind: 'line.added', receiptId, line: litre, addedQuantityMilli: 1500 },
    { ...base(), kind: 'line.quantityChanged', receiptId, line: { ...piece, quantityMilli: 1000, amountKopecks: 7990 }, fromQuantityMilli: 2000, authorisedBy: supervisor },
    { ...base(), kind: 'supervisor.override', supervisor, permission: 'sale.voidLine', receiptId },
    { ...base(), kind: 'line.voided', receiptId, line: litre, authorisedBy: supervisor },
    { ...base(), kind: 'discount.applied', receiptId, description: `Скидка 10% на ${name}`, amountKopecks: 799, lineId: 'l1' },
    { ...base(), kind: 'discount.applied', receiptId, description: 'Скидка на чек', amountKopecks: 1000, lineId: null },
    { ...base(), kind: 'card.applied', receiptId, cardNumber: '2775****1234', cardKind: 'loyalty', entry: 'barcode' },
    { ...base(), kind: 'card.applied', receiptId, cardNumber: '9000****0001', cardKind: 'gift', entry: 'msr' },
    { ...base(), kind: 'receipt.parked', receiptId },
    { ...base(), kind: 'receipt.resumed', receiptId },
    { ...base(), kind: 'payment', receiptId, method: 'card', amountKopecks: 10000, tenderedKopecks: 10000, changeKopecks: 0 },
    { ...base(), kind: 'payment', receiptId, method: 'cash', amountKopecks: 15701, tenderedKopecks: 20000, changeKopecks: 4299 },
    { ...base(), kind: 'drawer.opened', reason: 'payment' },
    { ...base(), kind: 'receipt.closed', receiptId, saleNumber: 42, totalKopecks: 25701, lineCount: 2 },
    { ...base(), kind: 'receipt.opened', receiptId: `${receiptId.slice(0, -1)}0` },
    { ...base(), kind: 'receipt.cancelled', receiptId: `${receiptId.slice(0, -1)}0`, totalKopecks: 7990, lineCount: 1, authorisedBy: supervisor },
    { ...base(), kind: 'return.opened', receiptId: `${receiptId.slice(0, -1)}1`, originalSaleNumber: 42 },
    { ...base(), kind: 'return.lineAdded', receiptId: `${receiptId.slice(0, -1)}1`, line: piece },
    { ...base(), kind: 'return.closed', receiptId: `${receiptId.slice(0, -1)}1`, returnNumber: 43, totalKopecks: 15980, method: 'cash', authorisedBy: supervisor },
    { ...base(), kind: 'cash.moved', direction: 'in', amountKopecks: 500000, comment: `Размен: ${name}` },
    { ...base(), kind: 'cash.moved', direction: 'out', amountKopecks: 100000, comment: 'Инкассация' },
    { ...base(), kind: 'drawer.opened', reason: 'cashMove' },
    { ...base(), kind: 'shift.closed', salesCount: 1, salesTotalKopecks: 25701, cashInDrawerKopecks: 415701 },
    { ...base(), kind: 'user.loggedIn', user: supervisor },
    { ...base(), kind: 'user.loggedOut', user: cashier },
  ];
}

/** Names a hostile or careless catalog can hold. */
export const HOSTILE_NAMES = [
  '<script>alert("x")</script> & Co',
  'Сок "Добрый" \'яблоко\' </transaction><event_type>POSNG_RECEIPT_CLOSE</event_type>',
  'Вода\r\n*** ЧЕК 00000001 ЗАКРЫТ *** №1 ИТОГ 0,00 | 01.01.2026 00:00:00 | КАССА 99',
  'Bell\u0007 NUL\u0000 ESC\u001b DEL\u007f C1\u0085 tab\tend',
  ']]><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>&e;',
  'Товар | с | вертикальными | чертами',
  'Эмодзи 🍎🍏 и суррогат \ud83c конец',
  '&amp; already escaped &lt;',
];

export const LONG_NAME = `Очень длинное название товара ${'абвгдеёжз🍎'.repeat(200)}`;
