// Marked goods in the browser against the demo lane's True API, local-module and Shtrih emulators: a
// refused code shows the large message and adds nothing; a good one sells, and the fiscal document the
// register made carries tags 2000 and 1260.
import type { Page } from '@playwright/test';
import { demoMarkingCode } from '../../src-main/marking/demo-codes';
import { expect, test } from './fixtures';
import { wedgeScan } from './wedge-scanner';
import { lastReceipt } from './fiscal-drive';

const wedgeForm = (code: string) => code.replaceAll('\u001d', '');

async function cashierAtSale(page: Page, url: string) {
  await page.goto(url);
  await expect(page.getByTestId('login-pin-input')).toBeFocused();
  await page.keyboard.type('1111');
  await page.keyboard.press('Enter');
  await page.getByTestId('shift-open').click();
  await expect(page.getByTestId('sale-screen')).toBeVisible();
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
}

test('a sold code is refused with the plain message; a good one sells with 2000 and 1260 on the fiscal document', async ({ page, app }) => {
  await cashierAtSale(page, app.url);

  await wedgeScan(page, wedgeForm(demoMarkingCode('milk', 1, 'SD')));
  await expect(page.getByTestId('marking-refused')).toBeVisible();
  await expect(page.getByTestId('marking-refused')).toContainText('Продажа запрещена');
  await expect(page.getByTestId('marking-refused')).toContainText('Заберите товар у покупателя');
  await page.screenshot({ path: 'test-results/marking-refused.png' });
  await expect(page.getByTestId('receipt-line')).toHaveCount(0);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('marking-refused')).toBeHidden();

  const good = demoMarkingCode('milk', 2);
  await wedgeScan(page, wedgeForm(good));
  await expect(page.getByTestId('receipt-line')).toHaveCount(1);
  await expect(page.getByTestId('receipt-line').first()).toContainText('Молоко');
  // The same code again: one code, one item.
  await wedgeScan(page, wedgeForm(good));
  await expect(page.getByTestId('marking-refused')).toContainText('уже в чеке');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('receipt-line')).toHaveCount(1);

  await page.keyboard.press('F6');
  await page.getByTestId('payment-exact').click();
  await expect(page.getByTestId('receipt-preview')).toBeVisible();

  // The demo register keeps its fiscal drive in the data directory: read the document it wrote.
  await expect.poll(() => lastReceipt(app.dataDir), { timeout: 20_000 }).not.toBeNull();
  const fields = lastReceipt(app.dataDir)!;
  const item = (fields['1059'] as Array<Record<string, unknown>>)[0]!;
  expect(item['2000']).toBe(good);
  expect(item['1260']).toMatchObject({ 1262: '030', 1263: '21.11.2023', 1264: '1944', 1265: expect.stringMatching(/^UUID=[0-9a-f-]+&Time=\d+$/) });
});

test('a supervisor finds the refusal in the marking journal', async ({ page, app }) => {
  await cashierAtSale(page, app.url);
  await wedgeScan(page, wedgeForm(demoMarkingCode('milk', 3, 'BL')));
  await expect(page.getByTestId('marking-refused')).toContainText('заблокирован');
  await page.keyboard.press('Enter');
  await page.keyboard.press('F12'); // lock
  await expect(page.getByTestId('logout')).toBeVisible();
  await page.getByTestId('logout').click();
  await expect(page.getByTestId('login-pin-input')).toBeFocused();
  await page.keyboard.type('9999');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('status-cashier')).toContainText('Петров');
  await page.getByTestId('action-shift').click();
  await page.getByTestId('shift-marking-journal').click();
  await expect(page.getByTestId('marking-journal-rows')).toContainText('blocked');
});
