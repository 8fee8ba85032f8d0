// Builds the HID POS input reports a scanner would send for a code (codec.ts layout): for codec
// tests, the HID driver's tests with a fake device, and demos. Not a device model: there is no
// pty for HID, so this is the emulator's equivalent.
import { HIDPOS_MAX_DATA, HIDPOS_REPORT_BYTES, HIDPOS_REPORT_ID, NODE_HID, type ReportLayout } from './codec';

export interface ReportOptions {
  aim?: string;
  /** Honeywell code id character, e.g. 'w' for DataMatrix. */
  vendorSymbology?: string;
  layout?: ReportLayout;
  /** Data bytes per report (≤ 56); smaller values force multi-report codes in tests. */
  chunkBytes?: number;
}

export function reportsFor(code: string | Uint8Array, o: ReportOptions = {}): Uint8Array[] {
  const data = typeof code === 'string' ? new TextEncoder().encode(code) : code;
  const chunk = Math.min(HIDPOS_MAX_DATA, Math.max(1, o.chunkBytes ?? HIDPOS_MAX_DATA));
  const reports: Uint8Array[] = [];
  for (let from = 0; from < data.length || from === 0; from += chunk) {
    const part = data.subarray(from, from + chunk);
    const r = new Uint8Array(HIDPOS_REPORT_BYTES);
    r[0] = HIDPOS_REPORT_ID;
    r[1] = part.length;
    if (o.aim) for (let i = 0; i < 3; i++) r[2 + i] = o.aim.charCodeAt(i) & 0xff;
    r.set(part, 5);
    r[61] = o.vendorSymbology ? o.vendorSymbology.charCodeAt(0) & 0xff : 0;
    r[63] = from + chunk < data.length ? 0x01 : 0x00;
    reports.push(r);
    if (data.length === 0) break;
  }
  return (o.layout ?? NODE_HID).reportIdIncluded ? reports : reports.map((r) => r.slice(1));
}
