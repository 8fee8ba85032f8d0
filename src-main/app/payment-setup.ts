// The lane's bank terminals: configured as data (payment_terminals), opened by protocol through the
// drivers, and — in the demo configuration — two emulated terminals started in-process (a ZVT terminal
// as "A" and an INPAS DualConnector as "B"), so that the demo pays by card through the same driver code a
// real lane uses. The payment service finds out every unfinished card operation before the first new one.
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { PaymentTerminalConfig } from '../contract/payment-model';
import type { PaymentTerminal } from '../../drivers/payment/payment-terminal';
import { TerminalError } from '../../drivers/payment/payment-terminal';
import { openZvtTerminal } from '../../drivers/payment/zvt/open';
import type { ZvtTimeouts } from '../../drivers/payment/zvt/driver';
import { ZvtEmulator } from '../../drivers/payment/zvt/emulator';
import { InpasTerminal } from '../../drivers/payment/inpas/driver';
import { InpasEmulator } from '../../drivers/payment/inpas/emulator';
import { UposTerminal } from '../../drivers/payment/upos/driver';
import { PaymentService } from '../services/payment/payment-service';
import { TerminalRegistry } from '../services/payment/terminal-registry';
import type { SalesStore } from '../store/sales-store';
import type { Clock } from '../services/clock';

export type PaymentTerminalsConfig = 'demo-emulators' | 'configured';

export interface PaymentSetup {
  service: PaymentService;
  registry: TerminalRegistry;
  /** The demo's emulators, for tests that unplug a terminal. */
  demo: { zvt: ZvtEmulator | null; inpas: InpasEmulator | null } | null;
  close(): Promise<void>;
}

const text = (v: unknown, name: string): string => {
  if (typeof v !== 'string' || v.length === 0) throw new TerminalError('config', `terminal setting '${name}' is missing`);
  return v;
};

/** Opens a terminal of any supported protocol from its stored settings. */
export async function openTerminal(config: PaymentTerminalConfig): Promise<PaymentTerminal> {
  const c = config.connection;
  switch (config.protocol) {
    case 'zvt':
      return openZvtTerminal(text(c.port, 'port'), { ...(typeof c.password === 'string' ? { password: c.password } : {}), ...zvtTimeouts(c.timeouts) });
    case 'inpas':
      return new InpasTerminal({ url: text(c.url, 'url'), ...(typeof c.terminalId === 'string' ? { terminalId: c.terminalId } : {}) });
    case 'upos':
      return new UposTerminal({ program: text(c.program, 'program') });
    default:
      throw new TerminalError('config', `unknown terminal protocol '${config.protocol}'`);
  }
}

/**
 * Optional `connection.timeouts` of a ZVT terminal ({ byteMs, messageMs, ackMs, operationMs }): a PT on a
 * slow link may need longer ones; the payment chaos test shortens them so that a silent PT costs seconds.
 */
function zvtTimeouts(v: unknown): { timeouts?: Partial<ZvtTimeouts> } {
  if (typeof v !== 'object' || v === null) return {};
  const out: Partial<ZvtTimeouts> = {};
  for (const key of ['byteMs', 'messageMs', 'ackMs', 'operationMs'] as const) {
    const ms = (v as Record<string, unknown>)[key];
    if (typeof ms === 'number' && Number.isInteger(ms) && ms > 0) out[key] = ms;
  }
  return { timeouts: out };
}

/** A local port nothing listens on: an emulated terminal "unplugged" in the demo answers like a dead one. */
async function refusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface DemoTerminalOptions {
  /** Terminals of the demo left unplugged ('terminal-a', 'terminal-b'): configured, but nothing answers. */
  unplugged?: readonly string[];
}

export async function setUpPayments(store: SalesStore, clock: Clock, config: PaymentTerminalsConfig, dataDir: string,
  demoOptions: DemoTerminalOptions = {}): Promise<PaymentSetup> {
  let demo: PaymentSetup['demo'] = null;
  if (config === 'demo-emulators') {
    const unplugged = new Set(demoOptions.unplugged ?? []);
    const zvt = unplugged.has('terminal-a') ? null
      : await ZvtEmulator.start({ tcp: { host: '127.0.0.1', port: 0 }, stateFile: join(dataDir, 'demo-zvt-terminal.json'), stepDelayMs: 150 });
    const inpas = unplugged.has('terminal-b') ? null : await InpasEmulator.start({ port: 0 });
    demo = { zvt, inpas };
    // The emulators get new ports at every start: the stored settings follow them.
    store.payments.saveTerminal({ id: 'terminal-a', name: 'Терминал A (ZVT)', protocol: 'zvt',
      connection: { port: zvt ? `tcp://${zvt.address}` : `tcp://127.0.0.1:${await refusedPort()}` },
      role: 'основной эквайер', routing: { priority: 1 }, enabled: true });
    store.payments.saveTerminal({ id: 'terminal-b', name: 'Терминал B (INPAS)', protocol: 'inpas',
      connection: { url: inpas ? inpas.url : `http://127.0.0.1:${await refusedPort()}` },
      role: 'резервный эквайер', routing: { priority: 2 }, enabled: true });
    if (store.payments.internalTypes().length === 0) {
      store.payments.saveInternalType({ id: 'gift-certificate', name: 'Подарочный сертификат', ffdKind: 'prepayment', enabled: true });
      store.payments.saveInternalType({ id: 'employee-account', name: 'Счёт сотрудника', ffdKind: 'counterProvision', enabled: true });
      store.payments.saveInternalType({ id: 'credit', name: 'В кредит', ffdKind: 'postpayment', enabled: true });
    }
  }
  const registry = new TerminalRegistry(openTerminal, () => store.payments.terminals(), clock, { retryDownAfterMs: 10_000 });
  const service = new PaymentService({ journal: store.payments, terminals: registry, clock, audit: store.audit },
    { enquiryAttempts: 3, enquiryDelayMs: 1_000, checkReadiness: true });
  const emulators = demo;
  return {
    service, registry, demo,
    async close() {
      await registry.closeAll();
      if (emulators) {
        await emulators.zvt?.close();
        await emulators.inpas?.close();
      }
    },
  };
}
