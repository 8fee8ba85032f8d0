// CAS scales (reference §1 Scales "CAS"): the ENQ/DC1 ECR family (CasEcrScale) and the indicator
// line format, streamed or on command (CasIndicatorScale). The POS must match the ECR type set in the
// scale's menu; these two are the types we speak.
import type { ByteTransport } from '../../transport/byte-transport';
import { ScaleCodecError } from '../codec-error';
import { ScaleLink } from '../link';
import { watchScale } from '../live-weight';
import { openScalePort, type ScalePortOptions } from '../port';
import { scaleErrors, stateOf, type Scale, type ScaleReading, type WatchOptions, type WeightEvent } from '../scale';
import {
  DC1, ENQ, decodeEcrFrame, decodeIndicatorLine, encodeIndicatorCommand, scanAck, scanEcrFrame, scanIndicatorLine,
  type BccMode, type CasWeight, type IndicatorLine,
} from './codec';

export interface CasOptions extends ScalePortOptions {
  answerTimeoutMs?: number;
  readAttempts?: number;
  bcc?: BccMode;
}

export interface CasIndicatorOptions extends ScalePortOptions {
  /** 'stream': the indicator sends lines on its own; 'command': we ask with WT. */
  mode?: 'stream' | 'command';
  answerTimeoutMs?: number;
  readAttempts?: number;
}

/** A weight in a unit the scale may show in pounds: we refuse pounds rather than convert. */
function decodeWith<T>(decode: () => T): T {
  try {
    return decode();
  } catch (error) {
    if (error instanceof ScaleCodecError && typeof error.details['unit'] === 'string') throw scaleErrors.unit(error.details['unit']);
    throw error;
  }
}

function readingOf(w: CasWeight, tareGrams: number | null): ScaleReading {
  if (w.status === 'overload') return { state: 'overload', weightGrams: null, tareGrams, unit: w.unit };
  return { state: stateOf(w.grams, w.status === 'stable'), weightGrams: w.grams, tareGrams, unit: w.unit };
}

export class CasEcrScale implements Scale {
  readonly protocol = 'cas' as const;
  private readonly timeoutMs: number;
  private readonly attempts: number;
  private readonly bcc: BccMode;

  constructor(private readonly link: ScaleLink, o: CasOptions = {}) {
    this.timeoutMs = o.answerTimeoutMs ?? 300;
    this.attempts = o.readAttempts ?? 3;
    this.bcc = o.bcc ?? 'sta-to-unit';
  }

  static async open(port: string, o: CasOptions = {}): Promise<CasEcrScale> {
    return CasEcrScale.over(await openScalePort(port, 9_600, o), o);
  }

  static over(transport: ByteTransport, o: CasOptions = {}): CasEcrScale {
    return new CasEcrScale(new ScaleLink(transport, 'cas'), o);
  }

  read(): Promise<ScaleReading> {
    return this.link.transact({
      name: 'DC1', request: null, scan: scanEcrFrame, readOnly: true, timeoutMs: this.timeoutMs, attempts: this.attempts,
      steps: async () => {
        await this.link.send(Uint8Array.of(ENQ));
        await this.link.readFrame(scanAck, this.timeoutMs);
        await this.link.send(Uint8Array.of(DC1));
        return this.link.readFrame(scanEcrFrame, this.timeoutMs);
      },
      decode: (frame) => readingOf(decodeWith(() => decodeEcrFrame(frame, this.bcc)), null),
    });
  }

  // No zero or tare: the ENQ/DC1 exchange only reads, so they are the scale's own keys.

  watch(listener: (event: WeightEvent) => void, options?: WatchOptions): () => void { return watchScale(this, listener, options); }
  close(): Promise<void> { return this.link.close(); }
}

export class CasIndicatorScale implements Scale {
  readonly protocol = 'cas-indicator' as const;
  private readonly mode: 'stream' | 'command';
  private readonly timeoutMs: number;
  private readonly attempts: number;

  constructor(private readonly link: ScaleLink, o: CasIndicatorOptions = {}) {
    this.mode = o.mode ?? 'stream';
    this.timeoutMs = o.answerTimeoutMs ?? 500;
    this.attempts = o.readAttempts ?? 3;
  }

  static async open(port: string, o: CasIndicatorOptions = {}): Promise<CasIndicatorScale> {
    return CasIndicatorScale.over(await openScalePort(port, 9_600, o), o);
  }

  static over(transport: ByteTransport, o: CasIndicatorOptions = {}): CasIndicatorScale {
    return new CasIndicatorScale(new ScaleLink(transport, 'cas-indicator'), o);
  }

  /** In stream mode: the next whole line after the call (older lines are stale and dropped). */
  read(): Promise<ScaleReading> {
    return this.link.transact({
      name: 'WT', request: this.mode === 'command' ? encodeIndicatorCommand('weight') : null,
      scan: scanIndicatorLine, readOnly: true, timeoutMs: this.timeoutMs, attempts: this.attempts,
      decode: (frame) => {
        const line: IndicatorLine = decodeWith(() => decodeIndicatorLine(frame));
        return readingOf(line, null);
      },
    });
  }

  /** UNCONFIRMED: whether ZE/TR get an answer; we send them and confirm with the next reading. No preset tare. */
  zero(): Promise<void> { return this.command('zero'); }
  tare(): Promise<void> { return this.command('tare'); }

  watch(listener: (event: WeightEvent) => void, options?: WatchOptions): () => void { return watchScale(this, listener, options); }
  close(): Promise<void> { return this.link.close(); }

  private async command(which: 'zero' | 'tare'): Promise<void> {
    await this.link.serial(() => this.link.send(encodeIndicatorCommand(which)));
    const after = await this.read();
    if (which === 'zero' && after.state !== 'zero') throw scaleErrors.zeroImpossible({ after });
    if (which === 'tare' && after.state !== 'zero') throw scaleErrors.tareRefused({ after });
  }
}
