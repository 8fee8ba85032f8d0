import { useTranslation } from 'react-i18next';
import { attempt, callOverridable } from '../../state/actions';
import { useDevices } from '../../state/devices';
import { useUi } from '../../state/ui';

/**
 * "No sale": opens the cash drawer outside a payment. Shown when the lane has a printer with a drawer;
 * a cashier is asked for a supervisor's PIN (the lane checks and audits who authorised it).
 */
export function OpenDrawerButton() {
  const { t } = useTranslation();
  const printer = useDevices((s) => s.devices.some((d) => d.kind === 'printer' && d.state === 'up'));
  if (!printer) return null;
  return (
    <button type="button" className="btn btn-secondary btn-block" data-testid="shift-open-drawer"
      onClick={() => void attempt(async () => {
        await callOverridable('drawer.open', {});
        useUi.getState().toast('info', { key: 'devices.drawerOpened' });
      })}>
      {t('devices.openDrawer')}
    </button>
  );
}
