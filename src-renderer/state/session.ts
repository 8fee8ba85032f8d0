// Who is at the lane, whether the screen is locked, and the shift.
import { create } from 'zustand';
import type { Shift, ShiftSummary, User } from '../../src-main/contract';
import { call, CallError } from '../transport/pos';
import { useLayout } from './layout';
import { useReceipt } from './receipt';
import { useReturns } from './returns';
import { useUi } from './ui';

export type Phase = 'connecting' | 'login' | 'locked' | 'ready';

interface SessionState {
  phase: Phase;
  user: User | null;
  shift: Shift | null;
  summary: ShiftSummary | null;
  /** The summary of the shift just closed (the Z-report view) until a new shift opens. */
  closedSummary: ShiftSummary | null;
  /** Called after every (re)connection: hello, who is logged in, what is open. */
  boot(): Promise<void>;
  login(pin: string): Promise<void>;
  lock(): Promise<void>;
  logout(): Promise<void>;
  refreshShift(): Promise<void>;
  openShift(): Promise<void>;
  closeShift(): Promise<void>;
  setSummary(summary: ShiftSummary): void;
}

export const useSession = create<SessionState>((set, get) => ({
  phase: 'connecting',
  user: null,
  shift: null,
  summary: null,
  closedSummary: null,

  async boot() {
    const hello = await call('system.hello', {});
    useLayout.getState().setHello(hello.lane, hello.layout);
    const current = await call('session.current', {});
    if (!current.user) {
      // A new connection is a new, logged-out session: whatever was open on screen is stale.
      useUi.getState().closeDialog();
      useUi.getState().override?.resolve(null);
      set({ phase: 'login', user: null });
      return;
    }
    if (current.locked) {
      set({ phase: 'locked', user: current.user });
      return;
    }
    set({ user: current.user });
    await enterWorkplace();
  },

  async login(pin) {
    const { user } = await call('session.login', { pin });
    set({ user });
    await enterWorkplace();
  },

  async lock() {
    await call('session.lock', {});
    useUi.getState().closeDialog();
    set({ phase: 'locked' });
  },

  async logout() {
    await call('session.logout', {});
    useUi.getState().closeDialog();
    useReceipt.getState().clear();
    useReturns.getState().clear();
    set({ phase: 'login', user: null, shift: null, summary: null });
  },

  async refreshShift() {
    const { shift, summary } = await call('shift.current', {});
    set({ shift: shift && shift.status === 'open' ? shift : null, summary });
  },

  async openShift() {
    const shift = await call('shift.open', {});
    set({ shift, closedSummary: null });
    await get().refreshShift();
  },

  async closeShift() {
    const summary = await call('shift.close', {});
    useReceipt.getState().clear();
    set({ shift: null, summary: null, closedSummary: summary });
  },

  setSummary(summary) {
    set({ summary });
  },
}));

/** After login or unlock: the shift decides where the cashier lands; an open receipt is picked up. */
async function enterWorkplace(): Promise<void> {
  const session = useSession.getState();
  try {
    await session.refreshShift();
  } catch (error) {
    if (!(error instanceof CallError) || error.code !== 'NO_OPEN_SHIFT') throw error;
  }
  const hasShift = useSession.getState().shift !== null;
  useUi.getState().setView(hasShift ? 'sale' : 'shift');
  useSession.setState({ phase: 'ready' });
  if (hasShift) await useReceipt.getState().load();
}
