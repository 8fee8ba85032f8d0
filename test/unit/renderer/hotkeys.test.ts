import { describe, expect, it } from 'vitest';
import { buildHotkeyMatcher, parseChord } from '../../../src-renderer/keyboard/hotkeys';

const key = (k: string, mods: Partial<{ ctrl: boolean; alt: boolean; shift: boolean; meta: boolean }> = {}) =>
  ({ key: k, ctrl: false, alt: false, shift: false, meta: false, ...mods });

describe('hotkeys from the layout configuration', () => {
  it('parses modifiers and the plus key', () => {
    expect(parseChord('Ctrl+Shift+F2')).toEqual({ key: 'F2', ctrl: true, alt: false, shift: true, meta: false });
    expect(parseChord('+')?.key).toBe('+');
    expect(parseChord('Ctrl++')).toMatchObject({ key: '+', ctrl: true });
  });

  it('uses the lane map and falls back to the defaults for the rest', () => {
    const match = buildHotkeyMatcher({ pay: 'F11', void: 'Ctrl+D' });
    expect(match(key('F11'))).toBe('pay');
    expect(match(key('F6'))).toBeNull(); // pay moved away; F6 is free now
    expect(match(key('d', { ctrl: true }))).toBe('voidLine');
    expect(match(key('Delete'))).toBeNull();
    expect(match(key('F2'))).toBe('search');
  });

  it('ignores Shift for characters but not for named keys', () => {
    const match = buildHotkeyMatcher({});
    expect(match(key('+', { shift: true }))).toBe('quantityPlus');
    expect(match(key('F2', { shift: true }))).toBeNull();
    expect(match(key('F2', { ctrl: true }))).toBeNull();
  });
});
