// Where to scroll a list of fixed-height rows so that one row is in view, decided from numbers the list
// already knows (no layout is read). Used by the receipt's lines.

/**
 * The scroll position that brings row `index` into a view `height` high now scrolled to `top`; null when
 * it is in view already (nothing to do: a click on a visible line must not move the list) or the view has
 * no height yet. A row below the view ends at the view's bottom; one above, or taller than the view,
 * starts at its top.
 */
export function scrollToShow(index: number, rowHeight: number, top: number, height: number): number | null {
  if (height <= 0) return null;
  const rowTop = index * rowHeight;
  const rowBottom = rowTop + rowHeight;
  if (rowTop < top) return rowTop;
  if (rowBottom > top + height) return Math.max(0, Math.min(rowTop, rowBottom - height));
  return null;
}
