// Returns at the till (docs/returns.md), put together: the sale lookup (this lane, then the head office),
// the card refunds through the payment service, the return receipts and their closing.
import type { FiscalSettings } from '../domain/fiscal-receipt';
import type { CatalogRepository } from '../store/catalog-repository';
import type { SalesStore } from '../store/sales-store';
import type { Clock } from '../services/clock';
import type { MarkingService } from '../services/marking/marking-service';
import type { PaymentService } from '../services/payment/payment-service';
import type { PosEventPublisher } from '../services/pos-events/pos-event-stream';
import { ReturnClosing } from '../services/sale/return-closing';
import { ReturnLookup } from '../services/sale/return-lookup';
import { ReturnRefunds } from '../services/sale/return-refunds';
import { ReturnService } from '../services/sale/return-service';
import type { ShiftService } from '../services/shift/shift-service';
import { HqReceiptLookup } from '../upstream/receipt-lookup';
import type { EventBus } from './event-bus';
import type { UpstreamSettings } from './lane-settings';

export interface Returns {
  lookup: ReturnLookup;
  service: ReturnService;
  closing: ReturnClosing;
}

export interface ReturnSetupDeps {
  store: SalesStore;
  catalog: Pick<CatalogRepository, 'byId'>;
  shifts: ShiftService;
  marking: MarkingService | null;
  payments: PaymentService;
  events: EventBus;
  clock: Clock;
  posEvents: PosEventPublisher;
  /** The head office whose receipt lookup finds other lanes' sales; null without one. */
  upstream: UpstreamSettings | null;
  /** False while the relay sees the link down. */
  linkUsable: () => boolean;
  fiscalSettings: () => FiscalSettings;
}

export function setUpReturns(d: ReturnSetupDeps): Returns {
  const lookup = new ReturnLookup({
    sales: d.store.sales, finder: d.store.saleFinder, returns: d.store.returns,
    headOffice: d.upstream ? new HqReceiptLookup({ baseUrl: d.upstream.baseUrl, token: d.upstream.token }) : null,
    linkUsable: d.linkUsable, clock: d.clock,
  });
  const refunds = new ReturnRefunds({ returns: d.store.returns, journal: d.store.payments, audit: d.store.audit, payments: d.payments,
    transaction: (fn) => d.store.transaction(fn), clock: d.clock });
  const service = new ReturnService({ store: d.store, catalog: d.catalog, shifts: d.shifts, lookup, refunds, marking: d.marking,
    events: d.events, clock: d.clock, posEvents: d.posEvents });
  const closing = new ReturnClosing({ store: d.store, returns: service, refunds, shifts: d.shifts, fiscalSettings: d.fiscalSettings,
    clock: d.clock, posEvents: d.posEvents });
  return { lookup, service, closing };
}
