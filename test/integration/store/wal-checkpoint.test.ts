// The sales database folds its WAL into the file when the lane is quiet, not inside a scan.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SalesStore } from '../../../src-main/store/sales-store';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

describe('WAL checkpoints of the sales database', () => {
  it('runs only after a quiet spell, and then empties the WAL into the database file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'prilavok-wal-'));
    dirs.push(dir);
    const store = SalesStore.open(join(dir, 'sales.sqlite'));
    try {
      for (let i = 0; i < 200; i++) store.transaction(() => store.settings.put(`k${i}`, { value: 'x'.repeat(2000) }));
      expect(statSync(join(dir, 'sales.sqlite-wal')).size).toBeGreaterThan(100_000);
      expect(store.checkpointWhenIdle(60_000)).toBe(false); // just written: not now
      expect(store.checkpointWhenIdle(0)).toBe(true);
      // A passive checkpoint copies the pages; the next write starts the WAL from its beginning.
      store.transaction(() => store.settings.put('after', 1));
      expect(statSync(join(dir, 'sales.sqlite')).size).toBeGreaterThan(100_000);
      expect(store.settings.get('k199', z.object({ value: z.string() }), { value: '' }).value).toHaveLength(2000);
    } finally {
      store.close();
    }
  });
});
