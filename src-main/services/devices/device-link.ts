// One configured device kept alive: open it, health-check it on a timer, and when it fails (unplugged,
// switched off, a dead cable) close what is left and reopen it after an exponential backoff with
// jitter. Nothing here throws to its caller: every failure becomes state ('down', lastError) that the
// manager reports. A scale is "checked" by reading it, so its health loop is also its live weight.
import type { DeviceConfig, DeviceState, DeviceStatus } from '../../contract/device-model';
import type { LocalizedText } from '../../contract/errors';
import { backoffDelayMs, type BackoffPolicy } from '../../../drivers/video/backoff';
import type { ScaleReading } from '../../../drivers/scales/scale';
import type { Clock } from '../clock';
import type { DeviceOpener, OpenedDevice } from './device-connection';

export interface DeviceLinkDeps {
  open: DeviceOpener;
  clock: Clock;
  backoff: BackoffPolicy;
  /** Pause between two health checks of this device. */
  checkIntervalMs: number;
  random?: () => number;
  /** State, error or warning changed (not called for a mere lastSeen update). */
  onChange(link: DeviceLink): void;
  /** Came up (after connecting) or was lost (after being up): the manager audits these. */
  onTransition(link: DeviceLink, event: 'connected' | 'lost', error: LocalizedText | null): void;
  /** Each scale reading, or null when the scale stopped giving them. */
  onReading(link: DeviceLink, reading: ScaleReading | null): void;
  /** The device is open: the manager wires a scanner into its hub. */
  onOpened(link: DeviceLink, device: OpenedDevice): void;
  onClosed(link: DeviceLink, device: OpenedDevice): void;
}

export class DeviceLink {
  state: DeviceState = 'connecting';
  lastError: LocalizedText | null = null;
  warning: LocalizedText | null = null;
  lastSeenAt: string | null = null;
  retryAt: string | null = null;
  failures = 0;
  private device: OpenedDevice | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** Bumped on every (re)connect and stop, so a late answer from an old attempt changes nothing. */
  private generation = 0;

  constructor(readonly config: DeviceConfig, private readonly deps: DeviceLinkDeps) {}

  get id(): string { return this.config.id; }
  get opened(): OpenedDevice | null { return this.state === 'up' ? this.device : null; }

  start(): void {
    if (!this.config.enabled) {
      this.state = 'disabled';
      this.deps.onChange(this);
      return;
    }
    void this.connect();
  }

  status(): DeviceStatus {
    const c = this.config;
    return {
      id: c.id, name: c.name, kind: c.kind, role: c.role, state: this.state, lastError: this.lastError, warning: this.warning,
      lastSeenAt: this.lastSeenAt, retryAt: this.retryAt, failures: this.failures,
    };
  }

  /** Skips the backoff wait (the administrator pressed "test"); resolves once the attempt is over. */
  async connectNow(): Promise<void> {
    if (this.stopped || !this.config.enabled || this.state === 'up') return;
    await this.connect();
  }

