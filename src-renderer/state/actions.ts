// Running cashier actions: supervisor override on FORBIDDEN, errors as toasts, nothing swallowed.
import type { CallName, CallRequest, CallResponse } from '../../src-main/contract';
import { call, CallError, CancelledError } from '../transport/pos';
import { askSupervisorPin, closeOverride, overrideBusy, useUi } from './ui';

/**
 * Makes a call; when the lane answers FORBIDDEN with details.overridable, asks for a supervisor PIN
 * and repeats the very same call with {override: {pin}} until it succeeds or the cashier cancels.
 */
export async function callOverridable<N extends CallName>(name: N, payload: CallRequest<N>): Promise<CallResponse<N>> {
  try {
    return await call(name, payload);
  } catch (error) {
    if (!(error instanceof CallError) || !error.overridable) throw error;
  }
  let reason: CallError | null = null;
  for (;;) {
    const pin = await askSupervisorPin(reason ? reason.text : null);
    if (pin === null) {
      closeOverride();
      throw new CancelledError();
    }
    overrideBusy();
    try {
      const result = await call(name, payload, { pin });
      closeOverride();
      return result;
    } catch (error) {
      if (error instanceof CallError && (error.code === 'BAD_PIN' || error.overridable)) {
        reason = error; // wrong PIN or a PIN without the right: say so and ask again
        continue;
      }
      closeOverride();
      throw error;
    }
  }
}

export function reportError(error: unknown): void {
  if (error instanceof CancelledError) return;
  const ui = useUi.getState();
  if (error instanceof CallError) {
    if (error.code === 'MARKING_REFUSED') {
      // Not a toast: the cashier must read it, act on it (take the item back) and confirm.
      ui.openDialog({ kind: 'markingRefused', text: error.text, rule: typeof error.details['rule'] === 'string' ? error.details['rule'] : null });
      return;
    }
    ui.toast('error', error.text);
    // The lane forgot us (restart, lock from elsewhere): the app re-reads who is logged in.
    if (error.code === 'UNAUTHENTICATED') window.dispatchEvent(new Event('pos:unauthenticated'));
    return;
  }
  console.error(error);
  ui.toast('error', { key: 'error.unexpected' });
}

/** Runs an action and reports its failure; returns whether it succeeded. */
export async function attempt(action: () => Promise<unknown>): Promise<boolean> {
  try {
    await action();
    return true;
  } catch (error) {
    reportError(error);
    return false;
  }
}
