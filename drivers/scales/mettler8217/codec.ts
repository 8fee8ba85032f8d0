// Mettler Toledo 8217 (reference peripherals.md §1 Scales; Odoo's serial scale driver): one ASCII
// byte per command (W weight, Z zero, T tare, C clear tare). W answers either
//   STX weight [N] CR       the weight in kg with a decimal point ("001.234"; N = net)
//   STX '?' status CR       when there is no valid weight
// Status bits: 0 motion, 1 over capacity, 2 negative, 3 outside zero-capture range, 4 centre of zero, 5 net.
// UNCONFIRMED: that the status byte carries bit 6 set to stay printable (we read only bits 0–5), that
// a weight without a decimal point means whole kg, and that Z/T/C get no answer.
// The line is 9600 7E1; on a 7-bit line the UART strips parity, so bytes here are 7-bit.
import { ScaleCodecError, decimalToGrams, gramsToKgText } from '../codec-error';
import { delimitedScanner } from '../link';

const P = 'mettler8217';
export const STX = 0x02;
export const CR = 0x0d;
export const COMMAND = { weight: 0x57, zero: 0x5a, tare: 0x54, clearTare: 0x43 } as const;

export const STATUS_BIT = { MOTION: 1, OVER_CAPACITY: 2, NEGATIVE: 4, OUTSIDE_ZERO_RANGE: 8, CENTRE_OF_ZERO: 16, NET: 32 } as const;

export type MettlerAnswer =
  | { kind: 'weight'; grams: number; net: boolean }
  | { kind: 'status'; bits: number };

export function encodeAnswer(a: MettlerAnswer): Uint8Array {
  if (a.kind === 'status') return Uint8Array.of(STX, 0x3f, 0x40 | (a.bits & 0x3f), CR);
  if (!Number.isInteger(a.grams) || a.grams < 0) throw new ScaleCodecError(P, 'bad-field', 'the 8217 sends no negative weight: send a status');
  const text = gramsToKgText(a.grams, 7, '0') + (a.net ? 'N' : '');
  return Uint8Array.from([STX, ...Array.from(text, (c) => c.charCodeAt(0)), CR]);
}

export function decodeAnswer(bytes: Uint8Array): MettlerAnswer {
  if (bytes[0] !== STX) throw new ScaleCodecError(P, 'no-header', 'answer does not start with STX');
  if (bytes.length < 3 || bytes[bytes.length - 1] !== CR) throw new ScaleCodecError(P, 'short', 'answer without CR');
  const inner = bytes.subarray(1, bytes.length - 1);
  if (inner[0] === 0x3f) {
    if (inner.length !== 2) throw new ScaleCodecError(P, 'bad-field', 'status answer is not one byte');
    return { kind: 'status', bits: inner[1]! & 0x3f };
  }
  let text = String.fromCharCode(...inner);
  const net = text.endsWith('N');
  if (net) text = text.slice(0, -1);
  if (!/^\s*\d*(\.\d*)?$/.test(text)) throw new ScaleCodecError(P, 'bad-field', `not a weight: '${text}'`);
  return { kind: 'weight', grams: decimalToGrams(P, text, 1000), net };
}

export const scanAnswer = delimitedScanner([STX], CR, 3);
