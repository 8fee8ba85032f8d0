// Finding the sale the buyer brings back: by the receipt number, the ФД or ФП printed on it, or the day.
// The lane looks at its own sales first, then asks the head office. A return without a receipt is not
// made at the till (the dialog says so when nothing is found).
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { FoundSale, ReturnSearch } from '../../../src-main/contract';
import { Modal } from '../../components/Modal';
import { formatMoney, formatQuantity, formatTime } from '../../format/money';
import { attempt } from '../../state/actions';
import { useReturns } from '../../state/returns';
import { useUi } from '../../state/ui';
import { call } from '../../transport/pos';
import './returns.css';

type HeadOffice = 'notConfigured' | 'asked' | 'unreachable';

/** The day picked in the dialog as the lane's local day, in ISO instants. */
function dayRange(day: string): Pick<ReturnSearch, 'closedFrom' | 'closedTo'> {
  const from = new Date(`${day}T00:00:00`);
  const to = new Date(from.getTime());
  to.setDate(to.getDate() + 1);
  return { closedFrom: from.toISOString(), closedTo: to.toISOString() };
}

export function ReturnSearchDialog() {
  const { t } = useTranslation();
  const closeDialog = useUi((s) => s.closeDialog);
  const [number, setNumber] = useState('');
  const [fd, setFd] = useState('');
  const [fp, setFp] = useState('');
  const [day, setDay] = useState('');
  const [reason, setReason] = useState('');
  const [found, setFound] = useState<{ sales: FoundSale[]; headOffice: HeadOffice } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const search = (event: FormEvent) => {
    event.preventDefault();
    const query: ReturnSearch = {
      ...(/^\d+$/.test(number.trim()) ? { saleNumber: Number(number.trim()) } : {}),
      ...(/^\d+$/.test(fd.trim()) ? { fdNumber: Number(fd.trim()) } : {}),
      ...(/^\d{1,10}$/.test(fp.trim()) ? { fiscalSign: fp.trim() } : {}),
      ...(day ? dayRange(day) : {}),
    };
    if (Object.keys(query).length === 0) {
      setError(t('returns.searchEmpty'));
      return;
    }
    setError(null);
    setFound(null);
    void attempt(async () => setFound(await call('return.search', query)));
  };
  const start = (saleId: string) => void attempt(async () => {
    await useReturns.getState().start(saleId, reason.trim());
    closeDialog();
  });

  return (
    <Modal title={t('returns.searchTitle')} testId="return-search" onClose={closeDialog} wide>
      <form className="return-search-form" onSubmit={search}>
        <label className="field-label" htmlFor="return-number">{t('returns.saleNumber')}</label>
        <input id="return-number" className="field" inputMode="numeric" autoComplete="off" value={number} onChange={(e) => setNumber(e.target.value)} data-testid="return-search-number" />
        <label className="field-label" htmlFor="return-fd">{t('returns.fdNumber')}</label>
        <input id="return-fd" className="field" inputMode="numeric" autoComplete="off" value={fd} onChange={(e) => setFd(e.target.value)} data-testid="return-search-fd" />
        <label className="field-label" htmlFor="return-fp">{t('returns.fiscalSign')}</label>
        <input id="return-fp" className="field" inputMode="numeric" autoComplete="off" value={fp} onChange={(e) => setFp(e.target.value)} data-testid="return-search-fp" />
        <label className="field-label" htmlFor="return-day">{t('returns.day')}</label>
        <input id="return-day" className="field" type="date" value={day} onChange={(e) => setDay(e.target.value)} data-testid="return-search-day" />
        <label className="field-label" htmlFor="return-reason">{t('returns.reason')}</label>
        <input id="return-reason" className="field" maxLength={200} autoComplete="off" value={reason} onChange={(e) => setReason(e.target.value)} data-testid="return-reason" />
        <div className="pin-error" role="alert" data-testid="return-search-error">{error ?? ''}</div>
        <button type="submit" className="btn btn-primary btn-block" data-testid="return-search-submit">{t('returns.find')}</button>
      </form>
      <p className="return-note">{t('returns.noReceiptNote')}</p>
      {found?.headOffice === 'unreachable' && <p className="return-warning" data-testid="return-hq-unreachable">{t('returns.headOfficeUnreachable')}</p>}
      {found && (
        <ul className="return-found" data-testid="return-found">
          {found.sales.map((s) => <FoundSaleItem key={s.saleId} sale={s} onStart={() => start(s.saleId)} />)}
        </ul>
      )}
    </Modal>
  );
}

function FoundSaleItem({ sale, onStart }: { sale: FoundSale; onStart(): void }) {
  const { t, i18n } = useTranslation();
  const lang = useUi((s) => s.lang);
  return (
    <li className="return-found-item" data-testid="return-found-sale">
      <div className="return-found-head">
        <strong>{t('returns.saleShort', { number: sale.number })}</strong>
        <span>{formatTime(sale.closedAt, lang)}</span>
        <span>{sale.laneName ? t('returns.otherLane', { lane: sale.laneName }) : t('returns.thisLane')}</span>
        {sale.fiscalDocument && <span>{t('returns.fdFp', { fd: sale.fiscalDocument.fdNumber, fp: sale.fiscalDocument.fiscalSign })}</span>}
        <strong>{formatMoney(sale.totalKopecks, lang)}</strong>
      </div>
      <ul className="return-found-lines">
        {sale.lines.map((l) => (
          <li key={l.lineId}>
            {l.name} — {formatQuantity(l.quantityMilli, l.weighed, lang)} {t(`unit.${l.unit}`)}
            {l.returnedMilli > 0 && ` (${t('returns.alreadyBack', { quantity: formatQuantity(l.returnedMilli, l.weighed, lang) })})`}
          </li>
        ))}
      </ul>
      {sale.refusal
        ? <p className="return-warning" data-testid="return-refusal">{i18n.language === 'en' ? sale.refusal.en : sale.refusal.ru}</p>
        : <button type="button" className="btn btn-primary" onClick={onStart} data-testid="return-start">{t('returns.start')}</button>}
    </li>
  );
}
