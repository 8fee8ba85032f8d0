// Lane identity and the sale-screen layout, both from system.hello: configuration, not code.
import { create } from 'zustand';
import type { LaneInfo, LayoutConfig } from '../../src-main/contract';
import { DEFAULT_HOTKEYS } from '../keyboard/hotkeys';

/** Used until system.hello answers, and for anything the lane's layout leaves out. */
export const DEFAULT_LAYOUT: LayoutConfig = {
  left: ['lines'],
  right: ['totals', 'search', 'quickKeys'],
  quickKeys: [],
  hotkeys: { ...DEFAULT_HOTKEYS },
  fontScale: 1,
};

interface LayoutState {
  lane: LaneInfo | null;
  layout: LayoutConfig;
  setHello(lane: LaneInfo, layout: LayoutConfig): void;
}

export function applyFontScale(scale: number): void {
  const safe = Number.isFinite(scale) ? Math.min(2, Math.max(0.75, scale)) : 1;
  document.documentElement.style.setProperty('--font-scale', String(safe));
}

export const useLayout = create<LayoutState>((set) => ({
  lane: null,
  layout: DEFAULT_LAYOUT,
  setHello: (lane, layout) => {
    applyFontScale(layout.fontScale);
    set({ lane, layout: { ...layout, hotkeys: { ...DEFAULT_HOTKEYS, ...layout.hotkeys } } });
  },
}));
