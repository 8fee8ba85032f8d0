// Lane settings are data (in the settings table), validated on read, with defaults for a new lane.
import { z } from 'zod';
import { LayoutConfig, type LaneInfo } from '../contract';

export const LaneIdentity = z.object({
  laneId: z.string(),
  laneName: z.string(),
  storeName: z.string(),
  kiosk: z.boolean(),
  locale: z.enum(['ru', 'en']),
  demo: z.boolean(),
});
export type LaneIdentity = z.infer<typeof LaneIdentity>;

export const WedgeSettings = z.object({
  maxInterKeyMs: z.number().int().min(5).max(200),
  minLength: z.number().int().min(3).max(64),
  prefix: z.string().max(8),
  suffix: z.string().max(8),
  gsSubstitute: z.string().max(8).optional(),
});
/** The head office this lane reports to (empty on a demo lane: the outbox simply waits). */
export const UpstreamSettings = z.object({
  baseUrl: z.string().url().max(200),
  token: z.string().min(16).max(200),
});
export type UpstreamSettings = z.infer<typeof UpstreamSettings>;

export const DEFAULT_WEDGE: LaneInfo['wedge'] = { maxInterKeyMs: 30, minLength: 6, prefix: '', suffix: 'Enter' };

export const ScaleLabelRules = z.array(z.object({
  prefix: z.string().regex(/^2[0-9]$/),
  kind: z.enum(['weight', 'price']),
  pluDigits: z.number().int().min(4).max(6),
  valueDigits: z.number().int().min(4).max(6),
})).max(10);

export const DEFAULT_HOTKEYS: Record<string, string> = {
  search: 'F2', quantity: 'F3', park: 'F4', parkedList: 'F5', pay: 'F6', voidLine: 'Delete',
  journal: 'F9', shift: 'F10', lock: 'F12', close: 'Escape', increment: '+', decrement: '-',
  up: 'ArrowUp', down: 'ArrowDown', payCashExact: 'Ctrl+Enter', return: 'F11',
};

export function defaultLayout(quickKeys: LayoutConfig['quickKeys']): LayoutConfig {
  return {
    left: ['lines', 'totals'],
    right: ['search', 'quickKeys', 'parked'],
    quickKeys,
    hotkeys: DEFAULT_HOTKEYS,
    fontScale: 1,
  };
}

export const SETTINGS_KEYS = {
  lane: 'lane',
  layout: 'layout',
  wedge: 'wedge',
  scaleLabelRules: 'scaleLabelRules',
  pinSalt: 'pinSalt',
  fiscal: 'fiscal',
  upstream: 'upstream',
  /** How marking codes are checked (MarkingCheckSettings: True API keys, local module, ТС ПИоТ). */
  marking: 'marking',
  /** The seller's INN and the store's time zone for the permissive-mode rules. */
  markingLane: 'markingLane',
  /** The fiscal drive serial (X-ClientId for the local module), recorded when the register is first read. */
  fnSerial: 'fnSerial',
} as const;

export const MarkingLaneSettings = z.object({
  inn: z.string().regex(/^\d{10}(\d{2})?$/).nullable(),
  timeZone: z.string().min(1).max(64),
});
export const DEFAULT_MARKING_LANE: z.infer<typeof MarkingLaneSettings> = { inn: null, timeZone: 'Europe/Moscow' };
