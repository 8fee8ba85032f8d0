// Opens a ZVT terminal from its settings: tcp://HOST:PORT (PTs listen on 20007) or a serial path.
// Serial ZVT runs 8N2 at 9600 (or 115 200) baud (reference §3). NOTE: drivers/transport/serial.ts opens
// 8N1 today; a pty and USB-CDC do not care, a real RS-232 PT may. Pass stopBits: 2 once serial.ts has it.
import type { ByteTransport } from '../../transport/byte-transport';
import { openSerial } from '../../transport/serial';
import { openTcp, parseTcpAddress } from '../../transport/tcp';
import { ZvtTerminal, type ZvtTerminalOptions } from './driver';

export const ZVT_TCP_PORT = 20_007;

export interface ZvtPortOptions extends ZvtTerminalOptions {
  baudRate?: number;
  connectTimeoutMs?: number;
}

/** A function that opens the link anew: the driver reconnects with it after a lost link. */
export function zvtConnector(port: string, o: ZvtPortOptions = {}): () => Promise<ByteTransport> {
  if (port.startsWith('tcp://')) {
    const tcp = parseTcpAddress(port) ?? parseTcpAddress(`${port}:${ZVT_TCP_PORT}`);
    if (!tcp) throw new Error(`bad ZVT address '${port}' (tcp://HOST:PORT or a serial path)`);
    return () => openTcp({ ...tcp, connectTimeoutMs: o.connectTimeoutMs ?? 3_000 });
  }
  // ZVT over RS-232 is 8N2 (ecrterm transport_serial); ptys and USB-CDC ignore the frame.
  return () => openSerial({ path: port, baudRate: o.baudRate ?? 9_600, dataBits: 8, parity: 'none', stopBits: 2 });
}

/** Connects and registers; throws TerminalError('unavailable' | 'config') when that fails. */
export function openZvtTerminal(port: string, options: ZvtPortOptions = {}): Promise<ZvtTerminal> {
  return ZvtTerminal.connect(zvtConnector(port, options), options);
}
