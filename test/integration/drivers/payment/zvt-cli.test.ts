// `prilavok emulate zvt`: the CLI entry, run in-process with an abort signal instead of SIGTERM.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runZvtEmulator } from '../../../../drivers/payment/zvt/emulator-cli';
import { openZvtTerminal } from '../../../../drivers/payment/zvt/open';
import { FAST } from './zvt-rig';

async function startCli(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const stop = new AbortController();
  const exit = runZvtEmulator(argv, { stdout: (l) => out.push(l), stderr: (l) => err.push(l) }, stop.signal);
  for (let i = 0; i < 200 && !out.join('').includes('LISTENING'); i++) await new Promise((r) => setTimeout(r, 10));
  const where = /LISTENING (\S+)/.exec(out.join(''))?.[1];
  return { where, err, stop, exit };
}

describe('prilavok emulate zvt', () => {
  it('prints LISTENING, applies --faults and keeps its state file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'prilavok-zvt-cli-'));
    const state = join(dir, 'pt.json');
    const cli = await startCli(['--tcp', '127.0.0.1:0', '--state', state, '--faults', 'decline:51', '--step-ms', '0']);
    expect(cli.where).toMatch(/^127\.0\.0\.1:\d+$/);
    const t = await openZvtTerminal(`tcp://${cli.where}`, FAST);
    expect(await t.run({ kind: 'purchase', amountKopecks: 1_000, reference: 'a' })).toMatchObject({ state: 'declined', code: '51' });
    expect(await t.run({ kind: 'purchase', amountKopecks: 1_000, reference: 'b' })).toMatchObject({ state: 'approved', receiptNumber: '0001' });
    await t.close();
    cli.stop.abort();
    expect(await cli.exit).toBe(0);
    expect(JSON.parse(readFileSync(state, 'utf8'))).toMatchObject({ lastReceiptNumber: 1, lastTraceNumber: 2 });
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves a pty path it creates', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'prilavok-zvt-cli-'));
    const path = join(dir, 'ttyZVT');
    const cli = await startCli(['--pty', path, '--step-ms', '0']);
    expect(cli.where).toBe(path);
    const t = await openZvtTerminal(path, FAST);
    expect((await t.readiness()).ready).toBe(true);
    await t.close();
    cli.stop.abort();
    expect(await cli.exit).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses bad arguments with exit code 2', async () => {
    const err: string[] = [];
    const io = { stdout: () => undefined, stderr: (l: string) => err.push(l) };
    expect(await runZvtEmulator([], io)).toBe(2);
    expect(await runZvtEmulator(['--tcp', '127.0.0.1:0', '--faults', 'explode'], io)).toBe(2);
    expect(await runZvtEmulator(['--tcp', 'nowhere'], io)).toBe(2);
    expect(err.join('')).toMatch(/unknown fault 'explode'/);
  });
});
