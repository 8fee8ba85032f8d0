// A Massa-K «Протокол 100» scale on a pty or TCP: answers GET_MASSA, SET_ZERO, SET_TARE and
// GET_SCALE_PAR from the shared WeighingModel, with the host's fault injection.
import { ScaleEmulatorHost, type Answer, type HostOptions, type ScaleDevice } from '../emulator-host';
import { WeighingModel, type WeighingModelOptions } from '../emulator-model';
import { ERROR_CODE, decodeFrame, decodeRequest, encodeReply, gramsToDivisions, scanFrame, type DivisionCode, type MassakReply } from './codec';

export interface MassakEmulatorOptions extends HostOptions, WeighingModelOptions {
  division?: DivisionCode;
  /** Some models omit the tare from ACK_MASSA (Len 9). */
  withTare?: boolean;
}

class MassakDevice implements ScaleDevice {
  private buffer: number[] = [];
  constructor(private readonly model: WeighingModel, private readonly division: DivisionCode, private readonly withTare: boolean) {}

  connect(): void { this.buffer = []; }

  receive(chunk: Uint8Array): Answer[] {
    this.buffer.push(...chunk);
    const answers: Answer[] = [];
    for (;;) {
      const view = Uint8Array.from(this.buffer);
      const s = scanFrame(view);
      if (s.drop > 0) { this.buffer = this.buffer.slice(s.drop); continue; }
      if (s.length === null || view.length < s.length) break;
      this.buffer = this.buffer.slice(s.length);
      let reply: MassakReply;
      try {
        reply = this.answer(decodeFrame(view.slice(0, s.length)));
      } catch {
        continue; // a frame with a bad CRC gets no answer (the host times out and asks again)
      }
      const bytes = encodeReply(reply);
      answers.push({ bytes, corruptAt: bytes.length - 1 });
    }
    return answers;
  }

  private answer(body: Uint8Array): MassakReply {
    const r = decodeRequest(body);
    const m = this.model;
    switch (r.kind) {
      case 'get-massa': {
        const s = m.snapshot();
        if (s.fault) return { kind: 'error', code: ERROR_CODE.FAULTY };
        if (s.overload) return { kind: 'error', code: ERROR_CODE.OVERLOAD };
        return {
          kind: 'massa',
          weight: gramsToDivisions(s.netGrams, this.division),
          division: this.division,
          stable: s.stable,
          net: s.tareGrams > 0,
          zero: s.stable && s.netGrams === 0 && s.tareGrams === 0,
          tare: this.withTare ? gramsToDivisions(s.tareGrams, this.division) : null,
        };
      }
      case 'set-zero':
        return m.zero() === null ? { kind: 'ack-set' } : { kind: 'error', code: ERROR_CODE.ZERO_IMPOSSIBLE };
      case 'set-tare': {
        const grams = this.division === 0 ? Math.round(r.tare / 10) : r.tare * [0, 1, 10, 100, 1000][this.division]!;
        if (!m.snapshot().stable || m.setTare(grams) !== null) return { kind: 'nack-tare' };
        return { kind: 'ack' };
      }
      case 'get-scale-par':
        return { kind: 'scale-par', lines: [`НПВ ${m.capacityGrams} г`, 'Эмулятор Прилавок'] };
      case 'unknown':
        return { kind: 'nack' };
    }
  }
}

export class MassakEmulator {
  private constructor(readonly model: WeighingModel, readonly host: ScaleEmulatorHost) {}

  static async start(o: MassakEmulatorOptions): Promise<MassakEmulator> {
    const model = new WeighingModel(o);
    const device = new MassakDevice(model, o.division ?? 1, o.withTare ?? true);
    return new MassakEmulator(model, await ScaleEmulatorHost.start(device, o));
  }

  get address(): string { return this.host.address; }

  async close(): Promise<void> {
    this.model.dispose();
    await this.host.close();
  }
}

