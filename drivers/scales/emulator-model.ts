// What every scale emulator weighs: a load that can be put on (settling for a while before it is
// stable), a capacity (overload), a zero offset and a tare, and a measurement fault. Protocols only
// encode this model; they never keep their own notion of the weight.
export interface WeighingModelOptions {
  capacityGrams?: number;
  /** How far from the calibrated zero the scale still accepts "zero" (often ±2 % of capacity). */
  zeroRangeGrams?: number;
  initialGrams?: number;
}

export interface WeighingSnapshot {
  /** Gross minus zero offset minus tare. */
  netGrams: number;
  tareGrams: number;
  stable: boolean;
  overload: boolean;
  /** Net below zero. */
  negative: boolean;
  fault: boolean;
}

export type ModelRefusal = 'unstable' | 'out-of-range' | 'overload';

export class WeighingModel {
  readonly capacityGrams: number;
  readonly zeroRangeGrams: number;
  private grossGrams: number;
  private zeroOffsetGrams = 0;
  private tare = 0;
  private stable = true;
  private settleTimer: NodeJS.Timeout | null = null;
  fault = false;

  constructor(o: WeighingModelOptions = {}) {
    this.capacityGrams = o.capacityGrams ?? 15_000;
    this.zeroRangeGrams = o.zeroRangeGrams ?? Math.round(this.capacityGrams * 0.02);
    this.grossGrams = o.initialGrams ?? 0;
  }

  /** Puts a load on the platform (gross grams as the load cell sees it; negative = lifted). */
  place(grossGrams: number, settleMs = 0): void {
    if (!Number.isSafeInteger(grossGrams)) throw new RangeError('grams must be an integer');
    this.grossGrams = grossGrams;
    this.setStable(settleMs <= 0);
    if (settleMs > 0) {
      this.settleTimer = setTimeout(() => { this.settleTimer = null; this.stable = true; }, settleMs);
      this.settleTimer.unref();
    }
  }

  setStable(stable: boolean): void {
    if (this.settleTimer) { clearTimeout(this.settleTimer); this.settleTimer = null; }
    this.stable = stable;
  }

  snapshot(): WeighingSnapshot {
    const overGross = this.grossGrams - this.zeroOffsetGrams;
    const net = overGross - this.tare;
    return {
      netGrams: net,
      tareGrams: this.tare,
      stable: this.stable,
      overload: overGross > this.capacityGrams,
      negative: net < 0,
      fault: this.fault,
    };
  }

  /** The load over zero, tare included (what a "tare now" takes). */
  get loadGrams(): number { return this.grossGrams - this.zeroOffsetGrams; }

  zero(): ModelRefusal | null {
    if (!this.stable) return 'unstable';
    if (Math.abs(this.grossGrams) > this.zeroRangeGrams) return 'out-of-range';
    this.zeroOffsetGrams = this.grossGrams;
    this.tare = 0;
    return null;
  }

  /** Tares what is on the platform now. */
  tareNow(): ModelRefusal | null {
    const s = this.snapshot();
    if (!s.stable) return 'unstable';
    if (s.overload) return 'overload';
    if (this.loadGrams <= 0) return 'out-of-range';
    this.tare = this.loadGrams;
    return null;
  }

  /** A preset tare (0 clears it). */
  setTare(tareGrams: number): ModelRefusal | null {
    if (!Number.isSafeInteger(tareGrams) || tareGrams < 0 || tareGrams > this.capacityGrams) return 'out-of-range';
    this.tare = tareGrams;
    return null;
  }

  dispose(): void { this.setStable(this.stable); }
}
