// The fiscal register as the shift screen shows it: link, fiscal drive, queue, OFD backlog, paper, jobs
// waiting for a person; X and Z reports and correction receipts (a supervisor's, so a cashier is asked for
// a supervisor PIN).
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FiscalStatus } from '../../src-main/contract';
import { call, subscribe } from '../transport/pos';
import { attempt, callOverridable } from '../state/actions';
import { useUi } from '../state/ui';
import { FiscalCorrectionDialog } from './dialogs/FiscalCorrectionDialog';

const REFRESH_MS = 5_000;

export function FiscalRegisterPanel() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<FiscalStatus | null>(null);
  const [correcting, setCorrecting] = useState(false);

  const refresh = useCallback(() => attempt(async () => setStatus(await call('fiscal.status', {}))), []);
  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), REFRESH_MS);
    const unsubscribe = subscribe('fiscal.changed', () => void refresh());
    return () => { clearInterval(timer); unsubscribe(); };
  }, [refresh]);

  const report = (name: 'fiscal.xReport' | 'fiscal.zReport') => void attempt(async () => {
    await callOverridable(name, {});
    useUi.getState().toast('info', { key: 'register.queued' });
    await refresh();
  });

  if (!status) return null;
  if (!status.configured) {
    return <section className="fiscal-register" data-testid="fiscal-register"><h2>{t('register.title')}</h2><p>{t('register.notConfigured')}</p></section>;
  }
  const unsentHours = status.ofd?.oldestUnsentAgeMs != null ? Math.floor(status.ofd.oldestUnsentAgeMs / 3_600_000) : null;
  return (
    <section className="fiscal-register" data-testid="fiscal-register">
      <h2>{t('register.title')}: <span className={status.connected ? 'ok' : 'bad'} data-testid="fiscal-link">{t(status.connected ? 'register.online' : 'register.offline')}</span></h2>
      <ul>
        {status.fn && <li data-testid="fiscal-fn">{t('register.fn', { serial: status.fn.serial, fd: status.fn.lastFd })}</li>}
        {status.queueLength > 0 && <li data-testid="fiscal-queue">{t('register.queue', { count: status.queueLength })}</li>}
        {status.ofd && status.ofd.unsentCount > 0 && (
          <li className={unsentHours !== null && unsentHours >= 24 ? 'bad' : ''} data-testid="fiscal-unsent">
            {unsentHours !== null ? t('register.unsentAge', { count: status.ofd.unsentCount, hours: unsentHours }) : t('register.unsent', { count: status.ofd.unsentCount })}
          </li>
        )}
        {status.paperOut && <li className="bad" data-testid="fiscal-paper-out">{t('register.paperOut')}</li>}
        {status.fn && status.fn.warnings.length > 0 && <li className="bad">{t('register.warning', { warnings: status.fn.warnings.join(', ') })}</li>}
        {status.manualJobs.length > 0 && <li className="bad" data-testid="fiscal-manual">{t('register.manual', { count: status.manualJobs.length })}</li>}
        {status.lastError && <li className="bad">{useUi.getState().lang === 'en' ? status.lastError.en : status.lastError.ru}</li>}
      </ul>
      <div className="shift-actions">
        <button type="button" className="btn btn-secondary" onClick={() => report('fiscal.xReport')} data-testid="fiscal-x-report">{t('register.xReport')}</button>
        <button type="button" className="btn btn-secondary" onClick={() => report('fiscal.zReport')} data-testid="fiscal-z-report">{t('register.zReport')}</button>
        <button type="button" className="btn btn-secondary" onClick={() => setCorrecting(true)} data-testid="fiscal-correction">{t('register.correction.open')}</button>
      </div>
      {correcting && <FiscalCorrectionDialog onClose={() => setCorrecting(false)} onQueued={() => void refresh()} />}
    </section>
  );
}
