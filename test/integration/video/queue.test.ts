// The on-disk queue of the video export, on a real SQLite file.
import { afterEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { VideoQueue } from '../../../src-main/store/video-queue';
import { tempDir } from '../../helpers/lane';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function open(bound: number): { queue: VideoQueue; file: string } {
  const dir = tempDir('prilavok-video-queue-');
  dirs.push(dir);
  const file = join(dir, 'video-queue.sqlite');
  return { queue: VideoQueue.open(file, bound), file };
}

const ev = (n: number) => ({ at: `2026-11-23T09:00:${String(n % 60).padStart(2, '0')}.000Z`, kind: 'cash.moved', n });

describe('video queue', () => {
  it('gives each sink its events in order and forgets what every sink has', () => {
    const { queue } = open(100);
    queue.syncSinks(['a', 'b']);
    queue.append([ev(1), ev(2), ev(3)]);
    expect(queue.next('a', 10).map((r) => (r.event as { n: number }).n)).toEqual([1, 2, 3]);
    queue.markDelivered('a', 2);
    expect(queue.next('a', 10).map((r) => r.seq)).toEqual([3]);
    expect(queue.stats('a')).toMatchObject({ pending: 1, evicted: 0 });
    expect(queue.stats('b')).toMatchObject({ pending: 3 });
    queue.markDelivered('b', 3);
    queue.markDelivered('a', 3);
    queue.append([]);
    queue.append([ev(4)]);
    expect(queue.next('b', 10).map((r) => (r.event as { n: number }).n)).toEqual([4]);
    queue.close();
  });

  it('a new sink starts with what happens from now on; a removed one stops holding events', () => {
    const { queue } = open(100);
    queue.syncSinks(['a']);
    queue.append([ev(1), ev(2)]);
    queue.syncSinks(['a', 'b']);
    expect(queue.next('b', 10)).toEqual([]);
    queue.append([ev(3)]);
    expect(queue.next('b', 10).map((r) => r.seq)).toEqual([3]);
    queue.syncSinks(['b']);
    expect(queue.stats('a')).toBeNull();
    queue.close();
  });

  it('evicts the oldest beyond the bound per sink and counts them', () => {
    const { queue } = open(10);
    queue.syncSinks(['slow', 'fast']);
    for (let i = 1; i <= 25; i++) {
      queue.append([ev(i)]);
      queue.markDelivered('fast', queue.maxSeq());
    }
    expect(queue.stats('slow')).toMatchObject({ pending: 10, evicted: 15 });
    expect(queue.stats('slow')!.lastEvictedAt).not.toBeNull();
    expect(queue.next('slow', 100).map((r) => (r.event as { n: number }).n)).toEqual([16, 17, 18, 19, 20, 21, 22, 23, 24, 25]);
    expect(queue.stats('fast')).toMatchObject({ pending: 0, evicted: 0 });
    queue.close();
  });

  it('keeps undelivered events and cursors across a restart', () => {
    const { queue, file } = open(100);
    queue.syncSinks(['a']);
    queue.append([ev(1), ev(2), ev(3)]);
    queue.markDelivered('a', 1);
    queue.close();
    const again = VideoQueue.open(file, 100);
    again.syncSinks(['a']);
    expect(again.next('a', 10).map((r) => (r.event as { n: number }).n)).toEqual([2, 3]);
    again.append([ev(4)]);
    expect(again.next('a', 10).map((r) => r.seq)).toEqual([2, 3, 4]);
    again.close();
  });

  it('keeps nothing when no sink is enabled', () => {
    const { queue } = open(100);
    queue.syncSinks([]);
    queue.append([ev(1)]);
    queue.syncSinks(['a']);
    expect(queue.next('a', 10)).toEqual([]);
    queue.close();
  });
});
