// ByteTransport over a serial port (a real COM/tty device or one end of a pty pair).
import { SerialPort } from 'serialport';
import { TransportError, TransportEvents, type ByteTransport } from './byte-transport';

export interface SerialOptions { path: string; baudRate?: number }

/** Added to a write's line time before the device counts as gone. */
const WRITE_MARGIN_MS = 2_000;

export async function openSerial(options: SerialOptions): Promise<ByteTransport> {
  const events = new TransportEvents();
  const baudRate = options.baudRate ?? 115_200;
  const port = new SerialPort({ path: options.path, baudRate, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((error) => (error
    ? reject(new TransportError(`cannot open ${options.path}: ${error.message}`, { path: options.path }))
    : resolve())));
  let closing = false;
  port.on('data', (chunk: Buffer) => events.emitData(new Uint8Array(chunk)));
  port.on('close', () => { if (!closing) events.emitClose(null); });
  port.on('error', (error: Error) => { if (!closing) events.emitClose(error); });
  return {
    kind: 'serial',
    write: (bytes) => new Promise<void>((resolve, reject) => {
      // A device that stops reading (unplugged, or a pty whose other end is gone) makes drain wait
      // forever; past the line time of the bytes plus a margin the link counts as lost.
      const limitMs = WRITE_MARGIN_MS + Math.ceil((bytes.length * 10 * 1000) / baudRate);
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
