// The lane's peripherals (issue 5, ARCHITECTURE §4): configured as data, opened by protocol through
// the drivers, each kept alive by a DeviceLink (health checks, reconnect with backoff and jitter).
// The manager is the boundary that keeps a device's trouble away from the sale: every driver call is
// caught here and becomes state, an audit record or a typed PosError for the one call that asked —
// an unplugged scale never crashes the app and never touches the receipt in progress.
import { PosError, type User } from '../../contract';
import {
  DeviceConfig, type DeviceDraft, type DeviceStatus, type DeviceTestResult, type LiveWeight, type ScannerScanned,
} from '../../contract/device-model';
import type { DrawerStatus } from '../../contract/drawer-model';
import type { LocalizedText } from '../../contract/errors';
import type { ScaleControls } from '../../contract/scale-controls';
import { errors } from '../../app/errors';
import type { BackoffPolicy } from '../../../drivers/video/backoff';
import { sameReading } from '../../../drivers/scales/live-weight';
import { scaleControls, type ScaleReading } from '../../../drivers/scales/scale';
import { ScannerHub } from '../../../drivers/scanners/scanner-hub';
import type { DeviceConfigRepository } from '../../store/device-config';
import type { AuditLog } from '../../store/audit-log';
import { newId } from '../../store/ids';
import type { Clock } from '../clock';
import { CashDrawer, DEFAULT_DRAWER, type DrawerSettings, type RegisterDrawer } from './cash-drawer';
import { openConfiguredDevice, type DeviceOpener, type OpenedDevice } from './device-connection';
import { DeviceLink, textOf } from './device-link';

export const MAX_DEVICES = 16;

export interface DeviceManagerDeps {
  devices: DeviceConfigRepository;
  audit: AuditLog;
  transaction<T>(fn: () => T): T;
  clock: Clock;
  /** Tests put a fake or a slow opener here; the lane opens through the drivers. */
  open?: DeviceOpener;
  log?: (message: string, error?: unknown) => void;
  /** Where the cash drawer is wired (lane setting `drawer`); the printer when absent. */
  drawer?: () => DrawerSettings;
  /** The fiscal service, where the lane drives a register: a drawer wired to the register opens through it. */
  registerDrawer?: () => RegisterDrawer | null;
}

export interface DeviceManagerOptions {
  backoff?: BackoffPolicy;
  /**
   * From a scale's answer to the next request (default 20 ms). At 9600 baud a Massa-K exchange takes
   * ~30 ms on the wire, so a new load reaches the screen within about two exchanges (< 100 ms, what a
   * cashier sees as instant); a slower pace (it was 200 ms) made the panel lag the platform visibly.
   * Twenty-odd small exchanges a second cost well under 1 % of a core (bench devices: idle_cpu_pct).
   */
  scaleIntervalMs?: number;
  /** Between two health checks of a printer, scanner or display. */
  checkIntervalMs?: number;
  random?: () => number;
}

export interface DeviceManagerListeners {
  onStatus?(devices: DeviceStatus[]): void;
  onWeight?(weight: LiveWeight): void;
  onScan?(scan: ScannerScanned): void;
}

export const DEFAULT_SCALE_INTERVAL_MS = 20;

export const DEFAULT_DEVICE_BACKOFF: BackoffPolicy = { initialMs: 1_000, maxMs: 30_000 };

const NO_SCALE: LocalizedText = { ru: 'Весы не подключены', en: 'No scale is connected' };
const OWN_KEY: Record<'zero' | 'tare', LocalizedText> = {
  zero: { ru: 'Эти весы обнуляются только кнопкой на самих весах', en: 'This scale is zeroed only with its own key' },
  tare: { ru: 'Тару на этих весах ставят кнопкой на самих весах', en: 'This scale is tared only with its own key' },
};

export class DeviceManager {
  private readonly links = new Map<string, DeviceLink>();
  private readonly hub = new ScannerHub();
  private readonly readings = new Map<string, ScaleReading>();
  private readonly listeners: DeviceManagerListeners[] = [];
  private readonly open: DeviceOpener;
  private readonly log: (message: string, error?: unknown) => void;
  private readonly drawer: CashDrawer;
  private closed = false;

