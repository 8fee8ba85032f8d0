import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DrawerStatus } from '../../../src-main/contract';
import { attempt, callOverridable } from '../../state/actions';
import { useDevices } from '../../state/devices';
import { useUi } from '../../state/ui';
import { call } from '../../transport/pos';

/**
 * "No sale": opens the cash drawer outside a payment. Shown when the drawer can be kicked now — a
 * printer with a drawer is up, or the fiscal register the drawer is wired to answers (drawer.status);
 * a cashier is asked for a supervisor's PIN (the lane checks and audits who authorised it).
 */
export function OpenDrawerButton() {
  const { t } = useTranslation();
  const devices = useDevices((s) => s.devices);
  const [drawer, setDrawer] = useState<DrawerStatus | null>(null);
  useEffect(() => {
    let current = true;
    call('drawer.status', {}).then((status) => { if (current) setDrawer(status); }, () => { if (current) setDrawer(null); });
    return () => { current = false; };
  }, [devices]);
  if (!drawer?.ready) return null;
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
