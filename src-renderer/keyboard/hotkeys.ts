// Hotkeys come from LayoutConfig.hotkeys (action → key). These defaults fill what a lane leaves out
// and are the ones documented in docs/hotkeys.md.

export const HOTKEY_ACTIONS = [
  'search', 'quantity', 'park', 'parked', 'pay', 'voidLine', 'journal', 'shift', 'lock', 'close',
  'quantityPlus', 'quantityMinus', 'lineUp', 'lineDown', 'sale', 'barcode', 'payCashExact', 'return',
] as const;
export type HotkeyAction = (typeof HOTKEY_ACTIONS)[number];

export const DEFAULT_HOTKEYS: Record<HotkeyAction, string> = {
  search: 'F2',
  quantity: 'F3',
  park: 'F4',
  parked: 'F5',
  pay: 'F6',
  voidLine: 'Delete',
  journal: 'F9',
  shift: 'F10',
  lock: 'F12',
  close: 'Escape',
  quantityPlus: '+',
  quantityMinus: '-',
  lineUp: 'ArrowUp',
  lineDown: 'ArrowDown',
  sale: 'F8',
  barcode: 'F7',
  payCashExact: 'Ctrl+Enter',
  return: 'F11',
};

/** Other names a lane's configuration may use for the same action. */
const ALIASES: Record<string, HotkeyAction> = {
  void: 'voidLine', 'void-line': 'voidLine', 'receipt.voidLine': 'voidLine',
  payment: 'pay', 'receipt.pay': 'pay', qty: 'quantity', setQuantity: 'quantity',
  parkedList: 'parked', resume: 'parked', plus: 'quantityPlus', minus: 'quantityMinus',
  increment: 'quantityPlus', decrement: 'quantityMinus', exactCash: 'payCashExact',
  up: 'lineUp', down: 'lineDown', escape: 'close', cancel: 'close', 'sales.journal': 'journal',
  returns: 'return', 'sale.return': 'return', refund: 'return',
};

export interface KeyChord {
  key: string;
  ctrl: boolean;
  alt: boolean;
  shift: boolean;
  meta: boolean;
}

/** "Ctrl+Shift+F2" → chord; "+" and "Ctrl++" are the plus key. */
export function parseChord(text: string): KeyChord | null {
  const match = /^((?:(?:ctrl|control|alt|shift|meta|cmd)\+)*)(.+)$/i.exec(text.trim());
  if (!match) return null;
  const mods = match[1]!.toLowerCase();
  return {
    key: match[2]!,
    ctrl: mods.includes('ctrl') || mods.includes('control'),
    alt: mods.includes('alt'),
    shift: mods.includes('shift'),
    meta: mods.includes('meta') || mods.includes('cmd'),
  };
}

function sameKey(a: string, b: string): boolean {
  if (a === b) return true;
  if (a.length === 1 && b.length === 1) return a.toLowerCase() === b.toLowerCase();
  const norm = (k: string) => (k === 'Esc' ? 'Escape' : k === 'Del' ? 'Delete' : k === 'Space' ? ' ' : k);
  return norm(a) === norm(b);
}

/** Does a key event (or a replayed key) match a configured chord? Shift is ignored for characters: "+" needs it on one keyboard and not on another. */
export function chordMatches(chord: KeyChord, event: KeyChord): boolean {
  if (!sameKey(chord.key, event.key)) return false;
  const printable = [...chord.key].length === 1;
  return chord.ctrl === event.ctrl && chord.alt === event.alt && chord.meta === event.meta
    && (printable || chord.shift === event.shift);
}

/** Resolves a lane's hotkey map (with aliases) into a matcher. First configured action wins. */
export function buildHotkeyMatcher(map: Record<string, string>): (event: KeyChord) => HotkeyAction | null {
  const entries: Array<[HotkeyAction, KeyChord]> = [];
  const seen = new Set<HotkeyAction>();
  const add = (action: HotkeyAction, key: string) => {
    const chord = parseChord(key);
    if (chord && !seen.has(action)) {
      seen.add(action);
      entries.push([action, chord]);
    }
  };
  for (const [name, key] of Object.entries(map)) {
    const action = (HOTKEY_ACTIONS as readonly string[]).includes(name) ? (name as HotkeyAction) : ALIASES[name];
    if (action) add(action, key);
  }
  for (const action of HOTKEY_ACTIONS) add(action, DEFAULT_HOTKEYS[action]);
  return (event) => entries.find(([, chord]) => chordMatches(chord, event))?.[0] ?? null;
}

export function chordOf(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'altKey' | 'shiftKey' | 'metaKey'>): KeyChord {
  return { key: event.key, ctrl: event.ctrlKey, alt: event.altKey, shift: event.shiftKey, meta: event.metaKey };
}

/** The key to print on a button: "F6", "Del", "+". */
export function keyLabel(map: Record<string, string>, action: HotkeyAction): string {
  const key = map[action] ?? DEFAULT_HOTKEYS[action];
  return key.replace('Delete', 'Del').replace('Escape', 'Esc').replace('ArrowUp', '↑').replace('ArrowDown', '↓');
}
