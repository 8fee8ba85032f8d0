// The return on screen: the original sale's lines on the left (how much may still come back; a marked
// line only by scanning its code), the lines being returned and the refund on the right.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReturnableLine, ReturnLine } from '../../../src-main/contract';
import { formatMoney, formatQuantity, formatTime, parseQuantity } from '../../format/money';
import { attempt } from '../../state/actions';
import { useReturns } from '../../state/returns';
import { useUi } from '../../state/ui';
import { RefundPanel } from './RefundPanel';
import './returns.css';

export function ReturnScreen() {
  const { t } = useTranslation();
  const lang = useUi((s) => s.lang);
  const current = useReturns((s) => s.current);
  const checkingCode = useUi((s) => s.checkingCode);
  if (!current) return null;
  const { sale } = current;
  return (
    <main className="return-screen" data-testid="return-screen">
      <section className="panel return-sale" data-testid="return-sale">
        <header className="return-head">
          <h2 data-testid="return-title">{t('returns.title', { number: sale.number, date: formatTime(sale.closedAt, lang) })}</h2>
          {sale.laneName && <p className="return-note">{t('returns.otherLane', { lane: sale.laneName })}</p>}
          {current.reason && <p className="return-note">{t('returns.reasonShown', { reason: current.reason })}</p>}
        </header>
        <div className="return-table" role="table">
          <div className="return-row return-row-head" role="row">
            <span>{t('lines.name')}</span><span>{t('returns.sold')}</span><span>{t('returns.returned')}</span><span>{t('returns.returnable')}</span><span />
          </div>
          {current.saleLines.map((line) => (
            <SaleLineRow key={line.lineId} line={line} onReturn={current.lines.find((l) => l.saleLineId === line.lineId && !l.voided) ?? null}
              locked={current.linesLocked} />
          ))}
        </div>
        <CodeEntry />
      </section>
      <section className="panel return-side">
        <h3 className="panel-title">{t('returns.linesTitle')}</h3>
        <ReturnLines lines={current.lines} locked={current.linesLocked} />
        <div className="return-total" data-testid="return-total">
          <span>{t('returns.total')}</span><strong>{formatMoney(current.totals.totalKopecks, lang)}</strong>
        </div>
        <RefundPanel />
      </section>
      {checkingCode && (
        <div className="checking-code" role="status" data-testid="checking-code"><span className="spinner" aria-hidden="true" />{t('marking.checking')}</div>
      )}
    </main>
  );
}

/** One sale line: what was sold and what may still come back; piece and weighed lines by quantity, marked ones by code. */
function SaleLineRow({ line, onReturn, locked }: { line: ReturnableLine; onReturn: ReturnLine | null; locked: boolean }) {
  const { t } = useTranslation();
  const lang = useUi((s) => s.lang);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const unit = t(`unit.${line.unit}`);
  const q = (milli: number) => `${formatQuantity(milli, line.weighed, lang)} ${unit}`;
  const setQuantity = (quantityMilli: number) => void attempt(() => useReturns.getState().setQuantity(line.lineId, quantityMilli));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const quantity = parseQuantity(text);
    if (quantity === null || (!line.weighed && line.unit === 'piece' && quantity % 1000 !== 0)) {
      setError(t('quantity.invalid'));
      return;
    }
    setError(null);
    setText('');
    setQuantity(quantity);
  };
  const free = line.returnableMilli > 0 && !locked;
  return (
    <div className="return-row" role="row" data-testid="return-sale-line">
      <span className="return-name">
        <span className="line-name">{line.name}</span>
        <span className="line-barcode">{formatMoney(line.priceKopecks, lang)} · {formatMoney(line.amountKopecks, lang)}</span>
      </span>
      <span>{q(line.quantityMilli)}</span>
      <span>{q(line.returnedMilli)}</span>
      <span data-testid="return-returnable">{q(line.returnableMilli)}</span>
      <span className="return-actions">
        {line.marking !== null ? (
          <span className="return-scan-hint" data-testid="return-scan-hint">{onReturn ? t('returns.onReturn') : free ? t('returns.scanCode') : ''}</span>
        ) : (
          <form className="return-qty" onSubmit={submit}>
            <input className="field" inputMode="decimal" autoComplete="off" value={text} disabled={!free && !onReturn}
              placeholder={onReturn ? q(onReturn.quantityMilli) : ''} aria-label={t('returns.quantity')}
              onChange={(e) => { setError(null); setText(e.target.value); }} data-testid="return-qty-input" />
            <button type="submit" className="btn btn-secondary" disabled={locked || text === ''} data-testid="return-qty-set">{t('returns.set')}</button>
            <button type="button" className="btn btn-primary" disabled={!free} data-testid="return-all"
              onClick={() => setQuantity(line.returnableMilli)}>{t('returns.all')}</button>
            {error && <span className="pin-error" role="alert">{error}</span>}
          </form>
        )}
      </span>
    </div>
  );
}

function ReturnLines({ lines, locked }: { lines: ReturnLine[]; locked: boolean }) {
  const { t } = useTranslation();
  const lang = useUi((s) => s.lang);
  const active = lines.filter((l) => !l.voided);
  if (active.length === 0) return <p className="panel-empty" data-testid="return-lines-empty">{t('returns.noLines')}</p>;
  return (
    <ul className="return-lines" data-testid="return-lines">
      {active.map((line) => (
        <li key={line.id} className="return-line" data-testid="return-line">
          <span className="line-name">{line.name}</span>
          <span>{formatQuantity(line.quantityMilli, line.weighed, lang)} {t(`unit.${line.unit}`)}</span>
          <strong>{formatMoney(line.amountKopecks, lang)}</strong>
          <button type="button" className="btn btn-secondary" disabled={locked} aria-label={t('returns.remove')} data-testid="return-line-remove"
            onClick={() => void attempt(() => useReturns.getState().removeLine(line.id))}>×</button>
        </li>
      ))}
    </ul>
  );
}

/** A marked item's code typed in by hand (a scanner's code arrives without this field). */
function CodeEntry() {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const value = code.trim();
    if (!value) return;
    setCode('');
    void attempt(() => useReturns.getState().scan(value));
  };
  return (
    <form className="barcode-entry" onSubmit={submit}>
      <label className="barcode-label" htmlFor="return-code">{t('returns.codeLabel')}</label>
      <input id="return-code" className="field barcode-field" autoComplete="off" value={code} placeholder={t('returns.codePlaceholder')}
        onChange={(e) => setCode(e.target.value)} data-testid="return-code-input" />
    </form>
  );
}
