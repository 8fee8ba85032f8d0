// `prilavok bench devices`: the lane's peripherals end to end, measured in the real UI (Chromium).
// The devices are the project's emulators in processes of their own, on ptys, as a till's USB-serial
// adapters are: a Massa-K scale at 9600 baud with every byte paced at the line's speed (`--pace`), a hand
// and a table scanner, an ESC/POS printer and a customer display. The lane runs in this process with its
// configured devices (the device manager opens them) and the browser host; the cashier's page runs in
// Chromium, logged in, on the sale screen.
// - scale_to_ui: the load on the emulated scale changes (a `put` line on its stdin) → the new weight is
//   on the sale screen's scale panel: the DOM shows it and the frame that paints it has begun (the page
//   records requestAnimationFrame after the mutation). Both clocks are the system clock
//   (performance.timeOrigin + performance.now() in Node and in Chromium).
// - scanner_to_line: a code written by the emulated scanner → the receipt's total on screen includes the
//   new line (serial port → scanner hub → event to the page → receipt.scan → line committed → the page
//   redraws), same clocks. Scanners alternate, as a hand and a table scanner do.
// - idle_cpu_pct: CPU time of this process (the lane: device manager, health checks, the scale's
//   polling, the browser host) over a quiet window with every device connected, as % of one core.
//   Chromium's and the emulators' processes are not counted: they are the page and the hardware.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { createApp, type PosAppInternals } from '../create-app';
import { DEMO_USERS } from '../demo-seed';
import { DEMO_GENERATED_SKUS, generatedProducts } from '../../store/catalog-generator';
import { startBrowserHost, type BrowserHost } from '../../host/browser-host';
import { findChromium, CHROMIUM_APP_FLAGS } from '../../host/find-chromium';
import type { DeviceDraft } from '../../contract/device-model';
import { percentile, progress, report, round, type BenchReport } from './report';
import { EmulatorProcess, projectRoot } from './emulator-process';

export interface DevicesBenchParams {
  samples: number;
  baud: number;
  idleSeconds: number;
}

const WARMUP = 10;
/** The receipt holds at most 500 lines; the scanner samples stay below that in one receipt. */
const MAX_SCANS = 450;

const epochMs = (): number => performance.timeOrigin + performance.now();

/** In the page: when does `selector`'s text or data-grams first match, and when does the next frame begin. */
const PAGE_PROBE = `(() => {
  window.__probe = { armed: null, seenAt: null, frameAt: null };
  const check = () => {
    const p = window.__probe;
    if (!p.armed || p.seenAt !== null) return;
    const el = document.querySelector(p.armed.selector);
    if (!el) return;
    const value = p.armed.attribute ? el.getAttribute(p.armed.attribute) : el.textContent;
    if (p.armed.different ? value !== p.armed.value : value === p.armed.value) {
      p.seenAt = performance.timeOrigin + performance.now();
      requestAnimationFrame(() => { p.frameAt = performance.timeOrigin + performance.now(); });
    }
  };
  new MutationObserver(check).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
})()`;

interface Arm { selector: string; attribute: string | null; value: string; different: boolean }

async function arm(page: Page, a: Arm): Promise<void> {
  await page.evaluate((armed) => {
    const w = window as unknown as { __probe: { armed: unknown; seenAt: number | null; frameAt: number | null } };
    w.__probe.armed = armed;
    w.__probe.seenAt = null;
    w.__probe.frameAt = null;
  }, a);
}

/** Waits for the armed change to be painted; returns the epoch time the frame began. */
async function painted(page: Page, timeoutMs = 10_000): Promise<number> {
  const handle = await page.waitForFunction(() => (window as unknown as { __probe: { frameAt: number | null } }).__probe.frameAt,
    undefined, { timeout: timeoutMs, polling: 5 });
  return await handle.jsonValue() as number;
}

function device(id: string, name: string, kind: DeviceDraft['kind'], protocol: string, port: string, role: string): DeviceDraft {
  return { id, name, kind, protocol, port, role, enabled: true, options: {} };
}

