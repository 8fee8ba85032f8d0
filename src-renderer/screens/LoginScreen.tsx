import { useTranslation } from 'react-i18next';
import { PinEntry } from '../components/PinEntry';
import { pick } from '../components/useText';
import { reportError } from '../state/actions';
import { useLayout } from '../state/layout';
import { useSession } from '../state/session';
import { useUi } from '../state/ui';
import { CallError } from '../transport/pos';

/** Turns a failed login into the message under the PIN field. */
export async function loginWith(pin: string): Promise<string | null> {
  try {
    await useSession.getState().login(pin);
    return null;
  } catch (error) {
    if (error instanceof CallError) return pick(error.text, useUi.getState().lang);
    reportError(error);
    return null;
  }
}

export function LoginScreen() {
  const { t } = useTranslation();
  const lane = useLayout((s) => s.lane);
  return (
    <main className="center-screen" data-testid="login-screen">
      <div className="card login-card">
        <h1 className="login-title">{t('login.title')}</h1>
        {lane && <p className="login-lane">{lane.storeName} · {lane.laneName}</p>}
        <PinEntry testId="login-pin" submitLabel={t('login.submit')} onSubmit={loginWith} />
      </div>
    </main>
  );
}

export function LockScreen() {
  const { t } = useTranslation();
  const user = useSession((s) => s.user);
  const logout = useSession((s) => s.logout);
  return (
    <main className="center-screen locked" data-testid="lock-screen">
      <div className="card login-card">
        <div className="lock-icon" aria-hidden="true">🔒</div>
        <h1 className="login-title">{t('lock.title')}</h1>
        {user && <p className="login-lane">{t('lock.by', { name: user.name })}</p>}
        <PinEntry testId="unlock-pin" submitLabel={t('lock.unlock')} onSubmit={loginWith} />
        <button type="button" className="btn btn-secondary btn-block" onClick={() => void logout().catch(reportError)} data-testid="logout">
          {t('lock.logout')}
        </button>
      </div>
    </main>
  );
}
