// The lane's peripherals: the configured devices (sales.sqlite `devices`), opened and watched by the
// device manager, with their news sent to every window — status changes, live weight, scans. In the
// demo configuration a Massa-K scale and an ESC/POS printer with a drawer run in-process on TCP, so
// the demo shows a live weight, sells loose apples from the scale and kicks a drawer through the
// same driver code a real lane uses.
import { MassakEmulator } from '../../drivers/scales/massak/emulator';
import { EscPosEmulator } from '../../drivers/printer/escpos/emulator';
import type { EventBus } from './event-bus';
import type { EventPayload } from '../contract';
import { itemScreen, totalScreen } from '../../drivers/display/layout';
import type { PosEventStream } from '../services/pos-events/pos-event-stream';
import { DeviceManager, type DeviceManagerOptions } from '../services/devices/device-manager';
import { DEFAULT_DRAWER, DRAWER_SETTINGS_KEY, DrawerSettings, type RegisterDrawer } from '../services/devices/cash-drawer';
import type { SalesStore } from '../store/sales-store';
import type { Clock } from '../services/clock';

export type DevicesConfig = 'demo-emulators' | 'configured';

export interface DeviceSetup {
  manager: DeviceManager;
  /** The demo's emulators, for tests that unplug them. */
  demo: { scale: MassakEmulator; printer: EscPosEmulator } | null;
  close(): Promise<void>;
}

/** What the demo scale carries: a bag of apples, unless PRILAVOK_DEMO_SCALE_GRAMS says otherwise. */
function demoLoadGrams(): number {
  const n = Number(process.env.PRILAVOK_DEMO_SCALE_GRAMS ?? '1250');
  return Number.isSafeInteger(n) && n >= 0 && n <= 15_000 ? n : 1_250;
}

export async function setUpDevices(store: SalesStore, clock: Clock, config: DevicesConfig, events: EventBus, posEvents: PosEventStream,
  tuning: DeviceManagerOptions = {}, fiscal: { registerDrawer?: () => RegisterDrawer | null } = {}): Promise<DeviceSetup> {
  let demo: DeviceSetup['demo'] = null;
  if (config === 'demo-emulators') {
    const scale = await MassakEmulator.start({ tcp: { host: '127.0.0.1', port: 0 }, initialGrams: demoLoadGrams() });
    const printer = await EscPosEmulator.start({ tcp: { host: '127.0.0.1', port: 0 } }).catch(async (error: unknown) => {
      await scale.close();
      throw error;
    });
    demo = { scale, printer };
    // The emulators get new ports at every start: the stored settings follow them.
    const at = clock.nowIso();
    store.devices.save({ id: 'demo-scale', name: 'Весы Масса-К (демо)', kind: 'scale', protocol: 'massak', port: `tcp://${scale.address}`,
      role: 'weighing scale', enabled: true, options: {} }, at);
    store.devices.save({ id: 'demo-printer', name: 'Принтер чеков ESC/POS (демо)', kind: 'printer', protocol: 'escpos', port: `tcp://${printer.address}`,
      role: 'receipt printer', enabled: true, options: {} }, at);
  }
  const manager = new DeviceManager({
    devices: store.devices, audit: store.audit, transaction: (fn) => store.transaction(fn), clock,
    // Read at every kick: a drawer moved to the register's port needs no restart.
    drawer: () => store.settings.get(DRAWER_SETTINGS_KEY, DrawerSettings, DEFAULT_DRAWER),
    ...(fiscal.registerDrawer ? { registerDrawer: fiscal.registerDrawer } : {}),
  }, tuning);
  manager.listen({
    onStatus: (devices) => events.emit('devices.changed', { devices }),
    onWeight: (weight) => events.emit('scale.weight', weight),
    onScan: (scan) => events.emit('scanner.scanned', scan),
  });
  // A cash payment or a cash move is recorded first; the drawer then opens where it is wired (printer or register).
  const unsubscribe = posEvents.subscribe((event) => {
    if (event.kind === 'drawer.opened' && (event.reason === 'payment' || event.reason === 'cashMove')) {
      void manager.kickForDocument(event.reason, event.cashier?.id ?? null);
    }
  });
  // The customer display follows the receipt: the line just added (or changed), then the total to pay.
  const offReceipt = events.subscribe((event, payload) => {
    if (event !== 'receipt.changed') return;
    const { receipt } = payload as EventPayload<'receipt.changed'>;
    const last = receipt.lines.filter((l) => !l.voided).at(-1);
    void manager.showOnDisplays(last ? itemScreen(last.name, last.amountKopecks) : totalScreen(receipt.totals.totalKopecks));
  });
  const offClosed = posEvents.subscribe((event) => {
    if (event.kind === 'receipt.closed') void manager.showOnDisplays(totalScreen(event.totalKopecks, { second: 'Спасибо за покупку!' }));
  });
  manager.start();
  const emulators = demo;
  return {
    manager, demo,
    async close() {
      unsubscribe();
      offReceipt();
      offClosed();
      await manager.close();
      await emulators?.scale.close();
      await emulators?.printer.close();
    },
  };
}
