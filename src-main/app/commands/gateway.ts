// `prilavok gateway --config FILE [--port N]`: the headless fiscal gateway (docs/fiscal-gateway.md).
// Composition: config → gateway.sqlite + one journal per register → one fiscal service per register →
// FiscalGateway → HTTP. Prints `GATEWAY_READY <url>` once it listens; stops on SIGTERM / SIGINT after
// the fiscal command in progress.
import { join } from 'node:path';
import { ShtrihEmulator } from '../../../drivers/fiscal/shtrih/emulator';
import { ShtrihRegister, type ShtrihOptions } from '../../../drivers/fiscal/shtrih/driver';
import { systemClock, type Clock } from '../../services/clock';
import { FiscalService } from '../../services/fiscal/fiscal-service';
import { DEFAULT_FISCAL_SETTINGS, type FiscalServiceOptions } from '../../services/fiscal/fiscal-settings';
import { STARRYS_TAX_IDS } from '../../services/fiscal-gateway/complex-request';
import { FiscalGateway, type GatewayRegister } from '../../services/fiscal-gateway/fiscal-gateway';
import { GatewayConfigError, loadGatewayConfig, type GatewayConfig } from '../../services/fiscal-gateway/gateway-config';
import { startGatewayHttp } from '../../services/fiscal-gateway/http-server';
import { GatewayRequests, openGatewayJournal } from '../../store/gateway-requests';
import type { VatRate } from '../../contract';

export interface RunningGateway {
  url: string;
  gateway: FiscalGateway;
  /** The in-process demo emulators, by register id. */
  emulators: Map<string, ShtrihEmulator>;
  close(): Promise<void>;
}

export interface GatewayRuntimeOptions {
  port?: number;
  clock?: Clock;
  log?: (line: string) => void;
  /** Tests shorten the driver's and the service's timeouts. */
  driver?: ShtrihOptions;
  service?: Partial<FiscalServiceOptions>;
}

export async function startGateway(config: GatewayConfig, o: GatewayRuntimeOptions = {}): Promise<RunningGateway> {
  const clock = o.clock ?? systemClock;
  const log = o.log ?? ((line: string) => process.stderr.write(`gateway: ${line}\n`));
  const closers: Array<() => Promise<void> | void> = [];
  const closeAll = async () => { for (const c of closers.splice(0).reverse()) await Promise.resolve(c()).catch(() => undefined); };
  try {
    const store = new GatewayRequests(join(config.dataDir, 'gateway.sqlite'));
    closers.push(() => store.close());
    const emulators = new Map<string, ShtrihEmulator>();
    const registers: GatewayRegister[] = [];
    const settings = { ...DEFAULT_FISCAL_SETTINGS, ...config.fiscal };
    for (const r of config.registers) {
      let address = r.address;
      if (r.address === 'emulator') {
        const em = await ShtrihEmulator.start({ tcp: { host: '127.0.0.1', port: 0 }, stateFile: join(config.dataDir, `emulator-${r.id}.json`), paperReloadMs: 3_000 });
        closers.push(() => em.close());
        emulators.set(r.id, em);
        address = `tcp://${em.address}`;
      }
      const { journal, close } = openGatewayJournal(join(config.dataDir, `journal-${r.id}.sqlite`));
      closers.push(close);
      const service = new FiscalService({
        journal, clock, settings: () => settings,
        connect: () => ShtrihRegister.open(address, { ...o.driver, ...(address.startsWith('tcp://') ? {} : { baudRate: r.baudRate }) }),
      }, { ...o.service, registerId: r.id });
      registers.push({ id: r.id, service, journal });
    }
    const taxIds: Record<number, VatRate> = { ...STARRYS_TAX_IDS };
    for (const [k, v] of Object.entries(config.taxIds)) taxIds[Number(k)] = v;
    const gateway = new FiscalGateway(store, registers, {
      password: config.password, answerTimeoutMs: config.answerTimeoutMs, strategy: config.strategy, retentionDays: config.retentionDays,
      mapping: { taxIds, defaultTaxMode: config.taxMode, cashier: config.cashier ? { name: config.cashier.name, ...(config.cashier.inn ? { inn: config.cashier.inn } : {}) } : null },
      callbacks: { allowedHosts: config.allowedCallbackHosts, ...config.callback }, clock, log,
    });
    gateway.start();
    closers.push(() => gateway.stop());
    const http = await startGatewayHttp(gateway, { host: config.host, port: o.port ?? config.port ?? 0, log });
    closers.push(() => http.close());
    return { url: http.url, gateway, emulators, close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

const USAGE = 'usage: prilavok gateway --config FILE [--port N]\n';

export async function gatewayCommand(argv: string[]): Promise<number> {
  let configFile: string | null = null;
  let port: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--config') configFile = argv[++i] ?? null;
    else if (a === '--port') {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < 0 || v > 65_535) { process.stderr.write(`prilavok gateway: --port must be 0–65535\n${USAGE}`); return 2; }
      port = v;
    } else if (a === '--help' || a === '-h') { process.stdout.write(USAGE); return 0; }
    else { process.stderr.write(`prilavok gateway: unknown argument '${a ?? ''}'\n${USAGE}`); return 2; }
  }
  if (!configFile) { process.stderr.write(`prilavok gateway: --config FILE is required\n${USAGE}`); return 2; }
  let config: GatewayConfig;
  try {
    config = loadGatewayConfig(configFile);
  } catch (error) {
    if (error instanceof GatewayConfigError) { process.stderr.write(`prilavok gateway: ${error.message}\n`); return 2; }
    throw error;
  }
  const running = await startGateway(config, port !== undefined ? { port } : {});
  process.stdout.write(`GATEWAY_READY ${running.url}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => { process.off('SIGTERM', stop); process.off('SIGINT', stop); resolve(); };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
  await running.close();
  return 0;
}
