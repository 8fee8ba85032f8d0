import type { Locator, Page } from '@playwright/test';
import { DEMO_BARCODES } from '../../src-main/store/catalog-generator';
import { demoMarkingCode } from '../../src-main/marking/demo-codes';

/** A demo marked item's DataMatrix as a keyboard-wedge scanner types it: GS dropped (the lane restores it). */
const wedgeForm = (code: string) => code.replaceAll('\u001d', '');
import { expect, test, textOf, loginWithPad } from './fixtures';
import { wedgeScan } from './wedge-scanner';

const CASHIER_PIN = '1111';
const SUPERVISOR_PIN = '9999';

/** Normalises no-break spaces so that expectations read like the screen: "1 234,50 ₽". */
function money(locator: Locator) {
  return expect.poll(async () => (await locator.first().innerText()).replace(/[\u00a0\u202f]/g, ' '));
}


async function loginWithKeyboard(page: Page, pin: string) {
  await expect(page.getByTestId('login-pin-input')).toBeFocused();
  await page.keyboard.type(pin);
  await page.keyboard.press('Enter');
}

async function openShift(page: Page) {
  await expect(page.getByTestId('shift-screen')).toBeVisible();
  await page.getByTestId('shift-open').click();
  await expect(page.getByTestId('sale-screen')).toBeVisible();
}

/** Takes focus out of every field (as when the cashier just clicked the receipt). */
async function focusNowhere(page: Page) {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await expect.poll(() => page.evaluate(() => document.activeElement === document.body)).toBe(true);
}

const lines = (page: Page) => page.getByTestId('receipt-line');

