// How the return's money goes back: card parts to the terminal that took them (the cashier starts each
// refund), the rest in cash; then close. A card part the terminal refused, or one taken at another lane,
// is paid in cash only with a supervisor's PIN.
import { useTranslation } from 'react-i18next';
import type { RefundPart } from '../../../src-main/contract';
import { formatMoney } from '../../format/money';
import { attempt } from '../../state/actions';
import { finishReturn, useReturns } from '../../state/returns';
import { useUi } from '../../state/ui';

export function RefundPanel() {
  const { t } = useTranslation();
  const lang = useUi((s) => s.lang);
  const current = useReturns((s) => s.current);
  const busy = useReturns((s) => s.busy);
  if (!current) return null;
  const cards = current.refund.filter((p) => p.method === 'card' && p.amountKopecks > 0);
  const cash = current.refund.find((p) => p.method === 'cash');
  const needsCash = cards.some((p) => p.state === 'failed' || p.state === 'foreign');
  const empty = current.totals.lineCount === 0;
  return (
    <div className="refund-panel" data-testid="refund-panel">
      <h3 className="panel-title">{t('returns.refundTitle')}</h3>
      <ul className="refund-parts">
        {cards.map((part) => <CardPart key={part.purchaseOperationId} part={part} disabled={busy} />)}
        <li className="refund-part" data-testid="refund-cash">
          <span>{t('returns.cash')}</span>
          <strong>{formatMoney(cash?.amountKopecks ?? 0, lang)}</strong>
        </li>
      </ul>
      <div className="refund-buttons">
        <button type="button" className="btn btn-pay btn-xl btn-block" disabled={busy || empty} data-testid="return-close"
          onClick={() => void attempt(() => finishReturn(false))}>{t('returns.close')}</button>
        {needsCash && (
          <button type="button" className="btn btn-danger btn-block" disabled={busy || empty} data-testid="return-card-in-cash"
            onClick={() => void attempt(() => finishReturn(true))}>{t('returns.cardInCash')}</button>
        )}
        <div className="refund-row">
          <button type="button" className="btn btn-secondary" disabled={busy} data-testid="return-park"
            onClick={() => void attempt(() => useReturns.getState().park())}>{t('action.park')}</button>
          <button type="button" className="btn btn-secondary" disabled={busy || current.linesLocked} data-testid="return-cancel"
            onClick={() => void attempt(() => useReturns.getState().cancel())}>{t('returns.cancel')}</button>
        </div>
      </div>
    </div>
  );
}

function CardPart({ part, disabled }: { part: RefundPart; disabled: boolean }) {
  const { t } = useTranslation();
  const lang = useUi((s) => s.lang);
  return (
    <li className={`refund-part refund-${part.state}`} data-testid="refund-card">
      <span>{t('returns.card', { card: part.cardMasked ?? '', terminal: part.terminalId ?? '' })}</span>
      <strong>{formatMoney(part.amountKopecks, lang)}</strong>
      <span className="refund-state" data-testid="refund-card-state">{t(`returns.state.${part.state}`)}</span>
      {part.message && <span className="refund-message" role="alert">{part.message}</span>}
      {(part.state === 'pending' || part.state === 'failed') && (
        <button type="button" className="btn btn-primary" disabled={disabled} data-testid="return-refund-card"
          onClick={() => void attempt(() => useReturns.getState().refundCard(part.purchaseOperationId!))}>{t('returns.refundCard')}</button>
      )}
    </li>
  );
}
