// The DOM side of keyboard-wedge detection: listens before anything else (window, capture phase),
// swallows keys while a burst may be a scan, and replays them into the field they were typed in
// when they turn out to be a person typing.
import { useEffect, useRef } from 'react';
import { GS, WedgeDetector, type WedgeConfig, type WedgeEffect } from './wedge';

export interface WedgeOptions {
  enabled: boolean;
  config: Partial<WedgeConfig>;
  onScan(code: string): void;
  /** A replayed key with no text field to go to (e.g. "+" as a hotkey, digits for the barcode field). */
  onStrayKey(key: string): void;
}

export function isEditable(element: Element | null): element is HTMLInputElement | HTMLTextAreaElement {
  if (!element) return false;
  if (element instanceof HTMLTextAreaElement) return !element.readOnly && !element.disabled;
  if (element instanceof HTMLInputElement) {
    const textual = ['text', 'search', 'tel', 'password', 'number', 'email', 'url', ''].includes(element.type);
    return textual && !element.readOnly && !element.disabled;
  }
  return false;
}

/** Types text into a field as if from the keyboard, so React and the caret behave normally. */
export function insertIntoField(field: HTMLInputElement | HTMLTextAreaElement, text: string): void {
  if (document.activeElement !== field) field.focus();
  if (document.execCommand('insertText', false, text)) return;
  // Fallback: set the value through the native setter so React sees an input event.
  const proto = field instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
  const setter = Object.getOwnPropertyDescriptor(proto, 'value')?.set;
  const start = field.selectionStart ?? field.value.length;
  const end = field.selectionEnd ?? field.value.length;
  setter?.call(field, field.value.slice(0, start) + text + field.value.slice(end));
  field.setSelectionRange(start + text.length, start + text.length);
  field.dispatchEvent(new Event('input', { bubbles: true }));
}

/** On a Russian layout a scanner's letters arrive as Cyrillic; the physical key tells the real one. */
function scanCharOf(event: KeyboardEvent, key: string): string | undefined {
  if (key === GS || /^[\x20-\x7e]$/.test(key)) return undefined;
  const letter = /^Key([A-Z])$/.exec(event.code);
  if (letter) return event.shiftKey ? letter[1] : letter[1]!.toLowerCase();
  const digit = /^(?:Digit|Numpad)([0-9])$/.exec(event.code);
  return digit ? digit[1] : undefined;
}

export function useWedgeScanner(options: WedgeOptions): void {
  const latest = useRef(options);
  latest.current = options;

  const { maxInterKeyMs, minLength, suffix, prefix, gsSubstitute } = options.config;
  useEffect(() => {
    if (!options.enabled) return;
    const detector = new WedgeDetector({
      ...(maxInterKeyMs !== undefined && { maxInterKeyMs }),
      ...(minLength !== undefined && { minLength }),
      ...(suffix !== undefined && { suffix }),
      ...(prefix !== undefined && { prefix }),
      ...(gsSubstitute !== undefined && { gsSubstitute }),
    });
    const wait = (maxInterKeyMs ?? 30) + 15;
    let target: Element | null = null; // where the held keys were typed
    let timer: ReturnType<typeof setTimeout> | null = null;

    const apply = (effects: WedgeEffect[]) => {
      for (const effect of effects) {
        if (effect.type === 'scan') {
          latest.current.onScan(effect.code);
        } else if (isEditable(target) && target.isConnected) {
          insertIntoField(target, effect.keys.join(''));
        } else {
          for (const key of effect.keys) latest.current.onStrayKey(key);
        }
      }
    };

    const arm = () => {
      if (timer) clearTimeout(timer);
      timer = null;
      if (detector.pending === 0) return;
      timer = setTimeout(function check() {
        timer = null;
        const deadline = detector.deadline();
        if (deadline === null) return;
        const now = performance.now();
        if (now <= deadline) {
          timer = setTimeout(check, deadline - now + 5);
          return;
        }
        apply(detector.tick(now));
      }, wait);
    };

    const onKeyDown = (event: KeyboardEvent) => {
      if (event.isComposing) return;
      let key = event.key;
      const gs = event.ctrlKey && (event.code === 'BracketRight' || key === ']' || key === GS);
      // Alt held + numpad digits: a Windows Alt-code (Alt+0029 = GS); the detector decides.
      const altNumpad = !gs && event.altKey && !event.ctrlKey && !event.metaKey && /^Numpad[0-9]$/.test(event.code);
      if (gs) key = GS;
      else if (altNumpad) key = event.code.slice('Numpad'.length);
      else if (event.ctrlKey || event.altKey || event.metaKey) {
        // A shortcut ends whatever was held; the shortcut itself goes through.
        apply(detector.reset());
        arm();
        return;
      }
      const focused = document.activeElement;
      if (detector.pending === 0) target = focused;
      const scanChar = altNumpad ? undefined : scanCharOf(event, key);
      const decision = detector.key({ key, timeMs: event.timeStamp, ...(scanChar !== undefined && { scanChar }), ...(altNumpad && { altNumpad }) });
      if (decision.consume) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
      apply(decision.effects);
      // A slow key replays the old burst into its field and starts a new one where the cashier is now.
      if (decision.consume && detector.pending === 1) target = focused;
      arm();
    };

    window.addEventListener('keydown', onKeyDown, true);
    return () => {
      window.removeEventListener('keydown', onKeyDown, true);
      if (timer) clearTimeout(timer);
      apply(detector.reset());
    };
  }, [options.enabled, maxInterKeyMs, minLength, suffix, prefix, gsSubstitute]);
}
