// Structural sharing for what the lane sends: every answer and event is freshly parsed JSON, so a
// receipt that changed in one line arrives as all-new objects, and every row that shows a line would
// render again. reuseEqual keeps the previous object wherever the new one is deep-equal to it, so a
// memoised row (and a selector) sees "unchanged" by identity, and an answer that repeats what an event
// already brought changes nothing at all.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** `next`, with every part deep-equal to the same part of `prev` replaced by prev's object. */
export function reuseEqual<T>(prev: T, next: T): T {
  return share(prev as Json, next as Json) as T;
}

function share(prev: Json | undefined, next: Json): Json {
  if (prev === next) return next;
  if (Array.isArray(next)) {
    if (!Array.isArray(prev)) return next;
    let same = prev.length === next.length;
    const out = next.map((item, i) => {
      const kept = share(prev[i], item);
      if (kept !== prev[i]) same = false;
      return kept;
    });
    return same ? prev : out;
  }
  if (isObject(next)) {
    if (!isObject(prev)) return next;
    const keys = Object.keys(next);
    let same = keys.length === Object.keys(prev).length;
    const out: { [key: string]: Json } = {};
    for (const key of keys) {
      const kept = share(prev[key], next[key]!);
      if (kept !== prev[key]) same = false;
      out[key] = kept;
    }
    return same ? prev : out;
  }
  return next;
}

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
