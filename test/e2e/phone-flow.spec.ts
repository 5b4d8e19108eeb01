import type { Page, Response } from '@playwright/test';
import { test, expect } from './fixtures';
import type { LinkRecord } from '../../src/shared/link';

/** The phone order: customer name and e-mail → create → e-mail text / mailto with amount, reference and link. */

async function createdRecord(response: Promise<Response>): Promise<LinkRecord> {
  const body = (await (await response).json()) as { ok: boolean; value: LinkRecord };
  expect(body.ok).toBe(true);
  return body.value;
}

/** Captures what the renderer asks main to open, and answers as if the OS had opened it. */
async function captureOpenExternal(page: Page): Promise<string[]> {
  const opened: string[] = [];
  await page.route('**/ipc/shell.openExternal', async (route) => {
    opened.push((route.request().postDataJSON() as { url: string }).url);
    await route.fulfill({ contentType: 'application/json', body: JSON.stringify({ ok: true, value: { opened: true } }) });
  });
  return opened;
}

async function fillPhoneOrder(page: Page, options: { amount: string; pageLanguage: 'German' | 'English' }): Promise<void> {
  await page.getByLabel('Amount').fill(options.amount);
  await page.getByLabel('Reference (optional)').fill('Order 4711');
  await page.getByLabel('Payment page language').selectOption({ label: options.pageLanguage });
  await page.getByRole('button', { name: 'Customer (optional)' }).click();
  await page.getByLabel('Salutation').selectOption({ label: 'Ms' });
  await page.getByLabel('First name').fill('Anna');
  await page.getByLabel('Last name').fill('Muster');
  await page.getByLabel('E-mail').fill('anna.muster@example.com');
}

test('phone order in English: copied e-mail text and the mailto URL carry amount, reference and link', async ({ page }) => {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  const opened = await captureOpenExternal(page);
  await fillPhoneOrder(page, { amount: '49.90', pageLanguage: 'English' });
  const response = page.waitForResponse('**/ipc/links.create');
  await page.getByLabel('E-mail').press('Enter');
  const record = await createdRecord(response);
  expect(record.customer).toMatchObject({ salutation: 'Frau', forename: 'Anna', surname: 'Muster', email: 'anna.muster@example.com' });
  const link = record.paymentUrl ?? 'missing';

  await page.getByRole('button', { name: /Copy e-mail text/ }).click();
  await expect(page.getByTestId('action-feedback')).toHaveText('E-mail text copied.');
  const text = await page.evaluate(() => navigator.clipboard.readText());
  expect(text.startsWith('Dear Ms Muster,\n\n')).toBe(true);
  expect(text).toContain('€49.90');
  expect(text).toContain('Reference: Order 4711');
  expect(text).toContain(`\n${link}\n`);

  await page.getByRole('button', { name: /Open in mail app/ }).click();
  await expect(page.getByTestId('action-feedback')).toHaveText('Your mail app is opening.');
  expect(opened).toHaveLength(1);
  const mailto = opened[0] ?? '';
  expect(mailto.startsWith('mailto:anna.muster@example.com?subject=')).toBe(true);
  expect(mailto).not.toMatch(/[ \n+]/);
  expect(mailto).toContain('%0D%0A');
  const query = new URLSearchParams(mailto.slice(mailto.indexOf('?') + 1));
  expect(query.get('subject')).toBe('Payment link for €49.90');
  const body = query.get('body') ?? '';
  expect(body).toContain('€49.90');
  expect(body).toContain('Order 4711');
  expect(body).toContain(link);
  expect(body.replace(/\r\n/g, '\n')).toBe(text);
});

test('the e-mail follows the payment page language, not the app language', async ({ page }) => {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  const opened = await captureOpenExternal(page);
  await fillPhoneOrder(page, { amount: '1,049.00', pageLanguage: 'German' });
  const response = page.waitForResponse('**/ipc/links.create');
  await page.getByRole('button', { name: /Create link/ }).click();
  const record = await createdRecord(response);
  await expect(page.getByRole('button', { name: /Copy link/ })).toBeFocused();

  await page.keyboard.press('Control+e');
  await expect(page.getByTestId('action-feedback')).toHaveText('E-mail text copied.');
  const text = await page.evaluate(() => navigator.clipboard.readText());
  expect(text.startsWith('Guten Tag Frau Muster,\n\nvielen Dank für Ihre Bestellung.')).toBe(true);
  expect(text).toMatch(/1\.049,00\s€/);
  expect(text).toContain('Verwendungszweck: Order 4711');
  expect(text).toContain(record.paymentUrl ?? 'missing');

  await page.keyboard.press('Control+m');
  await expect.poll(() => opened.length).toBe(1);
  const query = new URLSearchParams((opened[0] ?? '').split('?')[1] ?? '');
  expect(query.get('subject')).toMatch(/^Zahlungslink über 1\.049,00\s€$/);

  // "Open payment page" hands the very link to the browser through main.
  await page.getByRole('button', { name: /Open payment page/ }).click();
  await expect.poll(() => opened.length).toBe(2);
  expect(opened[1]).toBe(record.paymentUrl);
});

test('the e-mail template and business name from Settings are used', async ({ page, bridge }) => {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  const view = await bridge.core.dispatch('settings.get', { url: bridge.url, isTopFrame: true }, {});
  if (!view.ok) throw new Error('settings.get failed');
  const { settings } = view.value as { settings: Record<string, unknown> & { emailTemplates: Record<string, unknown> } };
  await bridge.core.dispatch('settings.save', { url: bridge.url, isTopFrame: true }, {
    settings: { ...settings, merchantName: 'Fahrradwerkstatt Kühn', emailTemplates: { ...settings.emailTemplates, en: { subject: 'Your bike: {amount}', body: '{greeting}\nPay {amount} here: {link}\nRef {reference}\n{merchant}' } } },
  });
  await page.reload();
  await page.getByLabel('Amount').fill('120');
  await page.getByLabel('Payment page language').selectOption({ label: 'English' });
  const response = page.waitForResponse('**/ipc/links.create');
  await page.keyboard.press('Enter');
  const record = await createdRecord(response);
  await expect(page.getByRole('button', { name: /Copy link/ })).toBeFocused();
  await page.keyboard.press('Control+e');
  await expect(page.getByTestId('action-feedback')).toHaveText('E-mail text copied.');
  // No customer and no reference: a neutral greeting, and the reference line is left out.
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`Hello,\nPay €120.00 here: ${record.paymentUrl}\nFahrradwerkstatt Kühn`);
});
