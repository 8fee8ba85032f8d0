// The `prilavok` command, run in-process on real files.
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { main } from '../../../src-main/app/cli';
import { startCommand } from '../../../src-main/app/start';
import { CATALOG_CSV_HEADER } from '../../../src-main/store/catalog-generator';
import { login, openLane, tempDir } from '../../helpers/lane';

const dir = tempDir('prilavok-cli-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => { stdout += String(chunk); return true; });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => { stderr += String(chunk); return true; });
  const code = await main(argv);
  vi.restoreAllMocks();
  return { code, stdout, stderr };
}

describe('prilavok catalog', () => {
  it('imports the good rows of a CSV and lists the bad ones with their line numbers', async () => {
    const dataDir = join(dir, 'import');
    const csv = join(dir, 'catalog.csv');
    writeFileSync(csv, [
      CATALOG_CSV_HEADER,
      'p1;Сыр Российский 200 г;189.90;vat10;piece;4607001770018;;;;0',
      'p2;Без цены;abc;vat22;piece;4600000000022;;;;0',
      'p3;"Чай ""Липтон""; 25 пак.";99,50;22;piece;4600000000039;;;;0',
      'p4;Странный НДС;10.00;vat99;piece;;;;;0',
    ].join('\n'));
    const result = await run(['catalog', 'import', csv, '--data-dir', dataDir]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`catalog\\.csv:3: .*price`, 'i'));
    expect(result.stdout).toMatch(new RegExp(`catalog\\.csv:5: .*vat`, 'i'));
    expect(result.stdout).toContain('imported 2 products');
    const db = new Database(join(dataDir, 'catalog.sqlite'), { readonly: true });
    const names = db.prepare('SELECT name FROM products ORDER BY id').all();
    db.close();
    expect(names).toEqual([{ name: 'Сыр Российский 200 г' }, { name: 'Чай "Липтон"; 25 пак.' }]);
  });

  it('generates a catalog that imports cleanly', async () => {
    const out = join(dir, 'gen.csv');
    expect((await run(['catalog', 'gen', '--skus', '250', '--out', out])).code).toBe(0);
    const result = await run(['catalog', 'import', out, '--data-dir', join(dir, 'gen')]);
    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout).toContain('imported 250 products');
  });

  it('refuses a nonsense SKU count', async () => {
    expect((await run(['catalog', 'gen', '--skus', 'lots'])).code).toBe(2);
  });
});

describe('prilavok audit verify', () => {
  it('passes on an honest log and fails once a record is edited', async () => {
    const dataDir = join(dir, 'audit');
    const lane = await openLane({ dir: dataDir });
    const cashier = await login(lane, '1111');
    await lane.ok(cashier, 'shift.open', {});
    await lane.close();
    const honest = await run(['audit', 'verify', '--data-dir', dataDir]);
    expect(honest.code).toBe(0);
    expect(honest.stdout).toMatch(/intact: 3 records/);

    const db = new Database(join(dataDir, 'sales.sqlite'));
    db.prepare("UPDATE audit_log SET details = '{\"number\":2}' WHERE action = 'shift.open'").run();
    db.close();
    const tampered = await run(['audit', 'verify', '--data-dir', dataDir]);
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toMatch(/BROKEN at record 3/);
  });
});

describe('prilavok lane connect', () => {
  it('refuses a bad address or token, and stores a good one for the next start', async () => {
    const dataDir = join(dir, 'connect');
    (await openLane({ dir: dataDir })).close();
    expect((await run(['lane', 'connect', '--hq', 'not a url', '--token', 'x'.repeat(20), '--data-dir', dataDir])).code).toBe(2);
    expect((await run(['lane', 'connect', '--hq', 'http://127.0.0.1:9', '--token', 'short', '--data-dir', dataDir])).code).toBe(2);
    const ok = await run(['lane', 'connect', '--hq', 'http://127.0.0.1:9', '--token', 't'.repeat(32), '--data-dir', dataDir]);
    expect(ok.code).toBe(0);
    const lane = await openLane({ dir: dataDir });
    try {
      const cashier = await login(lane, '1111');
      expect(await lane.ok(cashier, 'upstream.status', {})).toMatchObject({ configured: true });
    } finally {
      await lane.close();
    }
    expect((await run(['lane', 'disconnect', '--data-dir', dataDir])).code).toBe(0);
  });
});

describe('prilavok doctor and help', () => {
  it('doctor reports the runtime and database health', async () => {
    const result = await run(['doctor', '--data-dir', join(dir, 'doctor')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/ok\s+sqlite\s+3\.\d+\.\d+, FTS5/);
  });

  it('an unknown command prints the usage and exits 2', async () => {
    const result = await run(['sell-everything']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Usage:');
  });
});

describe('prilavok start --browser', () => {
  it('serves the built UI with a strict CSP and stops cleanly', async () => {
    const lines: string[] = [];
    const stop = new AbortController();
    const running = startCommand(['--browser', '--no-open', '--port', '0', '--data-dir', join(dir, 'start')],
      { stdout: (l) => lines.push(l), stderr: () => undefined, signal: stop.signal });
    await vi.waitFor(() => expect(lines.some((l) => l.startsWith('PRILAVOK_READY '))).toBe(true), { timeout: 20_000 });
    const url = lines.find((l) => l.startsWith('PRILAVOK_READY '))!.split(' ')[1]!;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{40,}$/);
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('<div id="root">');
    stop.abort();
    expect(await running).toBe(0);
  });

  it('a port that is taken gives a clear error', async () => {
    const { createServer } = await import('node:net');
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    const errors: string[] = [];
    const code = await startCommand(['--browser', '--no-open', '--port', String(port), '--data-dir', join(dir, 'busy')],
      { stdout: () => undefined, stderr: (l) => errors.push(l) });
    blocker.close();
    expect(code).toBe(1);
    expect(errors.join('\n')).toMatch(/port|in use|EADDRINUSE/i);
  });
});
