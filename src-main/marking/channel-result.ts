// What one checking channel (True API, local module, ТС ПИоТ) made of a request, before the checker
// combines channels into a CheckOutcome. `failed` carries the reason the checker reports and every
// attempt on the way; the checker decides whether another channel gets a turn.
import type { CheckAnswer, CheckAttempt } from './check-answer';

export type ChannelResult =
  | { kind: 'answer'; answer: CheckAnswer; attempts: CheckAttempt[] }
  /** The service said "emergency" (True API 203/418, ТС ПИоТ 203/204, or 5000 twice): sell without 1260. */
  | { kind: 'emergency'; attempts: CheckAttempt[] }
  | { kind: 'failed'; attempts: CheckAttempt[] };
