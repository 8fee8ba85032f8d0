import { useTranslation } from 'react-i18next';
import { runCommand } from '../keyboard/commands';
import { keyLabel, type HotkeyAction } from '../keyboard/hotkeys';
import { useLayout } from '../state/layout';
import { useReceipt } from '../state/receipt';
import { useSession } from '../state/session';
import { useReturns } from '../state/returns';
import { useUi } from '../state/ui';

interface ActionButton { action: HotkeyAction; tone?: 'primary' | 'danger' | 'pay'; needsLine?: boolean; needsTotal?: boolean; label?: string }

const SALE_ACTIONS: ActionButton[] = [
  { action: 'search' },
  { action: 'quantity', needsLine: true },
  { action: 'voidLine', tone: 'danger', needsLine: true },
  { action: 'park', needsTotal: true },
  { action: 'parked' },
  { action: 'journal' },
  { action: 'shift' },
  { action: 'return' },
  { action: 'lock' },
  { action: 'pay', tone: 'pay', needsTotal: true },
];

/** On the return screen: park it, close it (the refund), lock; goods and money are on the screen itself. */
const RETURN_ACTIONS: ActionButton[] = [
  { action: 'park' },
  { action: 'lock' },
  { action: 'pay', tone: 'pay', label: 'returns.closeAction' },
];

/** Function buttons with their keys: the same commands as the hotkeys, big enough for a finger. */
export function ActionBar() {
  const { t } = useTranslation();
  const hotkeys = useLayout((s) => s.layout.hotkeys);
  const view = useUi((s) => s.view);
  const shift = useSession((s) => s.shift);
  // Booleans, not the receipt: a scan that changes neither leaves the bar as it is.
  const hasTotal = useReceipt((s) => (s.receipt?.totals.totalKopecks ?? 0) > 0);
  const lineActive = useReceipt((s) => s.receipt?.lines.some((l) => l.id === s.selectedLineId && !l.voided) ?? false);
  const returning = useReturns((s) => s.current !== null);
  const buttons = view === 'return' && returning ? RETURN_ACTIONS : view === 'sale' && shift
    ? SALE_ACTIONS
    : [{ action: 'sale' as const, tone: 'primary' as const }, { action: 'journal' as const }, { action: 'shift' as const }, { action: 'lock' as const }];
  return (
    <nav className="action-bar" data-testid="action-bar">
      {buttons.map((b: ActionButton) => {
        const disabled = (b.needsLine && !lineActive) || (b.needsTotal && !hasTotal)
          || (b.action === view);
        return (
          <button key={b.action} type="button" className={`action-btn tone-${b.tone ?? 'plain'}`} disabled={disabled}
            onMouseDown={(e) => e.preventDefault()} onClick={() => runCommand(b.action)} data-testid={`action-${b.action}`}>
            <span className="action-key">{keyLabel(hotkeys, b.action)}</span>
            <span className="action-label">{t(b.label ?? `action.${b.action}`)}</span>
          </button>
        );
      })}
    </nav>
  );
}
