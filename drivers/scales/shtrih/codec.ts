// Shtrih-M weighing scales over the "POS2" link layer (reference peripherals.md §1 Scales, Shtrih-M;
// the same ENQ/ACK/NAK + STX LEN CMD DATA LRC framing Shtrih registers use, so the frame functions are
// the fiscal codec's). This file holds the scale's command table: requests are CMD + a 4-digit ASCII
// password (+ data); answers are CMD + result code (+ data).
//   0x3A read weight channel → rc u8, status u16 LE, weight i32 LE (g), tare u16 LE (g)
//   0x30 zero, 0x31 tare, 0x32 set tare (u16 g) → rc u8
// Status bits (ScaleStatus.java): 0 weight fixed, 1 auto-zero, 2 channel on, 3 tare set, 4 stable,
// 5 auto-zero error at power-on, 6 overload, 7 measurement error, 8 underload, 9 ADC silent.
// UNCONFIRMED: the default password ('0030' here), whether 0x3A takes a channel number after the
// password (we send none), and the meaning of each non-zero result code (we report the number).
import { ScaleCodecError } from '../codec-error';

const P = 'shtrih-scale';

export const CMD = { READ_CHANNEL: 0x3a, ZERO: 0x30, TARE: 0x31, SET_TARE: 0x32 } as const;

export const STATUS = {
  WEIGHT_FIXED: 1 << 0,
  AUTO_ZERO: 1 << 1,
  CHANNEL_ON: 1 << 2,
  TARE_SET: 1 << 3,
  STABLE: 1 << 4,
  AUTO_ZERO_ERROR: 1 << 5,
  OVERLOAD: 1 << 6,
  MEASUREMENT_ERROR: 1 << 7,
  UNDERLOAD: 1 << 8,
  ADC_SILENT: 1 << 9,
} as const;

export type ShtrihScaleRequest =
  | { kind: 'read-channel'; password: string }
  | { kind: 'zero'; password: string }
  | { kind: 'tare'; password: string }
  | { kind: 'set-tare'; password: string; tareGrams: number };

export interface ChannelReading { status: number; weightGrams: number; tareGrams: number }

export function encodeRequest(r: ShtrihScaleRequest): Uint8Array {
  const pw = passwordBytes(r.password);
  const cmd = r.kind === 'read-channel' ? CMD.READ_CHANNEL : r.kind === 'zero' ? CMD.ZERO : r.kind === 'tare' ? CMD.TARE : CMD.SET_TARE;
  const out = new Uint8Array(r.kind === 'set-tare' ? 7 : 5);
  out[0] = cmd;
  out.set(pw, 1);
  if (r.kind === 'set-tare') {
    if (!Number.isInteger(r.tareGrams) || r.tareGrams < 0 || r.tareGrams > 0xffff) throw new ScaleCodecError(P, 'bad-field', `tare ${r.tareGrams} g out of 0..65535`);
    out[5] = r.tareGrams & 0xff;
    out[6] = r.tareGrams >> 8;
  }
  return out;
}

export function decodeRequest(payload: Uint8Array): ShtrihScaleRequest {
  if (payload.length < 5) throw new ScaleCodecError(P, 'short', `request of ${payload.length} bytes`);
  const password = String.fromCharCode(...payload.subarray(1, 5));
  switch (payload[0]) {
    case CMD.READ_CHANNEL: return { kind: 'read-channel', password };
    case CMD.ZERO: return { kind: 'zero', password };
    case CMD.TARE: return { kind: 'tare', password };
    case CMD.SET_TARE:
      if (payload.length < 7) throw new ScaleCodecError(P, 'short', 'set tare without a tare');
      return { kind: 'set-tare', password, tareGrams: payload[5]! | (payload[6]! << 8) };
    default: throw new ScaleCodecError(P, 'unknown-reply', `command 0x${payload[0]!.toString(16)}`);
  }
}

/** An answer payload: CMD RC [DATA]. */
export function encodeAnswer(cmd: number, rc: number, reading?: ChannelReading): Uint8Array {
  if (!reading || rc !== 0) return Uint8Array.of(cmd, rc);
  const out = new Uint8Array(10);
  out[0] = cmd;
  out[1] = 0;
  out[2] = reading.status & 0xff;
  out[3] = (reading.status >> 8) & 0xff;
  const w = reading.weightGrams;
  out[4] = w & 0xff; out[5] = (w >> 8) & 0xff; out[6] = (w >> 16) & 0xff; out[7] = (w >>> 24) & 0xff;
  out[8] = reading.tareGrams & 0xff;
  out[9] = (reading.tareGrams >> 8) & 0xff;
  return out;
}

export function decodeAnswer(payload: Uint8Array): { cmd: number; rc: number; reading: ChannelReading | null } {
  if (payload.length < 2) throw new ScaleCodecError(P, 'short', `answer of ${payload.length} bytes`);
  const cmd = payload[0]!;
  const rc = payload[1]!;
  if (cmd !== CMD.READ_CHANNEL || rc !== 0) return { cmd, rc, reading: null };
  // UNCONFIRMED whether real scales send more after the tare; bytes after it are ignored.
  if (payload.length < 10) throw new ScaleCodecError(P, 'short', `weight answer of ${payload.length} bytes`);
  return {
    cmd, rc,
    reading: {
      status: payload[2]! | (payload[3]! << 8),
      weightGrams: (payload[4]! | (payload[5]! << 8) | (payload[6]! << 16) | (payload[7]! << 24)) | 0,
      tareGrams: payload[8]! | (payload[9]! << 8),
    },
  };
}

function passwordBytes(password: string): Uint8Array {
  if (!/^\d{4}$/.test(password)) throw new ScaleCodecError(P, 'bad-field', 'password must be 4 digits');
  return Uint8Array.from(password, (c) => c.charCodeAt(0));
}
