import { useTranslation } from 'react-i18next';
import { useUi } from '../state/ui';
import { Modal } from './Modal';
import { PinEntry } from './PinEntry';
import { pick } from './useText';

/** The supervisor's PIN for an action the cashier may not do alone; the same call is repeated with it. */
export function OverrideDialog() {
  const { t } = useTranslation();
  const override = useUi((s) => s.override);
  const lang = useUi((s) => s.lang);
  if (!override) return null;
  const cancel = () => override.resolve(null);
  return (
    <Modal title={t('override.title')} testId="override-dialog" onClose={cancel} top>
      <p className="override-hint">{t('override.hint')}</p>
      <PinEntry key={override.attempt} testId="override-pin" submitLabel={t('override.confirm')} busy={override.busy}
        error={override.error ? pick(override.error, lang) : null}
        onSubmit={async (pin) => { override.resolve(pin); return null; }} />
      <button type="button" className="btn btn-secondary btn-block" onClick={cancel} data-testid="override-cancel">{t('common.cancel')}</button>
    </Modal>
  );
}
