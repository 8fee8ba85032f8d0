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
import { SalesStore } from '../store/sales-store';
import { seedDemoLane } from './demo-seed';
import { Dispatcher, type Session } from './dispatcher';
import { EventBus } from './event-bus';
import { createHandlers } from './handlers';
import { DEFAULT_WEDGE, LaneIdentity, ScaleLabelRules, SETTINGS_KEYS, UpstreamSettings, WedgeSettings, defaultLayout } from './lane-settings';
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
}

export interface PosAppInternals extends PosApp {
  readonly sales: SalesStore;
  readonly catalog: CatalogStore;
  readonly services: { session: SessionService; shift: ShiftService; sale: SaleService; video: VideoExportService; posEvents: PosEventStream; fiscal: FiscalService | null; upstream: UpstreamLink };
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
    const sale = new SaleService(sales, catalog.products, shift, events, clock, () => scaleLabelRules, posEvents);
    video = VideoExportService.open({ store: sales, stream: posEvents, clock, laneId: identity.laneId, dataDir: options.dataDir }, options.video);
    video.start();
    const videoExport = video;

    if (options.fiscal) {
      register = await setUpFiscalRegister(options.fiscal, options.dataDir);
      const fiscalSettings = sales.settings.get(SETTINGS_KEYS.fiscal, FiscalServiceSettings, DEFAULT_FISCAL_SETTINGS);
      fiscal = new FiscalService({ journal: sales.fiscalJournal, connect: register.connect, clock, settings: () => fiscalSettings }, { registerId: 'main' });
      const fiscalService = fiscal;
      // A closed sale leaves a pending job; the service picks it up without the sale waiting for it.
      posEvents.subscribe((event) => { if (event.kind === 'receipt.closed') fiscalService.kick(); });
      fiscal.on((event) => {
        if (event.type === 'fiscal.jobDone' || event.type === 'fiscal.jobParked') events.emit('fiscal.changed', { jobId: event.jobId, saleId: event.saleId });
      });
      fiscal.start();
    }
    const fiscalService = fiscal;
    const registerSetup = register;
    upstream = startUpstreamLink(options.upstream ?? sales.settings.get(SETTINGS_KEYS.upstream, UpstreamSettings.nullable(), null),
      sales.outbox, posEvents, events);
    const upstreamLink = upstream;
    const handlers = createHandlers({ lane: () => lane, layout: () => layout, session, shift, sale, catalog: catalog.products, video: videoExport, fiscal: fiscalService, upstream: upstreamLink });
    const dispatcher = new Dispatcher(handlers, session);
    const sessions = new Set<Session>();
    const catalogStore = catalog;

    return {
      dispatcher, events, kiosk: identity.kiosk, dataDir: options.dataDir, sales, catalog: catalogStore,
      services: { session, shift, sale, video: videoExport, posEvents, fiscal: fiscalService, upstream: upstreamLink },
      newSession() {
        const s: Session = { id: randomUUID(), user: null, locked: false };
        sessions.add(s);
        return s;
      },
      endSession(s) {
        sessions.delete(s);
      },
      async close() {
        await upstreamLink.stop();
        await fiscalService?.stop();
        await registerSetup?.close();
        await videoExport.close();
        catalogStore.close();
        sales.close();
      },
    };
  } catch (error) {
    await upstream?.stop();
    await fiscal?.stop();
    await register?.close();
    await video?.close();
    catalog?.close();
    sales.close();
    throw error;
  }
}
