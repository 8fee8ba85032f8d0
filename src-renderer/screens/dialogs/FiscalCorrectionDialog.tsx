// A correction receipt (чек коррекции) for a supervisor: sign, own initiative or by order, the basis (date
// and order number), the cash and electronic sums and one VAT rate with its sum. Checked here for the
// obvious mistakes; the lane validates again (contract) and the fiscal service queues it as a job.
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { FiscalCorrectionRequestInput } from '../../../src-main/contract/fiscal-correction';
import { Modal } from '../../components/Modal';
import { formatMoney, parseMoney } from '../../format/money';
import { attempt, callOverridable } from '../../state/actions';
import { useUi } from '../../state/ui';

type VatKey = 'vat22' | 'vat10' | 'vat22_122' | 'vat10_110' | 'vat0' | 'none';
const VAT_KEYS: VatKey[] = ['vat22', 'vat10', 'vat22_122', 'vat10_110', 'vat0', 'none'];

/** The VAT in a total at a rate, rounded half up: what the form suggests when the sum is left empty. */
function vatIn(totalKopecks: number, rate: VatKey): number {
  if (rate === 'vat22' || rate === 'vat22_122') return Math.floor((totalKopecks * 22 + 61) / 122);
  if (rate === 'vat10' || rate === 'vat10_110') return Math.floor((totalKopecks * 10 + 55) / 110);
  return 0;
}

export function FiscalCorrectionDialog({ onClose, onQueued }: { onClose: () => void; onQueued: () => void }) {
  const { t } = useTranslation();
  const lang = useUi((s) => s.lang);
  const [sign, setSign] = useState<'sale' | 'purchase'>('sale');
  const [type, setType] = useState<'self' | 'ordered'>('self');
  const [basisDate, setBasisDate] = useState('');
  const [orderNumber, setOrderNumber] = useState('');
  const [cash, setCash] = useState('');
  const [electronic, setElectronic] = useState('');
  const [vatRate, setVatRate] = useState<VatKey>('vat22');
  const [vatSum, setVatSum] = useState('');
  const [error, setError] = useState<string | null>(null);

  const cashKopecks = cash.trim() === '' ? 0 : parseMoney(cash);
  const electronicKopecks = electronic.trim() === '' ? 0 : parseMoney(electronic);
  const total = cashKopecks !== null && electronicKopecks !== null ? cashKopecks + electronicKopecks : null;
  const suggestedVat = total !== null ? vatIn(total, vatRate) : 0;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(basisDate)) { setError(t('register.correction.invalidDate')); return; }
    if (type === 'ordered' && orderNumber.trim() === '') { setError(t('register.correction.invalidOrder')); return; }
    if (total === null || total <= 0) { setError(t('register.correction.invalidSum')); return; }
    const vat = vatSum.trim() === '' ? suggestedVat : parseMoney(vatSum);
    if (vat === null || vat > total) { setError(t('register.correction.invalidVat')); return; }
    const request: FiscalCorrectionRequestInput = {
      sign, correctionType: type, basisDate, totalKopecks: total,
      ...(orderNumber.trim() ? { orderNumber: orderNumber.trim() } : {}),
      payments: { cashKopecks: cashKopecks ?? 0, electronicKopecks: electronicKopecks ?? 0 },
      vat: { [vatRate]: vat },
    };
    void attempt(async () => {
      await callOverridable('fiscal.correction', request);
      useUi.getState().toast('info', { key: 'register.correction.queued' });
      onQueued();
      onClose();
    });
  };

  const field = (id: string, label: string, input: ReactNode) => (
    <>
      <label className="field-label" htmlFor={id}>{label}</label>
      {input}
    </>
  );
  return (
    <Modal title={t('register.correction.title')} testId="correction-dialog" onClose={onClose} wide>
      <form onSubmit={submit} className="stack">
        {field('correction-sign', t('register.correction.sign'),
          <select id="correction-sign" className="field" value={sign} onChange={(e) => setSign(e.target.value as 'sale' | 'purchase')} data-testid="correction-sign">
            <option value="sale">{t('register.correction.sale')}</option>
            <option value="purchase">{t('register.correction.purchase')}</option>
          </select>)}
        {field('correction-type', t('register.correction.type'),
          <select id="correction-type" className="field" value={type} onChange={(e) => { setError(null); setType(e.target.value as 'self' | 'ordered'); }} data-testid="correction-type">
            <option value="self">{t('register.correction.self')}</option>
            <option value="ordered">{t('register.correction.ordered')}</option>
          </select>)}
        {field('correction-date', t('register.correction.basisDate'),
          <input id="correction-date" type="date" className="field" value={basisDate} onChange={(e) => { setError(null); setBasisDate(e.target.value); }} data-testid="correction-date" />)}
        {field('correction-order', t('register.correction.orderNumber'),
          <input id="correction-order" className="field" maxLength={32} value={orderNumber} onChange={(e) => { setError(null); setOrderNumber(e.target.value); }} data-testid="correction-order" />)}
        {field('correction-cash', t('register.correction.cash'),
          <input id="correction-cash" className="field" inputMode="decimal" autoComplete="off" value={cash}
            onChange={(e) => { setError(null); setCash(e.target.value.replace(/[^0-9.,\s]/g, '')); }} data-testid="correction-cash" />)}
        {field('correction-electronic', t('register.correction.electronic'),
          <input id="correction-electronic" className="field" inputMode="decimal" autoComplete="off" value={electronic}
            onChange={(e) => { setError(null); setElectronic(e.target.value.replace(/[^0-9.,\s]/g, '')); }} data-testid="correction-electronic" />)}
        <p className="dialog-subject" data-testid="correction-total">{t('register.correction.total', { total: total !== null ? formatMoney(total, lang) : '—' })}</p>
        {field('correction-vat-rate', t('register.correction.vatRate'),
          <select id="correction-vat-rate" className="field" value={vatRate} onChange={(e) => setVatRate(e.target.value as VatKey)} data-testid="correction-vat-rate">
            {VAT_KEYS.map((k) => <option key={k} value={k}>{t(`register.correction.${k}`)}</option>)}
          </select>)}
        {field('correction-vat-sum', t('register.correction.vatSum'),
          <input id="correction-vat-sum" className="field" inputMode="decimal" autoComplete="off" value={vatSum}
            placeholder={formatMoney(suggestedVat, lang)}
            onChange={(e) => { setError(null); setVatSum(e.target.value.replace(/[^0-9.,\s]/g, '')); }} data-testid="correction-vat-sum" />)}
        <div className="pin-error" role="alert" data-testid="correction-error">{error ?? ''}</div>
        <button type="submit" className="btn btn-primary btn-block" data-testid="correction-submit">{t('register.correction.submit')}</button>
      </form>
    </Modal>
  );
}
