// The workplace keyboard: wedge scanner first (capture phase), then hotkeys from the layout map.
import { useEffect, useMemo, useRef } from 'react';
import { attempt } from '../state/actions';
import { useLayout } from '../state/layout';
import { useReceipt } from '../state/receipt';
import { useReturns } from '../state/returns';
import { useSession } from '../state/session';
import { useUi } from '../state/ui';
import { insertIntoField, isEditable, useWedgeScanner } from '../scanner/useWedgeScanner';
import { runCommand } from './commands';
import { buildHotkeyMatcher, chordOf, type HotkeyAction, type KeyChord } from './hotkeys';

/** Keys a text field needs for itself; as hotkeys they only work outside fields. */
const FIELD_KEYS = new Set(['Delete', 'Backspace', 'ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Home', 'End', ' ', 'Enter']);

function belongsToField(chord: KeyChord): boolean {
  return !chord.ctrl && !chord.alt && !chord.meta && ([...chord.key].length === 1 || FIELD_KEYS.has(chord.key));
}

/** Actions that still work while a dialog is open. */
const IN_DIALOG: ReadonlySet<HotkeyAction> = new Set(['close']);

export function useWorkplaceKeyboard(): void {
  const hotkeys = useLayout((s) => s.layout.hotkeys);
  const wedge = useLayout((s) => s.lane?.wedge);
  const phase = useSession((s) => s.phase);
  const shift = useSession((s) => s.shift);
  const view = useUi((s) => s.view);
  const dialog = useUi((s) => s.dialog);
  const override = useUi((s) => s.override);
  const match = useMemo(() => buildHotkeyMatcher(hotkeys), [hotkeys]);
  const matchRef = useRef(match);
  matchRef.current = match;

  const selling = phase === 'ready' && view === 'sale' && shift !== null && dialog === null && override === null;
  // On the return screen a scan is a marked item's code coming back.
  const returning = phase === 'ready' && view === 'return' && dialog === null && override === null;

  // The detector also listens on other screens and in dialogs, so that a scan never lands in a field
  // (a barcode typed into the cash-tendered field would be a disaster); there it is refused aloud.
  useWedgeScanner({
    enabled: phase === 'ready' && override === null,
    config: wedge ?? {},
    onScan: (code) => {
      if (selling) void attempt(() => useReceipt.getState().scan(code, 'wedge'));
      else if (returning && useReturns.getState().current) void attempt(() => useReturns.getState().scan(code));
      else useUi.getState().toast('info', { key: 'scan.notNow' });
    },
    onStrayKey: (key) => {
      const action = matchRef.current({ key, ctrl: false, alt: false, shift: false, meta: false });
      if (action) {
        if (useUi.getState().dialog === null || IN_DIALOG.has(action)) runCommand(action);
        return;
      }
      // Digits typed on the sale screen with no field focused go to the manual barcode entry.
      const field = document.querySelector('[data-testid="barcode-input"]');
      if (selling && /^[0-9A-Za-z]$/.test(key) && isEditable(field)) insertIntoField(field, key);
    },
  });

  useEffect(() => {
    if (phase !== 'ready') return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented) return;
      const chord = chordOf(event);
      const action = matchRef.current(chord);
      if (/^F([1-9]|1[0-2])$/.test(event.key)) event.preventDefault(); // no browser reload, find bar, devtools …
      if (!action) return;
      if (isEditable(document.activeElement) && belongsToField(chord) && action !== 'close') return;
      const ui = useUi.getState();
      if (ui.override) {
        if (action === 'close') {
          event.preventDefault();
          ui.override.resolve(null);
        }
        return;
      }
      if (ui.dialog && !IN_DIALOG.has(action)) return;
      event.preventDefault();
      runCommand(action);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [phase]);
}
