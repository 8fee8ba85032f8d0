// A serial / USB-CDC scanner on the device end of a pty pair (or TCP, for a network-attached
// reader): scan(code) writes prefix + AIM + code + suffix as one burst, like a real scanner. Faults
// for tests: garbage bytes, a code cut short, a raw write.
import { serveDevice, type DeviceEndpoint, type EndpointOptions } from '../../transport/device-endpoint';
import { suffixBytes, type ScanSuffix } from './codec';

export interface SerialScannerEmulatorOptions extends EndpointOptions {
  suffix?: ScanSuffix;
  prefix?: Uint8Array;
  seed?: number;
}

export class SerialScannerEmulator {
  private readonly suffix: Uint8Array;
  private readonly prefix: Uint8Array;
  private rng: () => number;
  /** Codes "scanned" so far (for tests). */
  readonly scanned: string[] = [];

  private constructor(private readonly endpoint: DeviceEndpoint, o: SerialScannerEmulatorOptions) {
    this.suffix = suffixBytes(o.suffix ?? 'cr');
    this.prefix = o.prefix ?? new Uint8Array(0);
    let s = (o.seed ?? 11) >>> 0 || 11;
    this.rng = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 0x1_0000_0000; };
  }

  static async start(o: SerialScannerEmulatorOptions): Promise<SerialScannerEmulator> {
    // A scanner only talks; what the host writes (beeper commands on some models) is ignored.
    return new SerialScannerEmulator(await serveDevice({ baudRate: 9_600, ...o }, () => () => undefined), o);
  }

  get address(): string { return this.endpoint.address; }

  /** One scan: the code's text (UTF-8; GS as '\u001d') with an optional AIM identifier such as ']d2'. */
  scan(code: string, o: { aim?: string } = {}): Promise<void> {
    this.scanned.push(code);
    return this.send(concat(this.prefix, new TextEncoder().encode((o.aim ?? '') + code), this.suffix));
  }

  /** Line noise: control bytes and invalid UTF-8, then the suffix. */
  garbage(length = 8): Promise<void> {
    const noise = Uint8Array.from({ length }, (_, i) => (i % 2 === 0 ? 0x01 + Math.floor(this.rng() * 0x1b) : 0xc0 + Math.floor(this.rng() * 0x3f)));
    return this.send(concat(noise, this.suffix));
  }

  /** The first `bytes` of a scan with no suffix: the cable moved mid-code. */
  partial(code: string, bytes = Math.max(1, code.length >> 1)): Promise<void> {
    return this.send(concat(this.prefix, new TextEncoder().encode(code).subarray(0, bytes)));
  }

  /** Exact bytes, for hostile-input tests. */
  raw(bytes: Uint8Array): Promise<void> { return this.send(bytes); }

  close(): Promise<void> { return this.endpoint.close(); }

  private async send(bytes: Uint8Array): Promise<void> {
    for (const link of this.endpoint.links()) await link.write(bytes);
  }
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}
