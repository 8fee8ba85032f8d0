// Which register of a pool takes the next job. Pure: the pool passes in the registers that may take
// unbound work now (up, connected, nothing left to reconcile) with their load and recent latency.

export type BalancingStrategy = 'shortest-queue' | 'lowest-latency' | 'round-robin';

export const BALANCING_STRATEGIES: readonly BalancingStrategy[] = ['shortest-queue', 'lowest-latency', 'round-robin'];

export interface Candidate {
  id: string;
  /** Position in the pool (the round-robin order). */
  index: number;
  /** Jobs waiting on the register plus the one it is running. */
  load: number;
  /** Recent job latency (EWMA), null until the register has finished a job. */
  latencyMs: number | null;
}

export class Balancer {
  /** The pool index to start from next time: round robin, and the tie-break of the other strategies. */
  private cursor = 0;

  constructor(readonly strategy: BalancingStrategy) {}

  choose(candidates: readonly Candidate[]): Candidate | null {
    if (candidates.length === 0) return null;
    // Candidates in cyclic order from the cursor, so that equals take turns instead of the first always winning.
    const ordered = [...candidates].sort((a, b) => this.turn(a.index) - this.turn(b.index));
    let chosen: Candidate;
    switch (this.strategy) {
      case 'round-robin':
        chosen = ordered[0]!;
        break;
      case 'shortest-queue':
        chosen = minBy(ordered, (c) => c.load);
        break;
      case 'lowest-latency': {
        // A register nobody has measured yet counts as average, so it gets work and a measurement.
        const known = candidates.map((c) => c.latencyMs).filter((x): x is number => x !== null);
        const typical = known.length > 0 ? known.reduce((a, b) => a + b, 0) / known.length : 1;
        // Latency × jobs ahead of this one: the fastest idle register wins, but a fast register with a
        // queue does not take every job while slower ones stand idle.
        chosen = minBy(ordered, (c) => (c.latencyMs ?? typical) * (c.load + 1));
        break;
      }
    }
    this.cursor = chosen.index + 1;
    return chosen;
  }

  private turn(index: number): number {
    return index >= this.cursor ? index - this.cursor : index + 1_000_000;
  }
}

function minBy<T>(items: readonly T[], score: (item: T) => number): T {
  let best = items[0] as T;
  let bestScore = score(best);
  for (const item of items.slice(1)) {
    const s = score(item);
    if (s < bestScore) { best = item; bestScore = s; }
  }
  return best;
}
