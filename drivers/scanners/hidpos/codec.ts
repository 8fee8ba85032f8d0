// HID POS barcode scanner reports (USB HID usage page 0x8C, usage 0x02; reference §2, after the
// Access-IS LSR118/ATR110 manuals). Input report id 0x02, 64 bytes with the id:
//   [0] 0x02  [1] data length (≤ 56)  [2..4] AIM ']xy' (zeros without)  [5..60] data
//   [61] vendor symbology (Honeywell code id)  [62] reserved  [63] bit 0: more reports follow
// node-hid hands the report id as byte 0; WebHID strips it, so every offset is one less
// (`reportIdIncluded: false`). Whether [1] counts only this report's data (as here) is UNCONFIRMED
// on hardware from other makers. Pure: the driver feeds reports, the assembler returns codes.
import { isAim, symbologyOfAim } from '../aim';
import { decodeCodeBytes } from '../code-text';

export const HIDPOS_USAGE_PAGE = 0x8c;
export const HIDPOS_REPORT_ID = 0x02;
export const HIDPOS_REPORT_BYTES = 64;
export const HIDPOS_MAX_DATA = 56;
/** Honeywell scanners stay silent until this feature report arrives (WebHidBarcodeScanner). */
export const HONEYWELL_ENABLE_FEATURE = Uint8Array.of(0xfe, 0x01);

export interface ReportLayout { reportIdIncluded: boolean }
export const NODE_HID: ReportLayout = { reportIdIncluded: true };
export const WEB_HID: ReportLayout = { reportIdIncluded: false };

export interface HidPosReport {
  aim: string | null;
  data: Uint8Array;
  vendorSymbology: number;
  continued: boolean;
}

export class HidPosCodecError extends Error {
  constructor(readonly code: 'wrong-report' | 'short' | 'bad-length' | 'bad-aim', message: string, readonly details: Record<string, unknown> = {}) {
    super(`hid-pos: ${message}`);
    this.name = 'HidPosCodecError';
  }
}

/** One 64-byte (63 under WebHID) input report. Throws only HidPosCodecError. */
export function decodeReport(report: Uint8Array, layout: ReportLayout = NODE_HID): HidPosReport {
  const at = layout.reportIdIncluded ? 0 : -1;
  if (layout.reportIdIncluded && report[0] !== HIDPOS_REPORT_ID) {
    throw new HidPosCodecError('wrong-report', `report id 0x${(report[0] ?? 0).toString(16)}, expected 0x02`, { id: report[0] });
  }
  // Some stacks trim trailing zero bytes; everything up to the data's end must be there.
  const need = at + 5;
  if (report.length < need + 1) throw new HidPosCodecError('short', `${report.length} bytes`, { length: report.length });
  const length = report[at + 1]!;
  if (length > HIDPOS_MAX_DATA) throw new HidPosCodecError('bad-length', `data length ${length} > ${HIDPOS_MAX_DATA}`, { length });
  if (report.length < need + length) throw new HidPosCodecError('short', `${report.length} bytes for ${length} data bytes`, { length });
  const aimBytes = report.subarray(at + 2, at + 5);
  let aim: string | null = null;
  if (aimBytes.some((b) => b !== 0)) {
    const text = String.fromCharCode(...aimBytes);
    if (!isAim(text)) throw new HidPosCodecError('bad-aim', `AIM bytes ${Buffer.from(aimBytes).toString('hex')}`);
    aim = text;
  }
  return {
    aim,
    data: report.slice(need, need + length),
    vendorSymbology: report[at + 61] ?? 0,
    continued: ((report[at + 63] ?? 0) & 0x01) === 1,
  };
}

/** Honeywell code ids in byte 61 (UNCONFIRMED beyond the common ones): used when no AIM came. */
const HONEYWELL_CODE_ID: Record<string, string> = {
  w: 'datamatrix', d: 'ean-13', D: 'ean-8', c: 'upc-a', j: 'code-128', I: 'gs1-128', s: 'qr',
  y: 'gs1-databar', b: 'code-39', e: 'itf', r: 'pdf417', z: 'aztec',
};

export type AssembledScan =
  | { kind: 'scan'; code: string; aim: string | null; symbology: string | null }
  | { kind: 'fault'; fault: 'bad-report' | 'garbage' | 'overlong'; reason: string };

/** Joins the reports of one code; a bad report spoils the whole code and is reported once. */
export class HidPosAssembler {
  private parts: Uint8Array[] = [];
  private first: HidPosReport | null = null;
  private spoiled = false;

  constructor(private readonly layout: ReportLayout = NODE_HID, private readonly maxLength = 4_096) {}

  get pending(): boolean { return this.first !== null || this.spoiled; }

  push(report: Uint8Array): AssembledScan | null {
    let r: HidPosReport;
    try {
      r = decodeReport(report, this.layout);
    } catch (error) {
      const reason = (error as Error).message;
      // Ignore the rest of a code whose part was bad; a report without continuation ends it.
      this.reset();
      this.spoiled = (report[(this.layout.reportIdIncluded ? 0 : -1) + 63] ?? 0) & 0x01 ? true : false;
      return { kind: 'fault', fault: 'bad-report', reason };
    }
    if (this.spoiled) {
      if (!r.continued) this.spoiled = false;
      return null;
    }
    this.first ??= r;
    this.parts.push(r.data);
    const total = this.parts.reduce((n, p) => n + p.length, 0);
    if (total > this.maxLength) {
      this.reset();
      this.spoiled = r.continued;
      return { kind: 'fault', fault: 'overlong', reason: `more than ${this.maxLength} bytes` };
    }
    if (r.continued) return null;
    const first = this.first;
    const bytes = new Uint8Array(total);
    let at = 0;
    for (const p of this.parts) { bytes.set(p, at); at += p.length; }
    this.reset();
    const code = decodeCodeBytes(bytes);
    if (code === null || code.length === 0) return { kind: 'fault', fault: 'garbage', reason: 'not a code' };
    const symbology = symbologyOfAim(first.aim) ?? HONEYWELL_CODE_ID[String.fromCharCode(first.vendorSymbology)] ?? null;
    return { kind: 'scan', code, aim: first.aim, symbology };
  }

  /** The device went quiet in the middle of a code: drop it. */
  abandon(): AssembledScan | null {
    const had = this.first !== null;
    this.reset();
    return had ? { kind: 'fault', fault: 'bad-report', reason: 'a continued code never ended' } : null;
  }

  private reset(): void { this.parts = []; this.first = null; this.spoiled = false; }
}
