import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Modal } from '../../components/Modal';
import { applyKeypad, NumericKeypad } from '../../components/NumericKeypad';
import { ParkedList } from '../../components/panels/ParkedPanel';
import { formatMoney, formatQuantity, parseMoney, parseQuantity } from '../../format/money';
import { attempt } from '../../state/actions';
import { useReceipt } from '../../state/receipt';
import { useSession } from '../../state/session';
import { useUi } from '../../state/ui';
import { call } from '../../transport/pos';

export function ParkedDialog() {
  const { t } = useTranslation();
  const closeDialog = useUi((s) => s.closeDialog);
  const parked = useReceipt((s) => s.parked);
  const receipt = useReceipt((s) => s.receipt);
  const resume = (id: string) => void attempt(async () => {
    closeDialog();
    await useReceipt.getState().resume(id);
  });
  return (
    <Modal title={t('parked.title')} testId="parked-dialog" onClose={closeDialog} wide>
      <ParkedList receipts={parked} onResume={resume} />
      {receipt && receipt.lines.length > 0 && (
        <button type="button" className="btn btn-secondary btn-block" data-testid="parked-park-current"
          onClick={() => void attempt(async () => { await useReceipt.getState().park(); })}>
          {t('parked.parkCurrent')}
        </button>
      )}
    </Modal>
  );
}

export function QuantityDialog() {
  const { t } = useTranslation();
  const lang = useUi((s) => s.lang);
  const closeDialog = useUi((s) => s.closeDialog);
  const line = useReceipt((s) => s.receipt?.lines.find((l) => l.id === s.selectedLineId));
  const [text, setText] = useState(() => (line ? formatQuantity(line.quantityMilli, line.weighed, lang) : ''));
  const [error, setError] = useState<string | null>(null);
  const field = useRef<HTMLInputElement>(null);
  if (!line) return null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const quantity = parseQuantity(field.current?.value ?? text);
    if (quantity === null || (!line.weighed && quantity % 1000 !== 0 && line.unit === 'piece')) {
      setError(t('quantity.invalid'));
      return;
    }
    closeDialog();
    void attempt(() => useReceipt.getState().setQuantity(line.id, quantity));
  };
  return (
    <Modal title={t('quantity.title')} testId="quantity-dialog" onClose={closeDialog}>
      <form onSubmit={submit} className="stack">
        <p className="dialog-subject">{line.name} · {formatMoney(line.priceKopecks, lang)}</p>
        <label className="field-label" htmlFor="quantity">{t('quantity.label', { unit: t(`unit.${line.unit}`) })}</label>
        <input id="quantity" ref={field} className="field field-xl" inputMode="decimal" autoComplete="off" value={text}
          onChange={(e) => { setError(null); setText(e.target.value); }} onFocus={(e) => e.target.select()} data-testid="quantity-input" />
        <div className="pin-error" role="alert">{error ?? ''}</div>
        <NumericKeypad decimal={line.unit !== 'piece'} testId="quantity-pad" onKey={(key) => setText((v) => applyKeypad(v, key, 9))} />
        <button type="submit" className="btn btn-primary btn-block" data-testid="quantity-confirm">{t('common.ok')}</button>
      </form>
    </Modal>
  );
}

export function CashMoveDialog({ direction }: { direction: 'in' | 'out' }) {
  const { t } = useTranslation();
  const closeDialog = useUi((s) => s.closeDialog);
  const [text, setText] = useState('');
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  const field = useRef<HTMLInputElement>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const amount = parseMoney(field.current?.value ?? text);
    if (amount === null || amount <= 0) {
      setError(t('cash.invalid'));
      return;
    }
    void attempt(async () => {
      const summary = await call('cash.move', { direction, amountKopecks: amount, comment: comment.trim() });
      useSession.getState().setSummary(summary);
      closeDialog();
      useUi.getState().toast('info', { key: direction === 'in' ? 'cash.doneIn' : 'cash.doneOut' });
    });
  };
  return (
    <Modal title={t(direction === 'in' ? 'cash.inTitle' : 'cash.outTitle')} testId="cash-dialog" onClose={closeDialog}>
      <form onSubmit={submit} className="stack">
        <label className="field-label" htmlFor="cash-amount">{t('cash.amount')}</label>
        <input id="cash-amount" ref={field} className="field field-xl" inputMode="decimal" autoComplete="off" value={text}
          onChange={(e) => { setError(null); setText(e.target.value.replace(/[^0-9.,\s]/g, '')); }} data-testid="cash-amount" />
        <label className="field-label" htmlFor="cash-comment">{t('cash.comment')}</label>
        <input id="cash-comment" className="field" maxLength={200} value={comment} onChange={(e) => setComment(e.target.value)} data-testid="cash-comment" />
        <div className="pin-error" role="alert">{error ?? ''}</div>
        <NumericKeypad decimal testId="cash-pad" onKey={(key) => setText((v) => applyKeypad(v, key, 10))} />
        <button type="submit" className="btn btn-primary btn-block" data-testid="cash-confirm">{t('common.ok')}</button>
      </form>
    </Modal>
  );
}

export function CloseShiftDialog() {
  const { t } = useTranslation();
  const closeDialog = useUi((s) => s.closeDialog);
  const summary = useSession((s) => s.summary);
  const lang = useUi((s) => s.lang);
  const close = () => void attempt(async () => {
    await useSession.getState().closeShift();
    closeDialog();
  });
  return (
    <Modal title={t('shift.closeTitle')} testId="close-shift-dialog" onClose={closeDialog}
      footer={
        <>
          <button type="button" className="btn btn-secondary" onClick={closeDialog}>{t('common.cancel')}</button>
          <button type="button" className="btn btn-danger" onClick={close} data-testid="close-shift-confirm" data-autofocus>{t('shift.close')}</button>
        </>
      }>
      <p>{t('shift.closeQuestion')}</p>
      {summary && <p className="dialog-subject">{t('shift.inDrawer')}: {formatMoney(summary.cashInDrawerKopecks, lang)}</p>}
    </Modal>
  );
}
