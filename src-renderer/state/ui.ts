// What is on screen: the view, the one open dialog, toasts, the supervisor-PIN request, the language.
import { create } from 'zustand';
import type { LocalizedText, Sale, SaleReturn } from '../../src-main/contract';
import i18n from '../i18n';

export type View = 'sale' | 'shift' | 'journal' | 'videoSettings' | 'markingJournal' | 'deviceSettings' | 'return';

export type Dialog =
  | { kind: 'payment' }
  | { kind: 'preview'; sale: Sale; afterPayment: boolean }
  | { kind: 'parked' }
  | { kind: 'quantity' }
  | { kind: 'cashMove'; direction: 'in' | 'out' }
  | { kind: 'closeShift' }
  /** A marked item the permissive-mode rules refused: the large message the cashier reads aloud. */
  | { kind: 'markingRefused'; text: LocalizedText; rule: string | null }
  /** Returns (docs/returns.md): finding the sale, and the closed return with the money to hand back. */
  | { kind: 'returnSearch' }
  | { kind: 'returnDone'; ret: SaleReturn };

export interface Toast {
  id: number;
  kind: 'error' | 'info';
  /** A message from the main process (both languages), or an i18n key for the UI's own messages. */
  text: LocalizedText | { key: string };
}

interface OverrideRequest {
  /** Why the PIN is asked again (wrong PIN, not enough rights), or null the first time. */
  error: LocalizedText | null;
  busy: boolean;
  /** 1 for the first ask, 2 after a wrong PIN, … (the PIN field starts empty each time). */
  attempt: number;
  resolve(pin: string | null): void;
}

export type Lang = 'ru' | 'en';

interface UiState {
  view: View;
  dialog: Dialog | null;
  toasts: Toast[];
  override: OverrideRequest | null;
  lang: Lang;
  /** The manual barcode entry, shared by the entry field and the touch keypad. */
  manualCode: string;
  /** A scan has waited for its marking-code check longer than 200 ms: show that it is being checked. */
  checkingCode: boolean;
  setCheckingCode(checking: boolean): void;
  setView(view: View): void;
  openDialog(dialog: Dialog): void;
  closeDialog(): void;
  toast(kind: Toast['kind'], text: Toast['text']): void;
  dismissToast(id: number): void;
  setLang(lang: Lang): void;
  setManualCode(code: string): void;
}

let toastId = 1;
const TOAST_MS = 6000;
const LANG_KEY = 'prilavok.lang';

function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(LANG_KEY);
    if (saved === 'ru' || saved === 'en') return saved;
  } catch { /* storage may be unavailable; Russian is the default */ }
  return 'ru';
}

export const useUi = create<UiState>((set, get) => ({
  view: 'sale',
  dialog: null,
  toasts: [],
  override: null,
  lang: initialLang(),
  manualCode: '',
  checkingCode: false,
  setCheckingCode: (checkingCode) => set({ checkingCode }),
  setView: (view) => set({ view }),
  openDialog: (dialog) => set({ dialog }),
  closeDialog: () => set({ dialog: null }),
  toast: (kind, text) => {
    const id = toastId++;
    set((s) => ({ toasts: [...s.toasts.slice(-3), { id, kind, text }] }));
    setTimeout(() => get().dismissToast(id), TOAST_MS);
  },
  dismissToast: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
  setLang: (lang) => {
    try { localStorage.setItem(LANG_KEY, lang); } catch { /* not fatal */ }
    void i18n.changeLanguage(lang);
    document.documentElement.lang = lang;
    set({ lang });
  },
  setManualCode: (manualCode) => set({ manualCode }),
}));

/**
 * Asks for a supervisor PIN. Resolves with the PIN, or null when the cashier cancels.
 * Called again while the modal is open (wrong PIN), it shows the error and waits for another try.
 */
export function askSupervisorPin(error: LocalizedText | null): Promise<string | null> {
  return new Promise((resolve) => {
    const attempt = (useUi.getState().override?.attempt ?? 0) + 1;
    useUi.setState({ override: { error, busy: false, attempt, resolve } });
  });
}

export function overrideBusy(): void {
  const current = useUi.getState().override;
  if (current) useUi.setState({ override: { ...current, busy: true } });
}

export function closeOverride(): void {
  useUi.setState({ override: null });
}
