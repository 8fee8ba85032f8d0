// One in-process stream of POS events. Services publish AFTER their transaction commits; listeners
// run synchronously but must only hand the event on (the video export buffers it and writes its
// queue on the next turn of the event loop). A listener that throws is logged and ignored: the
// stream can never fail or undo a sale.
import { newId } from '../../store/ids';
import type { PosEvent, PosEventInput } from './pos-event';

export type PosEventListener = (event: PosEvent) => void;

/** What services see: publish only. */
export interface PosEventPublisher {
  publish(event: PosEventInput): void;
}

export const noPosEvents: PosEventPublisher = { publish: () => undefined };

export class PosEventStream implements PosEventPublisher {
  private readonly listeners = new Set<PosEventListener>();
  private shiftNumber: number | null;

  constructor(private readonly laneId: string, currentShiftNumber: number | null, private readonly log: (message: string, error: unknown) => void
    = (message, error) => console.error(message, error)) {
    this.shiftNumber = currentShiftNumber;
  }

  publish(input: PosEventInput): void {
    if (input.kind === 'shift.opened' && input.shiftNumber != null) this.shiftNumber = input.shiftNumber;
    const event = { ...input, id: newId(), laneId: this.laneId, shiftNumber: input.shiftNumber ?? this.shiftNumber } as PosEvent;
    if (event.kind === 'shift.closed') this.shiftNumber = null;
    if (this.listeners.size === 0) return;
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.log(`[pos-events] listener failed on ${event.kind}:`, error);
      }
    }
  }

  subscribe(listener: PosEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
