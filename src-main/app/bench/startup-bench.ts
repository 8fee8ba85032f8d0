// `prilavok bench startup`: from process start to an interactive sale screen in browser mode,
// measured in Chromium, on a lane whose catalog holds N SKUs. Chromium is launched before the clock
// starts (in Electron the window's renderer starts in parallel with the main process); the time to
// launch it is reported on its own as browser_launch_ms. The PIN is typed by the benchmark.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { createApp } from '../create-app';
import { DEMO_USERS } from '../demo-seed';
import { generateCatalogCsv } from '../../store/catalog-generator';
import { findChromium, CHROMIUM_APP_FLAGS } from '../../host/find-chromium';
import { percentile, progress, report, round, type BenchReport } from './report';

/** out/main/cli.js → the project root, where bin/prilavok.mjs lives. */
function projectRoot(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..');
}

export async function benchStartup(params: { skus: number; runs: number }): Promise<BenchReport> {
  const chromiumPath = findChromium();
  if (!chromiumPath) throw new Error('no Chromium found (set CHROMIUM_PATH)');
  const dir = mkdtempSync(join(tmpdir(), 'prilavok-bench-startup-'));
  const dataDir = join(dir, 'lane');
  try {
    progress(`bench startup: preparing a lane with ${params.skus} SKUs`);
    const csv = join(dir, 'catalog.csv');
    await generateCatalogCsv(csv, params.skus, 7);
    const app = await createApp({ dataDir, demo: true });
    const result = await app.catalog.importCsv({ file: csv }, { replace: true });
    if (result.imported < params.skus * 0.99) throw new Error(`catalog import fell short: ${result.imported} of ${params.skus}`);
    const session = app.newSession();
    app.services.session.login(session, DEMO_USERS.find((u) => u.role === 'cashier')!.pin);
    app.services.shift.open(session.user!);
    await app.close();
    // The preparation wrote a few hundred megabytes; let the disk finish with them, so that the
    // runs measure the start and not the writeback of the import.
    if (process.platform !== 'win32') execFileSync('sync');

    const { chromium } = await import('playwright-core');
    const launchStart = performance.now();
    const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox', ...CHROMIUM_APP_FLAGS] });
    const browserLaunchMs = performance.now() - launchStart;
    const totals: number[] = [];
    const ready: number[] = [];
    try {
      for (let run = 0; run < params.runs; run++) {
        const page = await browser.newPage();
        const t0 = performance.now();
        const child = spawn(process.execPath, [join(projectRoot(), 'bin', 'prilavok.mjs'), 'start', '--browser', '--no-open', '--port', '0', '--data-dir', dataDir],
          { stdio: ['ignore', 'pipe', 'inherit'] });
        try {
          const url = await readyUrl(child);
          ready.push(performance.now() - t0);
          await page.goto(url);
          await page.getByTestId('login-pin-input').waitFor({ state: 'visible' });
          await page.keyboard.type(DEMO_USERS.find((u) => u.role === 'cashier')!.pin);
          await page.keyboard.press('Enter');
          await page.getByTestId('sale-screen').waitFor({ state: 'visible' });
          await page.getByTestId('barcode-input').waitFor({ state: 'visible' });
          totals.push(performance.now() - t0);
          progress(`run ${run + 1}: ${Math.round(totals.at(-1)!)} ms`);
        } finally {
          child.kill('SIGTERM');
          await new Promise((resolve) => child.once('exit', resolve));
          await page.close();
        }
      }
    } finally {
      await browser.close();
    }
    return report('startup', params, {
      startup_to_interactive_ms: round(percentile(totals, 50), 1),
      startup_to_interactive_max_ms: round(Math.max(...totals), 1),
      server_ready_ms: round(percentile(ready, 50), 1),
      browser_launch_ms: round(browserLaunchMs, 1),
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function readyUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error('the app did not print PRILAVOK_READY within 60 s')), 60_000);
    lines.on('line', (line) => {
      const match = /^PRILAVOK_READY (\S+)/.exec(line);
      if (match) { clearTimeout(timer); resolve(match[1]!); }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`the app exited with ${code} before it was ready`)); });
  });
}
