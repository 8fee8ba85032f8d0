// A CAS scale on a pty or TCP: the ENQ/DC1 ECR exchange (format 'ecr'), or an indicator that streams
// its line every `streamIntervalMs` or answers WT/ZE/TR (format 'indicator').
import { ScaleEmulatorHost, type Answer, type DeviceSession, type HostOptions, type ScaleDevice } from '../emulator-host';
import { WeighingModel, type WeighingModelOptions } from '../emulator-model';
import { ACK, DC1, ENQ, encodeEcrFrame, encodeIndicatorLine, type CasWeight } from './codec';

export interface CasEmulatorOptions extends HostOptions, WeighingModelOptions {
  format?: 'ecr' | 'indicator';
  /** Indicator only: null = command mode (answers WT), else a line every this many ms. */
  streamIntervalMs?: number | null;
  unit?: 'kg' | 'g';
}

function weightOf(model: WeighingModel, unit: 'kg' | 'g'): CasWeight {
  const s = model.snapshot();
  return { status: s.overload ? 'overload' : s.stable ? 'stable' : 'unstable', grams: s.overload ? 0 : s.netGrams, unit };
}

class EcrDevice implements ScaleDevice {
  private enquired = false;
  constructor(private readonly model: WeighingModel, private readonly unit: 'kg' | 'g') {}
  connect(): void { this.enquired = false; }
  receive(chunk: Uint8Array): Answer[] {
    const out: Answer[] = [];
    for (const b of chunk) {
      if (b === ENQ) { this.enquired = true; out.push({ bytes: Uint8Array.of(ACK), corruptAt: null, control: true }); }
      else if (b === DC1 && this.enquired) {
        this.enquired = false;
        const bytes = encodeEcrFrame(weightOf(this.model, this.unit));
        out.push({ bytes, corruptAt: 12 });
      }
    }
    return out;
  }
}

class IndicatorDevice implements ScaleDevice {
  private text = '';
  private readonly timers = new Map<DeviceSession, NodeJS.Timeout>();
  constructor(private readonly model: WeighingModel, private readonly unit: 'kg' | 'g', private readonly intervalMs: number | null) {}

  connect(session: DeviceSession): void {
    if (this.intervalMs === null) return;
    const t = setInterval(() => session.push(this.line()), this.intervalMs);
    this.timers.set(session, t);
  }

  disconnect(session: DeviceSession): void {
    const t = this.timers.get(session);
    if (t) clearInterval(t);
    this.timers.delete(session);
  }

  receive(chunk: Uint8Array): Answer[] {
    this.text += String.fromCharCode(...chunk);
    const out: Answer[] = [];
    for (let nl = this.text.indexOf('\n'); nl >= 0; nl = this.text.indexOf('\n')) {
      const cmd = this.text.slice(0, nl).trim();
      this.text = this.text.slice(nl + 1);
      if (cmd === 'ZE') this.model.zero();
      else if (cmd === 'TR') this.model.tareNow();
      else if (cmd === 'WT' && this.intervalMs === null) out.push(this.line());
    }
    if (this.text.length > 64) this.text = '';
    return out;
  }

  private line(): Answer {
    const s = this.model.snapshot();
    const bytes = encodeIndicatorLine({ ...weightOf(this.model, this.unit), net: s.tareGrams > 0 });
    return { bytes, corruptAt: bytes.length - 1 };
  }

  stopAll(): void { for (const s of [...this.timers.keys()]) this.disconnect(s); }
}

export class CasEmulator {
  private constructor(readonly model: WeighingModel, readonly host: ScaleEmulatorHost, private readonly indicator: IndicatorDevice | null) {}

  static async start(o: CasEmulatorOptions): Promise<CasEmulator> {
    const model = new WeighingModel(o);
    const unit = o.unit ?? 'kg';
    const indicator = o.format === 'indicator' ? new IndicatorDevice(model, unit, o.streamIntervalMs === undefined ? 100 : o.streamIntervalMs) : null;
    const device: ScaleDevice = indicator ?? new EcrDevice(model, unit);
    return new CasEmulator(model, await ScaleEmulatorHost.start(device, o), indicator);
  }

  get address(): string { return this.host.address; }

  async close(): Promise<void> {
    this.indicator?.stopAll();
    this.model.dispose();
    await this.host.close();
  }
}
