// Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"):
// the wait is uniformly random in [0, min(cap, base·2^(attempt-1))], so lanes that lost the link
// together do not come back together. A small floor keeps a dead link from being hammered.
export interface BackoffPolicy {
  baseDelayMs: number;
  maxDelayMs: number;
  minDelayMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseDelayMs: 1_000, maxDelayMs: 5 * 60_000, minDelayMs: 200 };

/** attempt counts from 1 (the first failure). random() is in [0, 1). */
export function fullJitterDelayMs(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(30, Math.max(0, attempt - 1)));
  return Math.max(policy.minDelayMs, Math.floor(random() * ceiling));
}
