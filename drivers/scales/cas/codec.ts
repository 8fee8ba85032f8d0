// CAS scales (reference peripherals.md §1 Scales, "CAS"). Two formats, chosen in the scale's menu:
//
// (a) ENQ/DC1 "ECR" family: host ENQ (05) → scale ACK (06); host DC1 (11) → 15 bytes
//     SOH STX STA SIGN W1..W6 U1 U2 BCC ETX EOT
//     STA 'S' stable | 'U' unstable | 'F' overload; SIGN '-' negative, else ' ' or '+'; W1..W6 ASCII
//     weight with an optional decimal point; U1U2 'kg' or ' g' ('lb' is refused).
//     UNCONFIRMED: which bytes BCC covers. We XOR STA..U2 (everything between STX and BCC); set
//     `bcc: 'ignore'` for a model that computes it otherwise until a manual settles it.
//     UNCONFIRMED: the 16th status byte (0x10 zero, 0x20 tare, 0x40 overload) some models add.
// (c) Indicator line (CI-600D / NT-200 manuals): `ST|US|OL , GS|NT , [id lamp ,] ±WWWWWWW UU CR LF`,
//     e.g. `ST,GS,+  4.876kg\r\n`, streamed continuously or sent on `WT`. UNCONFIRMED: the exact
//     22-byte layout of the id and lamp bytes — the parser takes the 8 bytes before the unit as the
//     weight and ignores what lies between the second comma and them.
import { ScaleCodecError, decimalToGrams, gramsToKgText } from '../codec-error';
import type { FrameScanner } from '../link';

const P = 'cas';
export const SOH = 0x01;
export const STX = 0x02;
export const ETX = 0x03;
export const EOT = 0x04;
export const ENQ = 0x05;
export const ACK = 0x06;
export const DC1 = 0x11;
export const ECR_FRAME_LENGTH = 15;

export type CasStatus = 'stable' | 'unstable' | 'overload';
export type BccMode = 'sta-to-unit' | 'ignore';

export interface CasWeight {
  status: CasStatus;
  /** Whole grams (negative below zero). */
  grams: number;
  unit: 'kg' | 'g';
}

const STATUS_BYTE: Record<CasStatus, number> = { stable: 0x53, unstable: 0x55, overload: 0x46 };

export function bcc(bytes: Uint8Array): number {
  let x = 0;
  for (const b of bytes) x ^= b;
  return x;
}

export function encodeEcrFrame(w: CasWeight): Uint8Array {
  const text = w.unit === 'kg' ? gramsToKgText(w.grams, 6) : String(Math.abs(w.grams)).padStart(6, ' ');
  if (text.length > 6) throw new ScaleCodecError(P, 'bad-field', `weight ${w.grams} g does not fit 6 characters`);
  const out = new Uint8Array(ECR_FRAME_LENGTH);
  out[0] = SOH;
  out[1] = STX;
  out[2] = STATUS_BYTE[w.status];
  out[3] = w.grams < 0 ? 0x2d : 0x20;
  for (let i = 0; i < 6; i++) out[4 + i] = text.charCodeAt(i);
  const unit = w.unit === 'kg' ? 'kg' : ' g';
  out[10] = unit.charCodeAt(0);
  out[11] = unit.charCodeAt(1);
  out[12] = bcc(out.subarray(2, 12));
  out[13] = ETX;
  out[14] = EOT;
  return out;
}

export function decodeEcrFrame(bytes: Uint8Array, mode: BccMode = 'sta-to-unit'): CasWeight {
  if (bytes.length < 2 || bytes[0] !== SOH || bytes[1] !== STX) throw new ScaleCodecError(P, 'no-header', 'frame does not start with SOH STX');
  if (bytes.length < ECR_FRAME_LENGTH) throw new ScaleCodecError(P, 'short', `frame of ${bytes.length} bytes`);
  if (bytes.length > ECR_FRAME_LENGTH) throw new ScaleCodecError(P, 'trailing', `frame of ${bytes.length} bytes`);
  if (bytes[13] !== ETX || bytes[14] !== EOT) throw new ScaleCodecError(P, 'bad-field', 'no ETX EOT at the end');
  if (mode === 'sta-to-unit' && bytes[12] !== bcc(bytes.subarray(2, 12))) {
    throw new ScaleCodecError(P, 'bad-checksum', 'BCC mismatch', { got: bytes[12], expected: bcc(bytes.subarray(2, 12)) });
  }
  const sta = bytes[2];
  const status: CasStatus | null = sta === 0x53 ? 'stable' : sta === 0x55 ? 'unstable' : sta === 0x46 ? 'overload' : null;
  if (!status) throw new ScaleCodecError(P, 'bad-field', `status byte 0x${(sta ?? 0).toString(16)}`);
  const sign = bytes[3];
  if (sign !== 0x20 && sign !== 0x2b && sign !== 0x2d) throw new ScaleCodecError(P, 'bad-field', 'bad sign byte');
  const unit = unitOf(ascii(bytes.subarray(10, 12)));
  const digits = ascii(bytes.subarray(4, 10));
  const grams = decimalToGrams(P, (sign === 0x2d ? '-' : '') + digits.trim(), unit === 'kg' ? 1000 : 1);
  return { status, grams, unit };
}

