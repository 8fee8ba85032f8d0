// Text rules shared by the catalog import (what goes into the search indexes) and the repository
// (what a query is turned into), so that both sides fold text the same way.

/** Lower case, ё → е: «Жигулёвское» and «жигулевское» are the same word to a cashier. */
export function foldText(text: string): string {
  return text.toLowerCase().replace(/ё/g, 'е');
}

const WORD = /[\p{L}\p{N}\p{M}]+/gu;

/**
 * The words of a search query, folded. Everything else — quotes, *, :, -, ^, parentheses, and words
 * like NEAR/AND/OR once quoted — is dropped or neutralised, so user input never reaches FTS5 syntax.
 */
export function queryWords(query: string, maxWords = 8): string[] {
  return (foldText(query.slice(0, 256)).match(WORD) ?? []).slice(0, maxWords);
}

/** A word as an FTS5 string literal: double quotes doubled (words never hold them; belt and braces). */
export function ftsString(word: string): string {
  return `"${word.replace(/"/g, '""')}"`;
}

/** Distinct trigrams of a word (what the trigram tokenizer indexes). */
export function trigrams(word: string): string[] {
  const chars = [...word];
  const out = new Set<string>();
  for (let i = 0; i + 3 <= chars.length; i++) out.add(chars.slice(i, i + 3).join(''));
  return [...out];
}

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const s = [...a];
  const t = [...b];
  const rows: number[][] = [];
  for (let i = 0; i <= s.length; i++) rows.push(new Array<number>(t.length + 1).fill(0));
  for (let i = 0; i <= s.length; i++) rows[i]![0] = i;
  for (let j = 0; j <= t.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
    }
  }
  return rows[s.length]![t.length]!;
}

/**
 * How far a typed word (possibly an unfinished prefix) is from a catalog word: the distance to the
 * closest prefix of the catalog word whose length is within one of the typed length, or to the whole word.
 */
export function prefixDistance(typed: string, word: string): number {
  const n = [...typed].length;
  const chars = [...word];
  let best = editDistance(typed, word);
  for (let k = Math.max(1, n - 1); k <= Math.min(chars.length, n + 1); k++) {
    best = Math.min(best, editDistance(typed, chars.slice(0, k).join('')));
  }
  return best;
}
