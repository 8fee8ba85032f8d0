// The device side of an emulator: the device end of a pty pair (one link), a TCP listener (one link
// per connection) or the bulk pipes of an emulated USB device (one link). Each link gets
// `attach(transport)`, which returns its own cleanup.
import { createServer, type Server, type Socket } from 'node:net';
import type { ByteTransport } from './byte-transport';
import { openSerial } from './serial';
import type { SerialLine } from './serial-line';
import { socketTransport } from './tcp';
import type { EmulatedUsbDevice } from './usb-emulated';

export interface EndpointOptions extends SerialLine {
  serialPath?: string;
  tcp?: { host: string; port: number };
  usb?: EmulatedUsbDevice;
}

export interface DeviceEndpoint {
  /** The pty path or HOST:PORT actually bound (port 0 resolved). */
  readonly address: string;
  /** Live links, for emulators that push bytes on their own (a scanner "scanning"). */
  links(): ByteTransport[];
  close(): Promise<void>;
}

export async function serveDevice(o: EndpointOptions, attach: (link: ByteTransport) => () => void): Promise<DeviceEndpoint> {
  const live = new Map<ByteTransport, () => void>();
  let server: Server | null = null;
  let address: string;
  if (o.serialPath) {
    const { serialPath, tcp: _tcp, ...line } = o;
    const link = await openSerial({ path: serialPath, ...line });
    live.set(link, attach(link));
    address = serialPath;
  } else if (o.usb) {
    const link = o.usb.deviceSide;
    live.set(link, attach(link));
    address = o.usb.address;
  } else if (o.tcp) {
    const s = createServer((socket: Socket) => {
      const link = socketTransport(socket);
      live.set(link, attach(link));
      socket.once('close', () => { live.get(link)?.(); live.delete(link); });
    });
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(o.tcp!.port, o.tcp!.host, () => resolve());
    });
    const a = s.address();
    address = typeof a === 'object' && a ? `${o.tcp.host}:${a.port}` : String(a);
    server = s;
  } else {
    throw new Error('emulator: give serialPath, tcp or usb');
  }
  return {
    address,
    links: () => [...live.keys()],
    async close() {
      for (const [link, detach] of live) { detach(); await link.close().catch(() => undefined); }
      live.clear();
      if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
    },
  };
}
