// The lane's link to the head office: the outbox relay started when a head office is configured,
// woken after every change that writes an outbox row, its status shown to the cashier.
import type { UpstreamStatus } from '../contract';
import type { PosEventStream } from '../services/pos-events/pos-event-stream';
import type { Outbox } from '../store/outbox';
import { OutboxRelay, type RelayStatus } from '../upstream';
import type { EventBus } from './event-bus';
import type { UpstreamSettings } from './lane-settings';

/** The POS events whose transaction wrote an outbox row (see docs/architecture.md). */
const DOCUMENT_EVENTS = new Set(['receipt.closed', 'receipt.cancelled', 'shift.opened', 'shift.closed', 'cash.moved']);

export interface UpstreamLink {
  status(): UpstreamStatus;
  /** The network came back (or the operator asked): try now instead of waiting out the backoff. */
  wake(): void;
  stop(): Promise<void>;
}

export function startUpstreamLink(settings: UpstreamSettings | null, outbox: Outbox, posEvents: PosEventStream, events: EventBus): UpstreamLink {
  if (!settings) {
    return {
      status: () => ({ configured: false, link: 'unknown', backlog: outbox.counts().pending, parked: outbox.counts().parked, lastError: null, lastSentAt: null }),
      wake: () => undefined,
      stop: async () => undefined,
    };
  }
  const relay = new OutboxRelay({ ...settings, outbox, onStatus: (s) => events.emit('upstream.changed', toContract(s)) });
  const unsubscribe = posEvents.subscribe((event) => { if (DOCUMENT_EVENTS.has(event.kind)) relay.kick(); });
  relay.start();
  return {
    status: () => toContract(relay.status()),
    wake: () => relay.linkChanged(),
    async stop() {
      unsubscribe();
      await relay.stop();
    },
  };
}

function toContract(s: RelayStatus): UpstreamStatus {
  return { configured: true, link: s.link, backlog: s.backlog, parked: s.parked, lastError: s.lastError?.message ?? null, lastSentAt: s.lastSentAt };
}
