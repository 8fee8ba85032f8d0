// The head-office link in the status bar: shown only where the lane has a head office, with the
// number of documents not yet sent (selling never waits for it; the cashier just sees the backlog).
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { UpstreamStatus } from '../../src-main/contract';
import { call, subscribe } from '../transport/pos';

export function UpstreamIndicator() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<UpstreamStatus | null>(null);
  useEffect(() => {
    let live = true;
    call('upstream.status', {}).then((s) => { if (live) setStatus(s); }).catch(() => undefined); // the bar must never toast
    const unsubscribe = subscribe('upstream.changed', (s) => setStatus(s));
    return () => { live = false; unsubscribe(); };
  }, []);
  if (!status?.configured) return null;
  const state = status.link === 'up' ? 'hqUp' : status.link === 'down' ? 'hqDown' : 'hqUnknown';
  return (
    <span className={`status-item status-link link-${status.link === 'up' ? 'open' : status.link === 'down' ? 'closed' : 'connecting'}`} data-testid="status-upstream" data-state={status.link}
      title={status.lastError ?? undefined}>
      <span className="connection-dot" />{t(`status.${state}`)}
      {status.backlog > 0 && <> · {t('status.hqBacklog', { count: status.backlog })}</>}
      {status.parked > 0 && <> · {t('status.hqParked', { count: status.parked })}</>}
    </span>
  );
}
