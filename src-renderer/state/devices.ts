// The lane's devices as the status bar and the sale screen see them: health of each, the live weight
// of the scale and what it takes from the till (Zero, Tare). Filled by devices.status / scale.weight /
// scale.controls after login and kept by the lane's events.
import { create } from 'zustand';
import type { DeviceStatus, LiveWeight, ScaleControls } from '../../src-main/contract';
import { call } from '../transport/pos';

interface DevicesState {
  devices: DeviceStatus[];
  weight: LiveWeight | null;
  /** Zero and Tare of the scale being weighed on; re-read when the scales' state changes. */
  scaleControls: ScaleControls | null;
  setDevices(devices: DeviceStatus[]): void;
  setWeight(weight: LiveWeight): void;
  /** Re-reads scale.controls; a failure leaves the buttons off (null) and never toasts. */
  refreshScaleControls(): Promise<void>;
  /** Re-reads both; a failure (logged out, no right to sell) leaves what is there and never toasts. */
  refresh(): Promise<void>;
}

export const useDevices = create<DevicesState>((set) => ({
  devices: [],
  weight: null,
  scaleControls: null,
  setDevices: (devices) => set({ devices }),
  setWeight: (weight) => set({ weight }),
  refreshScaleControls: async () => {
    try {
      set({ scaleControls: await call('scale.controls', {}) });
    } catch {
      set({ scaleControls: null });
    }
  },
  refresh: async () => {
    try {
      const { devices } = await call('devices.status', {});
      set({ devices });
      if (devices.some((d) => d.kind === 'scale')) set({ weight: await call('scale.weight', {}) });
    } catch { /* the status bar must never toast */ }
  },
}));

/** Changes when a scale comes, goes, goes down or comes back: when its controls must be read again. */
export function scalesKey(devices: DeviceStatus[]): string {
  return devices.filter((d) => d.kind === 'scale').map((d) => `${d.id}:${d.state}`).join(',');
}

/** Whether the lane has a scale configured and switched on (the sale screen shows its panel). */
export function hasScale(devices: DeviceStatus[]): boolean {
  return devices.some((d) => d.kind === 'scale' && d.state !== 'disabled');
}
