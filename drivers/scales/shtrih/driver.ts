// Shtrih-M weighing scale: the weight channel over the POS2 link. The link layer is the fiscal
// ShtrihLink (same ENQ/ACK/NAK rules, retries only for the read); its FiscalErrors become ScaleErrors.
import type { ByteTransport } from '../../transport/byte-transport';
import { FiscalError } from '../../fiscal/fiscal-error';
import { ShtrihLink, type LinkOptions } from '../../fiscal/shtrih/link';
import { ScaleCodecError } from '../codec-error';
import { watchScale } from '../live-weight';
import { openScalePort, type ScalePortOptions } from '../port';
import { ScaleError, scaleErrors, stateOf, type Scale, type ScaleReading, type WatchOptions, type WeightEvent } from '../scale';
import { STATUS, decodeAnswer, encodeRequest, type ChannelReading, type ShtrihScaleRequest } from './codec';

export interface ShtrihScaleOptions extends ScalePortOptions {
  /** UNCONFIRMED default. */
  password?: string;
  link?: LinkOptions;
  answerTimeoutMs?: number;
}

export class ShtrihScale implements Scale {
  readonly protocol = 'shtrih' as const;
  private readonly password: string;
  private readonly timeoutMs: number;
  private closed = false;

  constructor(private readonly link: ShtrihLink, o: ShtrihScaleOptions = {}) {
    this.password = o.password ?? '0030';
    this.timeoutMs = o.answerTimeoutMs ?? 1_000;
  }

  static async open(port: string, o: ShtrihScaleOptions = {}): Promise<ShtrihScale> {
    return ShtrihScale.over(await openScalePort(port, 9_600, o), o);
  }

  static over(transport: ByteTransport, o: ShtrihScaleOptions = {}): ShtrihScale {
    return new ShtrihScale(new ShtrihLink(transport, { enqRetries: 3, readOnlyRetries: 2, ...o.link }), o);
  }

  async read(): Promise<ScaleReading> {
    const { rc, reading } = await this.ask({ kind: 'read-channel', password: this.password }, true);
    if (rc !== 0) throw scaleErrors.deviceFault(`0x${rc.toString(16).padStart(2, '0')}`, { command: '3A' });
    if (!reading) throw scaleErrors.protocol('weight answer without data');
    return readingOf(reading);
  }

  async zero(): Promise<void> {
    const { rc } = await this.ask({ kind: 'zero', password: this.password }, false);
    if (rc !== 0) throw scaleErrors.zeroImpossible({ deviceCode: rc });
  }

  async tare(): Promise<void> {
    const r = await this.read();
    if (r.state === 'unstable') throw scaleErrors.notStable();
    const { rc } = await this.ask({ kind: 'tare', password: this.password }, false);
    if (rc !== 0) throw scaleErrors.tareRefused({ deviceCode: rc });
  }

  async setTare(tareGrams: number): Promise<void> {
    if (!Number.isInteger(tareGrams) || tareGrams < 0 || tareGrams > 0xffff) throw scaleErrors.tareRefused({ tareGrams });
    const { rc } = await this.ask({ kind: 'set-tare', password: this.password, tareGrams }, false);
    if (rc !== 0) throw scaleErrors.tareRefused({ deviceCode: rc });
  }

  clearTare(): Promise<void> { return this.setTare(0); }

  watch(listener: (event: WeightEvent) => void, options?: WatchOptions): () => void { return watchScale(this, listener, options); }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.link.close();
  }

  private async ask(r: ShtrihScaleRequest, readOnly: boolean): Promise<ReturnType<typeof decodeAnswer>> {
    if (this.closed) throw scaleErrors.closed();
    const payload = encodeRequest(r);
    const code = payload[0]!;
    try {
      const answer = await this.link.exchange(payload, { commandName: r.kind, commandCode: code, readOnly, answerTimeoutMs: this.timeoutMs });
      return decodeAnswer(answer);
    } catch (error) {
      if (error instanceof ScaleError) throw error;
      if (error instanceof ScaleCodecError) throw scaleErrors.protocol(error.message, { command: r.kind });
      if (error instanceof FiscalError) {
        if (error.kind === 'outcome-unknown') throw scaleErrors.noAnswer({ command: r.kind });
        if (error.kind === 'protocol') throw scaleErrors.protocol(error.message, { command: r.kind });
        throw scaleErrors.noLink({ command: r.kind, reason: error.details['reason'] });
      }
      throw scaleErrors.noLink({ command: r.kind, reason: (error as Error)?.message });
    }
  }
}

export function readingOf(c: ChannelReading): ScaleReading {
  const tareGrams = c.tareGrams;
  if (c.status & (STATUS.MEASUREMENT_ERROR | STATUS.ADC_SILENT)) {
    const adc = (c.status & STATUS.ADC_SILENT) !== 0;
    return {
      state: 'error', weightGrams: null, tareGrams, unit: 'kg',
      fault: {
        code: adc ? 'shtrih-adc-silent' : 'shtrih-measurement',
        text: adc ? { ru: 'Весовой модуль не отвечает', en: 'The weighing module is silent' } : { ru: 'Ошибка измерения веса', en: 'Weight measurement error' },
      },
    };
  }
  if (c.status & STATUS.OVERLOAD) return { state: 'overload', weightGrams: null, tareGrams, unit: 'kg' };
  if (c.status & STATUS.UNDERLOAD) return { state: 'underload', weightGrams: c.weightGrams < 0 ? c.weightGrams : null, tareGrams, unit: 'kg' };
  return { state: stateOf(c.weightGrams, (c.status & STATUS.STABLE) !== 0), weightGrams: c.weightGrams, tareGrams, unit: 'kg' };
}

