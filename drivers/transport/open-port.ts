// Opens what a port spec names (port-spec.ts). Precedence for line settings, weakest first: the
// protocol's defaults (Mettler: 9600 7E1), the caller's options (settings fields), the spec's query
// (what the installer typed next to the path). A USB pipe has no line, so they do not apply to it.
import type { ByteTransport } from './byte-transport';
import { parsePortSpec } from './port-spec';
import { openSerial } from './serial';
import type { SerialLine } from './serial-line';
import { openTcp } from './tcp';
import { openUsb } from './usb';
import type { UsbBus } from './usb-bus';

export interface OpenPortOptions extends SerialLine {
  connectTimeoutMs?: number;
  /** For `usb:` ports: node-usb's bus unless a test passes an emulated one (usb-emulated.ts). */
  usbBus?: UsbBus;
}

export async function openPort(spec: string, defaults: SerialLine = {}, o: OpenPortOptions = {}): Promise<ByteTransport> {
  const parsed = parsePortSpec(spec);
  if (parsed.kind === 'tcp') return openTcp({ host: parsed.host, port: parsed.port, connectTimeoutMs: o.connectTimeoutMs ?? 3_000 });
  const { connectTimeoutMs: _ignored, usbBus, ...given } = o;
  if (parsed.kind === 'usb') {
    const { kind: _usb, ...selector } = parsed;
    return openUsb(selector, usbBus ? { bus: usbBus } : {});
  }
  const line: SerialLine = { ...defaults };
  for (const source of [given, parsed.line]) {
    for (const [k, v] of Object.entries(source)) if (v !== undefined) (line as Record<string, unknown>)[k] = v;
  }
  return openSerial({ path: parsed.path, ...line });
}
