// `prilavok bench payment`: the app's own time per card payment, above the terminal's, at a real lane.
// Each payment goes through the dispatcher as the cashier's screen sends it: `payment.card` (journal row
// committed, readiness check, the terminal's dialog, the outcome committed) then `receipt.payMixed` with
// the card tender (sale document, fiscal job, outbox row and audit record in one transaction).
// Terminal time is measured at the driver boundary: the PaymentTerminal instance the lane's registry
// opened is wrapped here (bench only) so that every readiness/run/lastOperation call is timed, which
// pairs each payment with its own terminal time. The driver's framing runs inside that boundary, so it
// counts as terminal time; the emulators run in this process on 127.0.0.1 (ZVT over TCP with
// `stepDelayMs` between the card/PIN/host steps, INPAS DualConnector over HTTP).
// overhead = payment.card − terminal time + receipt.payMixed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PaymentTerminal } from '../../../drivers/payment/payment-terminal';
import { ZvtEmulator } from '../../../drivers/payment/zvt/emulator';
import { InpasEmulator } from '../../../drivers/payment/inpas/emulator';
import { DEMO_BARCODES } from '../../store/catalog-generator';
import type { CallOutcome } from '../../contract';
import { createApp, type PosAppInternals } from '../create-app';
import type { Session } from '../dispatcher';
import { percentile, progress, report, round, type BenchReport } from './report';

export interface PaymentBenchParams {
  /** Card payments per terminal. */
  payments: number;
  /** The ZVT emulator's pause between the steps of an operation. */
  stepDelayMs: number;
}

interface Samples { overhead: number[]; card: number[]; terminal: number[]; close: number[]; total: number[] }

const nowMs = () => Number(process.hrtime.bigint()) / 1e6;
/** Goods rung up before each payment, so that amounts vary from receipt to receipt. */
const GOODS = [DEMO_BARCODES.bread, DEMO_BARCODES.water, DEMO_BARCODES.bag];

/** Times every call into the terminal the registry opened (one instance per terminal, kept open). */
function timeTerminal(terminal: PaymentTerminal, clock: { ms: number }): void {
  for (const name of ['readiness', 'run', 'lastOperation'] as const) {
    const original = (terminal[name] as (...args: unknown[]) => Promise<unknown>).bind(terminal);
    (terminal as unknown as Record<string, unknown>)[name] = async (...args: unknown[]) => {
      const t0 = nowMs();
      try {
        return await original(...args);
      } finally {
        clock.ms += nowMs() - t0;
      }
    };
  }
}

class PayingLane {
  private id = 0;
  private constructor(readonly app: PosAppInternals, private readonly session: Session) {}

  static async open(dir: string, zvt: ZvtEmulator, inpas: InpasEmulator): Promise<PayingLane> {
    const app = await createApp({ dataDir: dir, demo: true });
    // The lane's terminals are data: pointed at this benchmark's emulators, as the settings screen would.
    app.sales.payments.saveTerminal({ id: 'terminal-a', name: 'Терминал A (ZVT)', protocol: 'zvt', connection: { port: `tcp://${zvt.address}` },
      role: 'основной эквайер', routing: { priority: 1 }, enabled: true });
    app.sales.payments.saveTerminal({ id: 'terminal-b', name: 'Терминал B (INPAS)', protocol: 'inpas', connection: { url: inpas.url },
      role: 'резервный эквайер', routing: { priority: 2 }, enabled: true });
    const lane = new PayingLane(app, app.newSession());
    await lane.ok('session.login', { pin: '1111' });
    await lane.ok('shift.open', {});
    return lane;
  }

  call(name: string, payload: unknown): Promise<CallOutcome> {
    return this.app.dispatcher.dispatch(this.session, { type: 'call', id: ++this.id, call: name, payload });
  }

  async ok(name: string, payload: unknown): Promise<unknown> {
    const outcome = await this.call(name, payload);
    if (!outcome.ok) throw new Error(`${name} failed: ${JSON.stringify(outcome.error)}`);
    return outcome.result;
  }

