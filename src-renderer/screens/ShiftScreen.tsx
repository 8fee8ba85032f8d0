import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { ShiftSummary } from '../../src-main/contract';
import { formatMoney, formatTime } from '../format/money';
import { attempt } from '../state/actions';
import { useReceipt } from '../state/receipt';
import { useSession } from '../state/session';
import { useUi } from '../state/ui';
import { VideoSettingsLink } from './settings/VideoSettingsLink';
import { DeviceSettingsLink } from './settings/DeviceSettingsLink';
import { OpenDrawerButton } from './settings/OpenDrawerButton';
import { MarkingJournalLink } from './marking/MarkingJournalLink';
import { FiscalRegisterPanel } from './FiscalRegisterPanel';

export function SummaryTable({ summary }: { summary: ShiftSummary }) {
  const { t } = useTranslation();
  const lang = useUi((s) => s.lang);
  const rows: Array<[string, string, string]> = [
    ['shift.openedAt', formatTime(summary.shift.openedAt, lang), 'opened'],
    ...(summary.shift.closedAt ? [['shift.closedAt', formatTime(summary.shift.closedAt, lang), 'closed'] as [string, string, string]] : []),
    ['shift.salesCount', String(summary.salesCount), 'sales-count'],
    ['shift.salesTotal', formatMoney(summary.salesTotalKopecks, lang), 'sales-total'],
    ['shift.cashSales', formatMoney(summary.cashSalesKopecks, lang), 'cash-sales'],
    ['shift.cashIn', formatMoney(summary.cashInKopecks, lang), 'cash-in'],
    ['shift.cashOut', formatMoney(summary.cashOutKopecks, lang), 'cash-out'],
    ...(summary.returnsCount ? [
      ['returns.shiftReturns', `${summary.returnsCount} · ${formatMoney(summary.returnsTotalKopecks ?? 0, lang)}`, 'returns'],
      ['returns.shiftCashRefunds', formatMoney(summary.cashRefundsKopecks ?? 0, lang), 'cash-refunds'],
    ] as Array<[string, string, string]> : []),
    ['shift.inDrawer', formatMoney(summary.cashInDrawerKopecks, lang), 'in-drawer'],
    ['shift.openReceipts', String(summary.openReceipts), 'open-receipts'],
  ];
  return (
    <dl className="summary-table" data-testid="shift-summary">
      {rows.map(([key, value, id]) => (
        <div key={key} className={`summary-row row-${id}`}>
          <dt>{t(key)}</dt>
          <dd data-testid={`shift-${id}`}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function ShiftScreen() {
  const { t } = useTranslation();
  const shift = useSession((s) => s.shift);
  const summary = useSession((s) => s.summary);
  const closed = useSession((s) => s.closedSummary);
  const openDialog = useUi((s) => s.openDialog);
  const setView = useUi((s) => s.setView);

  useEffect(() => {
    void attempt(() => useSession.getState().refreshShift());
  }, []);

  const open = () => void attempt(async () => {
    await useSession.getState().openShift();
    setView('sale');
    await useReceipt.getState().load();
  });

  if (!shift) {
    return (
      <main className="shift-screen" data-testid="shift-screen">
        <div className="card shift-card">
          <h1>{t('shift.closedTitle')}</h1>
          {closed && (
            <>
              <h2 className="shift-subtitle">{t('shift.lastClosed', { number: closed.shift.number })}</h2>
              <SummaryTable summary={closed} />
            </>
          )}
          <p className="shift-hint">{t('shift.openHint')}</p>
          <button type="button" className="btn btn-primary btn-xl btn-block" onClick={open} data-testid="shift-open" data-autofocus autoFocus>
            {t('shift.open')}
          </button>
          <MarkingJournalLink />
          <VideoSettingsLink />
          <DeviceSettingsLink />
        </div>
      </main>
    );
  }

  return (
    <main className="shift-screen" data-testid="shift-screen">
      <div className="card shift-card">
        <h1 data-testid="shift-title">{t('shift.openTitle', { number: shift.number })}</h1>
        {summary && <SummaryTable summary={summary} />}
        <div className="shift-actions">
          <button type="button" className="btn btn-secondary" onClick={() => openDialog({ kind: 'cashMove', direction: 'in' })} data-testid="cash-in">{t('shift.cashInAction')}</button>
          <button type="button" className="btn btn-secondary" onClick={() => openDialog({ kind: 'cashMove', direction: 'out' })} data-testid="cash-out">{t('shift.cashOutAction')}</button>
          <button type="button" className="btn btn-danger" onClick={() => openDialog({ kind: 'closeShift' })} data-testid="shift-close">{t('shift.close')}</button>
          <button type="button" className="btn btn-primary" onClick={() => setView('sale')} data-testid="shift-to-sale" autoFocus>{t('shift.toSale')}</button>
        </div>
        <FiscalRegisterPanel />
        <MarkingJournalLink />
        <VideoSettingsLink />
        <DeviceSettingsLink />
        <OpenDrawerButton />
      </div>
    </main>
  );
}
