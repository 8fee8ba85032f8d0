// Picks the cashier's language from a message the main process sent in both languages.
import type { LocalizedText } from '../../src-main/contract';
import { useUi, type Lang } from '../state/ui';

export function pick(text: LocalizedText, lang: Lang): string {
  return text[lang] || text.ru;
}

export function useLang(): Lang {
  return useUi((s) => s.lang);
}
