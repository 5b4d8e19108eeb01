import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import type { RunningBridgeApp } from '../../src/web-bridge/bridge-app';

/** Bad input is refused next to its field before anything is sent; API errors land where they belong. */

const sender = (bridge: RunningBridgeApp) => ({ url: bridge.url, isTopFrame: true });

function countCreateRequests(page: Page): { count: number } {
  const counter = { count: 0 };
  page.on('request', (request) => {
    if (request.url().endsWith('/ipc/links.create')) counter.count += 1;
  });
  return counter;
}

async function simulatorOrigin(bridge: RunningBridgeApp): Promise<string> {
  const created = await bridge.core.dispatch('links.create', sender(bridge), {
    amountCents: 100, currency: 'EUR', reference: '', language: 'de', paymentMethod: 'any', returnUrls: { success: '', error: '', abort: '' },
  });
  if (!created.ok) throw new Error(`links.create failed: ${created.error.code}`);
  return new URL((created.value as { paymentUrl: string }).paymentUrl).origin;
}

test('every amount message, shown next to the amount, with nothing sent', async ({ page }) => {
  const requests = countCreateRequests(page);
  const amount = page.getByLabel('Amount');
  const create = page.getByRole('button', { name: /Create link/ });
  const cases: [string, string][] = [
    ['', 'Enter an amount.'],
    ['abc', 'This is not an amount. Type it like 17.50 or 1,234.56.'],
    ['12.345', 'At most two decimal places.'],
    ['0', 'The amount must be greater than zero.'],
    ['-3', 'The amount must be greater than zero.'],
    ['100,000.01', 'At most 100,000.00 per link.'],
  ];
  for (const [typed, message] of cases) {
    await amount.fill(typed);
    await create.click();
    await expect(page.getByRole('alert')).toHaveText(message);
    await expect(amount).toHaveAttribute('aria-invalid', 'true');
    await expect(amount).toBeFocused();
    await expect(amount).toHaveValue(typed);
  }
  expect(requests.count).toBe(0);
  await expect(page.getByTestId('qr-code')).toHaveCount(0);
});

test('customer, reference and return address messages, each next to its field; nothing typed is lost', async ({ page }) => {
  const requests = countCreateRequests(page);
  await page.getByLabel('Amount').fill('10');
  await page.getByLabel('Reference (optional)').fill('R'.repeat(141));
  await page.getByRole('button', { name: 'Customer (optional)' }).click();
  await page.getByLabel('First name').fill('Anna');
  await page.getByLabel('E-mail').fill('anna@');
  await page.getByLabel('Phone').fill('call me');
  await page.getByLabel('Mobile').fill('0171 1234567');
  await page.getByLabel('Date of birth').fill('2999-01-01');
  await page.getByLabel('Country').selectOption({ label: 'Austria' });
  await page.getByRole('button', { name: 'More options' }).click();
  await page.getByLabel('After successful payment').fill('http://shop.example/thanks');
  await page.getByLabel('When the buyer cancels').fill('x'.repeat(10) + 'https://ok');
  await page.getByRole('button', { name: /Create link/ }).click();

  const messageFor = (label: string) => page.locator('.field', { has: page.getByLabel(label, { exact: true }) }).getByRole('alert');
  // The field itself stops at the API's 140 characters.
  await expect(page.getByLabel('Reference (optional)')).toHaveValue('R'.repeat(140));
  await expect(messageFor('E-mail')).toHaveText('This is not a valid e-mail address.');
  await expect(messageFor('Phone')).toHaveText('Use digits, spaces and + ( ) / - only.');
  await expect(messageFor('Date of birth')).toHaveText('Enter a date of birth in the past.');
  await expect(messageFor('After successful payment')).toHaveText('Enter a full address starting with https://');
  await expect(messageFor('When the buyer cancels')).toHaveText('Enter a full address starting with https://');
  await expect(messageFor('Mobile')).toHaveCount(0);
  await expect(messageFor('Amount')).toHaveCount(0);
  expect(requests.count).toBe(0);

  await expect(page.getByLabel('First name')).toHaveValue('Anna');
  await expect(page.getByLabel('Country')).toHaveValue('AT');

  // Fixing a field removes its message; once all are fixed the link is created.
  await page.getByLabel('E-mail').fill('anna@example.com');
  await expect(messageFor('E-mail')).toHaveCount(0);
  await page.getByLabel('Reference (optional)').fill('R-1');
  await page.getByLabel('Phone').fill('+49 30 1234567');
  await page.getByLabel('Date of birth').fill('1980-05-17');
  await page.getByLabel('After successful payment').fill('https://shop.example/thanks');
  await page.getByLabel('When the buyer cancels').fill('');
  await page.getByRole('button', { name: /Create link/ }).click();
  await expect(page.getByTestId('qr-code')).toBeVisible();
  expect(requests.count).toBe(1);
});

