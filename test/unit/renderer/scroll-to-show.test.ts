import { describe, expect, it } from 'vitest';
import { scrollToShow } from '../../../src-renderer/components/panels/scroll-to-show';

describe('scrollToShow: the receipt keeps the selected line in view without reading layout', () => {
  const row = 52;
  const view = 520; // ten rows

  it('leaves the list alone when the row is in view, top and bottom rows included', () => {
    expect(scrollToShow(0, row, 0, view)).toBeNull();
    expect(scrollToShow(9, row, 0, view)).toBeNull();
    expect(scrollToShow(15, row, 10 * row, view)).toBeNull();
  });

  it('scrolls down just enough to show a row below the view (a new line at the end)', () => {
    expect(scrollToShow(10, row, 0, view)).toBe(row);
    expect(scrollToShow(299, row, 0, view)).toBe(300 * row - view);
  });

  it('scrolls up to a row above the view', () => {
    expect(scrollToShow(3, row, 10 * row, view)).toBe(3 * row);
  });

  it('does nothing in a view not laid out yet, and shows the top of a row taller than the view', () => {
    expect(scrollToShow(5, row, 0, 0)).toBeNull();
    expect(scrollToShow(1, row, 0, 10)).toBe(row);
    expect(scrollToShow(0, row, row, 10)).toBe(0);
  });
});
