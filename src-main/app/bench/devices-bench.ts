// `prilavok bench devices`: the lane's peripherals end to end, measured in the real UI (Chromium).
// The devices are the project's emulators in processes of their own, on ptys, as a till's USB-serial
// adapters are: a Massa-K scale at 9600 baud with every byte paced at the line's speed (`--pace`), a hand
// and a table scanner, an ESC/POS printer and a customer display. The lane runs in a process of its own
// with its configured devices (the device manager opens them) and the browser host (devices-lane.ts), as
// Electron's main process would; this process only drives the cashier's page in Chromium (Playwright),
// logged in, on the sale screen.
// - scale_to_ui: the load on the emulated scale changes (a `put` line on its stdin) → the new weight is
//   on the sale screen's scale panel: the DOM shows it and the frame that paints it has begun (the page
//   records requestAnimationFrame after the mutation). Both clocks are the system clock
//   (performance.timeOrigin + performance.now() in Node and in Chromium).
// - scanner_to_line: a code written by the emulated scanner → the receipt's total on screen includes the
//   new line (serial port → scanner hub → event to the page → receipt.scan → line committed → the page
//   redraws), same clocks. Scanners alternate, as a hand and a table scanner do.
// - idle_cpu_pct: CPU time of the lane's process (device manager, health checks, the scale's polling,
//   the browser host) over a quiet window with every device connected, as % of one core. Chromium's,
//   the emulators' and this driver's processes are not counted: they are the page, the hardware and us.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { DEMO_USERS } from '../demo-seed';
import { findChromium, CHROMIUM_APP_FLAGS } from '../../host/find-chromium';
import { percentile, progress, report, round, type BenchReport } from './report';
import { BenchProcess, EmulatorProcess } from './bench-process';
import { BENCH_PTYS } from './devices-lane';

export interface DevicesBenchParams {
  samples: number;
  baud: number;
  idleSeconds: number;
}

const WARMUP = 10;
/** The receipt holds at most 500 lines; the scanner samples stay below that in one receipt. */
const MAX_SCANS = 450;

const epochMs = (): number => performance.timeOrigin + performance.now();

/**
 * In the page: when does `selector`'s text or attribute first match, and when does the next frame begin.
 * `done` resolves with the frame's time; the driver awaits it in one evaluate call instead of polling,
 * so measuring adds no work to the page while it renders.
 */
const PAGE_PROBE = `(() => {
  window.__probe = { armed: null, seenAt: null, done: null, resolve: null };
  const check = () => {
    const p = window.__probe;
    if (!p.armed || p.seenAt !== null) return;
    const el = document.querySelector(p.armed.selector);
    if (!el) return;
    const value = p.armed.attribute ? el.getAttribute(p.armed.attribute) : el.textContent;
    if (p.armed.different ? value !== p.armed.value : value === p.armed.value) {
      p.seenAt = performance.timeOrigin + performance.now();
      const resolve = p.resolve;
      requestAnimationFrame(() => resolve(performance.timeOrigin + performance.now()));
    }
  };
  new MutationObserver(check).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
})()`;

interface Arm { selector: string; attribute: string | null; value: string; different: boolean }

interface PageProbe { armed: Arm | null; seenAt: number | null; done: Promise<number> | null; resolve: ((at: number) => void) | null }

async function arm(page: Page, a: Arm): Promise<void> {
  await page.evaluate((armed) => {
    const probe = (window as unknown as { __probe: PageProbe }).__probe;
    probe.armed = armed;
    probe.seenAt = null;
    probe.done = new Promise((resolve) => { probe.resolve = resolve; });
  }, a);
}

/** Waits for the armed change to be painted; returns the epoch time the frame began. */
async function painted(page: Page, timeoutMs = 10_000): Promise<number> {
  return await page.evaluate((ms) => {
    const probe = (window as unknown as { __probe: PageProbe }).__probe;
    return Promise.race([
      probe.done!,
      new Promise<number>((_, reject) => setTimeout(() => reject(new Error(`the change was not shown within ${ms} ms`)), ms)),
    ]);
  }, timeoutMs);
}

export async function benchDevices(params: DevicesBenchParams): Promise<BenchReport> {
  const chromiumPath = findChromium();
  if (!chromiumPath) throw new Error('no Chromium found (set CHROMIUM_PATH)');
  if (params.samples + WARMUP > MAX_SCANS) throw new Error(`--samples must be at most ${MAX_SCANS - WARMUP}`);
  const dir = mkdtempSync(join(tmpdir(), 'prilavok-bench-devices-'));
  const emulators: BenchProcess[] = [];
  let lane: BenchProcess | null = null;
  try {
    progress(`bench devices: emulators on ptys (scale at ${params.baud} baud, paced), the lane in its own process, Chromium`);
    const pty = (name: string) => join(dir, name);
    const scale = await EmulatorProcess.start(['scale-massak', '--pty', pty(BENCH_PTYS.scale), '--baud', String(params.baud), '--pace', 'on', '--weight', '0'], 'SCALE_READY');
    emulators.push(scale);
    const hand = await EmulatorProcess.start(['scanner', '--pty', pty(BENCH_PTYS.hand)], 'SCANNER_READY');
    emulators.push(hand);
    const table = await EmulatorProcess.start(['scanner', '--pty', pty(BENCH_PTYS.table)], 'SCANNER_READY');
    emulators.push(table);
    emulators.push(await EmulatorProcess.start(['escpos', '--pty', pty(BENCH_PTYS.printer)], 'ESCPOS_READY'));
    emulators.push(await EmulatorProcess.start(['escpos', '--pty', pty(BENCH_PTYS.display)], 'ESCPOS_READY'));

    lane = await BenchProcess.start(['bench', 'devices-lane', '--dir', dir, '--baud', String(params.baud), '--scans', String(params.samples + WARMUP)],
      'LANE_READY ', 60_000);
    const { url, barcodes } = JSON.parse(lane.readyLine.slice('LANE_READY '.length)) as { url: string; barcodes: string[] };
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox', ...CHROMIUM_APP_FLAGS] });
    try {
      const page = await browser.newPage();
      await page.goto(url);
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
      await lane.ask('idle-start', 'IDLE_STARTED');
      await sleep(params.idleSeconds * 1_000);
      const idle = JSON.parse((await lane.ask('idle-end', 'IDLE ')).slice('IDLE '.length)) as { userUs: number; systemUs: number; wallMs: number; wakeups: number | null; notUp: string[] };
      if (idle.notUp.length > 0) throw new Error(`devices went down during the bench: ${idle.notUp.join(', ')}`);

      return report('devices', {
        ...params, warmup: WARMUP, scale: 'massak (Протокол 100) on a pty, paced', scanners: 2, printer: 'escpos', display: 'escpos',
        ui: 'Chromium, sale screen; time to the first frame after the DOM change',
      }, {
        scale_to_ui_p50_ms: round(percentile(scaleMs, 50), 1),
        scale_to_ui_p99_ms: round(percentile(scaleMs, 99), 1),
        scanner_to_line_p50_ms: round(percentile(scanMs, 50), 1),
        scanner_to_line_p99_ms: round(percentile(scanMs, 99), 1),
        idle_cpu_pct: round(((idle.userUs + idle.systemUs) / 1_000 / idle.wallMs) * 100, 2),
        ...(idle.wakeups === null ? {} : { idle_wakeups_per_s: round(idle.wakeups / (idle.wallMs / 1_000), 1) }),
      });
    } finally {
      await browser.close();
    }
  } finally {
    await lane?.stop().catch(() => undefined);
    for (const e of emulators) await e.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
