import type { Locator, Page } from '@playwright/test';
import { test, expect } from './fixtures';
import type { RunningBridgeApp } from '../../src/web-bridge/bridge-app';
import type { Settings } from '../../src/shared/settings';

/** Settings → Quick-pick items: the list the New-link screen's item buttons come from. */

async function openSettings(page: Page): Promise<void> {
  await page.getByRole('button', { name: /^(Settings|Einstellungen)/ }).click();
}

async function storedItems(bridge: RunningBridgeApp): Promise<Settings['quickItems']> {
  const result = await bridge.core.dispatch('settings.get', { url: bridge.url, isTopFrame: true }, {});
  if (!result.ok) throw new Error(result.error.code);
  return (result.value as { settings: Settings }).settings.quickItems;
}

const section = (page: Page) => page.getByRole('region', { name: /^(Quick-pick items|Schnellartikel)$/ });
const rows = (page: Page) => section(page).getByTestId('quick-item');

async function addItem(page: Page, name: string, price: string, vat?: string): Promise<void> {
  await section(page).getByRole('button', { name: /Add item|Artikel hinzufügen/ }).click();
  const row = rows(page).last();
  // The new row's name field takes the focus, so typing goes straight on.
  await expect(row.getByLabel(/^(Name|Bezeichnung)$/)).toBeFocused();
  await page.keyboard.type(name);
  await row.getByLabel(/^(Price|Preis)$/).fill(price);
  if (vat) await row.getByLabel(/^(VAT|MwSt\.)$/).selectOption({ label: vat });
}

const names = (page: Page) => rows(page).getByLabel('Name');
const valuesOf = (fields: Locator) => expect.poll(() => fields.evaluateAll((els) => els.map((el) => (el as HTMLInputElement).value)));

test.beforeEach(async ({ page }) => {
  await openSettings(page);
});

test('items are added, reordered and removed, saved in that order, and come back after a reload', async ({ page, bridge }) => {
  await expect(section(page).getByTestId('quick-items-empty')).toBeVisible();
  await addItem(page, 'Coffee', '2.80');
  await addItem(page, 'Pretzel', '1.2', '7%');
  await addItem(page, 'Voucher', '25', '0%');
  await valuesOf(names(page)).toEqual(['Coffee', 'Pretzel', 'Voucher']);
  await expect(rows(page).getByTestId('quick-item-key')).toHaveText(['1', '2', '3']);

  // The last item's "Move up" button is disabled once it is first, and focus stays on the row.
  const voucher = page.getByRole('group', { name: 'Item 3, key 3' });
  await voucher.getByRole('button', { name: 'Move up' }).click();
  await valuesOf(names(page)).toEqual(['Coffee', 'Voucher', 'Pretzel']);
  await expect(page.getByRole('group', { name: 'Item 2, key 2' }).getByRole('button', { name: 'Move up' })).toBeFocused();

  // Alt+↓ on a focused row moves it down; the field keeps the focus.
  await names(page).first().focus();
  await page.keyboard.press('Alt+ArrowDown');
  await valuesOf(names(page)).toEqual(['Voucher', 'Coffee', 'Pretzel']);
  await expect(names(page).nth(1)).toBeFocused();
  await page.keyboard.press('Alt+ArrowUp');
  await page.keyboard.press('Alt+ArrowUp');
  await valuesOf(names(page)).toEqual(['Coffee', 'Voucher', 'Pretzel']);
  await page.keyboard.press('Alt+ArrowDown');
  await valuesOf(names(page)).toEqual(['Voucher', 'Coffee', 'Pretzel']);

  // Removing asks first; "Keep" keeps it.
  const pretzel = page.getByRole('group', { name: 'Item 3, key 3' });
  await pretzel.getByRole('button', { name: 'Remove' }).click();
  const dialog = page.getByTestId('quick-item-remove-dialog');
  await expect(dialog).toContainText('Remove “Pretzel”?');
  await dialog.getByRole('button', { name: 'Keep' }).click();
  await expect(dialog).toHaveCount(0);
  await valuesOf(names(page)).toEqual(['Voucher', 'Coffee', 'Pretzel']);
  await pretzel.getByRole('button', { name: 'Remove' }).click();
  await dialog.getByRole('button', { name: 'Remove' }).click();
  await valuesOf(names(page)).toEqual(['Voucher', 'Coffee']);

  // Nothing is stored before Save.
  expect(await storedItems(bridge)).toEqual([]);
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByTestId('settings-feedback')).toHaveText('Settings saved.');
  expect((await storedItems(bridge)).map(({ name, priceCents, vatRate }) => ({ name, priceCents, vatRate }))).toEqual([
    { name: 'Voucher', priceCents: 2500, vatRate: 0 },
    { name: 'Coffee', priceCents: 280, vatRate: 19 },
  ]);

  await page.reload();
  await openSettings(page);
  await valuesOf(names(page)).toEqual(['Voucher', 'Coffee']);
  await valuesOf(rows(page).getByLabel('Price')).toEqual(['25.00', '2.80']);
  await valuesOf(rows(page).getByLabel('VAT')).toEqual(['0', '19']);
});

test('a price that is no price is marked next to it, follows its item, and nothing is saved', async ({ page, bridge }) => {
  await addItem(page, 'Tea', '2.40');
  await addItem(page, 'Cake', '3.555');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByTestId('settings-feedback')).toContainText('not saved');
  const cakePrice = page.getByRole('group', { name: 'Item 2, key 2' }).getByLabel('Price');
  await expect(cakePrice).toHaveAttribute('aria-invalid', 'true');
  await expect(cakePrice).toHaveAccessibleDescription('At most two decimal places.');
  await expect(page.getByRole('group', { name: 'Item 1, key 1' }).getByLabel('Price')).toHaveAttribute('aria-invalid', 'false');
  expect(await storedItems(bridge)).toEqual([]);

  // Moved up, the item takes its error along.
  await page.getByRole('group', { name: 'Item 2, key 2' }).getByRole('button', { name: 'Move up' }).click();
  await valuesOf(names(page)).toEqual(['Cake', 'Tea']);
  await expect(page.getByRole('group', { name: 'Item 1, key 1' }).getByLabel('Price')).toHaveAccessibleDescription('At most two decimal places.');
  await expect(page.getByRole('group', { name: 'Item 2, key 2' }).getByLabel('Price')).toHaveAttribute('aria-invalid', 'false');

  await page.getByRole('group', { name: 'Item 1, key 1' }).getByLabel('Price').fill('3.55');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByTestId('settings-feedback')).toHaveText('Settings saved.');
  expect((await storedItems(bridge)).map((item) => item.priceCents)).toEqual([355, 240]);
});

test('in German prices are typed with a comma and the rate is called MwSt.', async ({ page, bridge }) => {
  await page.getByLabel('App language').selectOption('de');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('heading', { name: 'Schnellartikel' })).toBeVisible();
  await addItem(page, 'Brezel', '1,20', '7 %');
  await page.getByRole('button', { name: 'Einstellungen speichern' }).click();
  await expect(page.getByTestId('settings-feedback')).toHaveText('Einstellungen gespeichert.');
  expect(await storedItems(bridge)).toMatchObject([{ name: 'Brezel', priceCents: 120, vatRate: 7 }]);
  await expect(page.getByRole('group', { name: 'Artikel 1, Taste 1' }).getByLabel('Preis')).toHaveValue('1,20');
});
