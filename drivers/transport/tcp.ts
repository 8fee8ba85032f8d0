// ByteTransport over TCP (registers on Ethernet/RNDIS; Shtrih's default port is 7778 in the field).
import { connect, type Socket } from 'node:net';
import { TransportError, TransportEvents, type ByteTransport } from './byte-transport';

export interface TcpOptions { host: string; port: number; connectTimeoutMs?: number }

export function socketTransport(socket: Socket): ByteTransport {
  const events = new TransportEvents();
  let closing = false;
  socket.setNoDelay(true);
  socket.on('data', (chunk: Buffer) => events.emitData(new Uint8Array(chunk)));
  socket.on('close', () => { if (!closing) events.emitClose(null); });
  socket.on('error', (error) => { if (!closing) events.emitClose(error); });
  return {
    kind: 'tcp',
    write: (bytes) => new Promise<void>((resolve, reject) => {
      if (socket.destroyed) { reject(new TransportError('socket is closed')); return; }
      socket.write(Buffer.from(bytes), (error) => (error ? reject(new TransportError(`write failed: ${error.message}`)) : resolve()));
    }),
    onData: (l) => events.onData(l),
    onClose: (l) => events.onClose(l),
    close: () => new Promise<void>((resolve) => {
      closing = true;
      if (socket.destroyed) { resolve(); return; }
      socket.once('close', () => resolve());
      socket.end();
      setTimeout(() => socket.destroy(), 200).unref();
    }),
  };
}

export function openTcp(options: TcpOptions): Promise<ByteTransport> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: options.host, port: options.port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new TransportError(`no TCP connection to ${options.host}:${options.port}`, { ...options }));
    }, options.connectTimeoutMs ?? 5_000);
    socket.once('connect', () => { clearTimeout(timer); resolve(socketTransport(socket)); });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(new TransportError(`TCP ${options.host}:${options.port}: ${error.message}`, { ...options }));
    });
  });
}

/** Parses `tcp://HOST:PORT` (or `HOST:PORT`); null when it is not a TCP address. */
export function parseTcpAddress(text: string): { host: string; port: number } | null {
  const m = /^(?:tcp:\/\/)?(\[[^\]]+\]|[^:/\s]+):(\d{1,5})$/.exec(text);
  if (!m || (!text.startsWith('tcp://') && text.startsWith('/'))) return null;
  const port = Number(m[2]);
  if (port < 0 || port > 65_535) return null;
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port };
}
