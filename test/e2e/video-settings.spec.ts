// An administrator adds a text-feed video sink pointing at a receiver emulator started here, sends
// the test receipt, and the receiver gets it, valid, with the lane's mapping.
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, loginWithPad } from './fixtures';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

interface Receiver {
  port: number;
  lines(): string[];
  stop(): Promise<void>;
}

function startReceiver(): Promise<Receiver> {
  const child: ChildProcess = spawn(process.execPath, ['bin/prilavok.mjs', 'emulate', 'textfeed', '--port', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (c: string) => { err += c; });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`receiver not ready: ${out} ${err}`)), 20_000);
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (c: string) => {
      out += c;
      const ready = /^VIDEO_RECEIVER_READY (\d+)$/m.exec(out);
      if (ready) {
        clearTimeout(timer);
        resolve({
          port: Number(ready[1]),
          lines: () => out.split('\n').filter((l) => l.startsWith('EVENT ') || l.startsWith('INVALID ')),
          stop: () => new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`receiver exited (${code}): ${err}`)));
  });
}


test('an administrator adds a text-feed video sink and its test receipt reaches the receiver', async ({ page, app }) => {
  const receiver = await startReceiver();
  try {
    await page.goto(app.url);
    await loginWithPad(page, '0000');
    await expect(page.getByTestId('shift-screen')).toBeVisible();
    await page.getByTestId('shift-video-settings').click();
    await expect(page.getByTestId('video-settings-screen')).toBeVisible();
    await expect(page.getByTestId('video-empty')).toBeVisible();

    await page.getByTestId('video-add').click();
    await page.getByTestId('video-name').fill('Milestone, зал 1');
    await page.getByTestId('video-protocol').selectOption('textfeed');
    await page.getByTestId('video-host').fill('127.0.0.1');
    await page.getByTestId('video-port').fill(String(receiver.port));
    await page.getByTestId('video-terminal').fill('K-05');
    await page.getByTestId('video-camera').fill('7');
    await page.getByTestId('video-save').click();

    await expect(page.getByTestId('video-sink')).toHaveCount(1);
    await expect(page.getByTestId('video-sink-name')).toHaveText('Milestone, зал 1');
    await expect(page.getByTestId('video-sink-state')).toContainText('На связи', { timeout: 10_000 });
    await page.screenshot({ path: test.info().outputPath('video-settings.png') });

    await page.getByTestId('video-sink-test').click();
    await expect(page.getByTestId('toast-info')).toContainText('Тестовый чек отправлен');
    await expect.poll(() => receiver.lines().length, { timeout: 10_000 }).toBeGreaterThanOrEqual(6);
    const lines = receiver.lines();
    expect(lines.filter((l) => l.startsWith('INVALID'))).toEqual([]);
    const events = lines.map((l) => JSON.parse(l.slice('EVENT textfeed '.length)) as Record<string, string>);
    expect(events.map((e) => e['type'])).toEqual(['*** ЧЕК', 'ТОВАР', 'ТОВАР', 'ОПЛАТА', 'ДЕНЕЖНЫЙ ЯЩИК ОТКРЫТ', '*** ЧЕК']);
    expect(events[0]).toMatchObject({ terminal: 'K-05', camera: '7', cashier: 'ТЕСТ' });
    expect(events[5]!['text']).toContain('*** ЧЕК 00007E57 ЗАКРЫТ ***');
  } finally {
    await receiver.stop();
  }
});
