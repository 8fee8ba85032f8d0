// The lane's devices in the status bar: one dot per configured device (green up, amber connecting
// or needing attention, red down), the device's name and trouble in the tooltip.
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useDevices } from '../state/devices';
import { useUi } from '../state/ui';
import { pick } from './useText';

export function DeviceIndicators() {
  const { t } = useTranslation();
  const lang = useUi((s) => s.lang);
  const devices = useDevices((s) => s.devices);
  useEffect(() => { void useDevices.getState().refresh(); }, []);
  const shown = devices.filter((d) => d.state !== 'disabled');
  if (shown.length === 0) return null;
  return (
    <span className="status-item device-dots" data-testid="status-devices">
      {shown.map((d) => {
        const trouble = d.state === 'up' ? d.warning : d.lastError;
        const title = `${d.name}: ${t(`devices.state.${d.state}`)}${trouble ? ` — ${pick(trouble, lang)}` : ''}`;
        return <span key={d.id} className={`device-dot state-${d.state}${d.warning ? ' warn' : ''}`} title={title} aria-label={title}
          data-testid="status-device" data-device-id={d.id} data-kind={d.kind} data-state={d.state} />;
      })}
    </span>
  );
}
