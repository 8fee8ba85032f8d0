import type { CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import { attempt } from '../../state/actions';
import { useLayout } from '../../state/layout';
import { useReceipt } from '../../state/receipt';
import { useUi } from '../../state/ui';
import { pick } from '../useText';

/** Quick keys from the lane's layout: goods without a barcode (bags, bread, loose fruit). */
export function QuickKeysPanel() {
  const { t } = useTranslation();
  const keys = useLayout((s) => s.layout.quickKeys);
  const lang = useUi((s) => s.lang);
  return (
    <section className="panel panel-quickkeys" data-testid="panel-quickKeys">
      <h3 className="panel-title">{t('quickKeys.title')}</h3>
      {keys.length === 0 && <p className="panel-empty">{t('quickKeys.none')}</p>}
      <div className="quick-grid">
        {keys.map((key, index) => (
          <button key={`${key.barcode}-${index}`} type="button" className="quick-key" data-testid="quick-key" data-barcode={key.barcode}
            style={key.color ? ({ '--key-color': key.color } as CSSProperties) : undefined}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => void attempt(() => useReceipt.getState().scan(key.barcode, 'quickKey'))}>
            {pick(key.label, lang)}
          </button>
        ))}
      </div>
    </section>
  );
}
