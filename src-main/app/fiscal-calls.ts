// The fiscal register as the contract shows it: status for the shift screen, reports as queued jobs.
import type { FiscalStatus } from '../contract';
import type { FiscalCorrectionRequest } from '../contract/fiscal-correction';
import { correctionFromContract } from '../services/fiscal/correction-request';
import type { FiscalService } from '../services/fiscal/fiscal-service';
import { FiscalJobInvalid } from '../services/fiscal/fiscal-service-errors';
import { errors } from './errors';

const NOT_CONFIGURED: FiscalStatus = {
  configured: false, connected: false, queueLength: 0, oldestQueuedAt: null, manualJobs: [], lastError: null,
  shift: null, paperOut: null, ofd: null, fn: null,
};

export function fiscalStatus(fiscal: FiscalService | null): FiscalStatus {
  if (!fiscal) return NOT_CONFIGURED;
  const s = fiscal.status();
  return {
    configured: true,
    connected: s.connected,
    queueLength: s.queueLength,
    oldestQueuedAt: s.oldestQueuedAt,
    manualJobs: s.manualJobs,
    lastError: s.lastError?.message ?? null,
    shift: s.shift,
    paperOut: s.paperOut,
    ofd: s.ofd,
    fn: s.fn ? { serial: s.fn.serial, lastFd: s.fn.lastFd, warnings: s.fn.warnings } : null,
  };
}

export function requireFiscal(fiscal: FiscalService | null): FiscalService {
  if (!fiscal) throw errors.invalidState('Фискальный регистратор не подключён', 'No fiscal register is configured');
  return fiscal;
}

/** A supervisor's correction receipt, queued as a fiscal job with the lane's tax system; the answer is its id. */
export function requestFiscalCorrection(fiscal: FiscalService | null, request: FiscalCorrectionRequest,
  requestedBy: { actorId: string; authorisedBy: string | null } | null = null): { jobId: string } {
  const service = requireFiscal(fiscal);
  try {
    return { jobId: service.requestCorrection(correctionFromContract(request, service.currentSettings().taxSystem), requestedBy) };
  } catch (error) {
    if (error instanceof FiscalJobInvalid) {
      throw errors.invalidState('Чек коррекции нельзя пробить: данные неверны', 'The correction receipt cannot be made: its data are wrong', error.error.details);
    }
    throw error;
  }
}