  constructor(private readonly deps: DeviceManagerDeps, private readonly options: DeviceManagerOptions = {}) {
    this.open = deps.open ?? openConfiguredDevice;
    this.log = deps.log ?? ((message, error) => console.error(`[devices] ${message}`, error ?? ''));
    this.drawer = new CashDrawer({
      settings: deps.drawer ?? (() => DEFAULT_DRAWER),
      register: deps.registerDrawer ?? (() => null),
      printer: () => {
        const link = [...this.links.values()].find((l) => l.config.kind === 'printer' && l.state === 'up' && l.opened?.printer);
        return link ? { deviceId: link.id, name: link.config.name, port: link.config.port, printer: link.opened!.printer! } : null;
      },
      audit: (action, subjectId, actorId, authorisedBy, details) => this.audit(action, subjectId, actorId, authorisedBy, details),
    });
    this.hub.onScan((e) => this.emit((l) => l.onScan?.({ code: e.code, source: e.source, symbology: e.symbology })));
    this.hub.onFault((f) => {
      if (f.error.code === 'SCANNER_NO_LINK') return; // the link handles it (down, reconnect)
      this.log(`scanner ${f.source}: ${f.error.code}`);
    });
  }

  listen(listener: DeviceManagerListeners): () => void {
    this.listeners.push(listener);
    return () => { const i = this.listeners.indexOf(listener); if (i >= 0) this.listeners.splice(i, 1); };
  }

  /** Opens every configured, enabled device; returns at once (devices come up in the background). */
  start(): void {
    const { devices, invalid } = this.deps.devices.list();
    for (const id of invalid) this.log(`device '${id}' has settings this version cannot read; it is not opened`);
    for (const config of devices) this.startLink(config);
  }

  list(): { devices: DeviceConfig[]; status: DeviceStatus[] } {
    const links = [...this.links.values()];
    return { devices: links.map((l) => l.config), status: links.map((l) => l.status()) };
  }

  status(): DeviceStatus[] {
    return [...this.links.values()].map((l) => l.status());
  }

  /** Adds or replaces a device and (re)opens it with the new settings: no restart. */
  async save(actor: User, draft: DeviceDraft): Promise<DeviceConfig> {
    const isNew = draft.id === undefined || !this.links.has(draft.id);
    if (isNew && this.links.size >= MAX_DEVICES) {
      throw errors.limit('Слишком много устройств на кассе', 'Too many devices on the lane', { max: MAX_DEVICES });
    }
    const config = DeviceConfig.parse({ ...draft, id: draft.id ?? newId() });
    const clash = [...this.links.values()].find((l) => l.id !== config.id && l.config.enabled && config.enabled && l.config.port === config.port);
    if (clash) {
      throw errors.invalidState(`Порт ${config.port} уже занят устройством «${clash.config.name}»`,
        `Port ${config.port} is already used by '${clash.config.name}'`, { port: config.port, deviceId: clash.id });
    }
    const at = this.deps.clock.nowIso();
    this.deps.transaction(() => {
      this.deps.devices.save(config, at);
      this.deps.audit.append({ at, actorId: actor.id, authorisedBy: null, action: isNew ? 'device.added' : 'device.updated', subjectId: config.id,
        details: { name: config.name, kind: config.kind, protocol: config.protocol, port: config.port, role: config.role, enabled: config.enabled } });
    });
    await this.stopLink(config.id);
    this.startLink(config);
    this.publishStatus();
    return config;
  }

  async remove(actor: User, deviceId: string): Promise<void> {
    const link = this.links.get(deviceId);
    if (!link) throw errors.notFound('device', deviceId);
    const at = this.deps.clock.nowIso();
    this.deps.transaction(() => {
      this.deps.devices.remove(deviceId);
      this.deps.audit.append({ at, actorId: actor.id, authorisedBy: null, action: 'device.removed', subjectId: deviceId,
        details: { name: link.config.name, kind: link.config.kind, protocol: link.config.protocol, port: link.config.port } });
    });
    await this.stopLink(deviceId);
    this.publishStatus();
  }

