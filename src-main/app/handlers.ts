// The one handler registry: every call of the contract, mapped to the service that answers it.
import type { Handlers } from './dispatcher';
import type { SaleService } from '../services/sale/sale-service';
import type { SessionService } from '../services/session/session-service';
import type { ShiftService } from '../services/shift/shift-service';
import type { VideoExportService } from '../services/video/video-export-service';
import type { FiscalService } from '../services/fiscal/fiscal-service';
import type { MarkingService } from '../services/marking/marking-service';
import type { PaymentService } from '../services/payment/payment-service';
import type { InternalPaymentType } from '../contract/payment-model';
import { RULE_NAMES } from '../marking/rules';
import { fiscalStatus, requestFiscalCorrection, requireFiscal } from './fiscal-calls';
import type { UpstreamLink } from './upstream-link';
import type { CatalogRepository } from '../store/catalog-repository';
import type { LaneInfo, LayoutConfig } from '../contract';
import type { DeviceManager } from '../services/devices/device-manager';
import { addWeighed, scanOrWeigh, type WeighingSettings } from '../services/devices/weighed-sale';
import type { Returns } from './return-setup';
import { returnHandlers } from './return-handlers';

export interface Services {
  lane(): LaneInfo;
  layout(): LayoutConfig;
  session: SessionService;
  shift: ShiftService;
  sale: SaleService;
  catalog: CatalogRepository;
  video: VideoExportService;
  /** Null where the lane drives no register (the sale path still leaves pending jobs). */
  fiscal: FiscalService | null;
  upstream: UpstreamLink;
  marking: MarkingService;
  payments: PaymentService;
  internalPaymentTypes(): InternalPaymentType[];
  /** The lane's peripherals (scales, scanners, printer and drawer, customer display). */
  devices: DeviceManager;
  weighing(): WeighingSettings;
  /** Returns against a sale: lookup, return receipts, closing (docs/returns.md). */
  returns: Returns;
  /** Where background failures go (a reversal after a cancelled receipt, a settlement). */
  log(message: string, error: unknown): void;
}

