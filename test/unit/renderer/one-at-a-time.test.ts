// The renderer stores' queue: operations run one after another in the order asked, a failed one does
// not stop the next, and the busy flag is up from the ask until the operation settles.
import { describe, expect, it } from 'vitest';
import { serialQueue, trackedBy } from '../../../src-renderer/state/one-at-a-time';

describe('serialQueue and trackedBy', () => {
  it('runs in order, past a failure, and flags busy while an operation is queued or running', async () => {
    const serial = serialQueue();
    const busy: boolean[] = [];
    const tracked = trackedBy(serial, (b) => busy.push(b));
    const log: string[] = [];
    let release!: () => void;
    const first = tracked(async () => { log.push('first starts'); await new Promise<void>((r) => { release = r; }); log.push('first ends'); return 1; });
    const second = tracked(async () => { log.push('second'); throw new Error('refused'); });
    const third = serial(async () => { log.push('third'); return 3; });
    expect(busy).toEqual([true, true]);
    await Promise.resolve();
    expect(log).toEqual(['first starts']);
    release();
    expect(await first).toBe(1);
    await expect(second).rejects.toThrow('refused');
    expect(await third).toBe(3);
    expect(log).toEqual(['first starts', 'first ends', 'second', 'third']);
    expect(busy).toEqual([true, true, false, false]);
  });
});
