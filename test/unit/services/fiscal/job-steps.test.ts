import { describe, expect, it } from 'vitest';
import { conditionHolds, JOB_STEPS } from '../../../../src-main/services/fiscal/job-steps';

const H = 3_600_000;
const policy = { closeBeforeLimitMs: 15 * 60_000, autoOpen: true };
const openAt = (ms: number) => ({ shiftOpen: true, shiftOpenedAtMs: ms, shiftExpired: false });
const closed = { shiftOpen: false, shiftOpenedAtMs: null, shiftExpired: false };

describe('fiscal job steps and their conditions', () => {
  it('a sale job makes its shift ready, then sells', () => {
    expect(JOB_STEPS.sale.map((s) => `${s.action}?${s.condition}`)).toEqual(['closeShift?shiftExpiring', 'openShift?shiftClosed', 'receipt?always']);
    expect(JOB_STEPS.close_shift).toEqual([{ action: 'closeShift', condition: 'shiftOpen' }]);
  });

  it('closes a shift within the margin before 24 h, or one the register says has expired', () => {
    expect(conditionHolds('shiftExpiring', openAt(0), 23 * H, policy)).toEqual({ run: false });
    expect(conditionHolds('shiftExpiring', openAt(0), 24 * H - 10 * 60_000, policy)).toEqual({ run: true });
    expect(conditionHolds('shiftExpiring', { ...openAt(0), shiftExpired: true }, H, policy)).toEqual({ run: true });
    expect(conditionHolds('shiftExpiring', closed, H, policy)).toEqual({ run: false });
  });

  it('opens a shift only when none is open, and waits when automatic opening is off', () => {
    expect(conditionHolds('shiftClosed', closed, 0, policy)).toEqual({ run: true });
    expect(conditionHolds('shiftClosed', openAt(0), H, policy)).toEqual({ run: false });
    expect(conditionHolds('shiftClosed', closed, 0, { ...policy, autoOpen: false })).toHaveProperty('blocked');
    expect(conditionHolds('shiftOpen', closed, 0, policy)).toEqual({ run: false });
    expect(conditionHolds('always', closed, 0, policy)).toEqual({ run: true });
  });
});
