// Serial / USB-CDC scanners against their emulator on real ptys: codes verbatim with GS and AIM,
// faults as events, and two scanners merged into one tagged stream.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { runScannerEmulator, unescapeScanLine } from '../../../../drivers/scanners/emulator-cli';
import { openScanner } from '../../../../drivers/scanners/open';
import type { Scanner, ScannerEvent, ScannerFault } from '../../../../drivers/scanners/scanner';
import { ScannerHub } from '../../../../drivers/scanners/scanner-hub';
import type { ScanSuffix } from '../../../../drivers/scanners/serial/codec';
import { SerialScanner } from '../../../../drivers/scanners/serial/driver';
import { SerialScannerEmulator } from '../../../../drivers/scanners/serial/emulator';
import { createPtyPair, type PtyPair } from '../../../../drivers/transport/pty';

const GS = '\u001d';
const MARK = `0104601234567890215abcdefghijk${GS}91EE07${GS}92${'w'.repeat(88)}`;

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined); });

async function rig(id: string, suffix: ScanSuffix = 'cr', extra: { idleMs?: number } = {}) {
  const pty: PtyPair = await createPtyPair();
  cleanups.push(() => pty.close());
  const emulator = await SerialScannerEmulator.start({ serialPath: pty.devicePath, suffix });
  cleanups.push(() => emulator.close());
  const scanner = await SerialScanner.open(pty.hostPath, { id, suffix, ...extra });
  cleanups.push(() => scanner.close());
  return { emulator, scanner };
}

function collect(s: Pick<Scanner, 'onScan' | 'onFault'>) {
  const scans: ScannerEvent[] = [];
  const faults: ScannerFault[] = [];
  s.onScan((e) => scans.push(e));
  s.onFault((f) => faults.push(f));
  return { scans, faults };
}

async function until(p: () => boolean, ms = 2_000): Promise<void> {
  const end = Date.now() + ms;
  while (!p()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('a serial scanner on a pty', () => {
  it('delivers a Честный знак code with both GS separators and its AIM identifier', async () => {
    const { emulator, scanner } = await rig('hand');
    const got = collect(scanner);
    await emulator.scan(MARK, { aim: ']d2' });
    await emulator.scan('4601234567893', { aim: ']E0' });
    await until(() => got.scans.length === 2);
    expect(got.scans[0]).toEqual({ code: MARK, aim: ']d2', symbology: 'gs1-datamatrix', source: 'hand' });
    expect(got.scans[0]!.code.split(GS)).toHaveLength(3);
    expect(got.scans[1]).toMatchObject({ code: '4601234567893', aim: ']E0', symbology: 'ean-13' });
    expect(got.faults).toEqual([]);
  });

  it('reports garbage and a partial code as faults, then reads the next code whole', async () => {
    const { emulator, scanner } = await rig('hand', 'cr', { idleMs: 60 });
    const got = collect(scanner);
    await emulator.garbage();
    await emulator.partial('4601234567893');
    await until(() => got.faults.length === 2);
    await emulator.scan('4601234567894');
    await until(() => got.scans.length === 1);
    expect(got.faults.map((f) => f.error.code)).toEqual(['SCANNER_GARBAGE', 'SCANNER_PARTIAL']);
    expect(got.faults[0]!.error.text.ru).toMatch(/Отсканируйте/);
    expect(got.scans.map((s) => s.code)).toEqual(['4601234567894']);
  });

  it('ends codes by the pause when the scanner sends no suffix', async () => {
    const { emulator, scanner } = await rig('hand', 'none', { idleMs: 40 });
    const got = collect(scanner);
    await emulator.scan(MARK, { aim: ']d2' });
    await until(() => got.scans.length === 1);
    await emulator.scan('4601234567893');
    await until(() => got.scans.length === 2);
    expect(got.scans.map((s) => s.code)).toEqual([MARK, '4601234567893']);
  });

  it('merges a hand and a table scanner into one ordered stream tagged by source', async () => {
    const hand = await rig('hand');
    const table = await rig('table', 'crlf');
    const hub = new ScannerHub([hand.scanner, table.scanner]);
    const got = collect(hub);
    await hand.emulator.scan('1111111111116');
    await until(() => got.scans.length === 1);
    await table.emulator.scan(MARK, { aim: ']d2' });
    await until(() => got.scans.length === 2);
    await hand.emulator.garbage();
    await until(() => got.faults.length === 1);
    await hand.emulator.scan('2222222222222');
    await until(() => got.scans.length === 3);
    expect(got.scans.map((s) => [s.source, s.code])).toEqual([['hand', '1111111111116'], ['table', MARK], ['hand', '2222222222222']]);
    expect(got.faults.map((f) => f.source)).toEqual(['hand']);
    expect(() => hub.add(hand.scanner)).toThrow(/already/);
  });

  it('opens from settings with line settings in the port spec', async () => {
    const pty = await createPtyPair();
    cleanups.push(() => pty.close());
    const emulator = await SerialScannerEmulator.start({ serialPath: pty.devicePath, suffix: 'lf', prefix: new TextEncoder().encode('#') });
    cleanups.push(() => emulator.close());
    const scanner = await openScanner({ protocol: 'serial', id: 'hand', port: `${pty.hostPath}?baud=115200`, suffix: 'lf', prefix: '#' });
    cleanups.push(() => scanner.close());
    const got = collect(scanner);
    await emulator.scan('ABC');
    await until(() => got.scans.length === 1);
    expect(got.scans[0]).toMatchObject({ code: 'ABC', source: 'hand' });
    // Unplugged: the device node is gone, which the health check sees even if the port never reports it.
    expect(scanner.present?.()).toBe(true);
    await pty.close();
    await until(() => scanner.present?.() === false);
  });
});

describe('runScannerEmulator', () => {
  it('scans stdin lines with GS escapes on a pty it links at --pty', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'prilavok-scanner-cli-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'scanner');
    const out: string[] = [];
    const err: string[] = [];
    const stdin = new PassThrough();
    const stop = new AbortController();
    const done = runScannerEmulator(['--pty', path, '--aim', ']d2'], { stdout: (l) => out.push(l), stderr: (l) => err.push(l), stdin }, stop.signal);
    await until(() => out.length > 0);
    expect(out[0]).toBe(`SCANNER_READY serial ${path}\n`);
    const scanner = await SerialScanner.open(path, { id: 'hand' });
    const got = collect(scanner);
    stdin.write('0104601234567890215abc\\u001d91EE07\\G92xyz\n:garbage\n:bogus\n');
    await until(() => got.scans.length === 1 && got.faults.length === 1 && err.length === 1);
    expect(got.scans[0]).toMatchObject({ code: `0104601234567890215abc${GS}91EE07${GS}92xyz`, aim: ']d2' });
    expect(err.join('')).toContain("unknown command ':bogus'");
    await scanner.close();
    stop.abort();
    expect(await done).toBe(0);
  });

  it('refuses bad arguments and escapes', async () => {
    const io = { stdout: () => undefined, stderr: () => undefined };
    expect(await runScannerEmulator([], io)).toBe(2);
    expect(await runScannerEmulator(['--pty', '/tmp/x', '--suffix', 'tab'], io)).toBe(2);
    expect(await runScannerEmulator(['--pty', '/tmp/x', '--aim', 'd2'], io)).toBe(2);
    expect(unescapeScanLine('a\\x1db\\\\')).toBe('a\u001db\\');
    expect(unescapeScanLine('bad\\q')).toBeNull();
  });
});
