import { useTranslation } from 'react-i18next';
import type { Sale } from '../../../src-main/contract';
import { Modal } from '../../components/Modal';
import { formatMoney, formatQuantity, formatTime } from '../../format/money';
import { useLayout } from '../../state/layout';
import { useUi } from '../../state/ui';

/** The closed sale as the customer's receipt will read (fiscal data comes later from the register). */
export function ReceiptPreview({ sale, afterPayment }: { sale: Sale; afterPayment: boolean }) {
  const { t } = useTranslation();
  const lang = useUi((s) => s.lang);
  const lane = useLayout((s) => s.lane);
  const closeDialog = useUi((s) => s.closeDialog);
  const cash = sale.payments.filter((p) => p.method === 'cash').reduce((sum, p) => sum + p.amountKopecks, 0);
  return (
    <Modal title={t('preview.title', { number: sale.number })} testId="receipt-preview" onClose={closeDialog}
      footer={
        <button type="button" className="btn btn-primary btn-xl btn-block" onClick={closeDialog} data-testid="preview-done" data-autofocus>
          {afterPayment ? t('preview.nextSale') : t('common.close')}
        </button>
      }>
      {afterPayment && (
        <div className="preview-change-banner" data-testid="preview-change-banner">
          <span>{t('payment.change')}</span>
          <strong data-testid="preview-change">{formatMoney(sale.changeKopecks, lang)}</strong>
        </div>
      )}
      <article className="paper">
        {lane && <p className="paper-center paper-store">{lane.storeName}</p>}
        <p className="paper-center">{t('preview.kind')}</p>
        <p className="paper-row"><span>{t('preview.saleNo')}</span><span data-testid="preview-number">{sale.number}</span></p>
        <p className="paper-row"><span>{t('preview.date')}</span><span>{formatTime(sale.closedAt, lang)}</span></p>
        <p className="paper-row"><span>{t('preview.cashier')}</span><span>{sale.cashier.name}</span></p>
        <hr />
        <ol className="paper-lines" data-testid="preview-lines">
          {sale.lines.map((line) => (
            <li key={line.id} className={line.voided ? 'paper-line voided' : 'paper-line'} data-testid="preview-line">
              <span className="paper-line-name">{line.name}{line.voided ? ` (${t('lines.voided')})` : ''}</span>
              <span className="paper-row">
                <span>{formatQuantity(line.quantityMilli, line.weighed, lang)} {t(`unit.${line.unit}`)} × {formatMoney(line.priceKopecks, lang)}</span>
                <span>{formatMoney(line.voided ? 0 : line.amountKopecks, lang)}</span>
              </span>
              {!line.voided && <span className="paper-vat">{t(`vat.${line.vat}`)}</span>}
            </li>
          ))}
        </ol>
        <hr />
        <p className="paper-row paper-total"><span>{t('preview.total')}</span><span data-testid="preview-total">{formatMoney(sale.totals.totalKopecks, lang)}</span></p>
        {sale.totals.vatTotals.map((v) => (
          <p key={v.vat} className="paper-row" data-testid="preview-vat"><span>{t('preview.vatOf', { rate: t(`vat.${v.vat}`) })}</span><span>{formatMoney(v.vatKopecks, lang)}</span></p>
        ))}
        {sale.payments.filter((p) => p.method !== 'cash').map((p, i) => (
          <p key={i} className="paper-row" data-testid="preview-other-payment">
            <span>{p.method === 'card' ? t('preview.card', { card: p.cardMasked ?? '' }) : p.method === 'internal' ? p.typeName : t('preview.bonus')}</span>
            <span>{formatMoney(p.amountKopecks, lang)}</span>
          </p>
        ))}
        <p className="paper-row"><span>{t('preview.cash')}</span><span data-testid="preview-cash">{formatMoney(cash, lang)}</span></p>
        <p className="paper-row"><span>{t('preview.tendered')}</span><span data-testid="preview-tendered">{formatMoney(sale.tenderedKopecks, lang)}</span></p>
        <p className="paper-row"><span>{t('preview.change')}</span><span data-testid="preview-change-line">{formatMoney(sale.changeKopecks, lang)}</span></p>
        <hr />
        <p className={`paper-center fiscal fiscal-${sale.fiscalState}`} data-testid="preview-fiscal">{t('preview.fiscal', { state: t(`fiscal.${sale.fiscalState}`) })}</p>
        {sale.fiscalDocument && (
          <p className="paper-center" data-testid="preview-fiscal-document">
            {t('preview.fiscalDocument', { fn: sale.fiscalDocument.fnSerial, fd: sale.fiscalDocument.fdNumber, fp: sale.fiscalDocument.fiscalSign })}
          </p>
        )}
      </article>
    </Modal>
  );
}
