// The lane's link to the head office: the outbox relay started when a head office is configured,
// woken after every change that writes an outbox row, its status shown to the cashier; and the
// catalog pulled on the relay's rhythm (its timer, and whenever the link is woken), each pull applied
// whole in one transaction of catalog.sqlite (store/catalog-pull.ts).
import type { UpstreamStatus } from '../contract';
import type { PosEventStream } from '../services/pos-events/pos-event-stream';
import type { Outbox } from '../store/outbox';
import { CatalogPuller, OutboxRelay, type CatalogPage, type CatalogPullResult, type RelayStatus } from '../upstream';
import type { EventBus } from './event-bus';
import type { UpstreamSettings } from './lane-settings';

/** The POS events whose transaction wrote an outbox row (see docs/architecture.md). */
const DOCUMENT_EVENTS = new Set(['receipt.closed', 'receipt.cancelled', 'return.closed', 'shift.opened', 'shift.closed', 'cash.moved']);

/** Where pulled catalog pages go: CatalogStore.pulls. */
export interface CatalogPullTarget {
  cursor(): string | null;
  apply(page: CatalogPage, position: { first: boolean; last: boolean }): unknown;
}

export interface CatalogPullStatus {
  cursor: string | null;
  lastPullAt: string | null;
  /** Items applied by the last pull that changed something. */
  lastItems: number;
  lastError: { code: string; message: string; at: string } | null;
}

export interface UpstreamLink {
  status(): UpstreamStatus;
  catalogStatus(): CatalogPullStatus;
  /** The network came back (or the operator asked): try now instead of waiting out the backoff; pull the catalog too. */
  wake(): void;
  /** Pulls the catalog now (joins a pull in flight). Rejects when the pull failed; nothing half applied. */
  pullCatalog(): Promise<CatalogPullResult>;
  stop(): Promise<void>;
}

export function startUpstreamLink(settings: UpstreamSettings | null, outbox: Outbox, posEvents: PosEventStream, events: EventBus,
  catalog?: CatalogPullTarget): UpstreamLink {
  const pullStatus: CatalogPullStatus = { cursor: catalog?.cursor() ?? null, lastPullAt: null, lastItems: 0, lastError: null };
  if (!settings) {
    return {
      status: () => ({ configured: false, link: 'unknown', backlog: outbox.counts().pending, parked: outbox.counts().parked, lastError: null, lastSentAt: null }),
      catalogStatus: () => ({ ...pullStatus }),
      wake: () => undefined,
      pullCatalog: () => Promise.reject(new Error('no head office is configured (prilavok lane connect)')),
      stop: async () => undefined,
    };
  }
  const abort = new AbortController();
  const puller = catalog ? new CatalogPuller({ ...settings, cursor: () => catalog.cursor(), apply: (page, pos) => { catalog.apply(page, pos); } }) : null;
  let stopped = false;
  const pullCatalog = async (): Promise<CatalogPullResult> => {
    if (!puller) throw new Error('no catalog database to pull into');
    try {
      const r = await puller.pull(abort.signal);
      pullStatus.cursor = r.cursor;
      pullStatus.lastPullAt = new Date().toISOString();
      if (r.items > 0) pullStatus.lastItems = r.items;
      pullStatus.lastError = null;
      return r;
    } catch (error) {
      pullStatus.lastError = { code: (error as { code?: string }).code ?? 'upstream.unexpected', message: error instanceof Error ? error.message : String(error), at: new Date().toISOString() };
      throw error;
    }
  };
  // A failed pull is retried on the next tick; its error stays in catalogStatus().
  const tick = () => { if (puller && !stopped) pullCatalog().catch(() => undefined); };
  const relay = new OutboxRelay({ ...settings, outbox, onStatus: (s) => events.emit('upstream.changed', toContract(s)), onTick: tick });
  const unsubscribe = posEvents.subscribe((event) => { if (DOCUMENT_EVENTS.has(event.kind)) relay.kick(); });
  relay.start();
  return {
    status: () => toContract(relay.status()),
    catalogStatus: () => ({ ...pullStatus }),
    wake: () => relay.linkChanged(),
    pullCatalog,
    async stop() {
      stopped = true;
      unsubscribe();
      abort.abort();
      await relay.stop();
      await puller?.pull().catch(() => undefined).then(() => undefined); // joins (and so waits out) a pull in flight
    },
  };
}

function toContract(s: RelayStatus): UpstreamStatus {
  return { configured: true, link: s.link, backlog: s.backlog, parked: s.parked, lastError: s.lastError?.message ?? null, lastSentAt: s.lastSentAt };
}
