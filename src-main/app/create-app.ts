// The composition root: data dir → stores → services → handlers → dispatcher.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { LayoutConfig, type LaneInfo } from '../contract';
import { DEFAULT_SCALE_LABEL_RULES } from '../domain/barcode';
import { systemClock, type Clock } from '../services/clock';
import { SaleService } from '../services/sale/sale-service';
import { SessionService } from '../services/session/session-service';
import { ShiftService } from '../services/shift/shift-service';
import { PosEventStream } from '../services/pos-events/pos-event-stream';
import { VideoExportService, type VideoExportOptions } from '../services/video/video-export-service';
import { FiscalService } from '../services/fiscal/fiscal-service';
import { DEFAULT_FISCAL_SETTINGS, FiscalServiceSettings } from '../services/fiscal/fiscal-settings';
import { CatalogStore } from '../store/catalog-store';
import { startUpstreamLink, type UpstreamLink } from './upstream-link';
import { setUpFiscalRegister, type FiscalRegisterConfig, type FiscalRegisterSetup } from './fiscal-register-setup';
import { setUpMarking, type MarkingConfig, type MarkingSetup } from './marking-setup';
import { MarkingService } from '../services/marking/marking-service';
import { setUpPayments, type PaymentSetup, type PaymentTerminalsConfig } from './payment-setup';
import type { PaymentService } from '../services/payment/payment-service';
import { setUpDevices, type DeviceSetup, type DevicesConfig } from './device-setup';
import type { DeviceManagerOptions } from '../services/devices/device-manager';
import { DEFAULT_WEIGHING, WEIGHING_SETTINGS_KEY, WeighingSettings } from '../services/devices/weighed-sale';
import { SalesStore } from '../store/sales-store';
import { setUpReturns, type Returns } from './return-setup';
import { seedDemoLane } from './demo-seed';
import { Dispatcher, type Session } from './dispatcher';
import { EventBus } from './event-bus';
import { createHandlers } from './handlers';
import { DEFAULT_MARKING_LANE, DEFAULT_WEDGE, LaneIdentity, MarkingLaneSettings, ScaleLabelRules, SETTINGS_KEYS, UpstreamSettings, WedgeSettings, defaultLayout } from './lane-settings';
import type { PosApp } from './pos-app';
import { VERSION } from './version';
import { z } from 'zod';

export interface CreateAppOptions {
  dataDir: string;
  /** Seed a demo lane (users, layout, demo catalog) on first start. */
  demo?: boolean;
  clock?: Clock;
  /** Video export tuning (tests shorten the reconnect backoff, benchmarks watch deliveries). */
  video?: VideoExportOptions;
  /**
   * The fiscal register: a port, or the demo's in-process emulator. Absent: no register is driven and
   * closed sales keep their pending fiscal jobs (tests that look at the sale path alone).
   */
  fiscal?: FiscalRegisterConfig;
  /** The head office to send the outbox to; overrides the lane's `upstream` setting (tests). */
  upstream?: UpstreamSettings;
  /**
   * How marking codes are checked: the demo's in-process emulators or explicit settings; overrides the
   * lane's `marking` setting. Neither: no channel, every code is sold 'unavailable' (and journalled so).
   */
  marking?: MarkingConfig;
  /** Bank terminals: the demo's in-process emulators, or the lane's configured ones (default). */
  payments?: PaymentTerminalsConfig;
  /** The demo's terminals left unplugged (PRILAVOK_DEMO_UNPLUGGED=terminal-a): to show and test failover. */
  demoUnplugged?: readonly string[];
  /** Peripherals: the demo's in-process scale and printer emulators, or the lane's configured devices (default). */
  devices?: DevicesConfig;
  /** Device manager tuning (tests shorten the reconnect backoff and the health-check pace). */
  deviceTuning?: DeviceManagerOptions;
}

export interface PosAppInternals extends PosApp {
  readonly sales: SalesStore;
  readonly catalog: CatalogStore;
  readonly devices: DeviceSetup;
  readonly services: { session: SessionService; shift: ShiftService; sale: SaleService; video: VideoExportService; posEvents: PosEventStream; fiscal: FiscalService | null; upstream: UpstreamLink; marking: MarkingService; payments: PaymentSetup; returns: Returns };
}

