import type { Response } from '@playwright/test';
import { test, expect } from './fixtures';
import { dispatch } from './tour';
import type { LinkRecord } from '../../src/shared/link';
import type { Settings } from '../../src/shared/settings';

/** Quick-pick items at the counter: keys and buttons fill a basket, the link carries it. */

const ITEMS: Settings['quickItems'] = [
  { id: 'coffee', name: 'Kaffee', priceCents: 280, vatRate: 19 },
  { id: 'pretzel', name: 'Brezel', priceCents: 120, vatRate: 7 },
  { id: 'voucher', name: 'Gutschein', priceCents: 2500, vatRate: 0 },
];

async function createdRecord(response: Promise<Response>): Promise<LinkRecord> {
  const body = (await (await response).json()) as { ok: boolean; value: LinkRecord };
  expect(body.ok).toBe(true);
  return body.value;
}

test.beforeEach(async ({ page, bridge }) => {
  const view = await dispatch<{ settings: Settings }>(bridge, 'settings.get', {});
  await dispatch(bridge, 'settings.save', { settings: { ...view.settings, uiLanguage: 'en', quickItems: ITEMS } });
  await page.reload();
  await page.getByTestId('pick-item').first().waitFor();
});

test('keys and buttons fill the basket; a typed amount becomes a free line; the link carries the items', async ({ page }) => {
  const amount = page.getByLabel('Amount', { exact: true });
  // An amount typed first is kept as a free line when the first item goes in.
  await amount.fill('4.50');
  await page.keyboard.press('Alt+1'); // while the cursor is in the amount: Alt+digit
  await page.getByTestId('pick-item').filter({ hasText: 'Brezel' }).click();
  await page.keyboard.press('1'); // focus is on a button now: the plain digit picks
  await page.keyboard.press('2');
  await page.keyboard.press('2');

  const lines = page.getByTestId('basket').locator('li');
  await expect(lines).toHaveCount(3);
  await expect(lines.nth(0)).toContainText('Betrag'); // named for the payer, whose page is German
  await expect(lines.nth(1)).toContainText('Kaffee');
  await expect(lines.nth(1).getByTestId('basket-qty')).toHaveText('2');
  await expect(lines.nth(2).getByTestId('basket-qty')).toHaveText('3');
  // 4.50 + 2 × 2.80 + 3 × 1.20
  await expect(page.getByTestId('basket-total')).toHaveText('€13.70');
  await expect(amount).toHaveValue('13.70');
  await expect(amount).not.toBeEditable();

  // − takes one off; at zero the line goes.
  await page.getByRole('button', { name: 'Kaffee: one less' }).click();
  await expect(lines.nth(1).getByTestId('basket-qty')).toHaveText('1');
  await page.getByRole('button', { name: 'Remove Betrag' }).click();
  await expect(lines).toHaveCount(2);
  await expect(page.getByTestId('basket-total')).toHaveText('€6.40');
  // A free line typed into the basket, with its own VAT rate.
  await page.getByLabel('Free amount').fill('1,0.0');
  await page.getByLabel('Free amount').press('Enter');
  await expect(page.getByRole('alert')).toBeVisible();
  await page.getByLabel('Free amount').fill('10');
  await page.getByLabel('Free amount').press('Enter');
  await lines.nth(2).getByLabel('VAT rate').selectOption('0');
  // 2.80 × 1 at 19 %, 1.20 × 3 at 7 %, 10.00 at 0 %
  await expect(page.locator('.basket-vat-split')).toHaveText('incl. 19% VAT €0.45 · incl. 7% VAT €0.24');

  const response = page.waitForResponse('**/ipc/links.create');
  await page.getByRole('button', { name: /Create link/ }).click();
  const record = await createdRecord(response);
  expect(record.amountCents).toBe(1640);
  expect(record.basket).toEqual([
    { itemId: 'coffee', name: 'Kaffee', quantity: 1, unitPriceCents: 280, vatRate: 19 },
    { itemId: 'pretzel', name: 'Brezel', quantity: 3, unitPriceCents: 120, vatRate: 7 },
    { name: 'Betrag', quantity: 1, unitPriceCents: 1000, vatRate: 0 },
  ]);
  await expect(page.getByTestId('qr-code')).toBeVisible();

  // "Create again" brings the same basket back, and an item tapped again adds to its line.
  await page.getByRole('navigation').getByRole('button', { name: /History/ }).click();
  await page.locator(`[data-testid="history-row"][data-ref="${record.merchantRef}"]`).getByTestId('row-more').click();
  await page.getByRole('menu').getByRole('menuitem', { name: 'Create again' }).click();
  await expect(page.getByTestId('basket-total')).toHaveText('€16.40');
  await page.getByTestId('pick-item').filter({ hasText: 'Kaffee' }).click();
  await expect(lines.nth(0).getByTestId('basket-qty')).toHaveText('2');
  await expect(amount).toHaveValue('19.20');
});

test('without items the amount works as before; an unreadable typed amount is not silently dropped', async ({ page }) => {
  await page.getByLabel('Amount', { exact: true }).fill('12,3,4');
  await page.getByTestId('pick-item').filter({ hasText: 'Kaffee' }).click();
  await expect(page.getByTestId('basket')).toHaveCount(0);
  await expect(page.locator('.amount-field .field-error')).toBeVisible();
  await page.getByLabel('Amount', { exact: true }).fill('7.00');
  const response = page.waitForResponse('**/ipc/links.create');
  await page.getByLabel('Amount', { exact: true }).press('Enter');
  const record = await createdRecord(response);
  expect(record.amountCents).toBe(700);
  expect(record.basket).toBeUndefined();
});

test('a basket stops at 50 lines and says so, instead of failing the link at Enter', async ({ page }) => {
  await page.getByTestId('pick-item').filter({ hasText: 'Kaffee' }).click();
  const free = page.getByLabel('Free amount');
  for (let i = 1; i < 50; i++) {
    await free.fill(String(i));
    await free.press('Enter');
  }
  const lines = page.getByTestId('basket').locator('li');
  await expect(lines).toHaveCount(50);
  await free.fill('1');
  await free.press('Enter');
  await expect(page.getByTestId('basket-error')).toHaveText('A basket holds at most 50 lines.');
  await expect(lines).toHaveCount(50);
  await expect(free).toHaveValue('1'); // what was typed is kept for when there is room
  // Taking a line off makes room again, and the message goes.
  await page.getByRole('button', { name: 'Remove Kaffee' }).click();
  await expect(page.getByTestId('basket-error')).toHaveCount(0);
});
