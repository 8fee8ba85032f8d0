// A return at the till in the browser: the cashier sells an item for cash, opens «Возврат» (F11), finds
// the receipt by its number, a supervisor's PIN unlocks the return, the cashier takes the item back and
// closes the return; the demo register (Shtrih-M emulator) then holds a return document (1054 = 2).
import { DEMO_BARCODES } from '../../src-main/store/catalog-generator';
import { cashierOnSaleScreen, expect, test, textOf, typeIntoBarcodeField } from './fixtures';
import { lastReceipt } from './fiscal-drive';


test('a cash sale is returned with a supervisor unlocking the return, and the register makes a return document', async ({ page, app }) => {
  await cashierOnSaleScreen(page, app.url);

  // Sell a loaf for cash.
  await typeIntoBarcodeField(page, DEMO_BARCODES.bread);
  await expect(page.getByTestId('receipt-line')).toHaveCount(1);
  await page.keyboard.press('F6');
  await page.getByTestId('payment-exact').click();
  await expect(page.getByTestId('receipt-preview')).toBeVisible();
  const saleNumber = await page.getByTestId('preview-number').innerText();
  await page.getByTestId('preview-done').click();
  await expect.poll(() => lastReceipt(app.dataDir)?.['1054'], { timeout: 20_000 }).toBe(1);

  // «Возврат» from the action bar; the receipt is found by its number.
  await page.getByTestId('action-return').click();
  await expect(page.getByTestId('return-search')).toBeVisible();
  await page.getByTestId('return-search-number').fill(saleNumber);
  await page.getByTestId('return-reason').fill('не подошёл');
  await page.getByTestId('return-search-submit').click();
  await expect(page.getByTestId('return-found-sale')).toHaveCount(1);
  await page.getByTestId('return-start').click();

  // A cashier may not start a return alone: the supervisor's PIN unlocks it.
  await expect(page.getByTestId('override-dialog')).toBeVisible();
  for (const digit of '9999') await page.getByTestId(`override-pin-pad-${digit}`).click();
  await page.getByTestId('override-pin-submit').click();
  await expect(page.getByTestId('override-dialog')).toBeHidden();
  await expect(page.getByTestId('return-screen')).toBeVisible();
  await expect(page.getByTestId('return-title')).toContainText(`№ ${saleNumber}`);
  await expect(page.getByTestId('return-sale-line')).toHaveCount(1);

  // Take the loaf back and close the return: 54,00 in cash to hand over.
  await page.getByTestId('return-all').click();
  await expect(page.getByTestId('return-line')).toHaveCount(1);
  expect(await textOf(page, 'return-total')).toContain('54,00');
  await expect(page.getByTestId('refund-cash')).toContainText('54,00');
  await page.screenshot({ path: 'test-results/return-screen.png' });
  await page.getByTestId('return-close').click();
  await expect(page.getByTestId('return-done')).toBeVisible();
  expect(await textOf(page, 'return-done-cash')).toContain('54,00');
  await page.getByTestId('return-done-ok').click();
  await expect(page.getByTestId('sale-screen')).toBeVisible();

  // The register made the return: the last receipt on its fiscal drive is a возврат прихода of 54,00 in cash.
  await expect.poll(() => lastReceipt(app.dataDir)?.['1054'], { timeout: 20_000 }).toBe(2);
  expect(lastReceipt(app.dataDir)).toMatchObject({ 1020: 5_400, 1031: 5_400 });

  // Nothing more of that receipt can come back.
  await page.keyboard.press('F11');
  await page.getByTestId('return-search-number').fill(saleNumber);
  await page.getByTestId('return-search-submit').click();
  await expect(page.getByTestId('return-refusal')).toContainText('уже возвращено');
});
