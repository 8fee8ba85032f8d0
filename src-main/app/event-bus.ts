// Events from services to every connected UI. Transports subscribe; services emit.
import type { EventName, EventPayload } from '../contract';

export type EventListener = (event: EventName, payload: unknown) => void;

export class EventBus {
  private readonly listeners = new Set<EventListener>();

  emit<N extends EventName>(event: N, payload: EventPayload<N>): void {
    for (const listener of this.listeners) {
      try {
        listener(event, payload);
      } catch (error) {
        console.error(`[events] listener failed on ${event}:`, error); // one broken window must not stop the sale
      }
    }
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
