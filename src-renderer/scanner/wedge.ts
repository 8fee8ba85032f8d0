// Keyboard-wedge scanner detection. A scanner in keyboard mode "types" the code far faster than a
// person can (a few ms per key) and ends it with a suffix key (usually Enter). The detector holds
// printable keys back while a burst may be in progress, so that a scan never leaks into the focused
// field; when the keys turn out to be human typing it hands them back to be replayed in order.
//
// Pure logic: time is passed in with every key, nothing here reads a clock or touches the DOM.
// The DOM side (listening, preventing default, replaying) lives in useWedgeScanner.ts.

export interface WedgeConfig {
  /** A gap between two keys longer than this ends the burst (LaneInfo.wedge.maxInterKeyMs). */
  maxInterKeyMs: number;
  /** Shorter bursts are typing, not a scan. */
  minLength: number;
  /** The key the scanner sends after the code: "Enter" (also "\r", "\n"), "Tab" (also "\t"), or "" for none. */
  suffix: string;
  /** Characters the scanner sends before the code (stripped); "" for none. */
  prefix: string;
  /**
   * The key the scanner is set up to send for GS (reference §4.2): a KeyboardEvent.key such as "F8", or a
   * printable character such as "~". It becomes GS inside a scan; a printable one typed by a person is
   * replayed as itself, a named key outside a burst goes through untouched. "" for none.
   */
  gsSubstitute: string;
}

export const DEFAULT_WEDGE_CONFIG: WedgeConfig = { maxInterKeyMs: 30, minLength: 4, suffix: 'Enter', prefix: '', gsSubstitute: '' };

/** ASCII Group Separator: GS1 DataMatrix marking codes carry it between fields. */
export const GS = '\u001d';

/** Longest code we accept; longer bursts are not a scan (ScanCode caps at 256 in the contract). */
const MAX_CODE_LENGTH = 256;

export interface WedgeKeyInput {
  /** KeyboardEvent.key ("7", "A", "Enter", "Shift", …), or GS for Ctrl+] from a wedge. */
  key: string;
  timeMs: number;
  /**
   * What the key means in a scan when it differs from `key`: a scanner behind a Russian keyboard
   * layout produces "Ф" for the physical A key; the hook passes "A" here from KeyboardEvent.code.
   */
  scanChar?: string;
  /** A numpad digit typed with Alt held: part of a Windows Alt-code such as Alt+0029 (= GS). */
  altNumpad?: boolean;
}

export type WedgeEffect =
  | { type: 'scan'; code: string }
  /** Held-back keys that were human typing, in the order they were pressed. */
  | { type: 'replay'; keys: string[] };

export interface WedgeDecision {
  /** true: swallow this key (it is held back or is the suffix of a scan). false: let it through. */
  consume: boolean;
  /** Effects to apply BEFORE the key is let through (replays first keep typing in order). */
  effects: WedgeEffect[];
}

/** Alt-codes a scanner types for GS (Alt+0029, Alt+029, Alt+29). */
const GS_ALT_CODES = ['0029', '029', '29'];

const MODIFIERS = new Set(['Shift', 'Control', 'Alt', 'AltGraph', 'Meta', 'CapsLock', 'NumLock', 'Fn']);

export function normaliseSuffix(suffix: string): string {
  switch (suffix) {
    case '\r': case '\n': case '\r\n': case 'Enter': case 'CR': case 'LF': return 'Enter';
    case '\t': case 'Tab': return 'Tab';
    default: return suffix;
  }
}

/** A key that would insert a character: one code point, or GS. */
export function isPrintableKey(key: string): boolean {
  return key === GS || [...key].length === 1;
}

/** replay: false for a named substitute key (F8): nothing to give back to a field. */
interface Held { key: string; char: string; timeMs: number; replay: boolean }

export class WedgeDetector {
  private readonly config: WedgeConfig;
  private readonly suffixKey: string;
  private held: Held[] = [];
  /** Time of the last key that belonged to the burst (Alt-code digits count, though they hold nothing). */
  private lastMs = 0;
  /** Digits of an Alt-code typed so far. */
  private altDigits = '';

  constructor(config: Partial<WedgeConfig> = {}) {
    this.config = { ...DEFAULT_WEDGE_CONFIG, ...config };
    this.suffixKey = normaliseSuffix(this.config.suffix);
  }

  /** Keys currently held back (for tests and for the hook's timer). */
  get pending(): number {
    return this.held.length;
  }

  /** When the burst in progress will be over if no key comes: the time to call tick(). */
  deadline(): number | null {
    return this.held.length > 0 ? this.lastMs + this.config.maxInterKeyMs : null;
  }

