// The clock, timers and randomness the marking clients read, passed in so that tests can drive the
// 6–7 h CDN refresh, the 15-minute host block, the 10 s status poll and the 72-hour rule without waiting.
export interface Clock { now(): number }
export interface Scheduler {
  setTimeout(run: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = { now: () => Date.now() };
export const systemScheduler: Scheduler = {
  setTimeout: (run, delayMs) => {
    const handle = setTimeout(run, delayMs);
    handle.unref(); // a background refresh never keeps the process alive
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
