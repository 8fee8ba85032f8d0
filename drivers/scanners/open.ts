// A scanner from its settings (for the device manager).
import type { SerialLine } from '../transport/serial-line';
import { HidPosScanner, type HidPosSelector } from './hidpos/driver';
import type { Scanner } from './scanner';
import type { ScanSuffix } from './serial/codec';
import { SerialScanner } from './serial/driver';

export type ScannerSettings =
  | ({ protocol: 'serial'; id: string; port: string; suffix?: ScanSuffix; prefix?: string; aim?: 'auto' | 'required'; idleMs?: number } & SerialLine)
  | ({ protocol: 'hidpos'; id: string; honeywell?: boolean } & HidPosSelector);

export function openScanner(s: ScannerSettings): Promise<Scanner> {
  if (s.protocol === 'serial') {
    const { protocol: _p, port, prefix, ...o } = s;
    return SerialScanner.open(port, { ...o, ...(prefix ? { prefix: new TextEncoder().encode(prefix) } : {}) });
  }
  const { protocol: _p, id, honeywell, ...selector } = s;
  return HidPosScanner.open(selector, { id, ...(honeywell !== undefined ? { honeywell } : {}) });
}