  /** The administrator's "test": reconnect now if it is down, then one health check; audited either way. */
  async test(actor: User, deviceId: string): Promise<DeviceTestResult> {
    const link = this.links.get(deviceId);
    if (!link) throw errors.notFound('device', deviceId);
    let result: DeviceTestResult;
    if (!link.config.enabled) {
      result = { ok: false, message: { ru: 'Устройство выключено в настройках', en: 'The device is disabled in the settings' }, weight: null };
    } else {
      try {
        await link.connectNow();
        if (link.state !== 'up') throw link.lastError ? { text: link.lastError } : new Error('not connected');
        const report = await link.checkNow();
        if (link.config.kind === 'display') await link.opened?.display?.show(['Прилавок', 'Проверка дисплея']).catch(() => undefined);
        const weight = report.reading ? this.weightOf(link.id, report.reading) : null;
        const message = report.warning
          ?? (weight ? { ru: `Связь есть. Вес: ${weightText(weight, 'ru')}`, en: `Connected. Weight: ${weightText(weight, 'en')}` }
            : { ru: 'Связь есть, устройство отвечает', en: 'Connected, the device answers' });
        result = { ok: true, message, weight };
      } catch (error) {
        result = { ok: false, message: textOf(error), weight: null };
      }
    }
    this.auditDevice('device.tested', link, actor.id, null, { ok: result.ok, message: result.message.en });
    return result;
  }

  /** The live weight of the lane's scale (the first scale that is up, else the first configured). */
  weight(): LiveWeight {
    const link = this.laneScale();
    const at = this.deps.clock.nowIso();
    if (!link) return { deviceId: null, grams: null, stable: false, state: 'error', unit: 'kg', message: NO_SCALE, at };
    const reading = this.readings.get(link.id);
    if (link.state !== 'up' || !reading) {
      return { deviceId: link.id, grams: null, stable: false, state: 'error', unit: 'kg', message: link.lastError ?? NO_SCALE, at };
    }
    return this.weightOf(link.id, reading);
  }

  /**
   * A fresh reading for a sale (not the last pushed one: the item may have moved since). Errors are
   * the driver's typed ScaleError, thrown to the caller as a PosError with the same words.
   */
  async readScaleForSale(): Promise<{ deviceId: string; reading: ScaleReading }> {
    const scales = [...this.links.values()].filter((l) => l.config.kind === 'scale' && l.config.enabled);
    const link = scales.find((l) => l.state === 'up');
    if (!link) {
      const down = scales[0];
      throw new PosError('INVALID_STATE', down?.lastError
        ? { ru: `Весы недоступны: ${down.lastError.ru}`, en: `The scale is unavailable: ${down.lastError.en}` }
        : { ru: 'Весы не подключены. Отсканируйте этикетку весов', en: 'No scale is connected. Scan the scale label instead' },
      { device: down?.id ?? null });
    }
    try {
      const report = await link.checkNow();
      if (!report.reading) throw new Error('no reading');
      return { deviceId: link.id, reading: report.reading };
    } catch (error) {
      throw new PosError('INVALID_STATE', textOf(error), { device: link.id, code: (error as { code?: unknown }).code ?? null });
    }
  }

  /** What the lane's scale (the one weight() reads) takes from the till: its Zero and Tare buttons. */
  scaleControls(): ScaleControls {
    const link = this.laneScale();
    const scale = link?.opened?.scale;
    return { deviceId: link?.id ?? null, ...(scale ? scaleControls(scale) : { zero: false, tare: false }) };
  }

