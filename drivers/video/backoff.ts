// Reconnect delays: exponential from initialMs to maxMs with jitter (50–100 % of the step), so that
// the lanes of a store do not all knock on a restarted video server in the same millisecond.
export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 1_000, maxMs: 30_000 };

/** Delay before attempt number `failures` (1 = after the first failure). random() in [0, 1). */
export function backoffDelayMs(failures: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(0, failures - 1), 20);
  const step = Math.min(policy.maxMs, policy.initialMs * 2 ** exponent);
  return Math.max(1, Math.round(step * (0.5 + 0.5 * random())));
}