  /** N card payments on one terminal, each closing its receipt; the first `warmup` are not kept. */
  async pay(terminalId: string, count: number, warmup: number): Promise<Samples> {
    const terminal = await this.app.services.payments.registry.get(terminalId);
    const clock = { ms: 0 };
    timeTerminal(terminal, clock);
    const s: Samples = { overhead: [], card: [], terminal: [], close: [], total: [] };
    for (let i = 0; i < warmup + count; i++) {
      const receipt = await this.ok('receipt.open', {}) as { id: string };
      let totalKopecks = 0;
      for (let g = 0; g <= i % GOODS.length; g++) {
        const r = await this.ok('receipt.scan', { receiptId: receipt.id, code: GOODS[(i + g) % GOODS.length], source: 'scanner' }) as { totals: { totalKopecks: number } };
        totalKopecks = r.totals.totalKopecks;
      }
      clock.ms = 0;
      const t0 = nowMs();
      const paid = await this.ok('payment.card', { receiptId: receipt.id, amountKopecks: totalKopecks, terminalId }) as { operation: { id: string; state: string } };
      const t1 = nowMs();
      const terminalMs = clock.ms;
      if (paid.operation.state !== 'approved') throw new Error(`card payment ${paid.operation.state} on ${terminalId}`);
      await this.ok('receipt.payMixed', { receiptId: receipt.id, tenders: [{ kind: 'card', operationId: paid.operation.id }] });
      const t2 = nowMs();
      // A driver reopened after a link failure would escape the timing: then the figures are void.
      if (await this.app.services.payments.registry.get(terminalId) !== terminal) throw new Error(`${terminalId} was reopened during the run`);
      if (i < warmup) continue;
      s.card.push(t1 - t0);
      s.terminal.push(terminalMs);
      s.close.push(t2 - t1);
      s.overhead.push(t1 - t0 - terminalMs + (t2 - t1));
      s.total.push(t2 - t0);
      if ((i - warmup + 1) % 250 === 0) progress(`  ${terminalId}: ${i - warmup + 1}/${count}`);
    }
    return s;
  }
}

function merge(a: Samples, b: Samples): Samples {
  return { overhead: [...a.overhead, ...b.overhead], card: [...a.card, ...b.card], terminal: [...a.terminal, ...b.terminal],
    close: [...a.close, ...b.close], total: [...a.total, ...b.total] };
}

export async function benchPayment(params: PaymentBenchParams): Promise<BenchReport> {
  const warmup = Math.max(20, Math.floor(params.payments / 20));
  const dir = mkdtempSync(join(tmpdir(), 'prilavok-bench-payment-'));
  const zvt = await ZvtEmulator.start({ tcp: { host: '127.0.0.1', port: 0 }, stateFile: null, stepDelayMs: params.stepDelayMs });
  const inpas = await InpasEmulator.start({ port: 0 });
  let lane: PayingLane | null = null;
  try {
    lane = await PayingLane.open(dir, zvt, inpas);
    progress(`bench payment: ${params.payments} card payments on terminal-a (ZVT, step ${params.stepDelayMs} ms) (+${warmup} warm-up)`);
    const a = await lane.pay('terminal-a', params.payments, warmup);
    progress(`bench payment: ${params.payments} card payments on terminal-b (INPAS) (+${warmup} warm-up)`);
    const b = await lane.pay('terminal-b', params.payments, warmup);
    const all = merge(a, b);
    const p = (xs: number[], q: number) => round(percentile(xs, q));
    return report('payment', {
      ...params, warmup, terminals: ['terminal-a: zvt (tcp 127.0.0.1)', 'terminal-b: inpas (http 127.0.0.1)'],
      path: 'dispatcher payment.card + receipt.payMixed, lane SQLite (WAL, synchronous=FULL); terminal time at the driver boundary',
    }, {
      overhead_p50_ms: p(all.overhead, 50),
      overhead_p99_ms: p(all.overhead, 99),
      terminal_p50_ms: p(all.terminal, 50),
      total_p99_ms: p(all.total, 99),
      close_p99_ms: p(all.close, 99),
      zvt_overhead_p99_ms: p(a.overhead, 99),
      zvt_terminal_p50_ms: p(a.terminal, 50),
      zvt_total_p99_ms: p(a.total, 99),
      inpas_overhead_p99_ms: p(b.overhead, 99),
      inpas_terminal_p50_ms: p(b.terminal, 50),
      inpas_total_p99_ms: p(b.total, 99),
    });
  } finally {
    await lane?.app.close().catch(() => undefined);
    await zvt.close().catch(() => undefined);
    await inpas.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}
