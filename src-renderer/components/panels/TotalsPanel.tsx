import { useTranslation } from 'react-i18next';
import { formatMoney } from '../../format/money';
import { useReceipt } from '../../state/receipt';
import { useUi } from '../../state/ui';

export function TotalsPanel() {
  const { t } = useTranslation();
  const lang = useUi((s) => s.lang);
  const totals = useReceipt((s) => s.receipt?.totals);
  const vatKopecks = totals?.vatTotals.reduce((sum, v) => sum + v.vatKopecks, 0) ?? 0;
  return (
    <section className="panel panel-totals" data-testid="panel-totals">
      <div className="totals-main">
        <span className="totals-label">{t('totals.total')}</span>
        <span className="totals-amount" data-testid="receipt-total">{formatMoney(totals?.totalKopecks ?? 0, lang)}</span>
      </div>
      <dl className="totals-grid">
        <dt>{t('totals.lines')}</dt><dd data-testid="receipt-line-count">{totals?.lineCount ?? 0}</dd>
        <dt>{t('totals.vatIncluded')}</dt><dd data-testid="receipt-vat">{formatMoney(vatKopecks, lang)}</dd>
        {totals?.vatTotals.filter((v) => v.amountKopecks > 0).map((v) => (
          <VatRow key={v.vat} label={t(`vat.${v.vat}`)} value={formatMoney(v.vatKopecks, lang)} />
        ))}
      </dl>
    </section>
  );
}

function VatRow({ label, value }: { label: string; value: string }) {
  return (<><dt className="vat-rate">{label}</dt><dd className="vat-rate">{value}</dd></>);
}
