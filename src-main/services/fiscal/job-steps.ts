// Batch jobs with conditions: each job kind is a list of steps run in order with stop-on-failure;
// a step runs only if its condition on the register's state holds right before it (evaluated again
// after every redo, so a step whose effect already happened is skipped rather than repeated).
import { shiftStepsBefore, type ShiftFacts } from '../../domain/fiscal-shift-plan';
import type { FiscalJobKind, FiscalStepAction, FiscalStepCondition } from '../../store/fiscal-journal';

export interface StepPlan { action: FiscalStepAction; condition: FiscalStepCondition }

const SHIFT_READY: StepPlan[] = [
  { action: 'closeShift', condition: 'shiftExpiring' },
  { action: 'openShift', condition: 'shiftClosed' },
];

export const JOB_STEPS: Record<FiscalJobKind, StepPlan[]> = {
  sale: [...SHIFT_READY, { action: 'receipt', condition: 'always' }],
  receipt: [...SHIFT_READY, { action: 'receipt', condition: 'always' }],
  open_shift: SHIFT_READY,
  close_shift: [{ action: 'closeShift', condition: 'shiftOpen' }],
  x_report: [{ action: 'xReport', condition: 'always' }],
  cash_in: [...SHIFT_READY, { action: 'cashIn', condition: 'always' }],
  cash_out: [...SHIFT_READY, { action: 'cashOut', condition: 'always' }],
  correction: [...SHIFT_READY, { action: 'correction', condition: 'always' }],
};

/** The step whose document is the job's own (stored on the job row). */
export const MAIN_ACTION: Record<FiscalJobKind, FiscalStepAction> = {
  sale: 'receipt', receipt: 'receipt', open_shift: 'openShift', close_shift: 'closeShift', x_report: 'xReport', cash_in: 'cashIn', cash_out: 'cashOut',
  correction: 'correction',
};

export type ConditionResult = { run: boolean } | { blocked: string };

export function conditionHolds(condition: FiscalStepCondition, shift: ShiftFacts, nowMs: number,
  policy: { closeBeforeLimitMs: number; autoOpen: boolean }): ConditionResult {
  switch (condition) {
    case 'always': return { run: true };
    case 'shiftOpen': return { run: shift.shiftOpen };
    case 'shiftExpiring': {
      const plan = shiftStepsBefore(shift, nowMs, { closeBeforeLimitMs: policy.closeBeforeLimitMs, autoOpen: true });
      return { run: !('blocked' in plan) && plan.includes('closeShift') };
    }
    case 'shiftClosed': {
      const plan = shiftStepsBefore(shift, nowMs, policy);
      if ('blocked' in plan) return plan;
      // An expired shift is closed by the step before; here only "is none open" counts.
      return { run: plan.includes('openShift') && !plan.includes('closeShift') };
    }
  }
}
