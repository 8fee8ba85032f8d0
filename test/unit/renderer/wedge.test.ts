import { describe, expect, it } from 'vitest';
import { GS, WedgeDetector, type WedgeEffect } from '../../../src-renderer/scanner/wedge';

/** Feeds keys with explicit timestamps; returns everything the detector decided. */
function feed(detector: WedgeDetector, keys: Array<[string, number]>) {
  const consumed: boolean[] = [];
  const effects: WedgeEffect[] = [];
  for (const [key, timeMs] of keys) {
    const decision = detector.key({ key, timeMs });
    consumed.push(decision.consume);
    effects.push(...decision.effects);
  }
  return { consumed, effects };
}

function burst(text: string, startMs: number, gapMs: number): Array<[string, number]> {
  return [...text].map((ch, i) => [ch, startMs + i * gapMs]);
}

describe('keyboard-wedge detector', () => {
  it('a fast burst ended by Enter is a scan and no key of it leaks', () => {
    const d = new WedgeDetector({ maxInterKeyMs: 30, minLength: 4, suffix: 'Enter' });
    const keys = burst('4607001234567', 1000, 5);
    const { consumed, effects } = feed(d, [...keys, ['Enter', 1000 + 13 * 5]]);
    expect(consumed.every(Boolean)).toBe(true);
    expect(effects).toEqual([{ type: 'scan', code: '4607001234567' }]);
    expect(d.pending).toBe(0);
  });

  it('human typing is handed back in order and Enter goes through', () => {
    const d = new WedgeDetector({ maxInterKeyMs: 30, minLength: 4, suffix: 'Enter' });
    const effects: WedgeEffect[] = [];
    let t = 0;
    for (const ch of 'молоко') {
      const decision = d.key({ key: ch, timeMs: t });
      expect(decision.consume).toBe(true); // held until we know
      effects.push(...decision.effects);
      effects.push(...d.tick(t + 31)); // the hook's timer fires: a person is typing
      t += 150;
    }
    const enter = d.key({ key: 'Enter', timeMs: t });
    expect(enter.consume).toBe(false);
    const typed = effects.flatMap((e) => (e.type === 'replay' ? e.keys : []));
    expect(typed.join('')).toBe('молоко');
    expect(effects.some((e) => e.type === 'scan')).toBe(false);
  });

  it('a slow key after held ones replays the held ones first, even if the timer was late', () => {
    const d = new WedgeDetector({ maxInterKeyMs: 30, minLength: 4, suffix: 'Enter' });
    const first = d.key({ key: 'a', timeMs: 0 });
    expect(first.effects).toEqual([]);
    const second = d.key({ key: 'b', timeMs: 200 });
    expect(second.effects).toEqual([{ type: 'replay', keys: ['a'] }]);
    expect(d.tick(300)).toEqual([{ type: 'replay', keys: ['b'] }]);
  });

  it('a fast burst without the suffix is not a scan: it is replayed as typing', () => {
    const d = new WedgeDetector({ maxInterKeyMs: 30, minLength: 4, suffix: 'Enter' });
    const { consumed, effects } = feed(d, burst('12345678', 0, 5));
    expect(consumed.every(Boolean)).toBe(true);
    expect(effects).toEqual([]);
    expect(d.tick(35 + 31)).toEqual([{ type: 'replay', keys: [...'12345678'] }]);
  });

  it('Enter after a pause is not a scan suffix', () => {
    const d = new WedgeDetector({ maxInterKeyMs: 30, minLength: 4, suffix: 'Enter' });
    feed(d, burst('12345678', 0, 5));
    const enter = d.key({ key: 'Enter', timeMs: 35 + 500 });
    expect(enter.consume).toBe(false);
    expect(enter.effects).toEqual([{ type: 'replay', keys: [...'12345678'] }]);
  });

  it('a fast burst shorter than minLength is typing', () => {
    const d = new WedgeDetector({ maxInterKeyMs: 30, minLength: 6, suffix: 'Enter' });
    const { effects } = feed(d, [...burst('123', 0, 5), ['Enter', 15]]);
    expect(effects).toEqual([{ type: 'replay', keys: ['1', '2', '3'] }]);
  });

  it('keeps the GS separator of a marking code', () => {
    const d = new WedgeDetector({ maxInterKeyMs: 30, minLength: 8, suffix: 'Enter' });
    const code = `0104600439931256215Ab6cd${GS}91EE06${GS}92abcdefgh`;
    const { effects } = feed(d, [...burst(code, 0, 3), ['Enter', code.length * 3]]);
    expect(effects).toEqual([{ type: 'scan', code }]);
    expect((effects[0] as { code: string }).code.includes(GS)).toBe(true);
  });

  it('Shift pressed for capitals inside a burst does not break it', () => {
    const d = new WedgeDetector({ maxInterKeyMs: 30, minLength: 4, suffix: 'Enter' });
    const { effects } = feed(d, [['A', 0], ['Shift', 2], ['B', 4], ['1', 8], ['2', 12], ['Enter', 16]]);
    expect(effects).toEqual([{ type: 'scan', code: 'AB12' }]);
  });

  it('uses the layout-independent character of a key for the scan but replays what was typed', () => {
    const d = new WedgeDetector({ maxInterKeyMs: 30, minLength: 3, suffix: 'Enter' });
    const scan = [d.key({ key: 'ф', scanChar: 'a', timeMs: 0 }), d.key({ key: 'и', scanChar: 'b', timeMs: 5 }), d.key({ key: '1', timeMs: 10 }), d.key({ key: 'Enter', timeMs: 15 })];
    expect(scan.flatMap((x) => x.effects)).toEqual([{ type: 'scan', code: 'ab1' }]);
    d.key({ key: 'ф', scanChar: 'a', timeMs: 1000 });
    expect(d.tick(1100)).toEqual([{ type: 'replay', keys: ['ф'] }]);
  });

  it('a non-printable key ends a burst and lets itself through after the replay', () => {
    const d = new WedgeDetector({ maxInterKeyMs: 30, minLength: 4, suffix: 'Enter' });
    d.key({ key: 'x', timeMs: 0 });
    const backspace = d.key({ key: 'Backspace', timeMs: 10 });
    expect(backspace).toEqual({ consume: false, effects: [{ type: 'replay', keys: ['x'] }] });
  });

  it('with no suffix configured a burst ending by silence is a scan', () => {
    const d = new WedgeDetector({ maxInterKeyMs: 30, minLength: 4, suffix: '' });
    feed(d, burst('46070012', 0, 5));
    expect(d.tick(35 + 31)).toEqual([{ type: 'scan', code: '46070012' }]);
  });

  it('strips a configured prefix and refuses bursts without it', () => {
    const d = new WedgeDetector({ maxInterKeyMs: 30, minLength: 4, suffix: 'Enter', prefix: '~' });
    const ok = feed(d, [...burst('~12345', 0, 5), ['Enter', 30]]);
    expect(ok.effects).toEqual([{ type: 'scan', code: '12345' }]);
    const bad = feed(d, [...burst('12345', 100, 5), ['Enter', 130]]);
    expect(bad.effects).toEqual([{ type: 'replay', keys: [...'12345'] }]);
  });

  it('the deadline tells when to look again', () => {
    const d = new WedgeDetector({ maxInterKeyMs: 30 });
    expect(d.deadline()).toBeNull();
    d.key({ key: '1', timeMs: 100 });
    expect(d.deadline()).toBe(130);
    expect(d.tick(120)).toEqual([]);
    expect(d.reset()).toEqual([{ type: 'replay', keys: ['1'] }]);
  });
});