export const scanEcrFrame: FrameScanner = (buffer) => {
  const at = buffer.indexOf(SOH);
  if (at < 0) return { drop: buffer.length, length: null };
  if (at > 0) return { drop: at, length: null };
  if (buffer.length >= 2 && buffer[1] !== STX) return { drop: 1, length: null };
  return { drop: 0, length: ECR_FRAME_LENGTH };
};

/** The ACK a CAS scale gives to ENQ; anything else before it is noise. */
export const scanAck: FrameScanner = (buffer) => {
  const at = buffer.indexOf(ACK);
  if (at < 0) return { drop: buffer.length, length: null };
  return at > 0 ? { drop: at, length: null } : { drop: 0, length: 1 };
};

// ---- (c) the indicator line ------------------------------------------------------------------------

export interface IndicatorLine extends CasWeight {
  /** NT: the indicator shows net (a tare is set); GS: gross. */
  net: boolean;
}

export function encodeIndicatorLine(l: IndicatorLine): Uint8Array {
  const head = l.status === 'stable' ? 'ST' : l.status === 'unstable' ? 'US' : 'OL';
  const sign = l.grams < 0 ? '-' : '+';
  const body = l.unit === 'kg' ? gramsToKgText(l.grams, 7) : String(Math.abs(l.grams)).padStart(7, ' ');
  if (body.length > 7) throw new ScaleCodecError(P, 'bad-field', `weight ${l.grams} g does not fit 8 characters`);
  const unit = l.unit === 'kg' ? 'kg' : ' g';
  return Uint8Array.from(`${head},${l.net ? 'NT' : 'GS'},${sign}${body}${unit}\r\n`, (c) => c.charCodeAt(0));
}

export function decodeIndicatorLine(bytes: Uint8Array): IndicatorLine {
  const text = ascii(bytes);
  if (!text.endsWith('\r\n')) throw new ScaleCodecError(P, 'short', 'line without CR LF');
  const line = text.slice(0, -2);
  const m = /^(ST|US|OL),(GS|NT),(.*)$/.exec(line);
  if (!m) throw new ScaleCodecError(P, 'no-header', `not an indicator line: '${line}'`);
  const rest = m[3]!;
  if (rest.length < 10) throw new ScaleCodecError(P, 'short', 'line too short for weight and unit');
  const unit = unitOf(rest.slice(-2));
  const weight = rest.slice(-10, -2);
  const status: CasStatus = m[1] === 'ST' ? 'stable' : m[1] === 'US' ? 'unstable' : 'overload';
  // An overloaded indicator may show dashes or 'OL' instead of digits: no weight then.
  const grams = status === 'overload' && !/\d/.test(weight) ? 0 : decimalToGrams(P, weight.replace(/^([+-])\s+/, '$1'), unit === 'kg' ? 1000 : 1);
  return { status, grams, unit, net: m[2] === 'NT' };
}

const HEADS = ['ST,', 'US,', 'OL,'].map((h) => Array.from(h, (c) => c.charCodeAt(0)));

export const scanIndicatorLine: FrameScanner = (buffer) => {
  let at = -1;
  for (let i = 0; i < buffer.length && at < 0; i++) {
    for (const h of HEADS) {
      let ok = true;
      for (let j = 0; j < h.length && i + j < buffer.length; j++) if (buffer[i + j] !== h[j]) { ok = false; break; }
      if (ok) { at = i; break; }
    }
  }
  if (at < 0) return { drop: buffer.length, length: null };
  if (at > 0) return { drop: at, length: null };
  for (let i = 3; i < buffer.length; i++) {
    if (buffer[i] === 0x0a) return buffer[i - 1] === 0x0d ? { drop: 0, length: i + 1 } : { drop: i + 1, length: null };
    if (i > 40) return { drop: 1, length: null };
  }
  return { drop: 0, length: null };
};

/** Commands of the indicator's command mode. UNCONFIRMED: that they end with CR LF. */
export const INDICATOR_COMMAND = { weight: 'WT', zero: 'ZE', tare: 'TR' } as const;
export function encodeIndicatorCommand(c: keyof typeof INDICATOR_COMMAND): Uint8Array {
  return Uint8Array.from(`${INDICATOR_COMMAND[c]}\r\n`, (ch) => ch.charCodeAt(0));
}

function unitOf(text: string): 'kg' | 'g' {
  const t = text.trim().toLowerCase();
  if (t === 'kg') return 'kg';
  if (t === 'g') return 'g';
  throw new ScaleCodecError(P, 'bad-field', `unit '${text}'`, { unit: text });
}

function ascii(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}
