import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { ActionBar } from './components/ActionBar';
import { ConnectionBanner } from './components/ConnectionBanner';
import { OverrideDialog } from './components/OverrideDialog';
import { StatusBar } from './components/StatusBar';
import { Toasts } from './components/Toasts';
import { useWorkplaceKeyboard } from './keyboard/useKeyboard';
import { Dialogs } from './screens/dialogs/Dialogs';
import { JournalScreen } from './screens/JournalScreen';
import { LockScreen, LoginScreen } from './screens/LoginScreen';
import { SaleScreen } from './screens/SaleScreen';
import { ShiftScreen } from './screens/ShiftScreen';
import { VideoSinksScreen } from './screens/settings/VideoSinksScreen';
import { MarkingJournalScreen } from './screens/marking/MarkingJournalScreen';
import { DevicesScreen } from './screens/settings/DevicesScreen';
import { ReturnScreen } from './screens/returns/ReturnScreen';
import { useReturns } from './state/returns';
import { useDevices } from './state/devices';
import { attempt, reportError } from './state/actions';
import { useReceipt } from './state/receipt';
import { useSession } from './state/session';
import { useUi } from './state/ui';
import { call, onConnected, subscribe } from './transport/pos';

/** Re-reads who is logged in after the lane said something changed (lock, logout, restart). */
async function recheckSession(): Promise<void> {
  const current = await call('session.current', {});
  const session = useSession.getState();
  if (!current.user) {
    if (session.phase !== 'login') {
      useUi.getState().closeDialog();
      useReceipt.getState().clear();
      useReturns.getState().clear();
      useSession.setState({ phase: 'login', user: null, shift: null, summary: null });
    }
  } else if (current.locked && session.phase === 'ready') {
    useUi.getState().closeDialog();
    useSession.setState({ phase: 'locked', user: current.user });
  }
}

/**
 * A code from a scanner the lane drives (not a keyboard wedge): it goes through receipt.scan like a
 * wedge scan, with the same permission checks, and only where a wedge scan would be taken.
 */
function onDeviceScan(code: string): void {
  const ui = useUi.getState();
  const session = useSession.getState();
  if (session.phase !== 'ready' || document.visibilityState === 'hidden') return;
  if (ui.view === 'sale' && session.shift !== null && ui.dialog === null && ui.override === null) {
    void attempt(() => useReceipt.getState().scan(code, 'scanner'));
  } else if (ui.view === 'return' && useReturns.getState().current && ui.dialog === null && ui.override === null) {
    void attempt(() => useReturns.getState().scan(code));
  } else {
    ui.toast('info', { key: 'scan.notNow' });
  }
}

function useLaneLink(): void {
  useEffect(() => {
    const boot = () => void useSession.getState().boot().catch(reportError);
    const off = [
      onConnected(boot),
      subscribe('receipt.changed', ({ receipt }) => useReceipt.getState().applyEvent(receipt)),
      subscribe('session.changed', () => void recheckSession().catch(reportError)),
      subscribe('devices.changed', ({ devices }) => useDevices.getState().setDevices(devices)),
      subscribe('scale.weight', (weight) => useDevices.getState().setWeight(weight)),
      subscribe('scanner.scanned', ({ code }) => onDeviceScan(code)),
      subscribe('shift.changed', () => {
        if (useSession.getState().phase === 'ready') void useSession.getState().refreshShift().catch(reportError);
      }),
    ];
    const onUnauthenticated = () => void recheckSession().catch(() => undefined);
    window.addEventListener('pos:unauthenticated', onUnauthenticated);
    return () => {
      off.forEach((f) => f());
      window.removeEventListener('pos:unauthenticated', onUnauthenticated);
    };
  }, []);
}

function Workplace() {
  const view = useUi((s) => s.view);
  useWorkplaceKeyboard();
  return (
    <>
      {view === 'sale' && <SaleScreen />}
      {view === 'shift' && <ShiftScreen />}
      {view === 'journal' && <JournalScreen />}
      {view === 'videoSettings' && <VideoSinksScreen />}
      {view === 'markingJournal' && <MarkingJournalScreen />}
      {view === 'deviceSettings' && <DevicesScreen />}
      {view === 'return' && <ReturnScreen />}
      <ActionBar />
      <Dialogs />
    </>
  );
}

export function App() {
  const { t } = useTranslation();
  const phase = useSession((s) => s.phase);
  useLaneLink();
  return (
    <div className="app" data-phase={phase}>
      <StatusBar />
      <ConnectionBanner />
      {phase === 'connecting' && (
        <main className="center-screen" data-testid="connecting-screen"><div className="card"><p>{t('connection.connecting')}</p></div></main>
      )}
      {phase === 'login' && <LoginScreen />}
      {phase === 'locked' && <LockScreen />}
      {phase === 'ready' && <Workplace />}
      <OverrideDialog />
      <Toasts />
    </div>
  );
}
