// What the cashier can do from a hotkey or a function button: one implementation for both.
import { attempt } from '../state/actions';
import { useReceipt } from '../state/receipt';
import { finishReturn, useReturns } from '../state/returns';
import { useSession } from '../state/session';
import { useUi } from '../state/ui';
import type { HotkeyAction } from './hotkeys';

export function focusTestId(testId: string): void {
  const element = document.querySelector<HTMLElement>(`[data-testid="${testId}"]`);
  element?.focus();
  if (element instanceof HTMLInputElement) element.select();
}

function onSale(): boolean {
  const ui = useUi.getState();
  return ui.view === 'sale' && useSession.getState().shift !== null;
}

export function runCommand(action: HotkeyAction): void {
  const ui = useUi.getState();
  const receipt = useReceipt.getState();
  switch (action) {
    case 'close':
      if (ui.dialog) ui.closeDialog();
      else if (document.activeElement instanceof HTMLInputElement) document.activeElement.blur();
      // The return screen stays until the return is closed, parked or cancelled.
      else if (ui.view !== 'sale' && ui.view !== 'return') ui.setView(useReturns.getState().current ? 'return' : 'sale');
      return;
    case 'search':
      ui.setView('sale');
      requestAnimationFrame(() => focusTestId('search-input'));
      return;
    case 'barcode':
      ui.setView('sale');
      requestAnimationFrame(() => focusTestId('barcode-input'));
      return;
    case 'sale':
      // A return on the lane stays on screen until it is closed, parked or cancelled.
      ui.setView(useReturns.getState().current ? 'return' : 'sale');
      return;
    case 'return':
      if (!onSale() && ui.view !== 'return') return;
      if (useReturns.getState().current) ui.setView('return');
      else ui.openDialog({ kind: 'returnSearch' });
      return;
    case 'journal':
      ui.setView('journal');
      return;
    case 'shift':
      ui.setView('shift');
      return;
    case 'lock':
      void attempt(() => useSession.getState().lock());
      return;
    case 'parked':
      if (!onSale()) return;
      void attempt(async () => {
        await receipt.refreshParked();
        useUi.getState().openDialog({ kind: 'parked' });
      });
      return;
    case 'park':
      if (ui.view === 'return' && useReturns.getState().current) {
        void attempt(() => useReturns.getState().park());
        return;
      }
      if (!onSale()) return;
      if (!receipt.receipt || receipt.receipt.lines.length === 0) {
        ui.toast('info', { key: 'sale.nothingToPark' });
        return;
      }
      void attempt(() => receipt.park());
      return;
    case 'pay':
      if (ui.view === 'return' && useReturns.getState().current) {
        void attempt(() => finishReturn(false));
        return;
      }
      if (!onSale()) return;
      if (!receipt.receipt || receipt.receipt.totals.totalKopecks <= 0) {
        ui.toast('info', { key: 'sale.nothingToPay' });
        return;
      }
      ui.openDialog({ kind: 'payment' });
      return;
    case 'payCashExact': {
      if (!onSale()) return;
      const total = receipt.receipt?.totals.totalKopecks ?? 0;
      if (total <= 0) {
        ui.toast('info', { key: 'sale.nothingToPay' });
        return;
      }
      void attempt(async () => {
        const { sale } = await receipt.payCash(total);
        useUi.getState().openDialog({ kind: 'preview', sale, afterPayment: true });
        void useSession.getState().refreshShift().catch(() => undefined);
      });
      return;
    }
    case 'quantity': {
      if (!onSale()) return;
      const line = receipt.receipt?.lines.find((l) => l.id === receipt.selectedLineId);
      if (line && !line.voided) ui.openDialog({ kind: 'quantity' });
      return;
    }
    case 'voidLine':
      if (!onSale()) return;
      void attempt(() => receipt.voidSelected());
      return;
    case 'quantityPlus':
      if (onSale()) void attempt(() => receipt.changeSelectedQuantity(1));
      return;
    case 'quantityMinus':
      if (onSale()) void attempt(() => receipt.changeSelectedQuantity(-1));
      return;
    case 'lineUp':
      if (onSale()) receipt.moveSelection(-1);
      return;
    case 'lineDown':
      if (onSale()) receipt.moveSelection(1);
      return;
  }
}
