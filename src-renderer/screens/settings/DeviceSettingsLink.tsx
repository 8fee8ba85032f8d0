import { useTranslation } from 'react-i18next';
import { useSession } from '../../state/session';
import { useUi } from '../../state/ui';

/** The way to the lane's devices: shown to an administrator only (the lane checks the right again). */
export function DeviceSettingsLink() {
  const { t } = useTranslation();
  const role = useSession((s) => s.user?.role);
  const setView = useUi((s) => s.setView);
  if (role !== 'administrator') return null;
  return (
    <button type="button" className="btn btn-secondary btn-block" onClick={() => setView('deviceSettings')} data-testid="shift-device-settings">
      {t('devices.open')}
    </button>
  );
}