test('a cashier sells, parks, resumes, pays with change and finds both sales in the journal', async ({ page, app }) => {
  await page.goto(app.url);
  await expect(page.getByTestId('login-screen')).toBeVisible();
  await page.screenshot({ path: 'test-results/login.png' });
  await loginWithPad(page, CASHIER_PIN);
  await openShift(page);
  await expect(page.getByTestId('status-cashier')).toContainText('Кассир');
  await expect(page.getByTestId('status-shift')).toContainText('Смена №');

  // 1. A wedge scan with no field focused.
  await focusNowhere(page);
  await wedgeScan(page, wedgeForm(demoMarkingCode('milk', 1)));
  await expect(lines(page)).toHaveCount(1);
  await expect(lines(page).first()).toContainText('Молоко');
  await expect(page.getByTestId('barcode-input')).toHaveValue('');

  // 2. A wedge scan while the cashier is in the search field: added, and nothing leaks into the field.
  const search = page.getByTestId('search-input');
  await search.click();
  await expect(search).toBeFocused();
  await wedgeScan(page, DEMO_BARCODES.bread);
  await expect(lines(page)).toHaveCount(2);
  await expect(lines(page).nth(1)).toContainText('Хлеб');
  await expect(search).toHaveValue('');
  await expect(search).toBeFocused();

  // Human typing in the same field still works (held keys are replayed, in order).
  await page.keyboard.type('вода', { delay: 80 });
  await expect(search).toHaveValue('вода');
  await expect(page.getByTestId('search-result').first()).toContainText('Вода');
  await page.keyboard.press('Enter');
  await expect(lines(page)).toHaveCount(3);
  await expect(search).toHaveValue('');
  await money(page.getByTestId('receipt-total')).toBe('192,90 ₽');
  await expect(page.getByTestId('receipt-line-count')).toHaveText('3');

  await page.screenshot({ path: test.info().outputPath('sale-screen.png') });
  await page.screenshot({ path: 'test-results/sale-screen.png' });

  // 3. Park it (F4): the receipt area is empty, the parked list has it.
  await search.blur();
  await page.keyboard.press('F4');
  await expect(lines(page)).toHaveCount(0);
  await expect(page.getByTestId('parked-item')).toHaveCount(1);

  // 4. Another customer: kefir keyed in by hand in the barcode field, paid exactly.
  await page.getByTestId('barcode-input').click();
  await page.keyboard.type(wedgeForm(demoMarkingCode('kefir', 1)), { delay: 60 });
  await expect(page.getByTestId('barcode-input')).toHaveValue(wedgeForm(demoMarkingCode('kefir', 1)));
  await page.keyboard.press('Enter');
  await expect(lines(page)).toHaveCount(1);
  await money(page.getByTestId('receipt-total')).toBe('79,90 ₽');
  await page.keyboard.press('F6');
  await expect(page.getByTestId('payment-dialog')).toBeVisible();
  await page.getByTestId('payment-exact').click();
  await expect(page.getByTestId('receipt-preview')).toBeVisible();
  await money(page.getByTestId('preview-change')).toBe('0,00 ₽');
  await expect(page.getByTestId('preview-fiscal')).toContainText('ожидает');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('receipt-preview')).toBeHidden();
  await expect(lines(page)).toHaveCount(0);

  // 5. Resume the parked receipt (F5) and pay 500 ₽ cash: change 307,10 ₽.
  await page.keyboard.press('F5');
  await expect(page.getByTestId('parked-dialog')).toBeVisible();
  await page.getByTestId('parked-dialog').getByTestId('parked-item').first().click();
  await expect(lines(page)).toHaveCount(3);
  await money(page.getByTestId('receipt-total')).toBe('192,90 ₽');
  await page.keyboard.press('F6');
  const tendered = page.getByTestId('payment-tendered');
  await expect(tendered).toBeFocused();
  await page.keyboard.type('500');
  await money(page.getByTestId('payment-change')).toBe('307,10 ₽');
  await page.screenshot({ path: 'test-results/payment.png' });
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('receipt-preview')).toBeVisible();
  await money(page.getByTestId('preview-change')).toBe('307,10 ₽');
  await money(page.getByTestId('preview-total')).toBe('192,90 ₽');
  await money(page.getByTestId('preview-tendered')).toBe('500,00 ₽');
  await expect(page.getByTestId('preview-line')).toHaveCount(3);
  await expect(page.getByTestId('preview-vat').first()).toBeVisible();
  await page.getByTestId('preview-done').click();

  // 6. The journal (F9) lists both sales; one opens as a receipt.
  await page.keyboard.press('F9');
  await expect(page.getByTestId('journal-screen')).toBeVisible();
  await expect(page.getByTestId('journal-row')).toHaveCount(2);
  await page.screenshot({ path: 'test-results/journal.png' });
  const totals = (await page.getByTestId('journal-total').allInnerTexts()).map((t) => t.replace(/\u00a0/g, ' '));
  expect(totals.sort()).toEqual(['192,90 ₽', '79,90 ₽']);
  await page.getByTestId('journal-row').filter({ hasText: '192,90' }).click();
  await expect(page.getByTestId('receipt-preview')).toBeVisible();
  await money(page.getByTestId('preview-change-line')).toBe('307,10 ₽');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('receipt-preview')).toBeHidden();

  // The shift screen (F10) counts the two sales; cash in goes into the drawer; then the shift closes.
  await page.keyboard.press('F10');
  await expect(page.getByTestId('shift-sales-count')).toHaveText('2');
  expect(await textOf(page, 'shift-sales-total')).toBe('272,80 ₽');
  expect(await textOf(page, 'shift-in-drawer')).toBe('272,80 ₽');
  await page.getByTestId('cash-in').click();
  await expect(page.getByTestId('cash-amount')).toBeFocused();
  await page.keyboard.type('1000');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('cash-dialog')).toBeHidden();
  await money(page.getByTestId('shift-in-drawer')).toBe('1 272,80 ₽');
  await page.screenshot({ path: 'test-results/shift.png' });
  await page.getByTestId('shift-close').click();
  await page.getByTestId('close-shift-confirm').click();
  await expect(page.getByTestId('shift-open')).toBeVisible();
  await expect(page.getByTestId('shift-sales-count')).toHaveText('2');
  await expect(page.getByTestId('status-shift')).toHaveText('Смена закрыта');
});

