// Small commands for the register that are not fiscal jobs (opening the cash drawer wired to it). The
// fiscal service owns the register's one connection, so an errand waits here and the service's loop
// runs it between jobs, never inside one and never while a job is being reconciled. An errand that
// cannot run in time is refused and dropped: a drawer must not spring open a minute after the
// cashier gave up on it.
import type { FiscalRegister } from '../../../drivers/fiscal/fiscal-register';
import type { LocalizedText } from '../../contract/errors';

export type RegisterErrandCode = 'FISCAL_REGISTER_BUSY' | 'FISCAL_REGISTER_UNAVAILABLE' | 'FISCAL_DRAWER_UNSUPPORTED';

/** Why an errand did not run, in the cashier's words (the register's own refusals stay FiscalErrors). */
export class RegisterErrandError extends Error {
  constructor(readonly code: RegisterErrandCode, readonly text: LocalizedText, readonly details: Record<string, unknown> = {}) {
    super(`${code}: ${text.en}`);
    this.name = 'RegisterErrandError';
  }
}

export const registerErrandErrors = {
  busy: (waitedMs: number) => new RegisterErrandError('FISCAL_REGISTER_BUSY',
    { ru: 'Касса занята печатью документа: денежный ящик не открыт, повторите', en: 'The register is busy with a document: the drawer did not open, try again' },
    { waitedMs }),
  unavailable: (reason: string) => new RegisterErrandError('FISCAL_REGISTER_UNAVAILABLE',
    { ru: 'Фискальный регистратор не на связи: денежный ящик не открыт', en: 'The fiscal register is not connected: the drawer did not open' },
    { reason }),
  drawerUnsupported: (protocol: string) => new RegisterErrandError('FISCAL_DRAWER_UNSUPPORTED',
    { ru: 'Этот фискальный регистратор не открывает денежный ящик', en: 'This fiscal register cannot open a cash drawer' },
    { protocol }),
};

interface Errand {
  run(register: FiscalRegister): Promise<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
  timer: NodeJS.Timeout;
}

export class RegisterErrands {
  private readonly waiting: Errand[] = [];

  get pending(): number { return this.waiting.length; }

  /** Queues `run`; it is refused with FISCAL_REGISTER_BUSY if the loop has not started it within waitMs. */
  add<T>(run: (register: FiscalRegister) => Promise<T>, waitMs: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const errand: Errand = {
        run, resolve: resolve as (value: unknown) => void, reject,
        timer: setTimeout(() => {
          const at = this.waiting.indexOf(errand);
          if (at < 0) return; // already running: its own answer timeout bounds it
          this.waiting.splice(at, 1);
          reject(registerErrandErrors.busy(waitMs));
        }, waitMs),
      };
      errand.timer.unref?.();
      this.waiting.push(errand);
    });
  }

  /**
   * Runs every waiting errand in order on `register`. Each caller gets its own result or error; the
   * errors are also returned, so that the service can drop a connection that failed under them.
   */
  async serve(register: FiscalRegister): Promise<unknown[]> {
    const failures: unknown[] = [];
    for (let errand = this.waiting.shift(); errand; errand = this.waiting.shift()) {
      clearTimeout(errand.timer);
      try {
        errand.resolve(await errand.run(register));
      } catch (error) {
        failures.push(error);
        errand.reject(error);
      }
    }
    return failures;
  }

  /** Refuses every waiting errand (the register cannot be reached, or the service stops). */
  failAll(error: unknown): void {
    for (let errand = this.waiting.shift(); errand; errand = this.waiting.shift()) {
      clearTimeout(errand.timer);
      errand.reject(error);
    }
  }
}
