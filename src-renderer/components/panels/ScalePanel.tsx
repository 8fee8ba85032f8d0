// The scale's live weight on the sale screen (shown when the lane has a scale), with Zero and Tare for
// a scale that takes them from the till. Weighed goods picked from search are weighed by the lane itself
// (receipt.addWeighed); this panel shows what it reads and passes the two commands on. A refusal comes
// back in the scale's own words («Обнуление невозможно: уберите груз с весов») as a toast.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatWeightKg } from '../../format/money';
import { attempt } from '../../state/actions';
import { scalesKey, useDevices } from '../../state/devices';
import { useUi } from '../../state/ui';
import { call } from '../../transport/pos';
import { pick } from '../useText';
import { scaleButtons, type ScaleCommand } from './scale-buttons';

export function ScalePanel() {
  const { t } = useTranslation();
  const lang = useUi((s) => s.lang);
  const weight = useDevices((s) => s.weight);
  const controls = useDevices((s) => s.scaleControls);
  const scales = useDevices((s) => scalesKey(s.devices));
  const [busy, setBusy] = useState(false);
  useEffect(() => { void useDevices.getState().refreshScaleControls(); }, [scales]);

  const grams = weight?.grams ?? null;
  const text = grams === null ? '—' : formatWeightKg(grams, lang);
  const note = weight?.message ? pick(weight.message, lang) : weight ? t(`devices.weight.${weight.state}`) : t('devices.weight.none');
  const buttons = scaleButtons(weight, controls, busy);
  const hint = buttons.zero.hint ?? buttons.tare.hint;

  const run = (command: ScaleCommand) => {
    setBusy(true);
    void attempt(async () => {
      useDevices.getState().setWeight(await call(command === 'zero' ? 'scale.zero' : 'scale.tare', {}));
    }).finally(() => setBusy(false));
  };

  return (
    <section className="panel panel-scale" data-testid="panel-scale" data-state={weight?.state ?? 'none'}>
      <h3 className="panel-title">{t('devices.weight.title')}</h3>
      <div className={`scale-weight${weight?.stable ? '' : ' unstable'}`} data-testid="scale-weight" data-grams={grams ?? ''}>
        {text} <span className="scale-unit">{t('unit.kg')}</span>
      </div>
      <div className={`scale-note${weight?.state === 'error' ? ' error' : ''}`} data-testid="scale-note">{note}</div>
      <div className="scale-actions" style={{ display: 'flex', gap: '0.5rem' }}>
        <button type="button" className="btn btn-secondary" style={{ flex: 1 }} data-testid="scale-zero" disabled={!buttons.zero.enabled}
          title={t('devices.scale.zeroTitle')} onClick={() => run('zero')}>{t('devices.scale.zero')}</button>
        <button type="button" className="btn btn-secondary" style={{ flex: 1 }} data-testid="scale-tare" disabled={!buttons.tare.enabled}
          title={t('devices.scale.tareTitle')} onClick={() => run('tare')}>{t('devices.scale.tare')}</button>
      </div>
      {hint && <div className="scale-hint" data-testid="scale-hint">{t(hint)}</div>}
    </section>
  );
}
