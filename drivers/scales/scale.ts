// The device-neutral weighing scale (ARCHITECTURE §4, issue 5). Services and the UI see only this:
// a reading in whole grams (the app's integer thousandths of a kilogram, never floating point),
// tare and zero where the protocol carries them, a live-weight watcher and typed errors a cashier
// can act on.
import type { LocalizedText } from '../../src-main/contract/errors';

export type ScaleProtocol = 'massak' | 'cas' | 'cas-indicator' | 'shtrih' | 'mettler8217';

/**
 * - stable / unstable: a weight is on the platform; only a stable one may go into a sale;
 * - zero: stable at zero (nothing on the platform, or exactly the tare);
 * - overload: above the maximum capacity (НПВ); the weight is unknown;
 * - underload: below zero (platform lifted, tare removed); weightGrams holds the negative value when
 *   the device reports one;
 * - error: the device reports a measurement fault (see `fault`).
 */
export type ScaleState = 'stable' | 'unstable' | 'overload' | 'underload' | 'zero' | 'error';

/** The unit the scale displays. Weights are always carried in grams whatever it shows. */
export type ScaleUnit = 'kg' | 'g';

export interface ScaleReading {
  readonly state: ScaleState;
  /** Net weight in whole grams; null when the device gives none (overload, a status-only answer). */
  readonly weightGrams: number | null;
  /** The tare the scale subtracts, in grams; null when the protocol does not report it. */
  readonly tareGrams: number | null;
  readonly unit: ScaleUnit;
  /** For state 'error': the device's own code and words for the cashier. */
  readonly fault?: { code: string; text: LocalizedText };
}

export interface WatchOptions {
  /** Pause between two reads; the scale itself is the limit at 9600 baud (~10 ms a frame). */
  intervalMs?: number;
}

export type WeightEvent =
  | { kind: 'reading'; reading: ScaleReading }
  | { kind: 'error'; error: ScaleError };

/**
 * Zero and tare are capabilities: a driver has the method only where its protocol can send the command
 * (CAS ENQ/DC1 only reads, so there they are the scale's own keys). Callers test for the method.
 */
export interface Scale {
  readonly protocol: ScaleProtocol;
  /** One reading. Weighing conditions are states; link and protocol trouble throws ScaleError. */
  read(): Promise<ScaleReading>;
  /** Sets zero (empty platform). Throws SCALE_ZERO_IMPOSSIBLE when the scale refuses. */
  zero?(): Promise<void>;
  /** Tares the load on the platform (a container). It must be stable: SCALE_NOT_STABLE, SCALE_TARE_REFUSED. */
  tare?(): Promise<void>;
  /** Preset tare for a product (grams). */
  setTare?(tareGrams: number): Promise<void>;
  clearTare?(): Promise<void>;
  /** Live weight: the listener hears each change of reading and each new error. Returns stop(). */
  watch(listener: (event: WeightEvent) => void, options?: WatchOptions): () => void;
  close(): Promise<void>;
}

export type ScaleErrorCode =
  | 'SCALE_NOT_STABLE' | 'SCALE_OVERLOAD' | 'SCALE_UNDERLOAD' | 'SCALE_BELOW_MINIMUM'
  | 'SCALE_NO_LINK' | 'SCALE_NO_ANSWER' | 'SCALE_PROTOCOL' | 'SCALE_ZERO_IMPOSSIBLE'
  | 'SCALE_TARE_REFUSED' | 'SCALE_UNSUPPORTED' | 'SCALE_DEVICE_FAULT' | 'SCALE_UNIT' | 'SCALE_CLOSED';

export class ScaleError extends Error {
  constructor(
    readonly code: ScaleErrorCode,
    readonly text: LocalizedText,
    readonly details: Record<string, unknown> = {},
  ) {
    super(`${code}: ${text.en}`);
    this.name = 'ScaleError';
  }
}

