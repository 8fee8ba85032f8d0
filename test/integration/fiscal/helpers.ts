// A lane, a Shtrih emulator on TCP 127.0.0.1 and a fiscal service between them, for the fiscal tests.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { ShtrihEmulator, type EmulatorOptions } from '../../../drivers/fiscal/shtrih/emulator';
import { ShtrihRegister, type ShtrihOptions } from '../../../drivers/fiscal/shtrih/driver';
import { FD_TYPE } from '../../../drivers/fiscal/shtrih/commands';
import { openDatabase } from '../../../src-main/store/database';
import { FiscalJournal } from '../../../src-main/store/fiscal-journal';
import { DEMO_BARCODES } from '../../../src-main/store/catalog-generator';
import { FiscalService, type FiscalEvent } from '../../../src-main/services/fiscal/fiscal-service';
import type { FiscalServiceOptions, FiscalServiceSettings } from '../../../src-main/services/fiscal/fiscal-settings';
import { DEFAULT_FISCAL_SETTINGS } from '../../../src-main/services/fiscal/fiscal-settings';
import type { Clock } from '../../../src-main/services/clock';
import { systemClock } from '../../../src-main/services/clock';
import type { PosAppInternals } from '../../../src-main/app/create-app';
import type { Sale } from '../../../src-main/contract';
import { openLane, tempDir, type TestLane } from '../../helpers/lane';

export const FAST_DRIVER: ShtrihOptions = {
  link: { enqTimeoutMs: 100, ackTimeoutMs: 100, enqRetries: 3 },
  answerTimeoutMs: { default: 400 },
};

export const FAST_SERVICE: Partial<FiscalServiceOptions> = { pollMs: 50, backoffBaseMs: 20, maxBackoffMs: 300 };

export async function startEmulator(dir: string, options: Partial<EmulatorOptions> = {}): Promise<ShtrihEmulator> {
  return ShtrihEmulator.start({ tcp: { host: '127.0.0.1', port: 0 }, stateFile: join(dir, 'register-state.json'), paperReloadMs: null, ...options });
}

/** The journal on its own connection to the lane's sales.sqlite (the lead moves it into SalesStore). */
export function openJournal(dataDir: string): { journal: FiscalJournal; close(): void } {
  const db = openDatabase(join(dataDir, 'sales.sqlite'), 'sales');
  return { journal: new FiscalJournal(db), close: () => db.close() };
}

export interface ServiceRig {
  service: FiscalService;
  journal: FiscalJournal;
  events: FiscalEvent[];
  registers: ShtrihRegister[];
  close(): Promise<void>;
}

export function startService(dataDir: string, emulator: ShtrihEmulator, o: { clock?: Clock; settings?: Partial<FiscalServiceSettings>;
  options?: Partial<FiscalServiceOptions>; start?: boolean } = {}): ServiceRig {
  const { journal, close } = openJournal(dataDir);
  const registers: ShtrihRegister[] = [];
  const settings = { ...DEFAULT_FISCAL_SETTINGS, ...o.settings };
  const service = new FiscalService({
    journal, clock: o.clock ?? systemClock, settings: () => settings,
    connect: async () => { const r = await ShtrihRegister.open(`tcp://${emulator.address}`, FAST_DRIVER); registers.push(r); return r; },
  }, { ...FAST_SERVICE, ...o.options });
  const events: FiscalEvent[] = [];
  service.on((e) => events.push(e));
  if (o.start !== false) service.start();
  return {
    service, journal, events, registers,
    async close() {
      await service.stop();
      for (const r of registers) await r.close().catch(() => undefined);
      close();
    },
  };
}

const CODES = [DEMO_BARCODES.beer, DEMO_BARCODES.bread, DEMO_BARCODES.water, DEMO_BARCODES.bag];

/** A cashier on the lane's services, as the crash test's child does. */
export function cashier(app: PosAppInternals) {
  const session = app.newSession();
  app.services.session.login(session, '1111');
  const actor = session.user!;
  const ctx = { session, actor, authorisedBy: null, require: () => actor } as any;
  if (!app.services.shift.current()) app.services.shift.open(actor);
  let i = 0;
  return {
    /** Closes one cash sale (1–3 lines) and returns it. */
    sell(): Sale {
      const r = app.services.sale.open(actor);
      const lines = 1 + (i % 3);
      for (let k = 0; k < lines; k++) app.services.sale.scan(ctx, r.id, CODES[(i + k) % CODES.length]!, 'scanner');
      i++;
      const total = app.services.sale.get(r.id).totals.totalKopecks;
      return app.services.sale.payCash(ctx, r.id, total + 1000).sale;
    },
  };
}

export function receiptDocs(emulator: ShtrihEmulator) {
  return emulator.device.state.documents.filter((d) => d.type === FD_TYPE.receipt);
}

export function docTypes(emulator: ShtrihEmulator): number[] {
  return emulator.device.state.documents.map((d) => d.type);
}

/**
 * Per-test rigs for the fiscal service tests: a lane and an emulator (`rig`), a service between them
 * (`service`), all closed after each test in reverse order; `cleanups` takes anything else to close.
 */
export function fiscalRigs(prefix: string) {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  async function rig(emulatorOptions: Parameters<typeof startEmulator>[1] = {}) {
    const dir = tempDir(prefix);
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const lane = await openLane({ dir: `${dir}/lane` });
    cleanups.push(() => lane.close());
    const emulator = await startEmulator(dir, emulatorOptions);
    cleanups.push(() => emulator.close());
    return { dir, lane, emulator };
  }
  function service(lane: TestLane, emulator: ShtrihEmulator, o: Parameters<typeof startService>[2] = {}): ServiceRig {
    const s = startService(lane.dir, emulator, o);
    cleanups.push(() => s.close());
    return s;
  }
  return { rig, service, cleanups };
}
