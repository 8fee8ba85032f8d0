import { useTranslation } from 'react-i18next';
import type { ReactNode } from 'react';
import { PANELS, type PanelName } from '../components/panels/registry';
import { ScalePanel } from '../components/panels/ScalePanel';
import { hasScale, useDevices } from '../state/devices';
import { useLayout } from '../state/layout';
import { useSession } from '../state/session';
import { useUi } from '../state/ui';

function Column({ names, side, first }: { names: PanelName[]; side: 'left' | 'right'; first?: ReactNode }) {
  return (
    <div className={`sale-column sale-${side}`} data-testid={`column-${side}`}>
      {first}
      {names.map((name) => {
        const Panel = PANELS[name];
        return Panel ? <Panel key={name} /> : null;
      })}
    </div>
  );
}

/** The sale screen: two columns of panels, as the lane's LayoutConfig lists them. */
export function SaleScreen() {
  const { t } = useTranslation();
  const layout = useLayout((s) => s.layout);
  const shift = useSession((s) => s.shift);
  const setView = useUi((s) => s.setView);
  const checkingCode = useUi((s) => s.checkingCode);
  // The live weight is not a layout panel (LayoutConfig lists a fixed set): it tops the right column when the lane has a scale.
  const scale = useDevices((s) => hasScale(s.devices));
  if (!shift) {
    return (
      <main className="center-screen" data-testid="sale-no-shift">
        <div className="card">
          <h2>{t('sale.noShift')}</h2>
          <button type="button" className="btn btn-primary btn-block" onClick={() => setView('shift')}>{t('action.shift')}</button>
        </div>
      </main>
    );
  }
  // The receipt lines hold the barcode entry: a layout without them would leave the cashier stuck.
  const hasLines = layout.left.includes('lines') || layout.right.includes('lines');
  const left = hasLines ? layout.left : ['lines' as const, ...layout.left];
  return (
    <main className="sale-screen" data-testid="sale-screen">
      <Column names={left} side="left" />
      <Column names={layout.right} side="right" first={scale ? <ScalePanel /> : null} />
      {checkingCode && (
        <div className="checking-code" role="status" data-testid="checking-code"><span className="spinner" aria-hidden="true" />{t('marking.checking')}</div>
      )}
    </main>
  );
}