test('German messages', async ({ page, bridge }) => {
  const view = await bridge.core.dispatch('settings.get', sender(bridge), {});
  if (!view.ok) throw new Error('settings.get failed');
  await bridge.core.dispatch('settings.save', sender(bridge), { settings: { ...(view.value as { settings: object }).settings, uiLanguage: 'de' } });
  await page.reload();
  const amount = page.getByLabel('Betrag');
  await amount.fill('12,345');
  await amount.press('Enter');
  await expect(page.getByRole('alert')).toHaveText('Höchstens zwei Nachkommastellen.');
  await amount.fill('');
  await amount.press('Enter');
  await expect(page.getByRole('alert')).toHaveText('Geben Sie einen Betrag ein.');
  await amount.fill('17,50');
  await page.getByRole('button', { name: 'Kunde (optional)' }).click();
  await page.getByLabel('E-Mail').fill('kein-at-zeichen');
  await page.getByRole('button', { name: /Link erstellen/ }).click();
  await expect(page.getByRole('alert')).toHaveText('Das ist keine gültige E-Mail-Adresse.');
});

test('an API error is shown with its support ID and the form keeps everything typed', async ({ page, bridge }) => {
  const simulator = await simulatorOrigin(bridge);
  const fault = await fetch(`${simulator}/__control/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ route: 'POST /api/v2/Smart/Transactions', kind: 'status', status: 500, times: 5 }),
  });
  expect(fault.ok).toBe(true);
  try {
    await page.getByLabel('Amount').fill('99.99');
    await page.getByLabel('Reference (optional)').fill('Invoice 2024-17');
    await page.getByRole('button', { name: /Create link/ }).click();
    const banner = page.getByTestId('create-error');
    await expect(banner).toContainText('secupay has a problem right now.', { timeout: 20_000 });
    await expect(banner.getByTestId('support-id')).toHaveText(/^Support ID: \S+/);
    await expect(page.getByLabel('Amount')).toHaveValue('99.99');
    await expect(page.getByLabel('Reference (optional)')).toHaveValue('Invoice 2024-17');
    await expect(page.getByTestId('qr-code')).toHaveCount(0);
  } finally {
    await fetch(`${simulator}/__control/faults`, { method: 'DELETE' });
  }
  // Nothing to retype: the same Enter now creates the link.
  await page.getByLabel('Amount').press('Enter');
  await expect(page.getByTestId('qr-code')).toBeVisible();
  await expect(page.getByTestId('link-reference')).toHaveText('Invoice 2024-17');
});

test('API validation errors land next to the field the API names', async ({ page }) => {
  // The simulator accepts everything the form lets through, so the API's answer is stood in for here.
  await page.route('**/ipc/links.create', (route) =>
    route.fulfill({
      contentType: 'application/json',
      body: JSON.stringify({
        ok: false,
        error: { code: 'api.validation', message: 'secuconnect did not accept the data', supportId: 'SUP-4711', userMessage: 'Ungültige E-Mail', fields: { 'customer.email': 'validation.api_invalid', 'customer.address.country': 'validation.api_invalid' } },
      }),
    }),
  );
  await page.getByLabel('Amount').fill('10');
  await page.getByRole('button', { name: 'Customer (optional)' }).click();
  await page.getByLabel('E-mail').fill('anna@example.com');
  await page.getByLabel('Country').selectOption('CH');
  // Collapse the customer block: an error in it must open it again.
  await page.getByRole('button', { name: /Customer \(optional\)/ }).click();
  await expect(page.getByLabel('E-mail')).toHaveCount(0);
  await page.getByRole('button', { name: /Create link/ }).click();

  const messageFor = (label: string) => page.locator('.field', { has: page.getByLabel(label, { exact: true }) }).getByRole('alert');
  await expect(messageFor('E-mail')).toHaveText('secupay did not accept this value.');
  await expect(messageFor('Country')).toHaveText('secupay did not accept this value.');
  const banner = page.getByTestId('create-error');
  await expect(banner).toContainText('secupay did not accept the data.');
  await expect(banner).toContainText('secupay says: “Ungültige E-Mail”');
  await expect(banner.getByTestId('support-id')).toHaveText('Support ID: SUP-4711');
  await expect(page.getByLabel('E-mail')).toHaveValue('anna@example.com');
  await expect(page.getByLabel('Country')).toHaveValue('CH');
});

test('a double Enter creates one link', async ({ page }) => {
  const requests = countCreateRequests(page);
  const amount = page.getByLabel('Amount');
  await amount.fill('2.50');
  // Two Enters in a row, the second while the first create is still running; the keyboard (not the
  // field) receives it, so the test does not wait for a field that the link screen has replaced.
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('qr-code')).toBeVisible();
  await page.waitForTimeout(500);
  expect(requests.count).toBe(1);
});
