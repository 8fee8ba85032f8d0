// A Mettler Toledo 8217 on a pty or TCP: W answers the weight when stable and valid, else the
// status byte; Z, T and C act on the model without an answer.
import { ScaleEmulatorHost, type Answer, type HostOptions, type ScaleDevice } from '../emulator-host';
import { WeighingModel, type WeighingModelOptions } from '../emulator-model';
import { COMMAND, STATUS_BIT, encodeAnswer, type MettlerAnswer } from './codec';

export type MettlerEmulatorOptions = HostOptions & WeighingModelOptions;

class MettlerDevice implements ScaleDevice {
  constructor(private readonly model: WeighingModel) {}

  receive(chunk: Uint8Array): Answer[] {
    const out: Answer[] = [];
    for (const b of chunk) {
      if (b === COMMAND.weight) {
        const bytes = encodeAnswer(this.answer());
        out.push({ bytes, corruptAt: bytes.length - 1 });
      } else if (b === COMMAND.zero) this.model.zero();
      else if (b === COMMAND.tare) this.model.tareNow();
      else if (b === COMMAND.clearTare) this.model.setTare(0);
    }
    return out;
  }

  private answer(): MettlerAnswer {
    const s = this.model.snapshot();
    let bits = 0;
    if (!s.stable) bits |= STATUS_BIT.MOTION;
    if (s.overload) bits |= STATUS_BIT.OVER_CAPACITY;
    if (s.negative) bits |= STATUS_BIT.NEGATIVE;
    if (s.tareGrams > 0) bits |= STATUS_BIT.NET;
    if (s.fault) bits |= STATUS_BIT.OUTSIDE_ZERO_RANGE;
    if (bits & ~STATUS_BIT.NET) return { kind: 'status', bits };
    return { kind: 'weight', grams: s.netGrams, net: s.tareGrams > 0 };
  }
}

export class Mettler8217Emulator {
  private constructor(readonly model: WeighingModel, readonly host: ScaleEmulatorHost) {}

  static async start(o: MettlerEmulatorOptions): Promise<Mettler8217Emulator> {
    const model = new WeighingModel(o);
    return new Mettler8217Emulator(model, await ScaleEmulatorHost.start(new MettlerDevice(model), o));
  }

  get address(): string { return this.host.address; }

  async close(): Promise<void> {
    this.model.dispose();
    await this.host.close();
  }
}
