// The emulator CLI creates its own pty with socat and answers `prilavok fiscal status`.
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runShtrihEmulator } from '../../../../drivers/fiscal/shtrih/emulator-cli';
import { fiscalCommand } from '../../../../src-main/app/commands/fiscal';

const dir = mkdtempSync(join(tmpdir(), 'prilavok-shtrih-cli-'));
afterEach(() => vi.restoreAllMocks());
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function withEmulator(args: string[], body: (address: string) => Promise<void>): Promise<void> {
  const abort = new AbortController();
  let ready: (line: string) => void = () => undefined;
  const readyLine = new Promise<string>((r) => { ready = r; });
  const run = runShtrihEmulator(args, { stdout: (l) => ready(l), stderr: () => undefined }, abort.signal);
  const line = await Promise.race([readyLine, run.then((code) => `exited ${code}`)]);
  expect(line).toMatch(/^SHTRIH_READY /);
  try { await body(line.trim().split(' ')[1]!); } finally { abort.abort(); expect(await run).toBe(0); }
}

async function status(port: string): Promise<Record<string, unknown>> {
  const lines: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => { lines.push(String(chunk)); return true; });
  const code = await fiscalCommand(['status', '--port', port, '--json']);
  vi.restoreAllMocks();
  expect(code).toBe(0);
  return JSON.parse(lines.join('')) as Record<string, unknown>;
}

describe('prilavok emulate shtrih / prilavok fiscal status', () => {
  it('--pty PATH links a pty at PATH and fiscal status reads it as JSON', async () => {
    const path = join(dir, 'ttyKKT');
    await withEmulator(['--pty', path, '--state', join(dir, 'a.json')], async (address) => {
      expect(address).toBe(path);
      const s = await status(path);
      expect(s).toMatchObject({ mode: 4, submode: 0, shift_open: false, last_fd: 1, unsent_docs: 0 });
      expect(s.fn_serial).toMatch(/^\d{16}$/);
    });
  });

  it('--tcp HOST:PORT serves fiscal status over tcp://', async () => {
    await withEmulator(['--tcp', '127.0.0.1:0', '--faults', 'bad-lrc:0.2', '--seed', '7'], async (address) => {
      const s = await status(`tcp://${address}`);
      expect(s).toMatchObject({ mode: 4, shift_open: false });
    });
  });

  it('rejects a bad fault spec with exit code 2', async () => {
    expect(await runShtrihEmulator(['--tcp', '127.0.0.1:0', '--faults', 'bogus:1'], { stdout: () => undefined, stderr: () => undefined })).toBe(2);
  });

});
