import { useUi } from '../../state/ui';
import { MarkingRefusedDialog } from './MarkingRefusedDialog';
import { PaymentDialog } from './PaymentDialog';
import { ReceiptPreview } from './ReceiptPreview';
import { CashMoveDialog, CloseShiftDialog, ParkedDialog, QuantityDialog } from './SmallDialogs';
import { ReturnDoneDialog } from '../returns/ReturnDoneDialog';
import { ReturnSearchDialog } from '../returns/ReturnSearchDialog';

/** The one open dialog, if any. */
export function Dialogs() {
  const dialog = useUi((s) => s.dialog);
  if (!dialog) return null;
  switch (dialog.kind) {
    case 'payment': return <PaymentDialog />;
    case 'preview': return <ReceiptPreview sale={dialog.sale} afterPayment={dialog.afterPayment} />;
    case 'parked': return <ParkedDialog />;
    case 'quantity': return <QuantityDialog />;
    case 'cashMove': return <CashMoveDialog direction={dialog.direction} />;
    case 'closeShift': return <CloseShiftDialog />;
    case 'markingRefused': return <MarkingRefusedDialog text={dialog.text} />;
    case 'returnSearch': return <ReturnSearchDialog />;
    case 'returnDone': return <ReturnDoneDialog ret={dialog.ret} />;
  }
}
