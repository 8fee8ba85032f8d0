// Opens what a scale's settings name: a serial path (COM, /dev/tty…, a pty) or tcp://HOST:PORT.
import type { ByteTransport } from '../transport/byte-transport';
import { openSerial } from '../transport/serial';
import { openTcp, parseTcpAddress } from '../transport/tcp';
import { scaleErrors } from './scale';

export interface ScalePortOptions {
  baudRate?: number;
  connectTimeoutMs?: number;
}

export async function openScalePort(port: string, defaultBaud: number, o: ScalePortOptions = {}): Promise<ByteTransport> {
  const tcp = port.startsWith('tcp://') ? parseTcpAddress(port) : null;
  try {
    if (tcp) return await openTcp({ ...tcp, connectTimeoutMs: o.connectTimeoutMs ?? 3_000 });
    // NOTE: serial.ts opens 8N1. Scales set to 7E1 (Mettler 8217) or 7O1 (CAS PDN) need data bits and
    // parity there; over a pty and a USB-CDC link they do not matter.
    return await openSerial({ path: port, baudRate: o.baudRate ?? defaultBaud });
  } catch (error) {
    throw scaleErrors.noLink({ port, reason: (error as Error).message });
  }
}
