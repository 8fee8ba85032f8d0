// Fiscal jobs run as steps with conditions on the register's state ("if the shift is over 24 h, or
// will be within N minutes, close it; if no shift is open, open one; then sell"). This decides the
// shift steps that must run before a document; the fiscal service persists and executes them.

/** A fiscal shift may last at most 24 hours (FN error 16h / register error 4Eh past that). */
export const SHIFT_LIMIT_MS = 24 * 60 * 60 * 1000;

export interface ShiftFacts {
  shiftOpen: boolean;
  /** When the open shift started (register clock), or null. */
  shiftOpenedAtMs: number | null;
  /** The register reports the 24 h limit as already exceeded (mode 3). */
  shiftExpired: boolean;
}

export interface ShiftPolicy {
  /** Close the shift this long before the 24 h limit rather than start a document that may cross it. */
  closeBeforeLimitMs: number;
  /** Open a shift automatically when none is open (a lane usually does; a gateway always does). */
  autoOpen: boolean;
}

export type ShiftStep = 'closeShift' | 'openShift';

export function shiftStepsBefore(facts: ShiftFacts, nowMs: number, policy: ShiftPolicy): ShiftStep[] | { blocked: string } {
  const steps: ShiftStep[] = [];
  let open = facts.shiftOpen;
  if (open) {
    const expiring = facts.shiftExpired
      || (facts.shiftOpenedAtMs !== null && nowMs >= facts.shiftOpenedAtMs + SHIFT_LIMIT_MS - policy.closeBeforeLimitMs);
    if (expiring) {
      steps.push('closeShift');
      open = false;
    }
  }
  if (!open) {
    if (!policy.autoOpen) return { blocked: 'no fiscal shift is open and automatic opening is off' };
    steps.push('openShift');
  }
  return steps;
}
