import { describe, expect, it } from 'vitest';
import { idTimeMs, newId } from '../../../src-main/store/ids';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('newId (UUIDv7)', () => {
  it('has the RFC 9562 layout: version 7 and variant 10', () => {
    for (let i = 0; i < 1000; i++) {
      const id = newId();
      expect(id).toMatch(UUID);
      const bytes = Buffer.from(id.replace(/-/g, ''), 'hex');
      expect(bytes[6]! >> 4).toBe(7);
      expect(bytes[8]! >> 6).toBe(0b10);
    }
  });

  it('carries the creation time in its first 48 bits', () => {
    const at = Date.UTC(2031, 0, 2, 3, 4, 5, 678);
    const id = newId(at);
    expect(idTimeMs(id)).toBeGreaterThanOrEqual(at);
    expect(idTimeMs(id)).toBeLessThan(at + 5);
  });

  it('is strictly increasing over 100 000 calls, also within one millisecond', () => {
    let previous = newId();
    for (let i = 0; i < 100_000; i++) {
      const id = newId();
      expect(id > previous).toBe(true);
      previous = id;
    }
  });

  it('stays increasing when the clock is frozen or steps back', () => {
    let previous = newId(Date.UTC(2040, 0, 1));
    for (let i = 0; i < 10_000; i++) {
      const id = newId(Date.UTC(2040, 0, 1) - (i % 3) * 1000);
      if (!(id > previous)) throw new Error(`${id} <= ${previous}`);
      previous = id;
    }
  });

  it('has 62 random bits: no duplicates among many ids', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 20_000; i++) seen.add(newId().slice(19));
    expect(seen.size).toBe(20_000);
  });
});