  /** One health check now; throws what the device said (for "test"), and counts as a failure if it fails. */
  async checkNow(): Promise<{ reading?: ScaleReading; warning: LocalizedText | null }> {
    const device = this.device;
    if (!device || this.state !== 'up') throw new Error(this.lastError?.en ?? 'the device is not connected');
    const generation = this.generation;
    try {
      const report = await device.check();
      if (generation === this.generation) this.seen(report);
      return report;
    } catch (error) {
      if (generation === this.generation) void this.lose(error);
      throw error;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.generation++;
    this.clearTimer();
    const device = this.device;
    this.device = null;
    if (device) await this.closeDevice(device);
  }

  private async connect(): Promise<void> {
    const generation = ++this.generation;
    this.clearTimer();
    const old = this.device;
    this.device = null;
    if (old) await this.closeDevice(old);
    this.setState('connecting');
    let device: OpenedDevice;
    try {
      device = await this.deps.open(this.config);
    } catch (error) {
      if (generation === this.generation && !this.stopped) this.fail(error);
      return;
    }
    if (generation !== this.generation || this.stopped) {
      await device.close().catch(() => undefined);
      return;
    }
    this.device = device;
    device.onLost((error) => { if (generation === this.generation) void this.lose(error); });
    try {
      const report = await device.check();
      if (generation !== this.generation) return;
      this.failures = 0;
      this.lastError = null;
      this.retryAt = null;
      this.deps.onOpened(this, device);
      this.seen(report);
      this.deps.onTransition(this, 'connected', null);
      this.schedule(generation);
    } catch (error) {
      if (generation !== this.generation) return;
      this.device = null;
      await this.closeDevice(device, false);
      this.fail(error);
    }
  }

  private schedule(generation: number): void {
    this.clearTimer();
    this.timer = setTimeout(() => { void this.poll(generation); }, this.deps.checkIntervalMs);
    this.timer.unref?.();
  }

  private async poll(generation: number): Promise<void> {
    this.timer = null;
    const device = this.device;
    if (!device || generation !== this.generation || this.stopped) return;
    try {
      const report = await device.check();
      if (generation !== this.generation) return;
      this.seen(report);
      this.schedule(generation);
    } catch (error) {
      if (generation === this.generation) await this.lose(error);
    }
  }

  private seen(report: { reading?: ScaleReading; warning: LocalizedText | null }): void {
    this.lastSeenAt = this.deps.clock.nowIso();
    const warningChanged = !sameText(this.warning, report.warning);
    this.warning = report.warning;
    // Up first: the reading's listeners ask the manager for the weight, which only an up scale gives.
    if (this.state !== 'up') this.setState('up');
    else if (warningChanged) this.deps.onChange(this);
    if (report.reading) this.deps.onReading(this, report.reading);
  }

  /** Was up (or connecting) and failed: close the remains, report, and come back later. */
  private async lose(error: unknown): Promise<void> {
    const generation = ++this.generation;
    this.clearTimer();
    const wasUp = this.state === 'up';
    const device = this.device;
    this.device = null;
    if (device) await this.closeDevice(device);
    if (generation !== this.generation || this.stopped) return;
    this.fail(error);
    if (wasUp) this.deps.onTransition(this, 'lost', this.lastError);
  }

  private fail(error: unknown): void {
    this.failures++;
    this.lastError = textOf(error);
    this.warning = null;
    const delay = backoffDelayMs(this.failures, this.deps.backoff, this.deps.random);
    this.retryAt = new Date(this.deps.clock.nowMs() + delay).toISOString();
    this.deps.onReading(this, null);
    this.setState('down');
    const generation = this.generation;
    this.clearTimer();
    this.timer = setTimeout(() => {
      this.timer = null;
      if (generation === this.generation && !this.stopped) void this.connect();
    }, delay);
    this.timer.unref?.();
  }

  private async closeDevice(device: OpenedDevice, notify = true): Promise<void> {
    if (notify) {
      try { this.deps.onClosed(this, device); } catch { /* the manager's bookkeeping must not stop the close */ }
    }
    await device.close().catch(() => undefined);
  }

  private setState(state: DeviceState): void {
    this.state = state;
    this.deps.onChange(this);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

/** A driver error's words for the cashier (ScaleError, PrinterError, … all carry `text`), or a plain fallback. */
export function textOf(error: unknown): LocalizedText {
  const text = (error as { text?: unknown } | null)?.text;
  if (text && typeof text === 'object' && typeof (text as LocalizedText).ru === 'string' && typeof (text as LocalizedText).en === 'string') {
    return text as LocalizedText;
  }
  const message = error instanceof Error ? error.message : String(error);
  return { ru: `Устройство недоступно: ${message.slice(0, 160)}`, en: `The device is unavailable: ${message.slice(0, 160)}` };
}

function sameText(a: LocalizedText | null, b: LocalizedText | null): boolean {
  return a === b || (a !== null && b !== null && a.ru === b.ru && a.en === b.en);
}
