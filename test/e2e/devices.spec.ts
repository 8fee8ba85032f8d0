// An administrator removes the demo scale, adds a Massa-K scale (an emulator started here, on TCP) in
// the devices screen, and the sale screen shows its live weight; picking loose apples from search
// sells exactly what the scale reads.
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, loginWithPad } from './fixtures';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function startScale(grams: number): Promise<{ address: string; stop(): Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, ['bin/prilavok.mjs', 'emulate', 'scale-massak', '--tcp', '127.0.0.1:0', '--weight', String(grams)],
    { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (c: string) => { err += c; });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`scale not ready: ${out} ${err}`)), 20_000);
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (c: string) => {
      out += c;
      const ready = /^SCALE_READY massak (\S+)$/m.exec(out);
      if (ready) {
        clearTimeout(timer);
        resolve({
          address: ready[1]!,
          stop: () => new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`scale emulator exited (${code}): ${err}`)));
  });
}


test('an administrator adds a scale in the settings and the sale screen shows its live weight', async ({ page, app }) => {
  const scale = await startScale(742);
  try {
    await page.goto(app.url);
    await loginWithPad(page, '0000');
    await expect(page.getByTestId('shift-screen')).toBeVisible();
    await page.getByTestId('shift-device-settings').click();
    await expect(page.getByTestId('devices-screen')).toBeVisible();

    // The demo lane comes with an emulated scale and printer; the demo scale makes way for ours.
    const demoScale = page.locator('[data-testid="device-row"][data-device-id="demo-scale"]');
    await expect(demoScale.getByTestId('device-row-state')).toHaveAttribute('data-state', 'up', { timeout: 10_000 });
    page.once('dialog', (d) => void d.accept());
    await demoScale.getByTestId('device-remove').click();
    await expect(demoScale).toHaveCount(0);

    await page.getByTestId('device-add').click();
    await page.getByTestId('device-name').fill('Весы на кассе');
    await page.getByTestId('device-kind').selectOption('scale');
    await page.getByTestId('device-protocol').selectOption('massak');
    await page.getByTestId('device-port').fill(`tcp://${scale.address}`);
    await page.getByTestId('device-save').click();
    const row = page.getByTestId('device-row').filter({ hasText: 'Весы на кассе' });
    await expect(row.getByTestId('device-row-state')).toHaveAttribute('data-state', 'up', { timeout: 10_000 });
    await row.getByTestId('device-test').click();
    await expect(page.getByText(/Вес: 0,742 кг/)).toBeVisible();
    await expect(page.locator('[data-testid="status-device"][data-kind="scale"]')).toHaveAttribute('data-state', 'up');

    await page.getByTestId('action-shift').click();
    await page.getByTestId('shift-open').click();
    await expect(page.getByTestId('sale-screen')).toBeVisible();
    await expect(page.getByTestId('scale-weight')).toHaveAttribute('data-grams', '742', { timeout: 10_000 });

    await page.getByTestId('search-input').fill('Яблоки Голден');
    await page.getByTestId('search-result').first().click();
    await expect(page.getByTestId('panel-lines')).toContainText('Яблоки Голден');
    await expect(page.getByTestId('panel-lines')).toContainText('0,742');
  } finally {
    await scale.stop();
  }
});
