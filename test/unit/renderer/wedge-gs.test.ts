// GS typed by a keyboard-wedge scanner as Alt+0029 or as a configured substitute key (reference §4.2).
import { describe, expect, it } from 'vitest';
import { GS, WedgeDetector, type WedgeEffect, type WedgeKeyInput } from '../../../src-renderer/scanner/wedge';

function feed(detector: WedgeDetector, keys: WedgeKeyInput[]) {
  const consumed: boolean[] = [];
  const effects: WedgeEffect[] = [];
  for (const k of keys) {
    const decision = detector.key(k);
    consumed.push(decision.consume);
    effects.push(...decision.effects);
  }
  return { consumed, effects };
}

let clock = 0;
const typed = (text: string, gapMs = 3): WedgeKeyInput[] => [...text].map((key) => ({ key, timeMs: (clock += gapMs) }));
const altCode = (digits: string, gapMs = 3): WedgeKeyInput[] => [
  { key: 'Alt', timeMs: (clock += gapMs) },
  ...[...digits].map((key) => ({ key, timeMs: (clock += gapMs), altNumpad: true })),
];
const key = (name: string, gapMs = 3): WedgeKeyInput => ({ key: name, timeMs: (clock += gapMs) });

describe('GS from a keyboard-wedge scanner', () => {
  it('Alt+0029 inside a burst becomes GS and no key leaks', () => {
    const d = new WedgeDetector({ minLength: 8 });
    const { consumed, effects } = feed(d, [...typed("0104670540176099215'W9Um"), ...altCode('0029'), ...typed('93dGVz'), key('Enter')]);
    expect(effects).toEqual([{ type: 'scan', code: `0104670540176099215'W9Um${GS}93dGVz` }]);
    expect(consumed.filter((c, i) => !c && i > 0).length).toBe(1); // only the Alt modifier itself goes through
  });

  it('Alt+029 and a leading Alt+0029 (FNC1 first) work too', () => {
    const d = new WedgeDetector({ minLength: 8 });
    const { effects } = feed(d, [...altCode('0029'), ...typed('0104670540176099215ab'), ...altCode('029'), ...typed('93dGVz'), key('Enter')]);
    expect(effects).toEqual([{ type: 'scan', code: `${GS}0104670540176099215ab${GS}93dGVz` }]);
  });

  it('the digits of an Alt-code keep the burst alive though they hold nothing yet', () => {
    const d = new WedgeDetector({ maxInterKeyMs: 30, minLength: 4 });
    // Last printable key at t, GS completes 5 keys × 8 ms later: each gap is short, the total is not.
    const { effects } = feed(d, [...typed('ABCD', 8), ...altCode('0029', 8), ...typed('EF', 8), key('Enter', 8)]);
    expect(effects).toEqual([{ type: 'scan', code: `ABCD${GS}EF` }]);
  });

  it('another Alt-code ends the burst and goes through', () => {
    const d = new WedgeDetector({ minLength: 4 });
    const held = feed(d, typed('hello'));
    expect(held.effects).toEqual([]);
    const alt = feed(d, altCode('0171'));
    expect(alt.consumed).toEqual([false, true, false, false, false]); // Alt, "0" (could still be 0029), then "1" breaks it
    expect(alt.effects).toEqual([{ type: 'replay', keys: [...'hello'] }]);
  });

  it('a named substitute key (F8) becomes GS inside a burst', () => {
    const d = new WedgeDetector({ minLength: 8, gsSubstitute: 'F8' });
    const { consumed, effects } = feed(d, [...typed("0104670540176099215'W9Um"), key('F8'), ...typed('93dGVz'), key('Enter')]);
    expect(consumed.every(Boolean)).toBe(true);
    expect(effects).toEqual([{ type: 'scan', code: `0104670540176099215'W9Um${GS}93dGVz` }]);
  });

  it('F8 pressed by the cashier outside a burst goes through as a key', () => {
    const d = new WedgeDetector({ gsSubstitute: 'F8' });
    expect(d.key(key('F8', 1000))).toEqual({ consume: false, effects: [] });
  });

  it('a held burst that turns out to be typing replays without the named substitute', () => {
    const d = new WedgeDetector({ minLength: 4, gsSubstitute: 'F8' });
    feed(d, [...typed('ab'), key('F8')]);
    expect(d.tick(clock + 100)).toEqual([{ type: 'replay', keys: ['a', 'b'] }]);
  });

  it('a printable substitute (~) becomes GS in a scan but is replayed as itself when typed', () => {
    const d = new WedgeDetector({ minLength: 4, gsSubstitute: '~' });
    expect(feed(d, [...typed('0104~93ab'), key('Enter')]).effects).toEqual([{ type: 'scan', code: `0104${GS}93ab` }]);
    feed(d, [key('~', 1000)]);
    expect(d.tick(clock + 100)).toEqual([{ type: 'replay', keys: ['~'] }]);
  });
});
