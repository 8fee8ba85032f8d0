// When the scale panel's Zero and Tare buttons may be pressed, and what to tell the cashier when not.
// Pure, so the rules are tested without a browser. The lane checks again and answers in the scale's
// own words; these rules only keep a button from promising what the scale would refuse.
import type { LiveWeight, ScaleControls } from '../../../src-main/contract';

export type ScaleCommand = 'zero' | 'tare';

/** `hint` is an i18n key saying why the button is off (null when it is on, or nothing needs saying). */
export interface ScaleButtonState { enabled: boolean; hint: string | null }

export function scaleButtons(weight: LiveWeight | null, controls: ScaleControls | null, busy: boolean): Record<ScaleCommand, ScaleButtonState> {
  return { zero: buttonFor('zero', weight, controls, busy), tare: buttonFor('tare', weight, controls, busy) };
}

function buttonFor(command: ScaleCommand, weight: LiveWeight | null, controls: ScaleControls | null, busy: boolean): ScaleButtonState {
  const off = (hint: string | null): ScaleButtonState => ({ enabled: false, hint });
  if (!weight || weight.deviceId === null || weight.state === 'error') return off(null);
  // The controls describe one scale; until they are read for the scale being shown, promise nothing.
  if (!controls || controls.deviceId !== weight.deviceId) return off(null);
  if (!controls[command]) return off('devices.scale.ownKey');
  if (busy) return off(null);
  // The panel's note already says "not stable" or "empty"; a hint is only for what it does not say.
  switch (weight.state) {
    case 'unstable': return off(null);
    case 'overload': return off('devices.scale.unload');
    // Below zero and empty are what Zero is for (a lifted platform, a tare taken away); a tare needs a load.
    case 'underload': case 'zero': return command === 'zero' ? { enabled: true, hint: null } : off(null);
    case 'stable': return { enabled: true, hint: null };
  }
}
