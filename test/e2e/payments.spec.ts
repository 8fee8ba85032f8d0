// Mixed payment in the browser: terminal A is unplugged (the demo's PRILAVOK_DEMO_UNPLUGGED), half the
// receipt goes on a card through terminal B (INPAS emulator), the rest in cash with change.
import { DEMO_BARCODES } from '../../src-main/store/catalog-generator';
import { expect, test } from './fixtures';
import { lastReceipt } from './fiscal-drive';

test.use({ appEnv: { PRILAVOK_DEMO_UNPLUGGED: 'terminal-a' } });

const money = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

test('half by cash and half by card on terminal B while terminal A is unplugged', async ({ page, app }) => {
  await page.goto(app.url);
  await expect(page.getByTestId('login-pin-input')).toBeFocused();
  await page.keyboard.type('1111');
  await page.keyboard.press('Enter');
  await page.getByTestId('shift-open').click();
  const entry = page.getByTestId('barcode-input');
  for (const code of [DEMO_BARCODES.water, DEMO_BARCODES.bread]) {
    await entry.fill(code);
    await entry.press('Enter');
  }
  await expect(page.getByTestId('receipt-line')).toHaveCount(2);
  await page.keyboard.press('F6');
  await expect(page.getByTestId('payment-dialog')).toBeVisible();
  expect(money(await page.getByTestId('payment-total').innerText())).toBe('103,00 ₽');

  // Terminal A first: it is unplugged, so the cashier sees it refuse and nothing is charged.
  await page.getByTestId('payment-tendered').fill('51,50');
  await page.getByTestId('pay-card-terminal-a').click();
  await expect(page.getByTestId('payment-problem').or(page.getByTestId('toast-error'))).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId('tender-list').locator('li')).toHaveCount(0);

  await page.getByTestId('payment-tendered').fill('51,50');
  await page.getByTestId('pay-card-terminal-b').click();
  await expect(page.getByTestId('tender-list').locator('li')).toHaveCount(1, { timeout: 15_000 });
  expect(money(await page.getByTestId('tender-list').innerText())).toContain('51,50 ₽');
  expect(money(await page.getByTestId('payment-remainder').innerText())).toBe('51,50 ₽');
  await page.screenshot({ path: 'test-results/mixed-payment.png' });

  await page.getByTestId('payment-tendered').fill('100');
  expect(money(await page.getByTestId('payment-change').innerText())).toBe('48,50 ₽');
  await page.getByTestId('payment-confirm').click();
  await expect(page.getByTestId('receipt-preview')).toBeVisible();
  expect(money(await page.getByTestId('preview-change').innerText())).toBe('48,50 ₽');
  expect(money(await page.getByTestId('preview-other-payment').innerText())).toContain('51,50 ₽');
  expect(money(await page.getByTestId('preview-cash').innerText())).toBe('51,50 ₽');
  // The fiscal document has the split: 1031 cash (net of change) and 1081 electronic.
  await expect.poll(() => lastReceipt(app.dataDir), { timeout: 20_000 }).toMatchObject({ 1020: 10_300, 1031: 5_150, 1081: 5_150 });
});
