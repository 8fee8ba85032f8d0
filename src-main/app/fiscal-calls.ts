// The fiscal register as the contract shows it: status for the shift screen, reports as queued jobs.
import type { FiscalStatus } from '../contract';
import type { FiscalService } from '../services/fiscal/fiscal-service';
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
