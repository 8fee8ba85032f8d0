import { useTranslation } from 'react-i18next';
import { useUi } from '../state/ui';
import { pick } from './useText';

export function Toasts() {
  const { t } = useTranslation();
  const toasts = useUi((s) => s.toasts);
  const lang = useUi((s) => s.lang);
  const dismiss = useUi((s) => s.dismissToast);
  return (
    <div className="toasts" aria-live="assertive">
      {toasts.map((toast) => (
        <div key={toast.id} className={`toast toast-${toast.kind}`} role="alert" data-testid={`toast-${toast.kind}`}>
          <span className="toast-text">{'key' in toast.text ? t(toast.text.key) : pick(toast.text, lang)}</span>
          <button type="button" className="toast-close" onClick={() => dismiss(toast.id)} aria-label={t('common.close')}>×</button>
        </div>
      ))}
    </div>
  );
}
