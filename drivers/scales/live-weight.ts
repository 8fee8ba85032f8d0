// The live weight for the UI: reads the scale one after another (never two at once), and tells the
// listener only what changed — a new reading, or a new error — so a still platform costs nothing
// downstream. Stops on its own when the scale is closed.
import { ScaleError, scaleErrors, type Scale, type ScaleReading, type WatchOptions, type WeightEvent } from './scale';

export function watchScale(
  scale: Pick<Scale, 'read'>,
  listener: (event: WeightEvent) => void,
  options: WatchOptions = {},
): () => void {
  const intervalMs = options.intervalMs ?? 100;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let lastReading: ScaleReading | null = null;
  let lastErrorCode: string | null = null;

  const tick = async () => {
    timer = null;
    if (stopped) return;
    try {
      const reading = await scale.read();
      lastErrorCode = null;
      if (!stopped && !sameReading(lastReading, reading)) {
        lastReading = reading;
        listener({ kind: 'reading', reading });
      }
    } catch (error) {
      const typed = error instanceof ScaleError ? error : scaleErrors.noLink({ reason: String(error) });
      lastReading = null;
      if (typed.code === 'SCALE_CLOSED') { stopped = true; return; }
      if (!stopped && typed.code !== lastErrorCode) {
        lastErrorCode = typed.code;
        listener({ kind: 'error', error: typed });
      }
    }
    if (!stopped) timer = setTimeout(() => { void tick(); }, intervalMs);
  };
  void tick();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}

export function sameReading(a: ScaleReading | null, b: ScaleReading): boolean {
  return a !== null && a.state === b.state && a.weightGrams === b.weightGrams && a.tareGrams === b.tareGrams
    && a.unit === b.unit && a.fault?.code === b.fault?.code;
}