  /**
   * Zero or Tare from the till on the lane's scale; answers the fresh weight. Audited with the weight
   * before and after: a tare changes what every later weighing sells. The scale's refusal ("zero
   * impossible", "not stable") is the caller's PosError in the scale's words.
   */
  async commandScale(actor: User, command: 'zero' | 'tare'): Promise<LiveWeight> {
    const link = this.laneScale();
    const scale = link?.opened?.scale;
    if (!link || !scale) {
      throw new PosError('INVALID_STATE', link?.lastError
        ? { ru: `Весы недоступны: ${link.lastError.ru}`, en: `The scale is unavailable: ${link.lastError.en}` } : NO_SCALE, { device: link?.id ?? null });
    }
    const run = command === 'zero' ? scale.zero?.bind(scale) : scale.tare?.bind(scale);
    if (!run) throw new PosError('INVALID_STATE', OWN_KEY[command], { device: link.id, protocol: scale.protocol });
    const before = this.readings.get(link.id) ?? null;
    try {
      await run();
    } catch (error) {
      throw new PosError('INVALID_STATE', textOf(error), { device: link.id, code: (error as { code?: unknown }).code ?? null });
    }
    // Read at once, so that the panel (and this answer) show the new zero or tare, not the next poll's.
    const after = (await link.checkNow().catch(() => null))?.reading ?? null;
    this.auditDevice(command === 'zero' ? 'scale.zeroed' : 'scale.tared', link, actor.id, null, {
      weightBefore: before?.weightGrams ?? null, tareBefore: before?.tareGrams ?? null,
      weightAfter: after?.weightGrams ?? null, tareAfter: after?.tareGrams ?? null,
    });
    return this.weight();
  }

  /** Where the cash drawer is wired, whether it can be kicked now, and its switch where the hardware reports it. */
  drawerStatus(): Promise<DrawerStatus> {
    return this.drawer.status();
  }

  /**
   * Opens the cash drawer where it is wired (the printer, or the fiscal register through the fiscal
   * service); audited with who did it and who authorised it.
   */
  openDrawer(actor: User, authorisedBy: User | null, reason: 'no-sale' | 'payment' = 'no-sale'): Promise<void> {
    return this.drawer.open(actor.id, authorisedBy?.id ?? null, reason);
  }

  /**
   * The kick a document asks for (a cash payment, a cash move): the money is already recorded, so a
   * drawer that does not open is logged and audited as a failed kick, never thrown back into the sale.
   */
  kickForDocument(reason: 'payment' | 'cashMove', actorId: string | null): Promise<boolean> {
    return this.drawer.kickForDocument(reason, actorId);
  }

  /**
   * Prints a document that is not fiscal (a bank slip, a settlement report) on the lane's printer. The
   * document itself is stored elsewhere (with the sale, with the shift), so a printer that is down or out
   * of paper costs only the paper copy: the failure is audited and reported as false, never thrown.
   */
  async printDocument(kind: 'bank-slip' | 'settlement-report', lines: readonly string[], subjectId: string | null): Promise<boolean> {
    const link = [...this.links.values()].find((l) => l.config.kind === 'printer' && l.state === 'up' && l.opened?.printer);
    let failure: string | null = link ? null : 'no printer is connected';
    if (link) {
      try {
        await link.opened!.printer!.printSlip(lines);
      } catch (error) {
        failure = (error as Error).message;
      }
    }
    const at = this.deps.clock.nowIso();
    this.deps.transaction(() => this.deps.audit.append({ at, actorId: null, authorisedBy: null, action: failure ? 'printer.failed' : 'printer.printed',
      subjectId, details: { kind, lines: lines.length, deviceId: link?.id ?? null, ...(failure ? { reason: failure } : {}) } }));
    return failure === null;
  }

  /**
   * Shows two lines on every customer display that is up. A display never answers, so a failure here is
   * ignored: the next health check finds the display gone and reconnects it.
   */
  async showOnDisplays(lines: readonly [string, string]): Promise<void> {
    for (const link of this.links.values()) {
      if (link.config.kind === 'display' && link.state === 'up') await link.opened?.display?.show([...lines]).catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const id of [...this.links.keys()]) await this.stopLink(id);
    await this.hub.close().catch(() => undefined);
  }

  /** The scale the lane weighs on: the first enabled scale that is up, else the first enabled one. */
  private laneScale(): DeviceLink | undefined {
    const scales = [...this.links.values()].filter((l) => l.config.kind === 'scale' && l.config.enabled);
    return scales.find((l) => l.state === 'up') ?? scales[0];
  }

