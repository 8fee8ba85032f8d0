// Real-time status (Epson APG: DLE EOT n, 10 04 n). Every answer byte matches 0xx1xx10, which is how
// it is told apart from other bytes coming back (reference §4; NielsLeenheer/ReceiptPrinterStatus).
// GS r 1 (paper sensor) is *not* real-time: the printer answers it after printing everything sent
// before it, which makes it our "the slip is through" marker. Its byte has bit 4 = 0.
import { DLE, EOT, GS } from './encoder';

export type StatusKind = 1 | 2 | 3 | 4;

export function statusQuery(n: StatusKind): Uint8Array { return Uint8Array.of(DLE, EOT, n); }
/** GS r 1: paper sensor status, answered in sequence with the print data. */
export const PAPER_SYNC_QUERY = Uint8Array.of(GS, 0x72, 0x01);

export function isRealtimeStatusByte(b: number): boolean { return (b & 0x93) === 0x12; }
/** GS r answers: bits 4 and 7 clear (UNCONFIRMED beyond Epson TM-T88 manuals). */
export function isTransmitStatusByte(b: number): boolean { return (b & 0x90) === 0x00; }

const bit = (b: number, n: number) => ((b >> n) & 1) === 1;

/** n=1 printer: bit 2 drawer connector pin 3 level, bit 3 offline. */
export function decodePrinterStatus(b: number): { drawerPin3High: boolean; offline: boolean } {
  return { drawerPin3High: bit(b, 2), offline: bit(b, 3) };
}
/** n=2 offline cause: bit 2 cover open, bit 3 feeding by button, bit 5 stopped by paper end, bit 6 error. */
export function decodeOfflineCause(b: number): { coverOpen: boolean; feedButton: boolean; paperEndStop: boolean; error: boolean } {
  return { coverOpen: bit(b, 2), feedButton: bit(b, 3), paperEndStop: bit(b, 5), error: bit(b, 6) };
}
/** n=3 error cause: bit 2 mechanical (UNCONFIRMED name on clones), bit 3 auto-cutter, bit 5 unrecoverable, bit 6 auto-recoverable. */
export function decodeErrorCause(b: number): { mechanical: boolean; cutter: boolean; unrecoverable: boolean; autoRecoverable: boolean } {
  return { mechanical: bit(b, 2), cutter: bit(b, 3), unrecoverable: bit(b, 5), autoRecoverable: bit(b, 6) };
}
/** n=4 paper roll sensor: bits 2–3 near end, bits 5–6 roll end (either bit of a pair counts). */
export function decodePaperSensor(b: number): { nearEnd: boolean; out: boolean } {
  return { nearEnd: bit(b, 2) || bit(b, 3), out: bit(b, 5) || bit(b, 6) };
}
/** GS r 1: bits 0–1 near end, bits 2–3 paper end. */
export function decodePaperSync(b: number): { nearEnd: boolean; out: boolean } {
  return { nearEnd: bit(b, 0) || bit(b, 1), out: bit(b, 2) || bit(b, 3) };
}

/** Encoders for the emulator: the fixed bits 0x12 plus the flags. */
export function encodePrinterStatus(s: { drawerPin3High: boolean; offline: boolean }): number {
  return 0x12 | (s.drawerPin3High ? 0x04 : 0) | (s.offline ? 0x08 : 0);
}
export function encodeOfflineCause(s: { coverOpen: boolean; paperEndStop: boolean; error: boolean }): number {
  return 0x12 | (s.coverOpen ? 0x04 : 0) | (s.paperEndStop ? 0x20 : 0) | (s.error ? 0x40 : 0);
}
export function encodeErrorCause(s: { cutter: boolean; unrecoverable: boolean }): number {
  return 0x12 | (s.cutter ? 0x08 : 0) | (s.unrecoverable ? 0x20 : 0);
}
export function encodePaperSensor(s: { nearEnd: boolean; out: boolean }): number {
  return 0x12 | (s.nearEnd ? 0x0c : 0) | (s.out ? 0x60 : 0);
}
export function encodePaperSync(s: { nearEnd: boolean; out: boolean }): number {
  return (s.nearEnd ? 0x03 : 0) | (s.out ? 0x0c : 0);
}
