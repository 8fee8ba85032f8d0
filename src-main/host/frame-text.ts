// The bridge's frames as UTF-8 bytes, encoded once per frame (for every client). A receipt operation
// answers with the very receipt object its receipt.changed event carried a moment before, and on a long
// receipt that JSON is nearly all of both frames: every object an event carried is remembered (by
// identity) until the event loop turns, and an answer in the same turn that returns the same object says
// so (`resultOf`, contract/wire.ts) instead of carrying the receipt again — the page has just received and
// parsed it. The event went to every open socket before the answer, in order, so the page has it. An
// object changed after that turn is never answered by reference.
import type { CallOutcome } from '../contract';

export type ResultFrame = { type: 'result'; id: number | null } & CallOutcome;

export class FrameText {
  /** Per event and payload field, the object its last frame carried (this turn of the event loop only). */
  private lastSent = new Map<string, object>();
  private forgetting = false;

  /** `{"type":"event","event":…,"payload":…}`; throws when the payload is not serialisable. */
  event(event: string, payload: unknown): Buffer {
    const frame = Buffer.from(JSON.stringify({ type: 'event', event, payload }));
    if (isPlainObject(payload)) {
      for (const [field, value] of Object.entries(payload)) {
        if (typeof value === 'object' && value !== null) this.remember(refKey({ event, field }), value);
      }
    }
    return frame;
  }

  /** `{"type":"result","id":…,"ok":…,…}`, or the reference; throws when the result is not serialisable. */
  result(frame: ResultFrame): Buffer {
    const ref = frame.ok && frame.id !== null ? this.sentAs(frame.result) : null;
    if (ref === null) return Buffer.from(JSON.stringify(frame));
    return Buffer.from(JSON.stringify({ type: 'result', id: frame.id, ok: true, resultOf: ref }));
  }

  /** The event field whose latest frame carried exactly this object; the page holds that one only. */
  private sentAs(value: unknown): ResultRef | null {
    if (typeof value !== 'object' || value === null) return null;
    for (const [key, sent] of this.lastSent) {
      if (sent === value) return parseRefKey(key);
    }
    return null;
  }

  private remember(key: string, value: object): void {
    this.lastSent.set(key, value);
    if (this.forgetting) return;
    this.forgetting = true;
    setImmediate(() => {
      this.lastSent = new Map();
      this.forgetting = false;
    });
  }
}

export interface ResultRef { event: string; field: string }

function refKey(ref: ResultRef): string { return `${ref.event}\u0000${ref.field}`; }

function parseRefKey(key: string): ResultRef {
  const at = key.indexOf('\u0000');
  return { event: key.slice(0, at), field: key.slice(at + 1) };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return (proto === Object.prototype || proto === null) && typeof (value as { toJSON?: unknown }).toJSON !== 'function';
}
