// Errors of the register pool. Two kinds of answer reach a caller:
// - FiscalError kind 'link' with details.started = false: the job never ran (no register available, the
//   pool closed). Nothing happened on any device; the caller may submit it again.
// - RegisterJobError: the job ran on `registerId` and failed. With outcome 'unknown' the register may
//   have made the document: the job stays bound to that register until the fiscal service reconciles it
//   there (submit with affinity) and calls pool.reconciled(jobId).
import { FiscalError } from '../fiscal-error';
import type { LocalizedText } from '../../../src-main/contract/errors';

export type JobOutcome = 'failed' | 'unknown';

export class RegisterJobError extends Error {
  readonly code: string;
  readonly text: LocalizedText;

  constructor(
    readonly outcome: JobOutcome,
    readonly registerId: string,
    readonly jobId: string,
    override readonly cause: unknown,
  ) {
    const fiscal = cause instanceof FiscalError ? cause : null;
    super(`${registerId}/${jobId}: ${outcome === 'unknown' ? 'outcome unknown' : 'failed'}: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = 'RegisterJobError';
    this.code = fiscal?.code ?? 'FISCAL_JOB_FAILED';
    this.text = fiscal?.text ?? { ru: 'Операция на кассе не выполнена', en: 'The register operation failed' };
  }

  get details(): Record<string, unknown> {
    return { registerId: this.registerId, jobId: this.jobId, outcome: this.outcome, started: true,
      ...(this.cause instanceof FiscalError ? this.cause.details : {}) };
  }
}

export const poolErrors = {
  noRegister: (jobId: string) => new FiscalError('link', 'FISCAL_POOL_NO_REGISTER',
    { ru: 'Нет доступной кассы. Повторите позже', en: 'No register is available. Try again later' },
    { jobId, started: false }),
  closed: (jobId: string) => new FiscalError('link', 'FISCAL_POOL_CLOSED',
    { ru: 'Пул касс остановлен', en: 'The register pool is stopped' },
    { jobId, started: false }),
  unknownRegister: (registerId: string, jobId: string) => new FiscalError('link', 'FISCAL_POOL_UNKNOWN_REGISTER',
    { ru: 'Касса не найдена в пуле', en: 'No such register in the pool' },
    { registerId, jobId, started: false }),
};
