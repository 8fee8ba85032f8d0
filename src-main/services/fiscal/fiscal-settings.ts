// Fiscal service configuration: what the register needs to know about the shop and how the service
// manages shifts and retries. Validated on load (zod); the lead reads it from the settings table.
import { z } from 'zod';

export const FiscalServiceSettings = z.object({
  /** 1055 as the domain's bit value (1 ОСН, 2 УСН доход, 4 УСН доход − расход, 16 ЕСХН, 32 патент). */
  taxSystem: z.union([z.literal(1), z.literal(2), z.literal(4), z.literal(16), z.literal(32)]).default(1),
  cashierInn: z.string().regex(/^[0-9]{12}$/).nullable().default(null),
  /** Close the shift this long before its 24 h limit rather than start a document that may cross it. */
  closeBeforeLimitMs: z.number().int().min(0).max(6 * 3_600_000).default(15 * 60_000),
  /**
   * Close the shift (Z report) by itself when the lane is idle and the shift reaches its 24 h limit minus
   * closeBeforeLimitMs: a quiet lane overnight must not carry an expired shift into the morning.
   */
  autoCloseShift: z.boolean().default(true),
  /** Open a fiscal shift automatically before a receipt when none is open. */
  autoOpenShift: z.boolean().default(true),
  /** The register's clock offset from UTC (its documents carry local time): Moscow by default. */
  registerUtcOffsetMinutes: z.number().int().min(-720).max(840).default(180),
});
export type FiscalServiceSettings = z.infer<typeof FiscalServiceSettings>;

export const DEFAULT_FISCAL_SETTINGS: FiscalServiceSettings = FiscalServiceSettings.parse({});

export interface FiscalServiceOptions {
  /** Which register this service drives (the pool gives each its own service). */
  registerId: string;
  /** How often the queue is looked at without a kick, and the device status refreshed when idle. */
  pollMs: number;
  statusRefreshMs: number;
  /** Backoff after a failure: base × 2^(attempts−1), at most maxBackoffMs. */
  backoffBaseMs: number;
  maxBackoffMs: number;
  /** Refusals by the register (device errors) before a job is parked for a supervisor. */
  maxDeviceRefusals: number;
  /** How many documents back the service looks for the shift-open document. */
  maxShiftScan: number;
  /** More documents than this since a job's fdBefore: a person reconciles it. */
  maxReconcileScan: number;
  /** While idle, ask the register for its status this often, so that a dead link shows without a job. */
  healthCheckMs: number;
}

export const DEFAULT_FISCAL_OPTIONS: FiscalServiceOptions = {
  registerId: 'main', pollMs: 2_000, statusRefreshMs: 60_000, backoffBaseMs: 250, maxBackoffMs: 30_000,
  maxDeviceRefusals: 5, maxShiftScan: 5_000, maxReconcileScan: 500, healthCheckMs: 5_000,
};
