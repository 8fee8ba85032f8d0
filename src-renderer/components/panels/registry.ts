// Panels by name, so that LayoutConfig (data from the lane) decides what the sale screen shows.
import type { ComponentType } from 'react';
import type { LayoutConfig } from '../../../src-main/contract';
import { KeypadPanel } from './KeypadPanel';
import { LinesPanel } from './LinesPanel';
import { ParkedPanel } from './ParkedPanel';
import { QuickKeysPanel } from './QuickKeysPanel';
import { SearchPanel } from './SearchPanel';
import { TotalsPanel } from './TotalsPanel';

export type PanelName = LayoutConfig['left'][number];

export const PANELS: Record<PanelName, ComponentType> = {
  lines: LinesPanel,
  totals: TotalsPanel,
  quickKeys: QuickKeysPanel,
  search: SearchPanel,
  parked: ParkedPanel,
  keypad: KeypadPanel,
};
