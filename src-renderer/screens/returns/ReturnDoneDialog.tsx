// The closed return: how much goes back and how (cash to hand over, card refunds made), and the fiscal
// document it will get from the register (1054 = 2, возврат прихода).
import { useTranslation } from 'react-i18next';
import type { SaleReturn } from '../../../src-main/contract';
import { Modal } from '../../components/Modal';
import { formatMoney } from '../../format/money';
import { useUi } from '../../state/ui';

export function ReturnDoneDialog({ ret }: { ret: SaleReturn }) {
  const { t } = useTranslation();
  const lang = useUi((s) => s.lang);
  const closeDialog = useUi((s) => s.closeDialog);
  const cash = ret.refunds.filter((r) => r.method === 'cash').reduce((n, r) => n + r.amountKopecks, 0);
  return (
    <Modal title={t('returns.doneTitle', { number: ret.number })} testId="return-done" onClose={closeDialog}
      footer={<button type="button" className="btn btn-primary btn-xl btn-block" data-autofocus onClick={closeDialog} data-testid="return-done-ok">{t('returns.doneOk')}</button>}>
      <div className="preview-change-banner" data-testid="return-done-cash">
        <span>{t('returns.handOver')}</span>
        <strong>{formatMoney(cash, lang)}</strong>
      </div>
      <article className="paper">
        <p className="paper-center">{t('returns.kind')}</p>
        <p className="paper-row"><span>{t('returns.againstSale')}</span><span>{ret.sale.number}</span></p>
        {ret.lines.filter((l) => !l.voided).map((l) => (
          <p key={l.id} className="paper-row" data-testid="return-done-line"><span>{l.name}</span><span>{formatMoney(l.amountKopecks, lang)}</span></p>
        ))}
        <hr />
        <p className="paper-row paper-total"><span>{t('preview.total')}</span><span data-testid="return-done-total">{formatMoney(ret.totals.totalKopecks, lang)}</span></p>
        {ret.refunds.map((r, i) => (
          <p key={i} className="paper-row" data-testid="return-done-refund">
            <span>{r.method === 'card' ? t('preview.card', { card: r.cardMasked ?? '' }) : t('preview.cash')}</span>
            <span>{formatMoney(r.amountKopecks, lang)}</span>
          </p>
        ))}
        <p className={`paper-center fiscal fiscal-${ret.fiscalState}`}>{t('preview.fiscal', { state: t(`fiscal.${ret.fiscalState}`) })}</p>
      </article>
    </Modal>
  );
}