test('voiding a line needs a supervisor: a wrong PIN changes nothing, the right one voids it', async ({ page, app }) => {
  await page.goto(app.url);
  await loginWithKeyboard(page, CASHIER_PIN);
  await openShift(page);
  await focusNowhere(page);
  await wedgeScan(page, DEMO_BARCODES.water);
  await expect(lines(page)).toHaveCount(1);
  await focusNowhere(page);
  await wedgeScan(page, DEMO_BARCODES.bread);
  await expect(lines(page)).toHaveCount(2);
  await money(page.getByTestId('receipt-total')).toBe('103,00 ₽');

  // Select the water line (arrow up from the last one) and press Delete.
  await page.keyboard.press('ArrowUp');
  await expect(lines(page).first()).toHaveAttribute('data-selected', 'true');
  await page.keyboard.press('Delete');
  const dialog = page.getByTestId('override-dialog');
  await expect(dialog).toBeVisible();

  // A wrong PIN: an error in the dialog, the line untouched.
  await page.keyboard.type('1234');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('override-pin-error')).toHaveText(/неверный pin/i);
  await page.screenshot({ path: 'test-results/override.png' });
  await expect(dialog).toBeVisible();
  await expect(lines(page).first()).toHaveAttribute('data-voided', 'false');
  await money(page.getByTestId('receipt-total')).toBe('103,00 ₽');

  // Cancelling leaves everything as it was.
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(lines(page).first()).toHaveAttribute('data-voided', 'false');
  await money(page.getByTestId('receipt-total')).toBe('103,00 ₽');

  // Again, with the supervisor's PIN on the touch pad.
  await page.getByTestId('action-voidLine').click();
  await expect(dialog).toBeVisible();
  for (const digit of SUPERVISOR_PIN) await page.getByTestId(`override-pin-pad-${digit}`).click();
  await page.getByTestId('override-pin-submit').click();
  await expect(dialog).toBeHidden();
  const voided = lines(page).first();
  await expect(voided).toHaveAttribute('data-voided', 'true');
  await expect(voided.getByTestId('line-name')).toHaveCSS('text-decoration-line', 'line-through');
  await money(page.getByTestId('receipt-total')).toBe('54,00 ₽');
  await expect(page.getByTestId('receipt-line-count')).toHaveText('1');
  await page.screenshot({ path: 'test-results/sale-screen-voided.png' });

  // Lock (F12) and unlock with the cashier's PIN: the receipt is still there.
  await page.keyboard.press('F12');
  await expect(page.getByTestId('lock-screen')).toBeVisible();
  await expect(page.getByTestId('unlock-pin-input')).toBeFocused();
  await page.keyboard.type(CASHIER_PIN);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('sale-screen')).toBeVisible();
  await expect(lines(page)).toHaveCount(2);
  await money(page.getByTestId('receipt-total')).toBe('54,00 ₽');
});

test('when the lane goes away the cashier sees it and nothing pretends to work', async ({ page, app }) => {
  await page.goto(app.url);
  await loginWithKeyboard(page, CASHIER_PIN);
  await openShift(page);
  await expect(page.getByTestId('status-connection')).toHaveAttribute('data-state', 'open');
  await expect(page.getByTestId('connection-banner')).toBeHidden();
  await app.stop();
  await expect(page.getByTestId('connection-banner')).toBeVisible();
  await expect(page.getByTestId('connection-banner')).toContainText('Нет связи с кассой');
  await page.getByTestId('barcode-input').fill(DEMO_BARCODES.bread);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('toast-error')).toContainText('Нет связи с кассой');
  await expect(lines(page)).toHaveCount(0);
});

