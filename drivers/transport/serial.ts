// ByteTransport over a serial port (a real COM/tty device or one end of a pty pair).
import { SerialPort } from 'serialport';
import { TransportError, TransportEvents, type ByteTransport } from './byte-transport';

export interface SerialOptions { path: string; baudRate?: number }

export async function openSerial(options: SerialOptions): Promise<ByteTransport> {
  const events = new TransportEvents();
  const port = new SerialPort({ path: options.path, baudRate: options.baudRate ?? 115_200, autoOpen: false });
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
      port.write(Buffer.from(bytes), (error) => {
        if (error) { reject(new TransportError(`write failed: ${error.message}`)); return; }
        port.drain((drainError) => (drainError ? reject(new TransportError(`drain failed: ${drainError.message}`)) : resolve()));
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
