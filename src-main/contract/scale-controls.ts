// Zero and Tare from the till (issue 5, "tare, zeroing"): what the lane's scale can be told, and the two
// commands. They take the same right as reading the weight. calls.ts spreads `scaleControlCalls`.
import { z } from 'zod';
import { LiveWeight } from './device-model';
import type { Access } from './permissions';
import { Id } from './primitives';

/** Which commands the lane's scale takes from the till (CAS ENQ/DC1 takes none: they are its own keys). */
export const ScaleControls = z.object({
  /** The scale these are for (the one scale.weight reads); null when no scale is configured. */
  deviceId: Id.nullable(),
  zero: z.boolean(),
  tare: z.boolean(),
});
export type ScaleControls = z.infer<typeof ScaleControls>;

function call<Req extends z.ZodType, Res extends z.ZodType>(access: Access, request: Req, response: Res) {
  return { access, request, response };
}

const Empty = z.object({}).strict();

export const scaleControlCalls = {
  'scale.controls': call('sale.sell', Empty, ScaleControls),
  /** Sets zero on the empty platform; answers the fresh weight. Audited. */
  'scale.zero': call('sale.sell', Empty, LiveWeight),
  /** Tares the stable load on the platform (a container); answers the fresh weight. Audited. */
  'scale.tare': call('sale.sell', Empty, LiveWeight),
};
