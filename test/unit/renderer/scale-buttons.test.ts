import { describe, expect, it } from 'vitest';
import { scaleButtons } from '../../../src-renderer/components/panels/scale-buttons';
import type { LiveWeight, ScaleControls } from '../../../src-main/contract';

const weight = (state: LiveWeight['state'], over: Partial<LiveWeight> = {}): LiveWeight => ({
  deviceId: 'scale-1', grams: state === 'zero' ? 0 : 1_234, stable: state === 'stable' || state === 'zero', state, unit: 'kg', message: null,
  at: '2026-11-23T09:00:00.000Z', ...over,
});
const both: ScaleControls = { deviceId: 'scale-1', zero: true, tare: true };
const on = { enabled: true, hint: null };
const off = (hint: string | null = null) => ({ enabled: false, hint });

describe('the scale panel\'s Zero and Tare buttons', () => {
  it('are both on for a stable load on a scale that takes them', () => {
    expect(scaleButtons(weight('stable'), both, false)).toEqual({ zero: on, tare: on });
  });

  it('allow Zero but not Tare on an empty platform or below zero', () => {
    expect(scaleButtons(weight('zero'), both, false)).toEqual({ zero: on, tare: off() });
    expect(scaleButtons(weight('underload', { grams: -40 }), both, false)).toEqual({ zero: on, tare: off() });
  });

  it('are off while the weight swings, and on overload they say to take the excess off', () => {
    expect(scaleButtons(weight('unstable'), both, false)).toEqual({ zero: off(), tare: off() });
    expect(scaleButtons(weight('overload', { grams: null }), both, false))
      .toEqual({ zero: off('devices.scale.unload'), tare: off('devices.scale.unload') });
  });

  it('say the scale has its own keys when it takes neither from the till', () => {
    expect(scaleButtons(weight('stable'), { deviceId: 'scale-1', zero: false, tare: false }, false))
      .toEqual({ zero: off('devices.scale.ownKey'), tare: off('devices.scale.ownKey') });
    expect(scaleButtons(weight('stable'), { deviceId: 'scale-1', zero: true, tare: false }, false))
      .toEqual({ zero: on, tare: off('devices.scale.ownKey') });
  });

  it('promise nothing without a working scale, for another scale\'s controls, or while a command runs', () => {
    expect(scaleButtons(null, both, false)).toEqual({ zero: off(), tare: off() });
    expect(scaleButtons(weight('error', { deviceId: null, grams: null }), both, false)).toEqual({ zero: off(), tare: off() });
    expect(scaleButtons(weight('error', { grams: null }), both, false)).toEqual({ zero: off(), tare: off() });
    expect(scaleButtons(weight('stable'), { ...both, deviceId: 'scale-2' }, false)).toEqual({ zero: off(), tare: off() });
    expect(scaleButtons(weight('stable'), null, false)).toEqual({ zero: off(), tare: off() });
    expect(scaleButtons(weight('stable'), both, true)).toEqual({ zero: off(), tare: off() });
  });

  it('name only hints that exist in both languages', async () => {
    const ru = (await import('../../../src-renderer/i18n/ru.json')).default as { devices: { scale: Record<string, string> } };
    const en = (await import('../../../src-renderer/i18n/en.json')).default as { devices: { scale: Record<string, string> } };
    for (const key of ['zero', 'tare', 'zeroTitle', 'tareTitle', 'ownKey', 'unload']) {
      expect(ru.devices.scale[key], `ru ${key}`).toBeTruthy();
      expect(en.devices.scale[key], `en ${key}`).toBeTruthy();
    }
  });
});