export async function createApp(options: CreateAppOptions): Promise<PosAppInternals> {
  const clock = options.clock ?? systemClock;
  mkdirSync(options.dataDir, { recursive: true });
  const sales = SalesStore.open(join(options.dataDir, 'sales.sqlite'));
  let catalog: CatalogStore | null = null;
  let video: VideoExportService | null = null;
  let register: FiscalRegisterSetup | null = null;
  let fiscal: FiscalService | null = null;
  let upstream: UpstreamLink | null = null;
  let markingSetup: MarkingSetup | null = null;
  let paymentSetup: PaymentSetup | null = null;
  let deviceSetup: DeviceSetup | null = null;
  try {
    catalog = CatalogStore.open(join(options.dataDir, 'catalog.sqlite'));
    if (options.demo) await seedDemoLane(sales, catalog, clock.nowIso());
    const salt = sales.settings.get(SETTINGS_KEYS.pinSalt, z.string().regex(/^[0-9a-f]{32}$/), '');
    if (!salt) throw new Error(`${options.dataDir}: the lane is not set up (no users); start it with the demo configuration or import a lane configuration`);

    const identity = sales.settings.get(SETTINGS_KEYS.lane, LaneIdentity,
      { laneId: 'unconfigured', laneName: 'Касса', storeName: '', kiosk: false, locale: 'ru', demo: false });
    const wedge = sales.settings.get(SETTINGS_KEYS.wedge, WedgeSettings, DEFAULT_WEDGE);
    const scaleLabelRules = sales.settings.get(SETTINGS_KEYS.scaleLabelRules, ScaleLabelRules, DEFAULT_SCALE_LABEL_RULES);
    const layout = sales.settings.get(SETTINGS_KEYS.layout, LayoutConfig, defaultLayout([]));
    const lane: LaneInfo = { ...identity, version: VERSION, wedge };

    const events = new EventBus();
    const posEvents = new PosEventStream(identity.laneId, sales.shifts.current()?.number ?? null);
    const session = new SessionService(sales, salt, events, clock, posEvents);
    const shift = new ShiftService(sales, events, clock, posEvents);
    const markingConfig = options.marking ?? sales.settings.get(SETTINGS_KEYS.marking, z.unknown(), null) as MarkingConfig | null;
    if (markingConfig) markingSetup = await setUpMarking(markingConfig, sales.settings.get(SETTINGS_KEYS.fnSerial, z.string(), 'unknown'));
    const markingSettings = sales.settings.get(SETTINGS_KEYS.markingLane, MarkingLaneSettings, DEFAULT_MARKING_LANE);
    const marking = new MarkingService({
      journal: sales.marking, audit: sales.audit, outbox: sales.outbox, transaction: (fn) => sales.transaction(fn), clock,
      checker: markingSetup?.checker ?? null, settings: () => markingSettings,
    });
    paymentSetup = await setUpPayments(sales, clock, options.payments ?? 'configured', options.dataDir, { unplugged: options.demoUnplugged ?? [] });
    const payments: PaymentService = paymentSetup.service;
    payments.on((event) => {
      if (event.type === 'payment.progress') events.emit('payment.progress', { operationId: event.operationId, terminalId: event.terminalId, message: event.message });
      if (event.type === 'payment.changed') events.emit('payment.changed', { operation: event.operation });
    });
    // Every card operation left unfinished by a crash or power cut is found out before the first new one.
    void payments.recover().catch((e: unknown) => console.error('payment recovery failed', e));
    const sale = new SaleService(sales, catalog.products, shift, events, clock, () => scaleLabelRules, posEvents, marking);
    // A drawer wired to the register opens through the fiscal service (created below; null without a register).
    deviceSetup = await setUpDevices(sales, clock, options.devices ?? 'configured', events, posEvents, options.deviceTuning,
      { registerDrawer: () => fiscal });
    const devicesSetup = deviceSetup;
    // Bank slips and settlement reports go to the receipt printer; they are stored with the sale and the shift anyway.
    payments.on((event) => {
      if (event.type === 'payment.changed' && event.operation.state === 'approved' && event.operation.slip?.length) {
        void devicesSetup.manager.printDocument('bank-slip', event.operation.slip, event.operation.id);
      }
      if (event.type === 'payment.settled' && event.settlement.slip.length > 0) {
        void devicesSetup.manager.printDocument('settlement-report', event.settlement.slip, event.settlement.id);
      }
    });
    const weighing = sales.settings.get(WEIGHING_SETTINGS_KEY, WeighingSettings, DEFAULT_WEIGHING);
    video = VideoExportService.open({ store: sales, stream: posEvents, clock, laneId: identity.laneId, dataDir: options.dataDir }, options.video);
    video.start();
    const videoExport = video;

    const fiscalSettings = sales.settings.get(SETTINGS_KEYS.fiscal, FiscalServiceSettings, DEFAULT_FISCAL_SETTINGS);
    if (options.fiscal) {
      register = await setUpFiscalRegister(options.fiscal, options.dataDir);
      fiscal = new FiscalService({ journal: sales.fiscalJournal, connect: register.connect, clock, settings: () => fiscalSettings }, { registerId: 'main' });
      const fiscalService = fiscal;
      // A closed sale leaves a pending job; the service picks it up without the sale waiting for it.
      posEvents.subscribe((event) => { if (event.kind === 'receipt.closed' || event.kind === 'return.closed') fiscalService.kick(); });
      fiscal.on((event) => {
        if (event.type === 'fiscal.jobDone' || event.type === 'fiscal.jobParked') events.emit('fiscal.changed', { jobId: event.jobId, saleId: event.saleId });
      });
      fiscal.start();
    }
    const fiscalService = fiscal;
    const registerSetup = register;
    const upstreamSettings = options.upstream ?? sales.settings.get(SETTINGS_KEYS.upstream, UpstreamSettings.nullable(), null);
    upstream = startUpstreamLink(upstreamSettings, sales.outbox, posEvents, events, catalog.pulls);
    const upstreamLink = upstream;
    const returns = setUpReturns({ store: sales, catalog: catalog.products, shifts: shift, marking, payments, events, clock, posEvents,
      upstream: upstreamSettings, linkUsable: () => upstreamLink.status().link !== 'down', fiscalSettings: () => fiscalSettings });
    const handlers = createHandlers({ lane: () => lane, layout: () => layout, session, shift, sale, catalog: catalog.products, video: videoExport, fiscal: fiscalService, upstream: upstreamLink, marking,
      payments, devices: devicesSetup.manager, weighing: () => weighing, internalPaymentTypes: () => sales.payments.internalTypes(), returns,
      log: (message, error) => console.error(message, error) });
    const dispatcher = new Dispatcher(handlers, session);
    // Fold the WAL into the database while the lane is quiet (SalesStore.checkpointWhenIdle).
    const checkpointTimer = setInterval(() => { try { sales.checkpointWhenIdle(); } catch (e) { console.error('checkpoint failed', e); } }, 5_000);
    checkpointTimer.unref();
    const sessions = new Set<Session>();
    const catalogStore = catalog;
    const markingChannels = markingSetup;
    const paymentsSetup = paymentSetup;

    return {
      devices: devicesSetup,
      dispatcher, events, kiosk: identity.kiosk, dataDir: options.dataDir, sales, catalog: catalogStore,
      services: { session, shift, sale, video: videoExport, posEvents, fiscal: fiscalService, upstream: upstreamLink, marking, payments: paymentsSetup, returns },
      newSession() {
        const s: Session = { id: randomUUID(), user: null, locked: false };
        sessions.add(s);
        return s;
      },
      endSession(s) {
        sessions.delete(s);
      },
      async close() {
        clearInterval(checkpointTimer);
        await upstreamLink.stop();
        await markingChannels?.close();
        await paymentsSetup.close();
        await devicesSetup.close();
        await fiscalService?.stop();
        await registerSetup?.close();
        await videoExport.close();
        catalogStore.close();
        sales.close();
      },
    };
  } catch (error) {
    await upstream?.stop();
    await markingSetup?.close();
    await paymentSetup?.close();
    await deviceSetup?.close();
    await fiscal?.stop();
    await register?.close();
    await video?.close();
    catalog?.close();
    sales.close();
    throw error;
  }
}
