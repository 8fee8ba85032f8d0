// Which terminal takes a card payment: the one the cashier picked, or the configured rules (payment
// method, card scheme, amount band, priority). Terminals known to be down, or with an operation whose
// outcome is still being found out, are skipped so that the other terminal keeps the lane selling.
import type { PaymentTerminalConfig, TerminalRouting } from '../../contract/payment-model';

export interface RoutingRequest {
  amountKopecks: number;
  /** 'card' unless the cashier chose something else the terminal serves ('sbp' …). */
  method?: string;
  /** When known before the card is read (the cashier pressed "МИР"). */
  cardType?: string;
  /** The cashier's own choice: only that terminal, never a silent substitute. */
  terminalId?: string;
}

export type RoutingResult =
  /** In order of preference; the service falls back to the next only when the first certainly did not start. */
  | { ok: true; candidates: PaymentTerminalConfig[] }
  | { ok: false; code: 'unknownTerminal' | 'terminalDisabled' | 'terminalUnavailable' | 'noTerminal'; terminalId?: string };

export function routeCardPayment(terminals: readonly PaymentTerminalConfig[], request: RoutingRequest,
  available: (terminalId: string) => boolean): RoutingResult {
  if (request.terminalId !== undefined) {
    const chosen = terminals.find((t) => t.id === request.terminalId);
    if (!chosen) return { ok: false, code: 'unknownTerminal', terminalId: request.terminalId };
    if (!chosen.enabled) return { ok: false, code: 'terminalDisabled', terminalId: chosen.id };
    if (!available(chosen.id)) return { ok: false, code: 'terminalUnavailable', terminalId: chosen.id };
    return { ok: true, candidates: [chosen] };
  }
  const candidates = terminals
    .filter((t) => t.enabled && accepts(t.routing, request) && available(t.id))
    .sort((a, b) => (a.routing.priority ?? 0) - (b.routing.priority ?? 0) || a.id.localeCompare(b.id));
  return candidates.length > 0 ? { ok: true, candidates } : { ok: false, code: 'noTerminal' };
}

/** Whether a terminal's rules accept the payment. A rule that is absent accepts everything. */
export function accepts(rules: TerminalRouting, request: RoutingRequest): boolean {
  const method = request.method ?? 'card';
  if (rules.methods && rules.methods.length > 0 && !rules.methods.includes(method)) return false;
  if (request.cardType !== undefined && rules.cardTypes && rules.cardTypes.length > 0
    && !rules.cardTypes.some((c) => c.toUpperCase() === request.cardType!.toUpperCase())) return false;
  if (rules.minAmountKopecks !== undefined && request.amountKopecks < rules.minAmountKopecks) return false;
  if (rules.maxAmountKopecks !== undefined && request.amountKopecks > rules.maxAmountKopecks) return false;
  return true;
}