test('quantity: plus adds a piece, minus needs a supervisor, F3 sets it', async ({ page, app }) => {
  await page.goto(app.url);
  await loginWithKeyboard(page, CASHIER_PIN);
  await openShift(page);
  await focusNowhere(page);
  await wedgeScan(page, DEMO_BARCODES.bread);
  await expect(lines(page)).toHaveCount(1);
  const qty = lines(page).first().getByTestId('line-qty');
  // '+' acts on the selected line: the new line is selected once the receipt has been redrawn.
  await expect(lines(page).first()).toHaveAttribute('data-selected', 'true');

  await page.keyboard.press('+');
  await expect(qty).toHaveText('2 шт');
  await money(page.getByTestId('receipt-total')).toBe('108,00 ₽');

  await page.keyboard.press('F3');
  await expect(page.getByTestId('quantity-input')).toBeFocused();
  await page.keyboard.type('5');
  await page.keyboard.press('Enter');
  await expect(qty).toHaveText('5 шт');

  // Lowering a quantity takes goods off the receipt: a supervisor approves it.
  await page.keyboard.press('-');
  await expect(page.getByTestId('override-dialog')).toBeVisible();
  await page.keyboard.type(SUPERVISOR_PIN);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('override-dialog')).toBeHidden();
  await expect(qty).toHaveText('4 шт');
  await money(page.getByTestId('receipt-total')).toBe('216,00 ₽');

  // A quick key adds its item.
  await page.getByTestId('quick-key').first().click();
  await expect(lines(page)).toHaveCount(2);
});

test('a long receipt is virtualised: only the visible lines are in the page', async ({ page, app }) => {
  await page.goto(app.url);
  await loginWithKeyboard(page, CASHIER_PIN);
  await openShift(page);
  const entry = page.getByTestId('barcode-input');
  // Marked goods are one item per line, so every milk scan is a new line.
  for (let i = 0; i < 60; i++) {
    await entry.fill(wedgeForm(demoMarkingCode('milk', i + 1)));
    await entry.press('Enter');
  }
  await expect(page.getByTestId('receipt-line-count')).toHaveText('60');
  await money(page.getByTestId('receipt-total')).toBe('5 394,00 ₽');
  const rendered = await lines(page).count();
  expect(rendered).toBeGreaterThan(3);
  expect(rendered).toBeLessThan(40);
  // The newest line is selected and scrolled into view.
  await expect(page.locator('[data-testid="receipt-line"][data-index="59"]')).toBeInViewport();
  await expect(page.locator('[data-testid="receipt-line"][data-index="59"]')).toHaveAttribute('data-selected', 'true');
});

test('the cashier can work in English', async ({ page, app }) => {
  await page.goto(app.url);
  await expect(page.getByTestId('login-screen')).toBeVisible();
  await page.getByTestId('lang-toggle').click();
  await expect(page.getByTestId('login-screen')).toContainText('Sign in to the lane');
  await page.getByTestId('login-pin-input').focus();
  await loginWithKeyboard(page, CASHIER_PIN);
  await expect(page.getByTestId('shift-open')).toHaveText('Open shift');
  await openShift(page);
  await expect(page.getByTestId('status-cashier')).toContainText('Cashier');
  await expect(page.getByTestId('action-pay')).toContainText('Payment');

  await focusNowhere(page);
  await wedgeScan(page, wedgeForm(demoMarkingCode('milk', 1)));
  await expect(lines(page)).toHaveCount(1);
  await money(page.getByTestId('receipt-total')).toBe('89.90 ₽');
  await page.keyboard.press('F6');
  await expect(page.getByTestId('payment-dialog')).toContainText('Payment');
  // Typed fast and confirmed at once: the amount typed counts, not an "exact" payment.
  await page.keyboard.type('100');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('receipt-preview')).toContainText('Fiscalisation: pending');
  await money(page.getByTestId('preview-change')).toBe('10.10 ₽');
  await page.screenshot({ path: 'test-results/receipt-preview-en.png' });
});
