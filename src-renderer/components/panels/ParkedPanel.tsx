import { useTranslation } from 'react-i18next';
import type { ReceiptSummary } from '../../../src-main/contract';
import { formatMoney, formatTime } from '../../format/money';
import { attempt } from '../../state/actions';
import { useReceipt } from '../../state/receipt';
import { useUi } from '../../state/ui';

export function ParkedList({ receipts, onResume }: { receipts: ReceiptSummary[]; onResume(id: string): void }) {
  const { t } = useTranslation();
  const lang = useUi((s) => s.lang);
  if (receipts.length === 0) return <p className="panel-empty" data-testid="parked-empty">{t('parked.none')}</p>;
  return (
    <ul className="parked-list" data-testid="parked-list">
      {receipts.map((r) => (
        <li key={r.id}>
          <button type="button" className="parked-item" onClick={() => onResume(r.id)} data-testid="parked-item">
            <span className="parked-time">{formatTime(r.openedAt, lang)}</span>
            <span className="parked-first">
              {r.kind === 'return' && <span className="line-badge" data-testid="parked-return">{t('returns.parkedTag')}</span>}
              {r.firstLineName ?? t('parked.emptyReceipt')}
            </span>
            <span className="parked-lines">{t('lines.positions', { count: r.lineCount })}</span>
            <span className="parked-total">{formatMoney(r.totalKopecks, lang)}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}

export function ParkedPanel() {
  const { t } = useTranslation();
  const parked = useReceipt((s) => s.parked);
  return (
    <section className="panel panel-parked" data-testid="panel-parked">
      <h3 className="panel-title">{t('parked.title')}</h3>
      <ParkedList receipts={parked} onResume={(id) => void attempt(() => useReceipt.getState().resume(id))} />
    </section>
  );
}
