import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatClock } from '../format/money';
import { useConnection } from '../state/connection';
import { useLayout } from '../state/layout';
import { useSession } from '../state/session';
import { useUi } from '../state/ui';
import { UpstreamIndicator } from './UpstreamIndicator';
import { DeviceIndicators } from './DeviceIndicators';

function Clock() {
  const lang = useUi((s) => s.lang);
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 1000);
    return () => clearInterval(timer);
  }, []);
  const { date, time } = formatClock(now, lang);
  return (
    <span className="status-clock" data-testid="status-clock">
      <span className="status-date">{date}</span>
      <span className="status-time">{time}</span>
    </span>
  );
}

export function StatusBar() {
  const { t } = useTranslation();
  const lane = useLayout((s) => s.lane);
  const user = useSession((s) => s.user);
  const phase = useSession((s) => s.phase);
  const shift = useSession((s) => s.shift);
  const link = useConnection((s) => s.link);
  const lang = useUi((s) => s.lang);
  const setLang = useUi((s) => s.setLang);
  return (
    <header className="status-bar" data-testid="status-bar">
      <span className="status-brand">{t('app.name')}</span>
      {lane && <span className="status-item status-lane">{lane.storeName} · {lane.laneName}{lane.demo ? ` · ${t('status.demo')}` : ''}</span>}
      <span className="status-spacer" />
      {user && phase === 'ready' && (
        <span className="status-item" data-testid="status-cashier">
          <span className="status-label">{t(`role.${user.role}`)}</span> {user.name}
        </span>
      )}
      {phase === 'ready' && (
        <span className="status-item" data-testid="status-shift">
          {shift ? t('status.shift', { number: shift.number }) : t('status.noShift')}
        </span>
      )}
      {phase === 'ready' && <UpstreamIndicator />}
      {phase === 'ready' && <DeviceIndicators />}
      <span className={`status-item status-link link-${link}`} data-testid="status-connection" data-state={link}>
        <span className="connection-dot" />{t(`connection.${link}`)}
      </span>
      <Clock />
      <button type="button" className="lang-toggle" data-testid="lang-toggle" onClick={() => setLang(lang === 'ru' ? 'en' : 'ru')}
        aria-label={t('status.switchLanguage')}>
        {lang === 'ru' ? 'EN' : 'RU'}
      </button>
    </header>
  );
}
