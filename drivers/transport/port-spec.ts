// A device's port as one string in its settings, so that line settings travel with the path:
//   /dev/ttyS0            COM3               a serial port with the protocol's defaults
//   /dev/ttyS0?baud=9600&bits=7&parity=even&stop=1
//   COM3?baud=9600&frame=7E1                 the same, written the way manuals do
//   tcp://192.168.0.50:9100                  a socket
//   usb:0416:5011  usb:0416:5011:SERIAL      a USB device by hex vendor and product id (as lsusb
//                                            prints them), and its serial number when two are alike
// Unknown or malformed parameters are refused rather than ignored: a silently wrong frame looks
// like a dead device.
import { TransportError } from './byte-transport';
import { PARITIES, parseFrameName, type Parity, type SerialLine } from './serial-line';
import { parseTcpAddress } from './tcp';

export type PortSpec =
  | { kind: 'serial'; path: string; line: SerialLine }
  | { kind: 'tcp'; host: string; port: number }
  | { kind: 'usb'; vendorId: number; productId: number; serialNumber?: string };

/** The USB form; src-main/contract/device-model.ts checks saved ports with the same pattern. */
const USB_PORT = /^usb:([0-9a-f]{4}):([0-9a-f]{4})(?::([^\s?]+))?$/i;

export function parsePortSpec(text: string): PortSpec {
  const spec = text.trim();
  if (spec === '') throw new TransportError('empty port');
  if (/^usb:/i.test(spec)) return parseUsbSpec(spec);
  if (spec.startsWith('tcp://')) {
    const tcp = parseTcpAddress(spec);
    if (!tcp) throw new TransportError(`bad TCP address '${spec}': tcp://HOST:PORT`, { spec });
    return { kind: 'tcp', ...tcp };
  }
  const q = spec.indexOf('?');
  const path = q < 0 ? spec : spec.slice(0, q);
  if (path === '') throw new TransportError(`no serial path in '${spec}'`, { spec });
  const line: SerialLine = {};
  if (q >= 0) {
    for (const pair of spec.slice(q + 1).split('&')) {
      if (pair === '') continue;
      const eq = pair.indexOf('=');
      const key = (eq < 0 ? pair : pair.slice(0, eq)).toLowerCase();
      const value = eq < 0 ? '' : decodeURIComponent(pair.slice(eq + 1)).toLowerCase();
      const bad = () => new TransportError(`bad '${key}=${value}' in port '${spec}'`, { spec });
      switch (key) {
        case 'baud': {
          const n = Number(value);
          if (!/^\d+$/.test(value) || n < 50 || n > 4_000_000) throw bad();
          line.baudRate = n;
          break;
        }
        case 'bits': case 'databits':
          if (value !== '7' && value !== '8') throw bad();
          line.dataBits = Number(value) as 7 | 8;
          break;
        case 'stop': case 'stopbits':
          if (value !== '1' && value !== '2') throw bad();
          line.stopBits = Number(value) as 1 | 2;
          break;
        case 'parity': {
          const p = PARITIES.find((x) => x === value || x[0] === value);
          if (!p) throw bad();
          line.parity = p as Parity;
          break;
        }
        case 'frame': {
          const f = parseFrameName(value);
          if (!f) throw bad();
          Object.assign(line, f);
          break;
        }
        default: throw new TransportError(`unknown port parameter '${key}' in '${spec}' (baud, bits, parity, stop, frame)`, { spec });
      }
    }
  }
  return { kind: 'serial', path, line };
}

function parseUsbSpec(spec: string): PortSpec {
  const m = USB_PORT.exec(spec);
  if (!m) {
    const hint = spec.includes('?') ? 'a USB port takes no parameters' : 'hex vendor and product ids, 4 digits each';
    throw new TransportError(`bad USB port '${spec}': usb:VVVV:PPPP or usb:VVVV:PPPP:SERIAL (${hint})`, { spec });
  }
  return {
    kind: 'usb', vendorId: parseInt(m[1]!, 16), productId: parseInt(m[2]!, 16),
    ...(m[3] !== undefined ? { serialNumber: m[3] } : {}),
  };
}

/** The spec back as text (for logs and settings screens). */
export function formatPortSpec(spec: PortSpec): string {
  if (spec.kind === 'tcp') return `tcp://${spec.host.includes(':') ? `[${spec.host}]` : spec.host}:${spec.port}`;
  if (spec.kind === 'usb') return formatUsbId(spec) + (spec.serialNumber !== undefined ? `:${spec.serialNumber}` : '');
  const q: string[] = [];
  if (spec.line.baudRate !== undefined) q.push(`baud=${spec.line.baudRate}`);
  if (spec.line.dataBits !== undefined) q.push(`bits=${spec.line.dataBits}`);
  if (spec.line.parity !== undefined) q.push(`parity=${spec.line.parity}`);
  if (spec.line.stopBits !== undefined) q.push(`stop=${spec.line.stopBits}`);
  return q.length ? `${spec.path}?${q.join('&')}` : spec.path;
}

/** `usb:0416:5011`: how a USB device is named in ports and messages. */
export function formatUsbId(id: { vendorId: number; productId: number }): string {
  const hex = (n: number) => n.toString(16).padStart(4, '0');
  return `usb:${hex(id.vendorId)}:${hex(id.productId)}`;
}
