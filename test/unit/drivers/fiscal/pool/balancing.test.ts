// The balancer's choice for each strategy, from the registers the pool offers it.
import { describe, expect, it } from 'vitest';
import { Balancer, type Candidate } from '../../../../../drivers/fiscal/pool/balancing';

const c = (index: number, load: number, latencyMs: number | null = null): Candidate => ({ id: `kkt${index}`, index, load, latencyMs });

describe('Balancer', () => {
  it('round robin takes the registers in turn and skips one that is not offered', () => {
    const b = new Balancer('round-robin');
    const all = [c(0, 5), c(1, 0), c(2, 9)];
    expect([1, 2, 3, 4].map(() => b.choose(all)!.id)).toEqual(['kkt0', 'kkt1', 'kkt2', 'kkt0']);
    expect(b.choose([c(0, 0), c(2, 0)])!.id).toBe('kkt2');
    expect(b.choose([c(0, 0), c(2, 0)])!.id).toBe('kkt0');
  });

  it('shortest queue takes the register with the fewest jobs, and equals in turn', () => {
    const b = new Balancer('shortest-queue');
    expect(b.choose([c(0, 3), c(1, 1), c(2, 2)])!.id).toBe('kkt1');
    const idle = [c(0, 0), c(1, 0), c(2, 0)];
    expect([1, 2, 3].map(() => b.choose(idle)!.id)).toEqual(['kkt2', 'kkt0', 'kkt1']);
  });

  it('lowest latency takes the fastest idle register', () => {
    const b = new Balancer('lowest-latency');
    expect(b.choose([c(0, 0, 300), c(1, 0, 120), c(2, 0, 200)])!.id).toBe('kkt1');
  });

  it('lowest latency weighs the queue: a fast register with jobs waiting loses to an idle slower one', () => {
    const b = new Balancer('lowest-latency');
    // 120 ms × 3 jobs ahead = 360 > 200 ms × 1.
    expect(b.choose([c(0, 0, 200), c(1, 2, 120)])!.id).toBe('kkt0');
  });

  it('lowest latency counts a register not measured yet as average, so it gets work', () => {
    const b = new Balancer('lowest-latency');
    expect(b.choose([c(0, 1, 100), c(1, 0, null)])!.id).toBe('kkt1');
  });

  it('offers nothing when no register is offered', () => {
    expect(new Balancer('shortest-queue').choose([])).toBeNull();
  });
});
