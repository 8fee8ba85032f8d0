// Starts the built app in browser mode on a fresh data directory for each test, and stops it after.
// Builds nothing: the test command (`npm run build` first) is responsible for a current build.
import { test as base, expect, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const READY_TIMEOUT_MS = 45_000;

export interface RunningApp {
  url: string;
  dataDir: string;
  /** Everything the app wrote to stderr (attached to a failing test). */
  stderr(): string;
  /** Stops the app (to see how the UI behaves when the lane goes away). */
  stop(): Promise<void>;
}

function waitForReady(child: ChildProcess, stderr: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`no PRILAVOK_READY within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
    const fail = (error: Error) => {
      clearTimeout(timer);
      reject(new Error(`${error.message}\nstdout:\n${out}\nstderr:\n${stderr()}`));
    };
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      out += chunk;
      const match = /^PRILAVOK_READY (\S+)$/m.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code, signal) => fail(new Error(`the app exited before it was ready (code ${code}, signal ${signal})`)));
    child.once('error', (error) => fail(error));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

export const test = base.extend<{ app: RunningApp; page: Page; appEnv: Record<string, string> }>({
  /** Extra environment for the app (test.use({ appEnv: { PRILAVOK_DEMO_UNPLUGGED: 'terminal-a' } })). */
  appEnv: [{}, { option: true }],

  // Every page fails its test on a CSP violation or an uncaught error: the CSP is strict on purpose.
  page: async ({ page }, use) => {
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    await use(page);
    expect(problems, 'CSP violations or uncaught errors in the page').toEqual([]);
  },

  app: async ({ appEnv }, use, testInfo) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'prilavok-e2e-'));
    const child = spawn(process.execPath, ['bin/prilavok.mjs', 'start', '--browser', '--no-open', '--port', '0', '--data-dir', dataDir], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', ...appEnv },
    });
    let err = '';
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => { err += chunk; });
    try {
      const url = await waitForReady(child, () => err);
      await use({ url, dataDir, stderr: () => err, stop: () => stop(child) });
    } finally {
      await stop(child);
      if (testInfo.status !== testInfo.expectedStatus && err) {
        await testInfo.attach('app-stderr', { body: err, contentType: 'text/plain' });
        // CI shows the console, not the report: the lane's own account of the failure goes there too.
        process.stderr.write(`--- app stderr (${testInfo.title}) ---\n${err.slice(-4000)}\n`);
      }
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
});

export { expect };

/** Amounts as the screen shows them, with ordinary spaces (the UI uses no-break spaces). */
export async function textOf(page: Page, testId: string): Promise<string> {
  const text = await page.getByTestId(testId).first().innerText();
  return text.replace(/[\u00a0\u202f]/g, ' ');
}

/** Logs in on the login screen's PIN pad, as a cashier at a touch screen does. */
export async function loginWithPad(page: Page, pin: string): Promise<void> {
  await expect(page.getByTestId('login-screen')).toBeVisible();
  for (const digit of pin) await page.getByTestId(`login-pin-pad-${digit}`).click();
  await page.getByTestId('login-pin-submit').click();
}

/** The cashier (PIN 1111) logged in on the pad, the shift opened, on the sale screen. */
export async function cashierOnSaleScreen(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await loginWithPad(page, '1111');
  await expect(page.getByTestId('shift-screen')).toBeVisible();
  await page.getByTestId('shift-open').click();
  await expect(page.getByTestId('sale-screen')).toBeVisible();
}

/** Types a code into the sale screen's barcode field as a person does (slowly, not a wedge burst), then Enter. */
export async function typeIntoBarcodeField(page: Page, code: string): Promise<void> {
  await page.getByTestId('barcode-input').click();
  await page.keyboard.type(code, { delay: 40 });
  await page.keyboard.press('Enter');
}