type D = Record<string, unknown>;
export const scaleErrors = {
  notStable: (d: D = {}) => new ScaleError('SCALE_NOT_STABLE',
    { ru: 'Вес ещё не успокоился. Подождите, пока товар перестанет качаться', en: 'The weight is not stable yet. Wait until the item stops moving' }, d),
  overload: (d: D = {}) => new ScaleError('SCALE_OVERLOAD',
    { ru: 'Перегрузка весов. Снимите лишнее с платформы', en: 'The scale is overloaded. Take the excess off the platform' }, d),
  underload: (d: D = {}) => new ScaleError('SCALE_UNDERLOAD',
    { ru: 'Вес меньше нуля. Освободите платформу и обнулите весы', en: 'The weight is below zero. Clear the platform and zero the scale' }, d),
  belowMinimum: (minimumGrams: number, d: D = {}) => new ScaleError('SCALE_BELOW_MINIMUM',
    { ru: `Слишком малый вес: нужно не меньше ${minimumGrams} г`, en: `The weight is too small: at least ${minimumGrams} g is needed` }, { minimumGrams, ...d }),
  noLink: (d: D = {}) => new ScaleError('SCALE_NO_LINK',
    { ru: 'Нет связи с весами. Проверьте кабель и питание весов', en: 'No link to the scale. Check its cable and power' }, d),
  noAnswer: (d: D = {}) => new ScaleError('SCALE_NO_ANSWER',
    { ru: 'Весы не ответили. Повторите', en: 'The scale did not answer. Try again' }, d),
  protocol: (reason: string, d: D = {}) => new ScaleError('SCALE_PROTOCOL',
    { ru: 'Весы отвечают непонятно. Проверьте протокол весов в настройках', en: 'The scale sends unreadable answers. Check its protocol in the settings' }, { reason, ...d }),
  zeroImpossible: (d: D = {}) => new ScaleError('SCALE_ZERO_IMPOSSIBLE',
    { ru: 'Обнуление невозможно: уберите груз с весов', en: 'The scale cannot be zeroed: take the load off it' }, d),
  tareRefused: (d: D = {}) => new ScaleError('SCALE_TARE_REFUSED',
    { ru: 'Весы не приняли тару. Дождитесь стабильного веса и повторите', en: 'The scale refused the tare. Wait for a stable weight and retry' }, d),
  unsupported: (what: string, d: D = {}) => new ScaleError('SCALE_UNSUPPORTED',
    { ru: 'Эти весы не выполняют команду с кассы. Нажмите кнопку на самих весах', en: 'This scale does not take that command from the till. Use the button on the scale' }, { what, ...d }),
  deviceFault: (deviceCode: string, d: D = {}) => new ScaleError('SCALE_DEVICE_FAULT',
    { ru: `Неисправность весов (код ${deviceCode}). Перезагрузите весы`, en: `The scale reports a fault (code ${deviceCode}). Restart the scale` }, { deviceCode, ...d }),
  unit: (unit: string, d: D = {}) => new ScaleError('SCALE_UNIT',
    { ru: `Весы показывают вес в «${unit}». Переключите весы на килограммы`, en: `The scale shows '${unit}'. Switch it to kilograms` }, { unit, ...d }),
  closed: (d: D = {}) => new ScaleError('SCALE_CLOSED',
    { ru: 'Весы отключены', en: 'The scale is disconnected' }, d),
};

/**
 * The weight a sale may take (issue 5: stable and at least the minimum), or the error to show.
 * A weighed line's quantity is these grams as thousandths of a kilogram.
 */
export function weightForSale(reading: ScaleReading, minimumGrams: number): number {
  switch (reading.state) {
    case 'overload': throw scaleErrors.overload();
    case 'underload': throw scaleErrors.underload({ weightGrams: reading.weightGrams });
    case 'unstable': throw scaleErrors.notStable();
    case 'error': throw scaleErrors.deviceFault(reading.fault?.code ?? 'unknown');
    case 'zero':
    case 'stable': {
      const grams = reading.weightGrams;
      if (grams === null) throw scaleErrors.notStable();
      if (grams < minimumGrams || grams <= 0) throw scaleErrors.belowMinimum(minimumGrams, { weightGrams: grams });
      return grams;
    }
  }
}

/** What the till can tell this scale to do (the sale screen's Zero and Tare buttons). */
export function scaleControls(scale: Scale): { zero: boolean; tare: boolean } {
  return { zero: typeof scale.zero === 'function', tare: typeof scale.tare === 'function' };
}

/** The state a plain weight implies when the device says only "stable or not". */
export function stateOf(weightGrams: number, stable: boolean): ScaleState {
  if (weightGrams < 0) return 'underload';
  if (!stable) return 'unstable';
  return weightGrams === 0 ? 'zero' : 'stable';
}
