// The contract's return calls (src-main/contract/return-model.ts), answered by the return services.
import type { Handlers } from './dispatcher';
import type { Returns } from './return-setup';

type ReturnCall = 'return.search' | 'return.start' | 'return.get' | 'return.setQuantity' | 'return.scanCode' | 'return.removeLine'
  | 'return.refundCard' | 'return.close' | 'return.cancel' | 'returns.get';

export function returnHandlers(r: Returns): Pick<Handlers, ReturnCall> {
  return {
    'return.search': (_ctx, req) => r.lookup.search(req),
    'return.start': (ctx, req) => r.service.start(ctx, req.saleId, req.reason),
    'return.get': (_ctx, req) => r.service.get(req.returnId),
    'return.setQuantity': (ctx, req) => r.service.setQuantity(ctx, req.returnId, req.saleLineId, req.quantityMilli),
    'return.scanCode': (ctx, req) => r.service.scanCode(ctx, req.returnId, req.code),
    'return.removeLine': (ctx, req) => r.service.removeLine(ctx, req.returnId, req.lineId),
    'return.refundCard': (ctx, req) => r.service.refundCard(ctx, req.returnId, req.purchaseOperationId),
    'return.close': (ctx, req) => r.closing.close(ctx, req.returnId, req.cardInCash),
    'return.cancel': (ctx, req) => { r.service.cancel(ctx, req.returnId); return {}; },
    'returns.get': (_ctx, req) => r.closing.document(req.id),
  };
}
