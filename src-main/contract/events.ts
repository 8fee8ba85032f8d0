// Events the main process pushes to the renderer.
import { z } from 'zod';
import { Receipt, Shift, UpstreamStatus, User } from './model';
import { paymentEvents } from './payment-model';
import { deviceEvents } from './device-model';

export const events = {
  'receipt.changed': z.object({ receipt: Receipt }),
  'session.changed': z.object({ user: User.nullable(), locked: z.boolean() }),
  'shift.changed': z.object({ shift: Shift.nullable() }),
  /** A fiscal job finished or was parked for a person: the journal and the shift screen refresh. */
  'upstream.changed': UpstreamStatus,
  'fiscal.changed': z.object({ jobId: z.string(), saleId: z.string().nullable() }),
  /** The terminal's prompts while a card operation runs, and every change of a card operation. */
  ...paymentEvents,
  ...deviceEvents,
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<N extends EventName> = z.output<Events[N]>;