  key(input: WedgeKeyInput): WedgeDecision {
    const { key, timeMs } = input;
    if (MODIFIERS.has(key)) return { consume: false, effects: [] }; // scanners press Shift for capitals
    if (input.altNumpad === true) return this.altCodeKey(key, timeMs);
    this.altDigits = '';

    const effects: WedgeEffect[] = [];
    const last = this.held.at(-1);
    const burstBroken = last !== undefined && timeMs - this.lastMs > this.config.maxInterKeyMs;

    const substitute = this.config.gsSubstitute;
    if (substitute !== '' && key === substitute) {
      const printable = isPrintableKey(key);
      if (printable || (last !== undefined && !burstBroken)) {
        if (burstBroken) this.flushInto(effects, timeMs);
        this.hold({ key, char: GS, timeMs, replay: printable }, effects);
        return { consume: true, effects };
      }
      // A named key (F8) pressed outside a burst is the cashier's own key: it goes through.
    }

    if (this.suffixKey !== '' && key === this.suffixKey) {
      if (last && !burstBroken) {
        const code = this.codeOf(this.held);
        if (code !== null) {
          this.held = [];
          return { consume: true, effects: [{ type: 'scan', code }] };
        }
      }
      this.flushInto(effects, timeMs);
      return { consume: false, effects };
    }

    if (isPrintableKey(key)) {
      if (burstBroken) this.flushInto(effects, timeMs);
      this.hold({ key, char: input.scanChar ?? key, timeMs, replay: true }, effects);
      return { consume: true, effects };
    }

    // Any other key (arrows, Backspace, F-keys, Escape …) ends a burst: what was held was typing.
    this.flushInto(effects, timeMs);
    return { consume: false, effects };
  }

  /**
   * Alt held + numpad digits: swallowed while they can still spell a GS Alt-code, GS held when they do.
   * Digits that turn out to be another Alt-code end the burst and go through (the ones already swallowed
   * are lost: an Alt-code typed by hand inside a scan burst is not worth holding back for).
   */
  private altCodeKey(key: string, timeMs: number): WedgeDecision {
    const effects: WedgeEffect[] = [];
    const digits = this.altDigits + key;
    if (!/^[0-9]$/.test(key) || !GS_ALT_CODES.some((c) => c.startsWith(digits))) {
      this.altDigits = '';
      this.flushInto(effects, timeMs);
      return { consume: false, effects };
    }
    if (this.held.length > 0 && timeMs - this.lastMs > this.config.maxInterKeyMs) this.flushInto(effects, timeMs);
    this.lastMs = timeMs;
    if (GS_ALT_CODES.includes(digits)) {
      this.altDigits = '';
      this.hold({ key: GS, char: GS, timeMs, replay: true }, effects);
    } else {
      this.altDigits = digits;
    }
    return { consume: true, effects };
  }

  private hold(entry: Held, effects: WedgeEffect[]): void {
    this.held.push(entry);
    this.lastMs = entry.timeMs;
    if (this.held.length > MAX_CODE_LENGTH + this.config.prefix.length) this.replayAll(effects);
  }

  /** Call when the deadline has passed with no new key. Returns what the held keys turned out to be. */
  tick(nowMs: number): WedgeEffect[] {
    if (this.held.length === 0 || nowMs - this.lastMs <= this.config.maxInterKeyMs) return [];
    const effects: WedgeEffect[] = [];
    this.flushInto(effects, nowMs);
    return effects;
  }

  /** Gives back everything held (e.g. when the screen changes). */
  reset(): WedgeEffect[] {
    const effects: WedgeEffect[] = [];
    this.replayAll(effects);
    return effects;
  }

  /** The burst ended without a suffix: a scan only when the scanner sends no suffix at all. */
  private flushInto(effects: WedgeEffect[], _nowMs: number): void {
    if (this.held.length === 0) return;
    if (this.suffixKey === '') {
      const code = this.codeOf(this.held);
      if (code !== null) {
        this.held = [];
        effects.push({ type: 'scan', code });
        return;
      }
    }
    this.replayAll(effects);
  }

  private replayAll(effects: WedgeEffect[]): void {
    this.altDigits = '';
    if (this.held.length === 0) return;
    const keys = this.held.filter((h) => h.replay).map((h) => h.key);
    if (keys.length > 0) effects.push({ type: 'replay', keys });
    this.held = [];
  }

  /** The scanned code if the held burst qualifies as a scan, else null. */
  private codeOf(held: Held[]): string | null {
    if (held.length < 2) return null; // one key is always typing, whatever minLength says
    let code = held.map((h) => h.char).join('');
    const { prefix, minLength } = this.config;
    if (prefix !== '') {
      if (!code.startsWith(prefix)) return null;
      code = code.slice(prefix.length);
    }
    if (code.length < Math.max(1, minLength) || code.length > MAX_CODE_LENGTH) return null;
    return code;
  }
}
