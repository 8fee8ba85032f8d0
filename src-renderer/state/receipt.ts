// The receipt being sold, the selected line and the parked receipts. Every change goes through the
// lane (the main process owns the receipt); this store only mirrors what the lane answered.
import { create } from 'zustand';
import type { Receipt, ReceiptSummary, Sale, TenderRequest } from '../../src-main/contract';
import { call } from '../transport/pos';
import { callOverridable } from './actions';
import { useReturns } from './returns';
import { useUi } from './ui';
import { serialQueue, trackedBy } from './one-at-a-time';
import { reuseEqual } from './share-equal';

/** The rule: a check that takes longer than this shows a spinner. */
const CHECK_INDICATOR_DELAY_MS = 200;

export type ScanSource = 'wedge' | 'manual' | 'scanner' | 'quickKey';

interface ReceiptState {
  receipt: Receipt | null;
  selectedLineId: string | null;
  parked: ReceiptSummary[];
  /** An operation is on its way to the lane (the UI shows it; input keeps queueing). */
  busy: boolean;
  clear(): void;
  load(): Promise<void>;
  refreshParked(): Promise<void>;
  scan(code: string, source: ScanSource): Promise<void>;
  addProduct(productId: string): Promise<void>;
  /** A weighed product with the weight the lane's scale reads now (the lane reads it, not the UI). */
  addWeighed(productId: string): Promise<void>;
  setQuantity(lineId: string, quantityMilli: number): Promise<void>;
  changeSelectedQuantity(deltaUnits: number): Promise<void>;
  voidSelected(): Promise<void>;
  park(): Promise<void>;
  resume(receiptId: string): Promise<void>;
  payCash(tenderedKopecks: number, buyerContact?: string): Promise<{ sale: Sale; changeKopecks: number }>;
  /** Closes the receipt with a mix of tenders (cards already approved, internal types, cash last). */
  payMixed(tenders: TenderRequest[], buyerContact?: string): Promise<{ sale: Sale; changeKopecks: number }>;
  select(lineId: string | null): void;
  moveSelection(delta: number): void;
  /** A receipt.changed event from the lane. */
  applyEvent(receipt: Receipt): void;
}

// Receipt operations run one at a time, in the order the cashier made them: two fast scans must
// not both open a new receipt, and the lines must appear in scan order.
const serial = serialQueue();

/** The line a change touched: a new line, or one whose quantity or state changed. */
function changedLineId(before: Receipt | null, after: Receipt): string | null {
  const old = new Map((before?.id === after.id ? before.lines : []).map((l) => [l.id, l]));
  for (let i = after.lines.length - 1; i >= 0; i--) {
    const line = after.lines[i]!;
    const prev = old.get(line.id);
    if (!prev || prev.quantityMilli !== line.quantityMilli || prev.voided !== line.voided) return line.id;
  }
  return null;
}

