// An Epson-command customer display on a pty (or TCP): keeps the screen (screen.ts) for tests.
import { serveDevice, type DeviceEndpoint, type EndpointOptions } from '../../transport/device-endpoint';
import { DisplayScreen } from './screen';

export class CustomerDisplayEmulator {
  readonly screen: DisplayScreen;
  private endpoint: DeviceEndpoint | null = null;
  /** Chunks received, for tests that wait for an update. */
  received = 0;

  private constructor(columns: number) { this.screen = new DisplayScreen(columns); }

  static async start(o: EndpointOptions & { columns?: number }): Promise<CustomerDisplayEmulator> {
    const e = new CustomerDisplayEmulator(o.columns ?? 20);
    e.endpoint = await serveDevice({ baudRate: 9_600, ...o }, (link) => link.onData((chunk) => { e.screen.push(chunk); e.received++; }));
    return e;
  }

  get address(): string { return this.endpoint?.address ?? ''; }
  lines(): string[] { return this.screen.lines(); }
  async close(): Promise<void> { await this.endpoint?.close(); }
}
