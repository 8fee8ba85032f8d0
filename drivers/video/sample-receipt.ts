// The "send test receipt" button's receipt: an obviously fake sale (cashier "ТЕСТ", sale number 0,
// receipt reference 00007E57) with a piece line, a weighed line, a cash payment with change.
import type { PosEvent } from '../../src-main/services/pos-events/pos-event';

export const TEST_RECEIPT_ID = '00000000-0000-7000-8000-000000007e57';

export function sampleReceiptEvents(atIso: string, laneId: string): PosEvent[] {
  const t0 = Date.parse(atIso);
  const at = (s: number) => new Date(t0 + s * 1000).toISOString();
  const cashier = { id: 'test', name: 'ТЕСТ', role: 'cashier' as const };
  const base = (n: number, s: number) => ({ id: `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`, at: at(s), laneId, cashier, shiftNumber: 0, receiptId: TEST_RECEIPT_ID });
  const milk = { lineId: 'test-1', position: 1, name: 'ТЕСТ Молоко 3,2% 1 л', barcode: '4600000000017', unit: 'piece' as const, weighed: false, quantityMilli: 2000, priceKopecks: 7990, amountKopecks: 15980 };
  const apples = { lineId: 'test-2', position: 2, name: 'ТЕСТ Яблоки весовые', barcode: null, unit: 'kg' as const, weighed: true, quantityMilli: 512, priceKopecks: 14990, amountKopecks: 7675 };
  return [
    { ...base(1, 0), kind: 'receipt.opened' },
    { ...base(2, 1), kind: 'line.added', line: milk, addedQuantityMilli: 2000 },
    { ...base(3, 2), kind: 'line.added', line: apples, addedQuantityMilli: 512 },
    { ...base(4, 3), kind: 'payment', method: 'cash', amountKopecks: 23655, tenderedKopecks: 30000, changeKopecks: 6345 },
    { ...base(5, 3), kind: 'drawer.opened', reason: 'payment' },
    { ...base(6, 4), kind: 'receipt.closed', saleNumber: 0, totalKopecks: 23655, lineCount: 2 },
  ];
}
