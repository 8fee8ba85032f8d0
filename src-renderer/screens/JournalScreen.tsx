import { useCallback, useEffect, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SaleSummary } from '../../src-main/contract';
import { formatMoney, formatTime } from '../format/money';
import { attempt } from '../state/actions';
import { useUi } from '../state/ui';
import { call, subscribe } from '../transport/pos';

const PAGE = 50;

/** ↑/↓ move between journal rows; Enter opens the focused one (it is a button). */
function moveFocus(event: KeyboardEvent<HTMLUListElement>): void {
  if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
  const rows = [...event.currentTarget.querySelectorAll<HTMLButtonElement>('.journal-row')];
  const index = rows.indexOf(document.activeElement as HTMLButtonElement);
  const next = rows[Math.max(0, Math.min(rows.length - 1, index + (event.key === 'ArrowDown' ? 1 : -1)))];
  if (next) {
    event.preventDefault();
    event.stopPropagation();
    next.focus();
  }
}

/** The sales journal: newest first, open one to see the receipt. */
export function JournalScreen() {
  const { t } = useTranslation();
  const lang = useUi((s) => s.lang);
  const openDialog = useUi((s) => s.openDialog);
  const [sales, setSales] = useState<SaleSummary[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [more, setMore] = useState(false);

  const load = useCallback((before?: number) => attempt(async () => {
    const { sales: page } = await call('sales.journal', before === undefined ? { limit: PAGE } : { limit: PAGE, beforeNumber: before });
    setSales((s) => (before === undefined ? page : [...s, ...page]));
    setMore(page.length === PAGE);
    setLoaded(true);
  }), []);

  useEffect(() => { void load(); }, [load]);

  // The register fiscalises sales after they close: a row's fiscal state follows without a reload.
  useEffect(() => subscribe('fiscal.changed', ({ saleId }) => {
    if (!saleId) return;
    void attempt(async () => {
      const sale = await call('sales.get', { saleId });
      setSales((rows) => rows.map((row) => (row.id === saleId ? { ...row, fiscalState: sale.fiscalState } : row)));
    });
  }), []);

  const open = (id: string) => void attempt(async () => {
    const sale = await call('sales.get', { saleId: id });
    openDialog({ kind: 'preview', sale, afterPayment: false });
  });

  return (
    <main className="journal-screen" data-testid="journal-screen">
      <div className="panel journal-panel">
        <h1 className="panel-title">{t('journal.title')}</h1>
        <div className="journal-head">
          <span>{t('journal.number')}</span><span>{t('journal.time')}</span><span>{t('journal.cashier')}</span>
          <span>{t('journal.lines')}</span><span>{t('journal.fiscal')}</span><span className="num">{t('journal.total')}</span>
        </div>
        <ul className="journal-list" data-testid="journal-list" onKeyDown={moveFocus}>
          {sales.map((sale, index) => (
            <li key={sale.id}>
              <button type="button" className="journal-row" onClick={() => open(sale.id)} data-testid="journal-row" autoFocus={index === 0}>
                <span className="journal-no">№ {sale.number}</span>
                <span>{formatTime(sale.closedAt, lang)}</span>
                <span>{sale.cashierName}</span>
                <span>{sale.lineCount}</span>
                <span className={`fiscal fiscal-${sale.fiscalState}`}>{t(`fiscal.${sale.fiscalState}`)}</span>
                <span className="num" data-testid="journal-total">{formatMoney(sale.totalKopecks, lang)}</span>
              </button>
            </li>
          ))}
        </ul>
        {loaded && sales.length === 0 && <p className="panel-empty" data-testid="journal-empty">{t('journal.empty')}</p>}
        {more && <button type="button" className="btn btn-secondary" onClick={() => void load(sales.at(-1)?.number)}>{t('journal.more')}</button>}
      </div>
    </main>
  );
}
