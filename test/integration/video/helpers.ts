// Shared pieces of the video integration tests: an in-memory backlog for driving a sink directly, and
// waiting for a condition without timing assertions.
import type { PosEvent } from '../../../src-main/services/pos-events/pos-event';
import type { QueuedEvent, SinkBacklog } from '../../../drivers/video/sink';

export class MemoryBacklog implements SinkBacklog {
  private readonly events: QueuedEvent[] = [];
  deliveredSeq = 0;

  push(...events: PosEvent[]): void {
    for (const event of events) this.events.push({ seq: this.events.length + 1, event });
  }

  next(limit: number): QueuedEvent[] {
    return this.events.filter((e) => e.seq > this.deliveredSeq).slice(0, limit);
  }

  delivered(seq: number): void {
    this.deliveredSeq = Math.max(this.deliveredSeq, seq);
  }

  get size(): number {
    return this.events.length;
  }
}

export async function until(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
