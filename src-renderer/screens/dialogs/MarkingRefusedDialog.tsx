import { useTranslation } from 'react-i18next';
import type { LocalizedText } from '../../../src-main/contract';
import { Modal } from '../../components/Modal';
import { useUi } from '../../state/ui';

/**
 * The permissive-mode refusal: large, plain words and what to do, confirmed with Enter. The item was
 * not added; nothing else on the receipt changed.
 */
export function MarkingRefusedDialog({ text }: { text: LocalizedText }) {
  const { t, i18n } = useTranslation();
  const close = useUi((s) => s.closeDialog);
  const message = i18n.language === 'en' ? text.en : text.ru;
  return (
    <Modal title={t('marking.refusedTitle')} testId="marking-refused" onClose={close}
      footer={<button type="button" className="btn btn-primary" data-autofocus onClick={close} data-testid="marking-refused-ok">{t('marking.understood')}</button>}>
      <p className="marking-refused-text" role="alert">{message}</p>
    </Modal>
  );
}