export const useReceipt = create<ReceiptState>((set, get) => {
  function show(receipt: Receipt | null): void {
    if (!receipt || receipt.status !== 'open') {
      set({ receipt: null, selectedLineId: null });
      return;
    }
    const before = get().receipt;
    // The answer to a scan repeats the receipt.changed event that came just before it: unchanged parts
    // keep their objects, so it renders nothing, and a new line renders only its own row.
    const shared = before?.id === receipt.id ? reuseEqual(before, receipt) : receipt;
    if (shared === before) return;
    const changed = changedLineId(before, shared);
    const keep = get().selectedLineId;
    const selected = changed ?? (shared.lines.some((l) => l.id === keep) ? keep : shared.lines.at(-1)?.id ?? null);
    set({ receipt: shared, selectedLineId: selected });
  }

  async function ensureOpen(): Promise<Receipt> {
    const current = get().receipt;
    if (current && current.status === 'open') return current;
    const opened = await call('receipt.open', {});
    show(opened);
    return opened;
  }

  const tracked = trackedBy(serial, (busy) => set({ busy }));

  return {
    receipt: null,
    selectedLineId: null,
    parked: [],
    busy: false,

    clear: () => set({ receipt: null, selectedLineId: null, parked: [] }),

    load: () => tracked(async () => {
      const { receipts } = await call('receipt.list', {});
      const open = receipts.find((r) => r.status === 'open');
      set({ parked: receipts.filter((r) => r.status === 'parked') });
      // A return on screen (after a reload or a restart) has its own screen.
      if (open?.kind === 'return') {
        show(null);
        await useReturns.getState().show(open.id);
        return;
      }
      show(open ? await call('receipt.get', { receiptId: open.id }) : null);
    }),

    refreshParked: async () => {
      const { receipts } = await call('receipt.list', {});
      set({ parked: receipts.filter((r) => r.status === 'parked') });
    },

    scan: (code, source) => tracked(async () => {
      const receipt = await ensureOpen();
      // A marking code is checked online before its line appears; a quick answer shows no indicator.
      const indicator = setTimeout(() => useUi.getState().setCheckingCode(true), CHECK_INDICATOR_DELAY_MS);
      try {
        show(await call('receipt.scan', { receiptId: receipt.id, code, source }));
      } finally {
        clearTimeout(indicator);
        useUi.getState().setCheckingCode(false);
      }
    }),

    addProduct: (productId) => tracked(async () => {
      const receipt = await ensureOpen();
      show(await call('receipt.addProduct', { receiptId: receipt.id, productId }));
    }),

    addWeighed: (productId) => tracked(async () => {
      const receipt = await ensureOpen();
      show(await call('receipt.addWeighed', { receiptId: receipt.id, productId }));
    }),

    setQuantity: (lineId, quantityMilli) => tracked(async () => {
      const receipt = get().receipt;
      if (!receipt) return;
      show(await callOverridable('receipt.setQuantity', { receiptId: receipt.id, lineId, quantityMilli }));
    }),

    changeSelectedQuantity: async (deltaUnits) => {
      const { receipt, selectedLineId } = get();
      const line = receipt?.lines.find((l) => l.id === selectedLineId);
      if (!receipt || !line || line.voided || line.weighed) return;
      const next = line.quantityMilli + deltaUnits * 1000;
      if (next < 1000) return; // below one piece is a void, which has its own key
      await get().setQuantity(line.id, next);
    },

    voidSelected: () => tracked(async () => {
      const { receipt, selectedLineId } = get();
      const line = receipt?.lines.find((l) => l.id === selectedLineId);
      if (!receipt || !line || line.voided) return;
      show(await callOverridable('receipt.voidLine', { receiptId: receipt.id, lineId: line.id }));
    }),

    park: () => tracked(async () => {
      const receipt = get().receipt;
      if (!receipt || receipt.lines.length === 0) return;
      const { receipts } = await call('receipt.park', { receiptId: receipt.id });
      set({ receipt: null, selectedLineId: null, parked: receipts.filter((r) => r.status === 'parked') });
    }),

    resume: (receiptId) => tracked(async () => {
      const current = get().receipt;
      if (current && current.id !== receiptId) {
        // The receipt in progress is not lost: with lines it is parked, empty it is dropped.
        if (current.lines.length > 0) await call('receipt.park', { receiptId: current.id });
        else await call('receipt.cancel', { receiptId: current.id });
        set({ receipt: null, selectedLineId: null });
      }
      const isReturn = get().parked.find((r) => r.id === receiptId)?.kind === 'return';
      const resumed = await call('receipt.resume', { receiptId });
      if (isReturn) {
        // A parked return carries on on its own screen.
        const { receipts } = await call('receipt.list', {});
        set({ parked: receipts.filter((r) => r.status === 'parked') });
        await useReturns.getState().show(receiptId);
        return;
      }
      show(resumed);
      const { receipts } = await call('receipt.list', {});
      set({ parked: receipts.filter((r) => r.status === 'parked'), selectedLineId: resumed.lines.at(-1)?.id ?? null });
    }),

    payCash: (tenderedKopecks, buyerContact) => tracked(async () => {
      const receipt = get().receipt;
      if (!receipt) throw new Error('no receipt to pay');
      const paid = await call('receipt.payCash', { receiptId: receipt.id, tenderedKopecks, ...(buyerContact ? { buyerContact } : {}) });
      set({ receipt: null, selectedLineId: null });
      return paid;
    }),

    payMixed: (tenders, buyerContact) => tracked(async () => {
      const receipt = get().receipt;
      if (!receipt) throw new Error('no receipt to pay');
      const paid = await call('receipt.payMixed', { receiptId: receipt.id, tenders, ...(buyerContact ? { buyerContact } : {}) });
      const sale = await call('sales.get', { saleId: paid.saleId });
      set({ receipt: null, selectedLineId: null });
      return { sale, changeKopecks: paid.changeKopecks };
    }),

    select: (lineId) => set({ selectedLineId: lineId }),

    moveSelection: (delta) => {
      const { receipt, selectedLineId } = get();
      if (!receipt || receipt.lines.length === 0) return;
      const index = receipt.lines.findIndex((l) => l.id === selectedLineId);
      const next = Math.min(receipt.lines.length - 1, Math.max(0, (index < 0 ? receipt.lines.length : index) + delta));
      set({ selectedLineId: receipt.lines[next]!.id });
    },

    applyEvent: (receipt) => {
      const current = get().receipt;
      if (current && current.id === receipt.id) show(receipt);
    },
  };
});
