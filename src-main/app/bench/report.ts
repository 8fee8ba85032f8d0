// The shape every benchmark prints (../shared/design/BENCHMARKS.md) and the percentile it uses.
import { cpus } from 'node:os';

export interface BenchReport {
  bench: string;
  node: string;
  cpus: number;
  params: Record<string, unknown>;
  metrics: Record<string, number>;
}

export function report(bench: string, params: Record<string, unknown>, metrics: Record<string, number>): BenchReport {
  return { bench, node: process.version, cpus: cpus().length, params, metrics };
}

/** Nearest-rank percentile of the samples (p in 0..100). */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new Error('no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export const round = (value: number, digits = 3): number => Number(value.toFixed(digits));

export function progress(message: string): void {
  process.stderr.write(`${message}\n`);
}
