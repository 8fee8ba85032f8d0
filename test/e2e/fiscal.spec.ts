// A cash sale in the UI becomes a fiscal document on the demo register (the Shtrih-M emulator the
// demo lane starts), the supervisor's X report goes through the same register, and so does a correction
// receipt made from the register panel.
import { DEMO_BARCODES } from '../../src-main/store/catalog-generator';
import { cashierOnSaleScreen, expect, test, typeIntoBarcodeField } from './fixtures';
import { registerTape } from './fiscal-drive';


test('a cash sale is fiscalised on the register and the X report needs a supervisor', async ({ page, app }) => {
  await cashierOnSaleScreen(page, app.url);

  await typeIntoBarcodeField(page, DEMO_BARCODES.bread);
  await expect(page.getByTestId('receipt-line')).toHaveCount(1);
  await page.keyboard.press('F6');
  // An electronic receipt: the buyer's phone (1008), checked in the dialog before the lane checks it again.
  await page.getByTestId('payment-buyer-contact').fill('12345');
  await expect(page.getByTestId('payment-buyer-contact-error')).toBeVisible();
  await page.getByTestId('payment-buyer-contact').fill('+7 912 345-67-89');
  await expect(page.getByTestId('payment-buyer-contact-error')).toBeHidden();
  await page.getByTestId('payment-exact').click();
  await expect(page.getByTestId('receipt-preview')).toBeVisible();
  await page.getByTestId('preview-done').click();

  // The journal shows the sale fiscalised, and its receipt carries FN, FD and fiscal sign.
  await page.keyboard.press('F9');
  await expect(page.getByTestId('journal-row')).toHaveCount(1);
  await expect(page.getByTestId('journal-row').first()).toContainText('выполнена', { timeout: 20_000 });
  await page.getByTestId('journal-row').first().click();
  await expect(page.getByTestId('preview-fiscal-document')).toContainText(/ФН \d+ · ФД № \d+ · ФП \d+/);
  await page.keyboard.press('Escape');

  // The shift screen shows the register; the cashier's X report asks for a supervisor's PIN.
  await page.keyboard.press('F10');
  await expect(page.getByTestId('fiscal-register')).toBeVisible();
  await expect(page.getByTestId('fiscal-link')).toHaveText('На связи', { timeout: 15_000 });
  await expect(page.getByTestId('fiscal-fn')).toContainText('последний ФД №');
  await page.getByTestId('fiscal-x-report').click();
  await expect(page.getByTestId('override-dialog')).toBeVisible();
  for (const digit of '9999') await page.getByTestId(`override-pin-pad-${digit}`).click();
  await page.getByTestId('override-pin-submit').click();
  await expect(page.getByTestId('override-dialog')).toBeHidden();
  await expect(page.getByText('Отчёт поставлен в очередь регистратора')).toBeVisible();
  // The X report the register printed shows the sale: one sale receipt of 54,00 (bread), cash 54,00.
  await expect.poll(() => registerTape(app.dataDir).join('\n'), { timeout: 20_000 })
    .toMatch(/X-ОТЧЁТ\nСМЕНА № 1\nЧЕКОВ ПРИХОДА: 1\nПРИХОД: 54,00/);
  await page.screenshot({ path: 'test-results/shift-fiscal.png' });

  // A correction receipt (чек коррекции): checked in the dialog, a supervisor's, and it becomes the next FD.
  const fdText = await page.getByTestId('fiscal-fn').textContent();
  const fdBefore = Number(/№\s*(\d+)/.exec(fdText ?? '')?.[1]);
  await page.getByTestId('fiscal-correction').click();
  await expect(page.getByTestId('correction-dialog')).toBeVisible();
  await page.getByTestId('correction-type').selectOption('ordered');
  await page.getByTestId('correction-date').fill('2026-11-20');
  await page.getByTestId('correction-cash').fill('150');
  await expect(page.getByTestId('correction-total')).toContainText('150');
  await page.getByTestId('correction-submit').click();
  await expect(page.getByTestId('correction-error')).toHaveText('Для коррекции по предписанию укажите номер предписания');
  await page.getByTestId('correction-order').fill('12-34/5');
  await page.screenshot({ path: 'test-results/correction-dialog.png' });
  await page.getByTestId('correction-submit').click();
  await expect(page.getByTestId('override-dialog')).toBeVisible();
  for (const digit of '9999') await page.getByTestId(`override-pin-pad-${digit}`).click();
  await page.getByTestId('override-pin-submit').click();
  await expect(page.getByTestId('correction-dialog')).toBeHidden();
  await expect(page.getByText('Чек коррекции поставлен в очередь регистратора')).toBeVisible();
  await expect(page.getByTestId('fiscal-fn')).toContainText(`последний ФД № ${fdBefore + 1}`, { timeout: 15_000 });
});
