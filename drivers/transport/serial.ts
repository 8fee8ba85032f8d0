// ByteTransport over a serial port (a real COM/tty device or one end of a pty pair).
// Line settings (data bits, parity, stop bits) reach the OS's termios; a socat pty stores them but
// does not enforce them, so tests check they arrived, not that a mismatched peer fails.
import { SerialPort } from 'serialport';
import { TransportError, TransportEvents, type ByteTransport } from './byte-transport';
import { lineBitsPerByte, resolveSerialLine, type ResolvedSerialLine, type SerialLine } from './serial-line';

export interface SerialOptions extends SerialLine { path: string }

/** A serial ByteTransport also tells the line settings serialport opened it with. */
export interface SerialTransport extends ByteTransport { readonly line: ResolvedSerialLine }

/** The line settings of a transport opened by openSerial; null for any other transport. */
export function serialLineOf(t: ByteTransport): ResolvedSerialLine | null {
  return t.kind === 'serial' && 'line' in t ? (t as SerialTransport).line : null;
}

/** Added to a write's line time before the device counts as gone. */
const WRITE_MARGIN_MS = 2_000;

export async function openSerial(options: SerialOptions): Promise<SerialTransport> {
  const events = new TransportEvents();
  const line = resolveSerialLine(options, { baudRate: 115_200 });
  const { baudRate } = line;
  const port = new SerialPort({ path: options.path, ...line, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((error) => (error
    ? reject(new TransportError(`cannot open ${options.path}: ${error.message}`, { path: options.path }))
    : resolve())));
  let closing = false;
  port.on('data', (chunk: Buffer) => events.emitData(new Uint8Array(chunk)));
  port.on('close', () => { if (!closing) events.emitClose(null); });
  port.on('error', (error: Error) => { if (!closing) events.emitClose(error); });
  // What serialport itself holds after opening: the proof that the settings reached it.
  const held = port.settings as Partial<ResolvedSerialLine>;
  const opened: ResolvedSerialLine = {
    baudRate: held.baudRate ?? baudRate, dataBits: held.dataBits ?? line.dataBits,
    parity: held.parity ?? line.parity, stopBits: held.stopBits ?? line.stopBits,
  };
  return {
    kind: 'serial',
    line: opened,
    write: (bytes) => new Promise<void>((resolve, reject) => {
      // A device that stops reading (unplugged, or a pty whose other end is gone) makes drain wait
      // forever; past the line time of the bytes plus a margin the link counts as lost.
      const limitMs = WRITE_MARGIN_MS + Math.ceil((bytes.length * lineBitsPerByte(line) * 1000) / baudRate);
      const timer = setTimeout(() => {
        const error = new TransportError(`write timed out after ${limitMs} ms: the device is not reading`, { path: options.path });
        reject(error);
        if (!closing) events.emitClose(error);
      }, limitMs);
      const settle = (error: TransportError | null) => {
        clearTimeout(timer);
        if (error) reject(error); else resolve();
      };
      port.write(Buffer.from(bytes), (error) => {
        if (error) { settle(new TransportError(`write failed: ${error.message}`)); return; }
        port.drain((drainError) => settle(drainError ? new TransportError(`drain failed: ${drainError.message}`) : null));
      });
    }),
    onData: (l) => events.onData(l),
    onClose: (l) => events.onClose(l),
    close: () => new Promise<void>((resolve) => {
      closing = true;
      if (!port.isOpen) { resolve(); return; }
      port.close(() => resolve());
    }),
  };
}