  private startLink(config: DeviceConfig): void {
    if (this.closed) return;
    const isScale = config.kind === 'scale';
    const link = new DeviceLink(config, {
      open: this.open,
      clock: this.deps.clock,
      backoff: this.options.backoff ?? DEFAULT_DEVICE_BACKOFF,
      checkIntervalMs: isScale ? this.options.scaleIntervalMs ?? DEFAULT_SCALE_INTERVAL_MS : this.options.checkIntervalMs ?? 5_000,
      ...(this.options.random ? { random: this.options.random } : {}),
      onChange: () => this.publishStatus(),
      onTransition: (l, event, error) => this.auditDevice(event === 'connected' ? 'device.connected' : 'device.lost', l, null, null,
        error ? { error: error.en } : {}),
      onReading: (l, reading) => this.onReading(l, reading),
      onOpened: (l, device) => this.attach(l, device),
      onClosed: (l) => { void this.hub.remove(l.id).catch(() => undefined); },
    });
    this.links.set(config.id, link);
    link.start();
  }

  private async stopLink(id: string): Promise<void> {
    const link = this.links.get(id);
    if (!link) return;
    this.links.delete(id);
    this.readings.delete(id);
    await this.hub.remove(id).catch(() => undefined);
    await link.stop().catch((e: unknown) => this.log(`closing device ${id}`, e));
    if (link.config.kind === 'scale') this.emit((l) => l.onWeight?.(this.weight()));
  }

  private attach(link: DeviceLink, device: OpenedDevice): void {
    if (device.scanner) {
      // The hub knows scanners by id; its events carry the device id as their source.
      const scanner = device.scanner;
      try {
        this.hub.add({ id: link.id, onScan: (l) => scanner.onScan(l), onFault: (l) => scanner.onFault(l), close: () => scanner.close() });
      } catch (error) {
        this.log(`scanner ${link.id} could not join the hub`, error);
      }
    }
  }

  private onReading(link: DeviceLink, reading: ScaleReading | null): void {
    const before = this.readings.get(link.id) ?? null;
    if (reading === null) {
      if (before === null) return;
      this.readings.delete(link.id);
    } else {
      if (sameReading(before, reading)) return;
      this.readings.set(link.id, reading);
    }
    // The health loop reads a scale continuously and only changes get here: a settling load pushes a few
    // readings, a still one none.
    this.emit((l) => l.onWeight?.(this.weight()));
  }

  private weightOf(deviceId: string, r: ScaleReading): LiveWeight {
    const message = r.state === 'error' ? r.fault?.text ?? { ru: 'Неисправность весов', en: 'Scale fault' }
      : r.state === 'overload' ? { ru: 'Перегрузка весов', en: 'The scale is overloaded' }
        : r.state === 'underload' ? { ru: 'Вес меньше нуля: обнулите весы', en: 'Below zero: zero the scale' }
          : null;
    return { deviceId, grams: r.weightGrams, stable: r.state === 'stable' || r.state === 'zero', state: r.state, unit: r.unit, message, at: this.deps.clock.nowIso() };
  }

  private publishStatus(): void {
    if (this.closed) return;
    const devices = this.status();
    this.emit((l) => l.onStatus?.(devices));
  }

  private emit(fn: (l: DeviceManagerListeners) => void): void {
    for (const l of this.listeners) {
      try { fn(l); } catch (error) { this.log('a device listener failed', error); }
    }
  }

  private auditDevice(action: string, link: DeviceLink, actorId: string | null, authorisedBy: string | null, details: Record<string, unknown>): void {
    this.audit(action, link.id, actorId, authorisedBy, { name: link.config.name, kind: link.config.kind, port: link.config.port, ...details });
  }

  /** Device events go to the hash-chained audit log; a failure to write is logged, never thrown into a device loop. */
  private audit(action: string, subjectId: string, actorId: string | null, authorisedBy: string | null, details: Record<string, unknown>): void {
    if (this.closed) return;
    try {
      const at = this.deps.clock.nowIso();
      this.deps.transaction(() => this.deps.audit.append({ at, actorId, authorisedBy, action, subjectId, details }));
    } catch (error) {
      this.log(`audit ${action} for ${subjectId}`, error);
    }
  }
}

function weightText(w: LiveWeight, lang: 'ru' | 'en'): string {
  if (w.grams === null) return lang === 'ru' ? 'нет' : 'none';
  const kg = (w.grams / 1000).toFixed(3);
  return `${lang === 'ru' ? kg.replace('.', ',') : kg} ${lang === 'ru' ? 'кг' : 'kg'}`;
}
