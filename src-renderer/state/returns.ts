// The return on screen (docs/returns.md): the original sale's lines with what may still come back, the
// lines being returned and the refund by the sale's own tenders. Like the receipt store, it only mirrors
// what the lane answered; every change goes through the lane, one operation at a time.
import { create } from 'zustand';
import type { ReturnReceipt, SaleReturn } from '../../src-main/contract';
import { call } from '../transport/pos';
import { callOverridable } from './actions';
import { useReceipt } from './receipt';
import { useSession } from './session';
import { useUi } from './ui';
import { serialQueue, trackedBy } from './one-at-a-time';

/** As for a sale: a marking-code check that takes longer than this shows a spinner. */
const CHECK_INDICATOR_DELAY_MS = 200;

interface ReturnsState {
  current: ReturnReceipt | null;
  busy: boolean;
  clear(): void;
  /** Shows a return the lane holds open (after a restart, or resumed from the parked list). */
  show(returnId: string): Promise<void>;
  /** Opens a return against a found sale; a cashier's call asks for a supervisor's PIN. */
  start(saleId: string, reason: string): Promise<void>;
  setQuantity(saleLineId: string, quantityMilli: number): Promise<void>;
  /** A marked item's code, scanned (or typed) on the return screen. */
  scan(code: string): Promise<void>;
  removeLine(lineId: string): Promise<void>;
  refundCard(purchaseOperationId: string): Promise<void>;
  /** Closes the return; cardInCash pays unrefunded card parts in cash (a supervisor's PIN). */
  close(cardInCash: boolean): Promise<SaleReturn>;
  park(): Promise<void>;
  cancel(): Promise<void>;
}

const serial = serialQueue();

export const useReturns = create<ReturnsState>((set, get) => {
  const tracked = trackedBy(serial, (busy) => set({ busy }));

  function shown(receipt: ReturnReceipt): void {
    set({ current: receipt.status === 'open' ? receipt : null });
    useUi.getState().setView(receipt.status === 'open' ? 'return' : 'sale');
  }

  /** The return left the screen (closed, parked, cancelled): back to selling, the parked list refreshed. */
  async function leave(): Promise<void> {
    set({ current: null });
    useUi.getState().setView('sale');
    await useReceipt.getState().refreshParked();
  }

  function requireCurrent(): ReturnReceipt {
    const current = get().current;
    if (!current) throw new Error('no return on screen');
    return current;
  }

  return {
    current: null,
    busy: false,

    clear: () => {
      set({ current: null });
      if (useUi.getState().view === 'return') useUi.getState().setView('sale');
    },

    show: (returnId) => tracked(async () => shown(await call('return.get', { returnId }))),

    start: (saleId, reason) => tracked(async () => {
      const receipt = await callOverridable('return.start', { saleId, reason });
      // The sale that was on screen stepped aside on the lane (parked, or dropped when empty).
      useReceipt.getState().clear();
      shown(receipt);
      await useReceipt.getState().refreshParked();
    }),

    setQuantity: (saleLineId, quantityMilli) => tracked(async () => {
      shown(await call('return.setQuantity', { returnId: requireCurrent().id, saleLineId, quantityMilli }));
    }),

    scan: (code) => tracked(async () => {
      const returnId = requireCurrent().id;
      const indicator = setTimeout(() => useUi.getState().setCheckingCode(true), CHECK_INDICATOR_DELAY_MS);
      try {
        shown(await call('return.scanCode', { returnId, code }));
      } finally {
        clearTimeout(indicator);
        useUi.getState().setCheckingCode(false);
      }
    }),

    removeLine: (lineId) => tracked(async () => {
      shown(await call('return.removeLine', { returnId: requireCurrent().id, lineId }));
    }),

    refundCard: (purchaseOperationId) => tracked(async () => {
      shown(await call('return.refundCard', { returnId: requireCurrent().id, purchaseOperationId }));
    }),

    close: (cardInCash) => tracked(async () => {
      const returnId = requireCurrent().id;
      const closed = cardInCash
        ? await callOverridable('return.close', { returnId, cardInCash: true })
        : await call('return.close', { returnId });
      await leave();
      void useSession.getState().refreshShift().catch(() => undefined);
      return closed;
    }),

    park: () => tracked(async () => {
      await call('receipt.park', { receiptId: requireCurrent().id });
      await leave();
    }),

    cancel: () => tracked(async () => {
      await call('return.cancel', { returnId: requireCurrent().id });
      await leave();
    }),
  };
});

/** Closes the return on screen and shows what to hand back; cardInCash needs a supervisor's PIN. */
export async function finishReturn(cardInCash: boolean): Promise<void> {
  const ret = await useReturns.getState().close(cardInCash);
  useUi.getState().openDialog({ kind: 'returnDone', ret });
}
