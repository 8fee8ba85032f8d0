// The scale's live weight on the sale screen (shown when the lane has a scale). Weighed goods picked
// from search are weighed by the lane itself (receipt.addWeighed); this panel only shows what it reads.
import { useTranslation } from 'react-i18next';
import { useDevices } from '../../state/devices';
import { useUi } from '../../state/ui';
import { pick } from '../useText';

export function ScalePanel() {
  const { t } = useTranslation();
  const lang = useUi((s) => s.lang);
  const weight = useDevices((s) => s.weight);
  const grams = weight?.grams ?? null;
  const text = grams === null ? '—' : (grams / 1000).toLocaleString(lang === 'ru' ? 'ru-RU' : 'en-GB', { minimumFractionDigits: 3, maximumFractionDigits: 3 });
  const note = weight?.message ? pick(weight.message, lang) : weight ? t(`devices.weight.${weight.state}`) : t('devices.weight.none');
  return (
    <section className="panel panel-scale" data-testid="panel-scale" data-state={weight?.state ?? 'none'}>
      <h3 className="panel-title">{t('devices.weight.title')}</h3>
      <div className={`scale-weight${weight?.stable ? '' : ' unstable'}`} data-testid="scale-weight" data-grams={grams ?? ''}>
        {text} <span className="scale-unit">{t('unit.kg')}</span>
      </div>
      <div className={`scale-note${weight?.state === 'error' ? ' error' : ''}`} data-testid="scale-note">{note}</div>
    </section>
  );
}
