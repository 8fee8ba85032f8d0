// `prilavok km parse`, run in-process with stdout captured.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { kmCommand, readCodeArgument } from '../../../src-main/app/commands/km';

afterEach(() => vi.restoreAllMocks());

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => { stdout += String(chunk); return true; });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => { stderr += String(chunk); return true; });
  const code = await kmCommand(argv);
  vi.restoreAllMocks();
  return { code, stdout, stderr };
}

describe('prilavok km parse', () => {
  it('prints one JSON object for a code with GS written as \\u001d, exit 0', async () => {
    const result = await run(['parse', '010462930887704421DzkcYt2\\u001d8005090000\\u001d93dGVz', '--json']);
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout);
    expect(out).toMatchObject({
      valid: true, groups: ['tobacco'], gtin: '04629308877044', serial: 'DzkcYt2', cis: '010462930887704421DzkcYt2',
      mrp_kopecks: 90_000, package_kind: 'block', code: '010462930887704421DzkcYt2\\u001d8005090000\\u001d93dGVz',
    });
  });

  it('a tobacco pack prints its decoded MRP', async () => {
    const out = JSON.parse((await run(['parse', '04601653035829H;dV)bFACVUdGVz', '--json'])).stdout);
    expect(out).toMatchObject({ valid: true, mrp_kopecks: 14_500, cis: '04601653035829H;dV)bF' });
  });

  it('a malformed code is printed with its error, exit 1', async () => {
    const result = await run(['parse', "0104670540176098215'W9Um<GS>93dGVz", '--json']);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ valid: false, error: 'bad_gtin_check_digit' });
  });

  it('a configured substitute and the text form', async () => {
    const result = await run(['parse', "0104670540176099215'W9Um~93dGVz", '--substitute', '~']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^valid +true$/m);
    expect(result.stdout).toMatch(/^groups +\["milk"/m);
  });

  it('usage errors exit 2', async () => {
    expect((await run([])).code).toBe(2);
    expect((await run(['parse'])).code).toBe(2);
    expect((await run(['parse', 'X', '--bogus'])).code).toBe(2);
  });

  it('readCodeArgument leaves unknown flags for a subcommand to handle', () => {
    expect(readCodeArgument(['CODE', '--json', '--price', '100'])).toMatchObject({ code: 'CODE', json: true, rest: ['--price', '100'] });
  });
});