export async function benchDevices(params: DevicesBenchParams): Promise<BenchReport> {
  const chromiumPath = findChromium();
  if (!chromiumPath) throw new Error('no Chromium found (set CHROMIUM_PATH)');
  if (params.samples + WARMUP > MAX_SCANS) throw new Error(`--samples must be at most ${MAX_SCANS - WARMUP}`);
  const dir = mkdtempSync(join(tmpdir(), 'prilavok-bench-devices-'));
  const emulators: EmulatorProcess[] = [];
  let app: PosAppInternals | null = null;
  let host: BrowserHost | null = null;
  try {
    progress(`bench devices: emulators on ptys (scale at ${params.baud} baud, paced), lane, Chromium`);
    const pty = (name: string) => join(dir, name);
    const scale = await EmulatorProcess.start(['scale-massak', '--pty', pty('scale'), '--baud', String(params.baud), '--pace', 'on', '--weight', '0'], 'SCALE_READY');
    emulators.push(scale);
    const hand = await EmulatorProcess.start(['scanner', '--pty', pty('scanner-hand')], 'SCANNER_READY');
    emulators.push(hand);
    const table = await EmulatorProcess.start(['scanner', '--pty', pty('scanner-table')], 'SCANNER_READY');
    emulators.push(table);
    emulators.push(await EmulatorProcess.start(['escpos', '--pty', pty('printer')], 'ESCPOS_READY'));
    emulators.push(await EmulatorProcess.start(['escpos', '--pty', pty('display')], 'ESCPOS_READY'));

    app = await createApp({ dataDir: join(dir, 'lane'), demo: true, devices: 'configured' });
    const admin = app.newSession();
    app.services.session.login(admin, DEMO_USERS.find((u) => u.role === 'administrator')!.pin);
    const drafts = [
      device('bench-scale', 'Весы Масса-К', 'scale', 'massak', `${pty('scale')}?baud=${params.baud}`, 'weighing scale'),
      device('bench-hand', 'Ручной сканер', 'scanner', 'serial', pty('scanner-hand'), 'hand scanner'),
      device('bench-table', 'Настольный сканер', 'scanner', 'serial', pty('scanner-table'), 'table scanner'),
      device('bench-printer', 'Принтер чеков', 'printer', 'escpos', pty('printer'), 'receipt printer'),
      device('bench-display', 'Дисплей покупателя', 'display', 'escpos', pty('display'), 'customer display'),
    ];
    for (const d of drafts) await app.devices.manager.save(admin.user!, d);
    app.services.shift.open(admin.user!);
    await waitFor(() => app!.devices.manager.status().every((s) => s.state === 'up'), 15_000, () =>
      `devices not up: ${JSON.stringify(app!.devices.manager.status().map((s) => [s.id, s.state]))}`);
    const barcodes = pieceGoods(app, params.samples + WARMUP);

    host = await startBrowserHost(app, { port: 0, rendererDir: join(projectRoot(), 'out', 'renderer'), host: '127.0.0.1' });
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox', ...CHROMIUM_APP_FLAGS] });
    try {
      const page = await browser.newPage();
      await page.goto(host.url);
      await page.getByTestId('login-pin-input').waitFor({ state: 'visible' });
      await page.keyboard.type(DEMO_USERS.find((u) => u.role === 'cashier')!.pin);
      await page.keyboard.press('Enter');
      await page.getByTestId('sale-screen').waitFor({ state: 'visible' });
      await page.getByTestId('scale-weight').waitFor({ state: 'visible' });
      await page.evaluate(PAGE_PROBE);

      // 1. Scale → UI: alternate between two loads so that every put is a change the panel must show.
      progress(`bench devices: ${params.samples} weight changes (+${WARMUP} warm-up)`);
      const scaleMs: number[] = [];
      for (let i = 0; i < params.samples + WARMUP; i++) {
        const grams = 200 + (i % 2) * 1_000 + (i % 7);
        await arm(page, { selector: '[data-testid="scale-weight"]', attribute: 'data-grams', value: String(grams), different: false });
        const t0 = epochMs();
        scale.send(`put ${grams} 0`);
        const shown = await painted(page);
        if (i >= WARMUP) scaleMs.push(shown - t0);
        // Let the next change come at an arbitrary point of the polling cycle, as a shopper's does.
        await sleep(20 + ((i * 37) % 80));
      }

      // 2. Scanner → line: distinct piece goods, the hand and the table scanner in turn.
      progress(`bench devices: ${params.samples} scans (+${WARMUP} warm-up)`);
      const scanMs: number[] = [];
      for (let i = 0; i < params.samples + WARMUP; i++) {
        const before = await page.getByTestId('receipt-total').textContent();
        await arm(page, { selector: '[data-testid="receipt-total"]', attribute: null, value: before ?? '', different: true });
        const t0 = epochMs();
        (i % 2 === 0 ? hand : table).send(barcodes[i]!);
        const shown = await painted(page);
        if (i >= WARMUP) scanMs.push(shown - t0);
      }

      // 3. Idle: every device connected and polled, the page open, nobody at the till.
      progress(`bench devices: idle for ${params.idleSeconds} s`);
      await sleep(2_000);
      const cpu0 = process.cpuUsage();
      const wall0 = performance.now();
      await sleep(params.idleSeconds * 1_000);
      const cpu = process.cpuUsage(cpu0);
      const wallMs = performance.now() - wall0;
      const notUp = app.devices.manager.status().filter((s) => s.state !== 'up').map((s) => s.id);
      if (notUp.length > 0) throw new Error(`devices went down during the bench: ${notUp.join(', ')}`);

      return report('devices', {
        ...params, warmup: WARMUP, scale: 'massak (Протокол 100) on a pty, paced', scanners: 2, printer: 'escpos', display: 'escpos',
        ui: 'Chromium, sale screen; time to the first frame after the DOM change',
      }, {
        scale_to_ui_p50_ms: round(percentile(scaleMs, 50), 1),
        scale_to_ui_p99_ms: round(percentile(scaleMs, 99), 1),
        scanner_to_line_p50_ms: round(percentile(scanMs, 50), 1),
        scanner_to_line_p99_ms: round(percentile(scanMs, 99), 1),
        idle_cpu_pct: round(((cpu.user + cpu.system) / 1_000 / wallMs) * 100, 2),
      });
    } finally {
      await browser.close();
    }
  } finally {
    await host?.close().catch(() => undefined);
    await app?.close().catch(() => undefined);
    for (const e of emulators) await e.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Piece goods of the demo catalog that are not marked (a marking code needs its own check: bench marking). */
function pieceGoods(app: PosAppInternals, count: number): string[] {
  const barcodes: string[] = [];
  for (const p of generatedProducts(DEMO_GENERATED_SKUS, 1)) {
    const product = p.barcodes[0] ? app.catalog.products.byBarcode(p.barcodes[0]) : null;
    if (product && product.marking === null && product.unit === 'piece' && product.priceKopecks > 0) barcodes.push(p.barcodes[0]!);
    if (barcodes.length >= count) return barcodes;
  }
  throw new Error(`the demo catalog has too few piece goods for ${count} scans`);
}

async function waitFor(condition: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
  const until = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > until) throw new Error(what());
    await sleep(50);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
