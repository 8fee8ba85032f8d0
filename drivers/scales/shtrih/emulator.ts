// A Shtrih-M scale on a pty or TCP: the device half of the POS2 link (ENQ → NAK idle / ACK + the held
// answer; a frame → ACK, then the answer, held until the host ACKs it) and the weight channel commands.
import { ACK, ENQ, NAK, STX, encodeFrame, lrc } from '../../fiscal/shtrih/codec';
import { ScaleEmulatorHost, type Answer, type HostOptions, type ScaleDevice } from '../emulator-host';
import { WeighingModel, type WeighingModelOptions } from '../emulator-model';
import { CMD, STATUS, decodeRequest, encodeAnswer } from './codec';

export interface ShtrihScaleEmulatorOptions extends HostOptions, WeighingModelOptions {
  password?: string;
}

/** Result codes of this emulator (UNCONFIRMED against real scales). */
export const EMULATOR_RC = { OK: 0, REFUSED: 0x01, BAD_PASSWORD: 0x5a, UNKNOWN: 0x37 } as const;

class ShtrihScaleDevice implements ScaleDevice {
  private phase: 'idle' | 'len' | 'body' = 'idle';
  private body: number[] = [];
  private expected = 0;
  private pending: Uint8Array | null = null;

  constructor(private readonly model: WeighingModel, private readonly password: string) {}

  connect(): void { this.phase = 'idle'; this.pending = null; }

  receive(chunk: Uint8Array): Answer[] {
    const out: Answer[] = [];
    for (const b of chunk) {
      if (this.phase === 'idle') {
        if (b === ENQ) {
          if (this.pending) { out.push({ bytes: Uint8Array.of(ACK), corruptAt: null, control: true }, this.answer(this.pending)); }
          else out.push({ bytes: Uint8Array.of(NAK), corruptAt: null, control: true });
        } else if (b === STX) this.phase = 'len';
        else if (b === ACK) this.pending = null;
      } else if (this.phase === 'len') {
        if (b === 0) { this.phase = 'idle'; continue; }
        this.expected = b + 1;
        this.body = [b];
        this.phase = 'body';
      } else {
        this.body.push(b);
        if (this.body.length < this.expected + 1) continue;
        this.phase = 'idle';
        const len = this.body[0]!;
        const payload = Uint8Array.from(this.body.slice(1, 1 + len));
        if (this.body[1 + len] !== lrc(len, payload)) { out.push({ bytes: Uint8Array.of(NAK), corruptAt: null, control: true }); continue; }
        out.push({ bytes: Uint8Array.of(ACK), corruptAt: null, control: true });
        this.pending = encodeFrame(this.execute(payload));
        out.push(this.answer(this.pending));
      }
    }
    return out;
  }

  private answer(frame: Uint8Array): Answer { return { bytes: frame, corruptAt: frame.length - 1 }; }

  private execute(payload: Uint8Array): Uint8Array {
    let r;
    try { r = decodeRequest(payload); } catch { return encodeAnswer(payload[0] ?? 0, EMULATOR_RC.UNKNOWN); }
    if (r.password !== this.password) return encodeAnswer(payload[0]!, EMULATOR_RC.BAD_PASSWORD);
    const m = this.model;
    switch (r.kind) {
      case 'read-channel': {
        const s = m.snapshot();
        let status = STATUS.CHANNEL_ON;
        if (s.stable) status |= STATUS.STABLE;
        if (s.tareGrams > 0) status |= STATUS.TARE_SET;
        if (s.overload) status |= STATUS.OVERLOAD;
        if (s.negative) status |= STATUS.UNDERLOAD;
        if (s.fault) status |= STATUS.MEASUREMENT_ERROR;
        return encodeAnswer(CMD.READ_CHANNEL, 0, { status, weightGrams: s.overload ? 0 : s.netGrams, tareGrams: s.tareGrams });
      }
      case 'zero': return encodeAnswer(CMD.ZERO, m.zero() === null ? 0 : EMULATOR_RC.REFUSED);
      case 'tare': return encodeAnswer(CMD.TARE, m.tareNow() === null ? 0 : EMULATOR_RC.REFUSED);
      case 'set-tare': return encodeAnswer(CMD.SET_TARE, m.setTare(r.tareGrams) === null ? 0 : EMULATOR_RC.REFUSED);
    }
  }
}

export class ShtrihScaleEmulator {
  private constructor(readonly model: WeighingModel, readonly host: ScaleEmulatorHost) {}

  static async start(o: ShtrihScaleEmulatorOptions): Promise<ShtrihScaleEmulator> {
    const model = new WeighingModel(o);
    return new ShtrihScaleEmulator(model, await ScaleEmulatorHost.start(new ShtrihScaleDevice(model, o.password ?? '0030'), o));
  }

  get address(): string { return this.host.address; }

  async close(): Promise<void> {
    this.model.dispose();
    await this.host.close();
  }
}
