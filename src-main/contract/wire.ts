// The messages both transports carry (Electron IPC and the browser-mode WebSocket bridge).
import { z } from 'zod';
import { PosErrorShape } from './errors';

/** A supervisor's PIN sent along with a call the current user may not make alone. */
export const Override = z.object({ pin: z.string().regex(/^[0-9]{4,8}$/) }).strict();
export type Override = z.infer<typeof Override>;

export const CallMessage = z.object({
  type: z.literal('call'),
  id: z.number().int().nonnegative(),
  call: z.string().max(64),
  payload: z.unknown(),
  override: Override.optional(),
}).strict();
export type CallMessage = z.infer<typeof CallMessage>;

export type CallOutcome =
  | { ok: true; result: unknown }
  | { ok: false; error: PosErrorShape };

export type ResultMessage = { type: 'result'; id: number } & CallOutcome;
/**
 * Browser mode only: a successful answer that is the very object an event sent just before it on the
 * same socket carried in `payload[field]` (a receipt operation answers with the receipt its
 * receipt.changed event carried). The transport resolves the call with that object instead of
 * receiving and parsing the receipt a second time.
 */
export type ResultRefMessage = { type: 'result'; id: number; ok: true; resultOf: { event: string; field: string } };
export type EventMessage = { type: 'event'; event: string; payload: unknown };
export type ServerMessage = ResultMessage | ResultRefMessage | EventMessage;

/** Largest message a transport accepts; anything bigger is refused before parsing. */
export const MAX_MESSAGE_BYTES = 64 * 1024;

/** What the renderer sees as `window.pos`, whichever transport is underneath. */
export interface PosApi {
  call(name: string, payload: unknown, options?: { override?: Override }): Promise<CallOutcome>;
  subscribe(event: string, listener: (payload: unknown) => void): () => void;
}
