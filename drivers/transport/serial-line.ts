// Serial line settings: baud rate and the character frame (data bits, parity, stop bits). Most POS
// devices run 8N1; some do not (Mettler Toledo 8217 is 7E1, ZVT card terminals on RS-232 are 8N2),
// and a wrong frame there reads as garbage, so every setting is explicit and validated here.
import { TransportError } from './byte-transport';

export type Parity = 'none' | 'even' | 'odd' | 'mark' | 'space';
export type DataBits = 7 | 8;
export type StopBits = 1 | 2;

export interface SerialLine {
  baudRate?: number;
  dataBits?: DataBits;
  parity?: Parity;
  stopBits?: StopBits;
}

export type ResolvedSerialLine = Required<SerialLine>;

export const PARITIES: readonly Parity[] = ['none', 'even', 'odd', 'mark', 'space'];
const EIGHT_N_ONE = { dataBits: 8, parity: 'none', stopBits: 1 } as const;

/** `given` over `defaults` over 8N1; throws TransportError for a value serialport would refuse or misread. */
export function resolveSerialLine(given: SerialLine, defaults: SerialLine = {}): ResolvedSerialLine {
  const pick = <K extends keyof SerialLine>(k: K) => (given[k] ?? defaults[k]) as SerialLine[K];
  const line = {
    baudRate: pick('baudRate') ?? 9_600,
    dataBits: pick('dataBits') ?? EIGHT_N_ONE.dataBits,
    parity: pick('parity') ?? EIGHT_N_ONE.parity,
    stopBits: pick('stopBits') ?? EIGHT_N_ONE.stopBits,
  };
  if (!Number.isInteger(line.baudRate) || line.baudRate < 50 || line.baudRate > 4_000_000) {
    throw new TransportError(`bad baud rate ${String(line.baudRate)}`, { line });
  }
  if (line.dataBits !== 7 && line.dataBits !== 8) throw new TransportError(`bad data bits ${String(line.dataBits)}: 7 or 8`, { line });
  if (!PARITIES.includes(line.parity)) throw new TransportError(`bad parity '${String(line.parity)}': ${PARITIES.join(', ')}`, { line });
  if (line.stopBits !== 1 && line.stopBits !== 2) throw new TransportError(`bad stop bits ${String(line.stopBits)}: 1 or 2`, { line });
  return line;
}

/** Bits on the wire per byte: start + data + parity + stop (for line-time budgets). */
export function lineBitsPerByte(line: ResolvedSerialLine): number {
  return 1 + line.dataBits + (line.parity === 'none' ? 0 : 1) + line.stopBits;
}

/** '7E1', '8N2': the way manuals and scale menus write a frame. */
export function frameName(line: ResolvedSerialLine): string {
  return `${line.dataBits}${line.parity[0]!.toUpperCase()}${line.stopBits}`;
}

/** Parses '7E1', '8n2', '8M1' into a frame; null when it is not one. */
export function parseFrameName(text: string): Pick<ResolvedSerialLine, 'dataBits' | 'parity' | 'stopBits'> | null {
  const m = /^([78])([NEOMS])([12])$/i.exec(text.trim());
  if (!m) return null;
  const parity = PARITIES.find((p) => p[0] === m[2]!.toLowerCase())!;
  return { dataBits: Number(m[1]) as DataBits, parity, stopBits: Number(m[3]) as StopBits };
}
