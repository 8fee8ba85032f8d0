// Mettler Toledo 8217 (reference §1 Scales): W reads; Z, T and C are confirmed by the next reading
// because the scale does not answer them (UNCONFIRMED).
import type { ByteTransport } from '../../transport/byte-transport';
import { ScaleLink } from '../link';
import { watchScale } from '../live-weight';
import { openScalePort, type ScalePortOptions } from '../port';
import { scaleErrors, type Scale, type ScaleReading, type WatchOptions, type WeightEvent } from '../scale';
import { COMMAND, STATUS_BIT, decodeAnswer, scanAnswer, type MettlerAnswer } from './codec';

export const METTLER_LINE = { baudRate: 9_600, dataBits: 7, parity: 'even', stopBits: 1 } as const;

export interface MettlerOptions extends ScalePortOptions {
  /** Odoo uses 1 s read timeouts. */
  answerTimeoutMs?: number;
  readAttempts?: number;
}

export class Mettler8217Scale implements Scale {
  readonly protocol = 'mettler8217' as const;
  private readonly timeoutMs: number;
  private readonly attempts: number;

  constructor(private readonly link: ScaleLink, o: MettlerOptions = {}) {
    this.timeoutMs = o.answerTimeoutMs ?? 1_000;
    this.attempts = o.readAttempts ?? 2;
  }

  static async open(port: string, o: MettlerOptions = {}): Promise<Mettler8217Scale> {
    // Reference §1: the 8217 talks 9600 7E1 (a pty or USB-CDC adapter ignores the frame).
    return Mettler8217Scale.over(await openScalePort(port, METTLER_LINE, o), o);
  }

  static over(transport: ByteTransport, o: MettlerOptions = {}): Mettler8217Scale {
    return new Mettler8217Scale(new ScaleLink(transport, 'mettler8217'), o);
  }

  read(): Promise<ScaleReading> {
    return this.link.transact({
      name: 'W', request: Uint8Array.of(COMMAND.weight), scan: scanAnswer, readOnly: true,
      timeoutMs: this.timeoutMs, attempts: this.attempts, decode: (frame) => readingOf(decodeAnswer(frame)),
    });
  }

  async zero(): Promise<void> {
    await this.send(COMMAND.zero);
    const after = await this.read();
    if (after.state !== 'zero') throw scaleErrors.zeroImpossible({ after });
  }

  async tare(): Promise<void> {
    const before = await this.read();
    if (before.state === 'unstable') throw scaleErrors.notStable();
    if (before.state !== 'stable') throw scaleErrors.tareRefused({ before });
    await this.send(COMMAND.tare);
    const after = await this.read();
    if (after.state !== 'zero') throw scaleErrors.tareRefused({ after });
  }

  // No preset tare: the 8217 only tares what is on the platform.
  clearTare(): Promise<void> { return this.send(COMMAND.clearTare); }

  watch(listener: (event: WeightEvent) => void, options?: WatchOptions): () => void { return watchScale(this, listener, options); }
  close(): Promise<void> { return this.link.close(); }

  private send(byte: number): Promise<void> {
    return this.link.serial(async () => {
      try {
        await this.link.send(Uint8Array.of(byte));
      } catch (error) {
        throw scaleErrors.noLink({ reason: (error as Error).message });
      }
    });
  }
}

export function readingOf(a: MettlerAnswer): ScaleReading {
  if (a.kind === 'weight') return { state: a.grams === 0 ? 'zero' : 'stable', weightGrams: a.grams, tareGrams: null, unit: 'kg' };
  const b = a.bits;
  if (b & STATUS_BIT.OVER_CAPACITY) return { state: 'overload', weightGrams: null, tareGrams: null, unit: 'kg' };
  if (b & STATUS_BIT.NEGATIVE) return { state: 'underload', weightGrams: null, tareGrams: null, unit: 'kg' };
  if (b & STATUS_BIT.MOTION) return { state: 'unstable', weightGrams: null, tareGrams: null, unit: 'kg' };
  if (b & STATUS_BIT.OUTSIDE_ZERO_RANGE) {
    return { state: 'error', weightGrams: null, tareGrams: null, unit: 'kg',
      fault: { code: 'mettler-zero-range', text: { ru: 'Весы вне диапазона нуля: освободите платформу и обнулите', en: 'Outside the zero range: clear the platform and zero the scale' } } };
  }
  return { state: 'error', weightGrams: null, tareGrams: null, unit: 'kg',
    fault: { code: `mettler-status-0x${b.toString(16)}`, text: { ru: 'Весы не дали вес', en: 'The scale gave no weight' } } };
}
