// Massa-K «Протокол 100» scale (reference §1): GET_MASSA for the weight, SET_ZERO, SET_TARE.
// Serial, USB-CDC and TCP (port 5001 on the scale) carry the same frames.
import type { ByteTransport } from '../../transport/byte-transport';
import { ScaleLink } from '../link';
import { watchScale } from '../live-weight';
import { openScalePort, type ScalePortOptions } from '../port';
import { scaleErrors, stateOf, type Scale, type ScaleReading, type WatchOptions, type WeightEvent } from '../scale';
import { ERROR_CODE, decodeFrame, decodeReply, divisionsToGrams, encodeRequest, gramsToDivisions, scanFrame, type Massa, type MassakReply } from './codec';

export interface MassakOptions extends ScalePortOptions {
  /** Wait for an answer (the TCP client of reference §1 uses 3 s; a serial scale answers in ~20 ms). */
  answerTimeoutMs?: number;
  /** Attempts for GET_MASSA. */
  readAttempts?: number;
}

export const MASSAK_TCP_PORT = 5001;

/** Device error codes that are a fault of the scale itself (state 'error'), with words for the cashier. */
const FAULTS: Record<number, { ru: string; en: string }> = {
  [ERROR_CODE.NO_WEIGHING_MODULE]: { ru: 'Нет связи с весовым модулем', en: 'No link to the weighing module' },
  [ERROR_CODE.LOADED_AT_POWER_ON]: { ru: 'Весы включены с грузом: снимите груз и перезагрузите весы', en: 'Switched on with a load: clear the platform and restart the scale' },
  [ERROR_CODE.FAULTY]: { ru: 'Весы неисправны', en: 'The scale is faulty' },
  [ERROR_CODE.NOT_WEIGHING]: { ru: 'Весы не в режиме взвешивания', en: 'The scale is not in weighing mode' },
};

export class MassakScale implements Scale {
  readonly protocol = 'massak' as const;
  private readonly timeoutMs: number;
  private readonly attempts: number;

  constructor(private readonly link: ScaleLink, o: MassakOptions = {}) {
    this.timeoutMs = o.answerTimeoutMs ?? 500;
    this.attempts = o.readAttempts ?? 3;
  }

  static async open(port: string, o: MassakOptions = {}): Promise<MassakScale> {
    return MassakScale.over(await openScalePort(port, 4_800, o), o);
  }

  static over(transport: ByteTransport, o: MassakOptions = {}): MassakScale {
    return new MassakScale(new ScaleLink(transport, 'massak'), o);
  }

  async read(): Promise<ScaleReading> {
    const reply = await this.ask('GET_MASSA', encodeRequest({ kind: 'get-massa' }), true);
    return readingOf(reply);
  }

  async zero(): Promise<void> {
    const reply = await this.ask('SET_ZERO', encodeRequest({ kind: 'set-zero' }), false);
    if (reply.kind === 'ack-set') return;
    if (reply.kind === 'error' && reply.code === ERROR_CODE.ZERO_IMPOSSIBLE) throw scaleErrors.zeroImpossible({ deviceCode: reply.code });
    if (reply.kind === 'error' && reply.code === ERROR_CODE.OVERLOAD) throw scaleErrors.overload();
    throw this.refusal('SET_ZERO', reply);
  }

  /**
   * Tares the load on the platform: reads it (it must be stable) and sets it as the tare with
   * SET_TARE. UNCONFIRMED: that SET_TARE's i32 is the tare in the reply's divisions (not grams) and
   * that a tare above the current load is refused with NACK_TARE.
   */
  async tare(): Promise<void> {
    const reply = await this.ask('GET_MASSA', encodeRequest({ kind: 'get-massa' }), true);
    if (reply.kind !== 'massa') { readingOf(reply); throw scaleErrors.tareRefused(); }
    if (!reply.stable) throw scaleErrors.notStable();
    const load = reply.weight + (reply.net ? (reply.tare ?? 0) : 0);
    if (load <= 0) throw scaleErrors.tareRefused({ reason: 'nothing on the platform' });
    await this.setTareDivisions(load);
  }

  async setTare(tareGrams: number): Promise<void> {
    if (!Number.isSafeInteger(tareGrams) || tareGrams < 0) throw scaleErrors.tareRefused({ tareGrams });
    const reply = await this.ask('GET_MASSA', encodeRequest({ kind: 'get-massa' }), true);
    const division = reply.kind === 'massa' ? reply.division : 1;
    await this.setTareDivisions(gramsToDivisions(tareGrams, division));
  }

  clearTare(): Promise<void> { return this.setTareDivisions(0); }

  watch(listener: (event: WeightEvent) => void, options?: WatchOptions): () => void {
    return watchScale(this, listener, options);
  }

  close(): Promise<void> { return this.link.close(); }

  private async setTareDivisions(tare: number): Promise<void> {
    const reply = await this.ask('SET_TARE', encodeRequest({ kind: 'set-tare', tare }), false);
    if (reply.kind === 'ack' || reply.kind === 'ack-set') return;
    if (reply.kind === 'nack-tare') throw scaleErrors.tareRefused({ tare });
    throw this.refusal('SET_TARE', reply);
  }

  private ask(name: string, request: Uint8Array, readOnly: boolean): Promise<MassakReply> {
    return this.link.transact({
      name, request, readOnly, scan: scanFrame, timeoutMs: this.timeoutMs, attempts: this.attempts,
      decode: (frame) => decodeReply(decodeFrame(frame)),
    });
  }

  private refusal(command: string, reply: MassakReply): Error {
    if (reply.kind === 'nack' || (reply.kind === 'error' && reply.code === ERROR_CODE.UNSUPPORTED)) return scaleErrors.unsupported(command);
    if (reply.kind === 'error') return scaleErrors.deviceFault(`0x${reply.code.toString(16).padStart(2, '0')}`, { command });
    return scaleErrors.protocol(`unexpected ${reply.kind} to ${command}`);
  }
}

/** A GET_MASSA answer (or the error the scale sent instead) as a device-neutral reading. */
export function readingOf(reply: MassakReply): ScaleReading {
  if (reply.kind === 'massa') return massaReading(reply);
  if (reply.kind === 'error') {
    if (reply.code === ERROR_CODE.OVERLOAD) return { state: 'overload', weightGrams: null, tareGrams: null, unit: 'kg' };
    const text = FAULTS[reply.code];
    if (text) return { state: 'error', weightGrams: null, tareGrams: null, unit: 'kg', fault: { code: `massak-0x${reply.code.toString(16)}`, text } };
    throw scaleErrors.deviceFault(`0x${reply.code.toString(16).padStart(2, '0')}`);
  }
  throw scaleErrors.protocol(`unexpected ${reply.kind} to GET_MASSA`);
}

function massaReading(m: Massa): ScaleReading {
  const weightGrams = divisionsToGrams(m.weight, m.division);
  return {
    state: stateOf(weightGrams, m.stable),
    weightGrams,
    tareGrams: m.tare === null ? null : divisionsToGrams(m.tare, m.division),
    unit: 'kg',
  };
}
