import { describe, expect, it } from 'vitest';
import { demoMarkingCode } from '../../../src-main/marking/demo-codes';
import { parseMarkingCode } from '../../../src-main/marking/parse-code';
import { scenarioOf } from '../../../src-main/marking/emulators/scenarios';

describe('demo marking codes', () => {
  it.each([['milk', 'milk'], ['kefir', 'milk'], ['shoes', 'shoes'], ['cigarettes', 'tobacco']] as const)('%s codes parse in the %s layout', (item, group) => {
    for (let n = 1; n <= 50; n++) {
      const parsed = parseMarkingCode(demoMarkingCode(item, n));
      expect(parsed.valid, JSON.stringify(parsed)).toBe(true);
      if (parsed.valid) expect(parsed.groups).toContain(group);
    }
  });

  it('the scenario prefix picks the emulated answer; distinct numbers give distinct codes', () => {
    expect(scenarioOf(demoMarkingCode('milk', 3, 'SD'))).toBe('sold');
    expect(scenarioOf(demoMarkingCode('shoes', 3, 'BL'))).toBe('blocked');
    expect(scenarioOf(demoMarkingCode('cigarettes', 3, 'NR'))).toBe('notRealizable');
    expect(scenarioOf(demoMarkingCode('milk', 3))).toBe('ok');
    const codes = new Set(Array.from({ length: 500 }, (_, i) => demoMarkingCode('milk', i + 1)));
    expect(codes.size).toBe(500);
  });

  it('the tobacco pack carries its maximum retail price', () => {
    const parsed = parseMarkingCode(demoMarkingCode('cigarettes', 1));
    expect(parsed.valid && parsed.mrpKopecks).toBe(25_000);
  });
});
