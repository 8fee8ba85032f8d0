// The cash drawer wired to the fiscal register opens through the fiscal service, which owns the
// register's one connection: the kick runs between fiscal jobs (never inside one), is refused when it
// cannot start in time (and then never goes out late), and the register's drawer switch reaches the
// service's status. Real lane files, the Shtrih emulator on TCP.
import { describe, expect, it } from 'vitest';
import type { ShtrihEmulator } from '../../../drivers/fiscal/shtrih/emulator';
import { ShtrihRegister } from '../../../drivers/fiscal/shtrih/driver';
import { fiscalErrors } from '../../../drivers/fiscal/fiscal-error';
import type { FiscalRegister } from '../../../drivers/fiscal/fiscal-register';
import { FiscalService } from '../../../src-main/services/fiscal/fiscal-service';
import type { FiscalServiceOptions } from '../../../src-main/services/fiscal/fiscal-settings';
import { DEFAULT_FISCAL_SETTINGS } from '../../../src-main/services/fiscal/fiscal-settings';
import { systemClock } from '../../../src-main/services/clock';
import type { TestLane } from '../../helpers/lane';
import { FAST_DRIVER, FAST_SERVICE, cashier, fiscalRigs, openJournal, receiptDocs } from './helpers';

const { rig, cleanups } = fiscalRigs('prilavok-fiscal-drawer-');

/** A gate in front of the register's receipt call: the test decides when the receipt may go on. */
function gatedReceipts() {
  let reached: () => void = () => undefined;
  let open: () => void = () => undefined;
  const atGate = new Promise<void>((r) => { reached = r; });
  const gate = new Promise<void>((r) => { open = r; });
  return { atGate, release: () => open(), wrap: (register: FiscalRegister): FiscalRegister => new Proxy(register, {
    get(target, key) {
      if (key === 'fiscaliseReceipt') {
        return async (...args: Parameters<FiscalRegister['fiscaliseReceipt']>) => { reached(); await gate; return target.fiscaliseReceipt(...args); };
      }
      return bindOf(target, key);
    },
  }) };
}

function serviceOn(lane: TestLane, emulator: ShtrihEmulator, o: { wrap?: (r: FiscalRegister) => FiscalRegister;
  connect?: () => Promise<FiscalRegister>; options?: Partial<FiscalServiceOptions>; start?: boolean } = {}): FiscalService {
  const { journal, close } = openJournal(lane.dir);
  const registers: FiscalRegister[] = [];
  const service = new FiscalService({
    journal, clock: systemClock, settings: () => DEFAULT_FISCAL_SETTINGS,
    connect: o.connect ?? (async () => {
      const r = await ShtrihRegister.open(`tcp://${emulator.address}`, FAST_DRIVER);
      registers.push(r);
      return o.wrap ? o.wrap(r) : r;
    }),
  }, { ...FAST_SERVICE, ...o.options });
  cleanups.push(async () => {
    await service.stop();
    for (const r of registers) await r.close().catch(() => undefined);
    close();
  });
  if (o.start !== false) service.start();
  return service;
}

const failureOf = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e);

describe('the drawer on the fiscal register', () => {
  it('a kick asked for while a receipt is being fiscalised waits for it and goes out after the document', async () => {
    const receiptsAtKick: number[] = [];
    const { lane, emulator } = await rig({ onDrawer: (_d, open) => { if (open) receiptsAtKick.push(receiptDocs(emulator).length); } });
    const gated = gatedReceipts();
    cashier(lane.app).sell();
    const service = serviceOn(lane, emulator, { wrap: gated.wrap });
    service.kick();
    await gated.atGate;
    const kick = service.openDrawer(1);
    await new Promise((r) => setTimeout(r, 150));
    expect(emulator.drawers.kicks).toEqual([0, 0]); // the receipt holds the register
    gated.release();
    await kick;
    expect(emulator.drawers.kicks).toEqual([0, 1]);
    expect(receiptsAtKick).toEqual([1]);
    await service.whenIdle();
    expect(receiptDocs(emulator)).toHaveLength(1);
  });

  it('a kick that cannot start in time is refused as busy and never goes out afterwards', async () => {
    const { lane, emulator } = await rig();
    const gated = gatedReceipts();
    cashier(lane.app).sell();
    const service = serviceOn(lane, emulator, { wrap: gated.wrap });
    service.kick();
    await gated.atGate;
    const refused = await failureOf(service.openDrawer(0, 100));
    expect(refused).toMatchObject({ code: 'FISCAL_REGISTER_BUSY', text: { ru: expect.stringContaining('ящик не открыт') as unknown } });
    gated.release();
    await service.whenIdle();
    await new Promise((r) => setTimeout(r, 200));
    expect(emulator.drawers.kicks).toEqual([0, 0]);
    expect(receiptDocs(emulator)).toHaveLength(1);
  });

  it('an idle service kicks at once, and its status shows the drawer switch as the register reports it', async () => {
    const { lane, emulator } = await rig();
    const service = serviceOn(lane, emulator, { options: { statusRefreshMs: 50 } });
    await service.whenIdle();
    await service.openDrawer(0);
    expect(emulator.drawers.isOpen(0)).toBe(true);
    await until('the status to show the drawer open', () => service.status().drawerOpen === true);
    emulator.closeDrawer();
    await until('the status to show it shut', () => service.status().drawerOpen === false);
  });

  it('refuses at once when the register cannot be reached, the service is stopped, or the driver has no drawer port', async () => {
    const { lane, emulator } = await rig();
    const unreachable = serviceOn(lane, emulator, { connect: () => Promise.reject(fiscalErrors.noLink({ reason: 'unplugged' })) });
    const started = Date.now();
    expect(await failureOf(unreachable.openDrawer(0, 10_000))).toMatchObject({ code: 'FISCAL_REGISTER_UNAVAILABLE' });
    expect(Date.now() - started).toBeLessThan(5_000);

    const stopped = serviceOn(lane, emulator, { start: false });
    expect(await failureOf(stopped.openDrawer(0))).toMatchObject({ code: 'FISCAL_REGISTER_UNAVAILABLE' });

    const noDrawerPort = serviceOn(lane, emulator, { wrap: (r) => new Proxy(r, { get: (target, key) => (key === 'openDrawer' ? undefined : bindOf(target, key)) }) });
    expect(await failureOf(noDrawerPort.openDrawer(0))).toMatchObject({ code: 'FISCAL_DRAWER_UNSUPPORTED', details: { protocol: 'shtrih-m' } });
    expect(emulator.drawers.kicks).toEqual([0, 0]);
  });
});

function bindOf(target: object, key: string | symbol): unknown {
  const value: unknown = Reflect.get(target, key);
  return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
}

async function until(what: string, test: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
