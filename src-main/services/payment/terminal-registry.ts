// The lane's bank terminals, opened on demand from their configuration through a factory the
// composition root injects (it alone knows the concrete drivers: UPOS, INPAS, ZVT …). Keeps each
// terminal's health so that routing skips one that is down, and tries it again after a while.
import { TerminalError, type PaymentTerminal } from '../../../drivers/payment/payment-terminal';
import type { PaymentTerminalConfig } from '../../contract/payment-model';
import type { Clock } from '../clock';

/** Opens the driver for one configured terminal. Rejects (TerminalError 'unavailable' / 'config') when it cannot. */
export type PaymentTerminalFactory = (config: PaymentTerminalConfig) => Promise<PaymentTerminal>;

export interface TerminalHealth { up: boolean; message: string; atMs: number }

export interface TerminalRegistryOptions {
  /** A terminal marked down is offered to routing again after this long. */
  retryDownAfterMs: number;
}

export class TerminalRegistry {
  private readonly opened = new Map<string, Promise<PaymentTerminal>>();
  private readonly health = new Map<string, TerminalHealth>();
  private readonly options: TerminalRegistryOptions;

  constructor(private readonly factory: PaymentTerminalFactory, private readonly configsOf: () => PaymentTerminalConfig[],
    private readonly clock: Clock, options: Partial<TerminalRegistryOptions> = {}) {
    this.options = { retryDownAfterMs: 30_000, ...options };
  }

  configs(): PaymentTerminalConfig[] { return this.configsOf(); }

  config(terminalId: string): PaymentTerminalConfig | null {
    return this.configsOf().find((t) => t.id === terminalId) ?? null;
  }

  /** Whether routing may offer this terminal: not known down, or down long enough ago to try again. */
  isAvailable(terminalId: string): boolean {
    const h = this.health.get(terminalId);
    return !h || h.up || this.clock.nowMs() - h.atMs >= this.options.retryDownAfterMs;
  }

  healthOf(terminalId: string): TerminalHealth | null { return this.health.get(terminalId) ?? null; }

  markDown(terminalId: string, message: string): void {
    this.health.set(terminalId, { up: false, message, atMs: this.clock.nowMs() });
  }

  markUp(terminalId: string): void {
    this.health.set(terminalId, { up: true, message: '', atMs: this.clock.nowMs() });
  }

  /**
   * The terminal's driver, opened once. A disabled terminal is still opened when an operation it took
   * must be found out, cancelled or refunded (`forExisting`): the money is on that terminal.
   */
  async get(terminalId: string, purpose: 'new' | 'existing' = 'new'): Promise<PaymentTerminal> {
    const config = this.config(terminalId);
    if (!config) throw new TerminalError('config', `no terminal configured as ${terminalId}`);
    if (purpose === 'new' && !config.enabled) throw new TerminalError('config', `terminal ${terminalId} is disabled`);
    let pending = this.opened.get(terminalId);
    if (!pending) {
      pending = this.factory(config);
      this.opened.set(terminalId, pending);
    }
    try {
      return await pending;
    } catch (error) {
      if (this.opened.get(terminalId) === pending) this.opened.delete(terminalId);
      this.markDown(terminalId, (error as Error).message);
      throw error instanceof TerminalError ? error : new TerminalError('unavailable', (error as Error).message);
    }
  }

  /** Closes and forgets the driver (after a link failure); the next get() opens it afresh. */
  async reset(terminalId: string): Promise<void> {
    const pending = this.opened.get(terminalId);
    this.opened.delete(terminalId);
    if (pending) await pending.then((t) => t.close()).catch(() => undefined);
  }

  async closeAll(): Promise<void> {
    const all = [...this.opened.keys()];
    await Promise.all(all.map((id) => this.reset(id)));
  }
}
