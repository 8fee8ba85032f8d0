import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { runScaleEmulator } from '../../../../drivers/scales/emulator-cli';
import { openScale } from '../../../../drivers/scales/open';
import type { ScaleProtocol } from '../../../../drivers/scales/scale';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

async function waitFor(p: () => boolean): Promise<void> {
  for (let i = 0; i < 300 && !p(); i++) await new Promise((r) => setTimeout(r, 10));
}

describe('runScaleEmulator', () => {
  it.each(['massak', 'cas', 'cas-indicator', 'shtrih', 'mettler8217'] as const)('serves scale-%s on a pty it links at --pty, driven from stdin', async (protocol) => {
    const dir = mkdtempSync(join(tmpdir(), 'prilavok-scale-cli-'));
    dirs.push(dir);
    const path = join(dir, 'scale');
    const out: string[] = [];
    const err: string[] = [];
    const stdin = new PassThrough();
    const stop = new AbortController();
    const done = runScaleEmulator(`scale-${protocol}`, ['--pty', path, '--weight', '1500', '--stream-ms', '30'],
      { stdout: (l) => out.push(l), stderr: (l) => err.push(l), stdin }, stop.signal);
    await waitFor(() => out.length > 0);
    expect(out[0]).toBe(`SCALE_READY ${protocol} ${path}\n`);
    const scale = await openScale({ protocol: protocol as ScaleProtocol, port: path, answerTimeoutMs: 300 });
    try {
      expect(await scale.read()).toMatchObject({ state: 'stable', weightGrams: 1_500 });
      stdin.write('put 2750\n');
      await new Promise((r) => setTimeout(r, 30));
      expect(await scale.read()).toMatchObject({ weightGrams: 2_750 });
      stdin.write('fault garbage\nbogus\n');
      await waitFor(() => err.length > 0);
      expect(await scale.read()).toMatchObject({ weightGrams: 2_750 });
      expect(err.join('')).toContain("unknown command 'bogus'");
    } finally {
      await scale.close();
      stop.abort();
    }
    expect(await done).toBe(0);
  });

  it('refuses bad arguments with usage and exit code 2', async () => {
    const err: string[] = [];
    const io = { stdout: () => undefined, stderr: (l: string) => err.push(l) };
    expect(await runScaleEmulator('scale-nope', ['--pty', '/tmp/x'], io)).toBe(2);
    expect(await runScaleEmulator('massak', [], io)).toBe(2);
    expect(await runScaleEmulator('massak', ['--tcp', 'nohost'], io)).toBe(2);
    expect(await runScaleEmulator('massak', ['--pty', '/tmp/x', '--weight', '1.5'], io)).toBe(2);
    expect(err.join('')).toContain('usage');
    expect(await runScaleEmulator('massak', ['--pty', '/tmp/x', '--pace', 'yes'], io)).toBe(2);
    expect(await runScaleEmulator('massak', ['--tcp', '127.0.0.1:0', '--pace', 'on'], io)).toBe(2);
    expect(err.join('')).toContain('--pace on needs --pty');
  });

  it('with --pace on a 9600-baud exchange takes its line time, as on a real UART', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'prilavok-scale-cli-'));
    dirs.push(dir);
    const path = join(dir, 'scale');
    const out: string[] = [];
    const stop = new AbortController();
    const done = runScaleEmulator('scale-massak', ['--pty', path, '--weight', '800', '--baud', '9600', '--pace', 'on'],
      { stdout: (l) => out.push(l), stderr: () => undefined }, stop.signal);
    await waitFor(() => out.length > 0);
    const scale = await openScale({ protocol: 'massak', port: `${path}?baud=9600`, answerTimeoutMs: 500 });
    try {
      await scale.read();
      const started = performance.now();
      expect(await scale.read()).toMatchObject({ weightGrams: 800 });
      // The request (8 bytes) and the answer (at least 16) at ~1.04 ms a byte: no less than ~25 ms.
      expect(performance.now() - started).toBeGreaterThan(24);
    } finally {
      await scale.close();
      stop.abort();
    }
    expect(await done).toBe(0);
  });
});
