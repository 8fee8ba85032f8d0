// Shared bits of the marking channel tests: codes whose serial picks the emulator's scenario, and a
// clock and scheduler the test moves by hand.
import type { CheckRequest } from '../../../src-main/marking/check-answer';
import type { Clock, Scheduler } from '../../../src-main/marking/background';

const GS = '\u001d';

/** A shoes-style code (serial 13) whose serial starts with the scenario prefix, e.g. 'SD' = sold. */
export function codeWith(serialPrefix: string, gtin = '04600000000017'): string {
  const serial = (serialPrefix + 'ABCDEFGHIJKLM').slice(0, 13);
  return `01${gtin}21${serial}${GS}91EE10${GS}92${'Q'.repeat(44)}`;
}

export function requestFor(code: string, inn: string | null = null, groupId: number | null = 2): CheckRequest {
  return { code, cis: code.split(GS)[0]!, groupId, inn };
}

export class ManualClock implements Clock {
  constructor(public ms = Date.UTC(2026, 0, 15, 9, 0, 0)) {}
  now(): number { return this.ms; }
  advance(ms: number): void { this.ms += ms; }
}

/** Collects scheduled jobs instead of running them; `runDue()` runs those whose time has come. */
export class ManualScheduler implements Scheduler {
  jobs: { run: () => void; delayMs: number; id: number }[] = [];
  private next = 1;
  setTimeout(run: () => void, delayMs: number): unknown {
    const id = this.next++;
    this.jobs.push({ run, delayMs, id });
    return id;
  }
  clearTimeout(handle: unknown): void { this.jobs = this.jobs.filter((j) => j.id !== handle); }
  /** Run every pending job once (the ones they schedule wait for the next call). */
  runAll(): void {
    const due = this.jobs;
    this.jobs = [];
    for (const j of due) j.run();
  }
}

export const until = async (predicate: () => boolean, timeoutMs = 2000): Promise<void> => {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
};
