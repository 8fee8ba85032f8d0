// The permissive-mode check across channels (marking-codes.md §0, §3.2):
// - mode 'trueApi': the True API online within the budget (1.5 s); when it gives no usable answer, the
//   local module if its cached status allows an offline check; else 'unavailable' (the sale proceeds
//   without 1260, as the law allows);
// - mode 'tspiot': the ТС ПИоТ service, then the local module if one is configured.
// An emergency answer ends the check: the national system itself said "sell without 1260".
// Every failed attempt on the way is in the outcome, for the supervisor and the log.
import type { CheckAttempt, CheckOutcome, CheckRequest, MarkingChecker } from './check-answer';
import type { ChannelResult } from './channel-result';
import type { Clock, Scheduler } from './background';
import { CdnHosts, type CdnHostsOptions } from './cdn-hosts';
import type { MarkingCheckSettings } from './check-settings';
import { LocalModuleClient } from './local-module-client';
import { TrueApiClient } from './true-api-client';
import { TspiotClient } from './tspiot-client';

export interface MarkingCheckerDeps {
  clock?: Clock;
  scheduler?: Scheduler;
  random?: () => number;
  /** Tuning of the CDN list (probe timeout, block time, rediscovery cooldown…); tests shorten these. */
  cdn?: Pick<CdnHostsOptions, 'probeTimeoutMs' | 'blockMs' | 'failuresToBlock' | 'rediscoveryCooldownMs' | 'refreshAfterMs' | 'refreshJitterMs'>;
  /** Local module status poll period, ms (10 s). */
  localModulePollMs?: number;
}

export class MarkingCodeChecker implements MarkingChecker {
  readonly cdnHosts: CdnHosts | null = null;
  readonly trueApi: TrueApiClient | null = null;
  readonly localModule: LocalModuleClient | null = null;
  readonly tspiot: TspiotClient | null = null;

  constructor(readonly settings: MarkingCheckSettings, deps: MarkingCheckerDeps = {}) {
    const s = settings;
    if (s.mode === 'trueApi') {
      const keys = s.trueApi.apiKeys;
      this.cdnHosts = new CdnHosts({
        cdnBase: s.trueApi.cdnBase,
        apiKey: () => s.trueApi.defaultApiKey ?? Object.values(keys)[0] ?? null,
        ...deps.cdn,
        ...(deps.clock ? { clock: deps.clock } : {}),
        ...(deps.scheduler ? { scheduler: deps.scheduler } : {}),
        ...(deps.random ? { random: deps.random } : {}),
      });
      this.trueApi = new TrueApiClient({
        hosts: this.cdnHosts, apiKeys: keys, defaultApiKey: s.trueApi.defaultApiKey,
        fiscalDriveNumber: s.trueApi.fiscalDriveNumber, budgetMs: s.budgetMs,
      });
    } else if (s.tspiot) {
      this.tspiot = new TspiotClient(s.tspiot);
    }
    if (s.localModule) {
      this.localModule = new LocalModuleClient({
        ...s.localModule,
        ...(deps.clock ? { clock: deps.clock } : {}),
        ...(deps.scheduler ? { scheduler: deps.scheduler } : {}),
        ...(deps.localModulePollMs !== undefined ? { pollMs: deps.localModulePollMs } : {}),
      });
    }
  }

  /** CDN discovery and the local module poll. Failures are not thrown: they show in readiness and attempts. */
  async start(): Promise<void> {
    await Promise.all([this.cdnHosts?.start(), this.localModule?.start()]);
  }

  stop(): void {
    this.cdnHosts?.stop();
    this.localModule?.stop();
  }

  async check(request: CheckRequest, signal?: AbortSignal): Promise<CheckOutcome> {
    const attempts: CheckAttempt[] = [];
    const first = this.trueApi ? await this.trueApi.check(request, signal)
      : this.tspiot ? await this.tspiot.check(request, signal)
        : null;
    if (first) {
      const done = this.conclude(first, attempts);
      if (done) return done;
    } else {
      attempts.push({ channel: 'tspiot', target: '(not configured)', failure: 'no ТС ПИоТ settings', elapsedMs: 0 });
    }
    if (this.localModule && !signal?.aborted) {
      const done = this.conclude(await this.localModule.check(request, signal), attempts);
      if (done) return done;
    }
    return { kind: 'unavailable', attempts };
  }

  private conclude(result: ChannelResult, attempts: CheckAttempt[]): CheckOutcome | null {
    attempts.push(...result.attempts);
    switch (result.kind) {
      case 'answer': return { kind: 'answer', answer: result.answer, attempts };
      case 'emergency': return { kind: 'emergency', channel: this.trueApi ? 'online' : 'tspiot', attempts };
      case 'failed': return null;
    }
  }
}

/** The checker for stored settings. Call start() once; stop() on shutdown. */
export function createMarkingChecker(settings: MarkingCheckSettings, deps: MarkingCheckerDeps = {}): MarkingCodeChecker {
  return new MarkingCodeChecker(settings, deps);
}
