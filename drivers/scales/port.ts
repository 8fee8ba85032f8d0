// Opens what a scale's settings name: a serial path (COM, /dev/tty…, a pty), optionally with line
// settings (`/dev/ttyS0?baud=9600&frame=7E1`, transport/port-spec.ts), or tcp://HOST:PORT.
import type { ByteTransport } from '../transport/byte-transport';
import { openPort } from '../transport/open-port';
import type { SerialLine } from '../transport/serial-line';
import { scaleErrors } from './scale';

export interface ScalePortOptions extends SerialLine {
  connectTimeoutMs?: number;
}

/** `defaults`: the protocol's line (a bare number is a baud rate with 8N1). */
export async function openScalePort(port: string, defaults: number | SerialLine, o: ScalePortOptions = {}): Promise<ByteTransport> {
  try {
    return await openPort(port, typeof defaults === 'number' ? { baudRate: defaults } : defaults, o);
  } catch (error) {
    throw scaleErrors.noLink({ port, reason: (error as Error).message });
  }
}
