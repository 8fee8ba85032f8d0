// The lane's devices as the status bar and the sale screen see them: health of each, and the live
// weight of the scale. Filled by devices.status / scale.weight after login and kept by the lane's events.
import { create } from 'zustand';
import type { DeviceStatus, LiveWeight } from '../../src-main/contract';
import { call } from '../transport/pos';

interface DevicesState {
  devices: DeviceStatus[];
  weight: LiveWeight | null;
  setDevices(devices: DeviceStatus[]): void;
  setWeight(weight: LiveWeight): void;
  /** Re-reads both; a failure (logged out, no right to sell) leaves what is there and never toasts. */
  refresh(): Promise<void>;
}

export const useDevices = create<DevicesState>((set) => ({
  devices: [],
  weight: null,
  setDevices: (devices) => set({ devices }),
  setWeight: (weight) => set({ weight }),
  refresh: async () => {
    try {
      const { devices } = await call('devices.status', {});
      set({ devices });
      if (devices.some((d) => d.kind === 'scale')) set({ weight: await call('scale.weight', {}) });
    } catch { /* the status bar must never toast */ }
  },
}));

/** Whether the lane has a scale configured and switched on (the sale screen shows its panel). */
export function hasScale(devices: DeviceStatus[]): boolean {
  return devices.some((d) => d.kind === 'scale' && d.state !== 'disabled');
}
