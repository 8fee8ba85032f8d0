import { describe, expect, it } from 'vitest';
import { SHIFT_LIMIT_MS, shiftStepsBefore } from '../../../src-main/domain/fiscal-shift-plan';

const policy = { closeBeforeLimitMs: 10 * 60_000, autoOpen: true };
const opened = Date.parse('2026-11-22T09:00:00Z');

describe('shift steps before a fiscal document', () => {
  it('an open, young shift needs nothing', () => {
    expect(shiftStepsBefore({ shiftOpen: true, shiftOpenedAtMs: opened, shiftExpired: false }, opened + 3_600_000, policy)).toEqual([]);
  });
  it('no shift: open one (or refuse when auto-open is off)', () => {
    expect(shiftStepsBefore({ shiftOpen: false, shiftOpenedAtMs: null, shiftExpired: false }, opened, policy)).toEqual(['openShift']);
    expect(shiftStepsBefore({ shiftOpen: false, shiftOpenedAtMs: null, shiftExpired: false }, opened, { ...policy, autoOpen: false }))
      .toHaveProperty('blocked');
  });
  it('a shift within N minutes of 24 h is closed and a new one opened before selling', () => {
    const almost = opened + SHIFT_LIMIT_MS - 5 * 60_000;
    expect(shiftStepsBefore({ shiftOpen: true, shiftOpenedAtMs: opened, shiftExpired: false }, almost, policy)).toEqual(['closeShift', 'openShift']);
    const justBefore = opened + SHIFT_LIMIT_MS - 11 * 60_000;
    expect(shiftStepsBefore({ shiftOpen: true, shiftOpenedAtMs: opened, shiftExpired: false }, justBefore, policy)).toEqual([]);
  });
  it('a shift the register reports as expired is closed whatever the clocks say', () => {
    expect(shiftStepsBefore({ shiftOpen: true, shiftOpenedAtMs: null, shiftExpired: true }, opened, policy)).toEqual(['closeShift', 'openShift']);
  });
});