export function createHandlers(s: Services): Handlers {
  const currentShift = () => {
    const shift = s.shift.current();
    return { shift, summary: shift ? s.shift.summary(shift) : null };
  };
  return {
    'system.hello': () => ({ lane: s.lane(), layout: s.layout() }),

    'session.login': (ctx, req) => ({ user: s.session.login(ctx.session, req.pin) }),
    'session.logout': (ctx) => { s.session.logout(ctx.session); return {}; },
    'session.lock': (ctx) => { s.session.lock(ctx.session); return {}; },
    'session.current': (ctx) => ({ user: ctx.session.user, locked: ctx.session.locked }),

    'catalog.lookup': (_ctx, req) => ({ product: s.catalog.byBarcode(req.code.trim()) }),
    'catalog.search': (_ctx, req) => ({ items: s.catalog.search(req.query, req.limit) }),

    'receipt.open': (ctx) => s.sale.open(ctx.actor!),
    'receipt.list': () => ({ receipts: s.sale.list() }),
    'receipt.get': (_ctx, req) => s.sale.get(req.receiptId),
    'receipt.scan': (ctx, req) => scanOrWeigh(ctx, { sale: s.sale, catalog: s.catalog, devices: s.devices, weighing: s.weighing }, req.receiptId, req.code, req.source),
    'receipt.addProduct': (ctx, req) => s.sale.addProduct(ctx, req.receiptId, req.productId, req.quantityMilli),
    'receipt.setQuantity': (ctx, req) => s.sale.setQuantity(ctx, req.receiptId, req.lineId, req.quantityMilli),
    'receipt.voidLine': (ctx, req) => s.sale.voidLine(ctx, req.receiptId, req.lineId),
    'receipt.park': (ctx, req) => ({ receipts: s.sale.park(ctx, req.receiptId) }),
    'receipt.resume': (ctx, req) => s.sale.resume(ctx, req.receiptId),
    'receipt.cancel': (ctx, req) => {
      s.sale.cancel(ctx, req.receiptId);
      // A card that already paid part of it is reversed on its own terminal (or shown to the supervisor).
      void s.payments.abandonedApprovals(ctx.actor!.id).catch((e: unknown) => s.log('reversing the cancelled receipt\'s card payments', e));
      return {};
    },
    'receipt.payMixed': (ctx, req) => {
      const { sale, split } = s.sale.payMixed(ctx, req.receiptId, req.tenders, req.buyerContact ?? null);
      return { saleId: sale.id, changeKopecks: split.changeKopecks, payments: split.payments, ffd: split.ffd };
    },
    'receipt.payCash': (ctx, req) => s.sale.payCash(ctx, req.receiptId, req.tenderedKopecks, req.buyerContact ?? null),

    'sales.journal': (_ctx, req) => ({ sales: s.sale.journal(req.limit, req.beforeNumber) }),
    'sales.get': (_ctx, req) => s.sale.saleById(req.saleId),

    'shift.current': () => currentShift(),
    'shift.open': (ctx) => s.shift.open(ctx.actor!),
    'shift.close': async (ctx) => {
      const shiftId = s.shift.current()?.id ?? null;
      const summary = s.shift.close(ctx.actor!);
      // Сверка итогов of every terminal belongs to the shift's end; its reports are stored with the shift.
      await s.payments.settleAll(shiftId, ctx.actor!.id).catch((e: unknown) => s.log('terminal settlement at shift close', e));
      return summary;
    },
    'cash.move': (ctx, req) => s.shift.moveCash(ctx.actor!, req.direction, req.amountKopecks, req.comment),

    'upstream.status': () => s.upstream.status(),

    'payment.terminals': () => ({ terminals: s.payments.terminalStatus() }),
    'payment.internalTypes': () => ({ types: s.internalPaymentTypes().filter((t) => t.enabled) }),
    'payment.card': async (ctx, req) => {
      s.sale.assertSaleReceipt(req.receiptId);
      return { operation: await s.payments.startCardPayment(req.receiptId, req.amountKopecks, req.terminalId,
        { ...(req.method ? { method: req.method } : {}), ...(req.cardType ? { cardType: req.cardType } : {}), actorId: ctx.actor!.id }) };
    },
    'payment.forReceipt': (_ctx, req) => ({ operations: s.payments.operationsFor(req.receiptId) }),
    'payment.cancel': async (ctx, req) => ({ operation: await s.payments.cancel(req.operationId, ctx.actor!.id) }),
    'payment.refund': async (ctx, req) => ({ operation: await s.payments.refund(req.operationId, req.amountKopecks, ctx.actor!.id) }),
    'payment.attention': () => ({ operations: s.payments.attention() }),
    'payment.resolve': (ctx, req) => ({ operation: s.payments.supervisorResolve(req.operationId, req.decision, ctx.actor!.id, req.note) }),
    'payment.settleAll': async (ctx) => ({ settlements: await s.payments.settleAll(s.shift.current()?.id ?? null, ctx.actor!.id) }),

    'fiscal.status': () => fiscalStatus(s.fiscal),
    'fiscal.xReport': () => ({ jobId: requireFiscal(s.fiscal).request('x_report') }),
    'fiscal.zReport': () => ({ jobId: requireFiscal(s.fiscal).request('close_shift') }),
    'fiscal.retryJob': (_ctx, req) => ({ released: requireFiscal(s.fiscal).retryManual(req.jobId) }),
    'fiscal.correction': (ctx, req) => requestFiscalCorrection(s.fiscal, req, { actorId: ctx.actor!.id, authorisedBy: ctx.authorisedBy?.id ?? null }),

    'marking.journal': (_ctx, req) => ({ entries: s.marking.journal(req) }),
    'marking.exportJournal': (_ctx, req) => s.marking.exportCsv(req),
    'marking.listSwitches': () => ({ switches: s.marking.switches(), rules: [...RULE_NAMES] }),
    'marking.setSwitch': (ctx, req) => ({ switches: s.marking.setSwitch(ctx.actor!, req.switch) }),
    'marking.clearSwitch': (ctx, req) => ({ switches: s.marking.clearSwitch(ctx.actor!, req.productGroup, req.rule) }),

    'video.listSinks': () => s.video.list(),
    'video.saveSink': (ctx, req) => ({ sink: s.video.save(ctx.actor!, req.sink) }),
    'video.removeSink': (ctx, req) => { s.video.remove(ctx.actor!, req.sinkId); return {}; },
    'video.testSink': (_ctx, req) => s.video.test(req.sinkId),

    'devices.list': () => s.devices.list(),
    'devices.save': async (ctx, req) => ({ device: await s.devices.save(ctx.actor!, req.device) }),
    'devices.remove': async (ctx, req) => { await s.devices.remove(ctx.actor!, req.deviceId); return {}; },
    'devices.test': (ctx, req) => s.devices.test(ctx.actor!, req.deviceId),
    'devices.status': () => ({ devices: s.devices.status() }),
    'scale.weight': () => s.devices.weight(),
    'scale.controls': () => s.devices.scaleControls(),
    'scale.zero': (ctx) => s.devices.commandScale(ctx.actor!, 'zero'),
    'scale.tare': (ctx) => s.devices.commandScale(ctx.actor!, 'tare'),
    'drawer.status': () => s.devices.drawerStatus(),
    'drawer.open': async (ctx) => { await s.devices.openDrawer(ctx.actor!, ctx.authorisedBy); return {}; },
    'receipt.addWeighed': (ctx, req) => addWeighed(ctx, { sale: s.sale, catalog: s.catalog, devices: s.devices, weighing: s.weighing }, req.receiptId, req.productId),

    ...returnHandlers(s.returns),
  };
}
