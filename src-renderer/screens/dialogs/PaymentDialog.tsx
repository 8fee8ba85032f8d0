import { useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Modal } from '../../components/Modal';
import { applyKeypad, NumericKeypad } from '../../components/NumericKeypad';
import { formatMoney, parseMoney } from '../../format/money';
import { reportError } from '../../state/actions';
import { useReceipt } from '../../state/receipt';
import { useSession } from '../../state/session';
import { useUi } from '../../state/ui';
import type { CardOperation, TenderRequest } from '../../../src-main/contract';
import { normaliseBuyerContact } from '../../../src-main/contract/buyer-contact';
import { OtherTenders, type InternalTender } from './OtherTenders';

/** Amounts a customer is likely to hand over: the exact sum, then round sums and banknotes above it. */
export function quickAmounts(totalKopecks: number): number[] {
  const steps = [1000, 5000, 10000, 50000, 100000, 500000]; // 10, 50, 100, 500, 1000, 5000 ₽
  const amounts = new Set<number>();
  for (const step of steps) {
    const up = Math.ceil(totalKopecks / step) * step;
    if (up > totalKopecks) amounts.add(up);
  }
  return [...amounts].sort((a, b) => a - b).slice(0, 5);
}

export function PaymentDialog() {
  const { t } = useTranslation();
  const lang = useUi((s) => s.lang);
  const closeDialog = useUi((s) => s.closeDialog);
  const openDialog = useUi((s) => s.openDialog);
  const receipt = useReceipt((s) => s.receipt);
  const [text, setText] = useState('');
  const [working, setWorking] = useState(false);
  const field = useRef<HTMLInputElement>(null);
  const [cards, setCards] = useState<CardOperation[]>([]);
  const [internals, setInternals] = useState<InternalTender[]>([]);
  // FFD 1008: an optional phone or e-mail for an electronic receipt (the lane validates it again).
  const [contact, setContact] = useState('');
  const contactValue = contact.trim() === '' ? undefined : normaliseBuyerContact(contact);
  const receiptTotal = receipt?.totals.totalKopecks ?? 0;
  const approvedCards = cards.filter((c) => c.state === 'approved');
  const paidOther = approvedCards.reduce((sum, c) => sum + c.amountKopecks, 0) + internals.reduce((sum, x) => sum + x.amountKopecks, 0);
  // What cash still has to cover: the receipt less what cards and other tenders already paid.
  const total = Math.max(0, receiptTotal - paidOther);
  const quick = useMemo(() => quickAmounts(total), [total]);

  // An empty field means "exactly the total", the most common cash payment.
  const tenderedOf = (value: string) => (value.trim() === '' ? total : parseMoney(value));
  const tendered = tenderedOf(text);
  const change = tendered !== null && tendered >= total ? tendered - total : null;
  const short = tendered !== null && tendered < total;

  const pay = async (amount: number | null) => {
    if (working || amount === null || amount < total || !receipt || contactValue === null) return;
    setWorking(true);
    try {
      const mixed = approvedCards.length > 0 || internals.length > 0;
      const tenders: TenderRequest[] = [
        ...approvedCards.map((c): TenderRequest => ({ kind: 'card', operationId: c.id })),
        ...internals.map((x): TenderRequest => ({ kind: 'internal', typeId: x.typeId, amountKopecks: x.amountKopecks, reference: x.reference })),
        ...(total > 0 ? [{ kind: 'cash', tenderedKopecks: amount } as TenderRequest] : []),
      ];
      const { sale } = mixed ? await useReceipt.getState().payMixed(tenders, contactValue) : await useReceipt.getState().payCash(amount, contactValue);
      openDialog({ kind: 'preview', sale, afterPayment: true });
      void useSession.getState().refreshShift().catch(() => undefined);
    } catch (error) {
      reportError(error);
      setWorking(false);
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    // The field itself, not the last render: keys replayed just before Enter may not be rendered yet.
    void pay(tenderedOf(field.current?.value ?? text));
  };

  return (
    <Modal title={t('payment.title')} testId="payment-dialog" onClose={closeDialog} wide>
      <form className="payment" onSubmit={submit}>
        <div className="payment-left">
          <div className="payment-total">
            <span>{t('payment.toPay')}</span>
            <strong data-testid="payment-total">{formatMoney(receiptTotal, lang)}</strong>
          </div>
          {paidOther > 0 && (
            <div className="payment-total payment-remainder">
              <span>{t('payment.remainder')}</span>
              <strong data-testid="payment-remainder">{formatMoney(total, lang)}</strong>
            </div>
          )}
          <label className="field-label" htmlFor="tendered">{t('payment.tendered')}</label>
          <input id="tendered" ref={field} className="field field-xl" inputMode="decimal" autoComplete="off" value={text} data-autofocus
            placeholder={formatMoney(total, lang)} onChange={(e) => setText(e.target.value.replace(/[^0-9.,\s]/g, ''))}
            data-testid="payment-tendered" readOnly={working} />
          <div className="quick-amounts">
            <button type="button" className="btn btn-secondary" onClick={() => void pay(total)} data-testid="payment-exact" disabled={working}>
              {t('payment.exact')}
            </button>
            {quick.map((amount) => (
              <button key={amount} type="button" className="btn btn-secondary" onClick={() => setText(String(amount / 100))}
                data-testid="payment-quick" disabled={working}>
                {formatMoney(amount, lang)}
              </button>
            ))}
          </div>
          <label className="field-label" htmlFor="buyer-contact">{t('payment.buyerContact')}</label>
          <input id="buyer-contact" className="field" autoComplete="off" maxLength={64} value={contact} readOnly={working}
            onChange={(e) => setContact(e.target.value)} aria-invalid={contactValue === null} data-testid="payment-buyer-contact" />
          {contactValue === null && <div className="pin-error" role="alert" data-testid="payment-buyer-contact-error">{t('payment.buyerContactInvalid')}</div>}
          <div className={short ? 'payment-change short' : 'payment-change'}>
            <span>{short ? t('payment.short') : t('payment.change')}</span>
            <strong data-testid="payment-change">
              {short && tendered !== null ? formatMoney(total - tendered, lang) : formatMoney(change ?? 0, lang)}
            </strong>
          </div>
        </div>
        <div className="payment-right">
          {receipt && (
            <OtherTenders receiptId={receipt.id} remainder={total} typedAmount={text.trim() === '' ? null : parseMoney(text)} cards={cards} internals={internals}
              onCardsChanged={(next) => { setCards(next); setText(''); }} onAddInternal={(x) => { setInternals((list) => [...list, x]); setText(''); }}
              working={working} setWorking={setWorking} />
          )}
          <NumericKeypad decimal testId="payment-pad" onKey={(key) => setText((v) => applyKeypad(v, key, 10))} />
          <button type="submit" className="btn btn-pay btn-xl btn-block" disabled={working} data-testid="payment-confirm">
            {working ? t('common.wait') : t('payment.confirm')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
