import { useTranslation } from 'react-i18next';
import { useConnection } from '../state/connection';

/** Shown while the lane is unreachable: the cashier must know nothing is being recorded. */
export function ConnectionBanner() {
  const { t } = useTranslation();
  const link = useConnection((s) => s.link);
  const everOpen = useConnection((s) => s.everOpen);
  if (link === 'open') return null;
  return (
    <div className="connection-banner" role="alert" data-testid="connection-banner">
      <span className="connection-dot" />
      {everOpen ? t('connection.lost') : t('connection.connecting')}
    </div>
  );
}
