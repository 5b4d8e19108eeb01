import type { Page, Response } from '@playwright/test';
import { test, expect } from './fixtures';
import type { LinkRecord } from '../../src/shared/link';

/** Handing a link out by WhatsApp or SMS, and "Create again" from the history. */

async function createdRecord(response: Promise<Response>): Promise<LinkRecord> {
  const body = (await (await response).json()) as { ok: boolean; value: LinkRecord };
  expect(body.ok).toBe(true);
  return body.value;
}

/** The web bridge answers "not opened", so the page opens the URL itself: record what it opens. */
async function recordWindowOpen(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const opened: string[] = [];
    Object.assign(window, { openedUrls: opened });
    // A tab that opened (the app cuts it off from itself through `opener`).
    window.open = (url?: string | URL) => {
      opened.push(String(url));
      return { opener: window } as unknown as Window;
    };
  });
}

const openedUrls = (page: Page) => page.evaluate(() => (window as unknown as { openedUrls: string[] }).openedUrls);

async function createGermanLinkForAnna(page: Page): Promise<LinkRecord> {
  await page.getByLabel('Amount').fill('49.90');
  await page.getByLabel('Reference (optional)').fill('Order 4711');
  await page.getByLabel('Payment page language').selectOption({ label: 'German' });
  await page.getByLabel('Payment method').selectOption({ label: 'Invoice' });
  await page.getByRole('button', { name: 'Customer (optional)' }).click();
  await page.getByLabel('Salutation').selectOption({ label: 'Ms' });
  await page.getByLabel('First name').fill('Anna');
  await page.getByLabel('Last name').fill('Muster');
  await page.getByLabel('Mobile').fill('0171 1234567');
  const response = page.waitForResponse('**/ipc/links.create');
  await page.getByLabel('Mobile').press('Enter');
  return createdRecord(response);
}

test('WhatsApp opens the chat with the normalised mobile and a German message; SMS copies it where no app opens', async ({ page, bridge }) => {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await recordWindowOpen(page);
  await page.reload();
  const record = await createGermanLinkForAnna(page);
  const link = record.paymentUrl ?? 'missing';

  const whatsapp = page.getByRole('group', { name: 'Share the link' }).getByRole('button', { name: /Send by WhatsApp/ });
  await expect(whatsapp.locator('kbd')).toHaveText('Ctrl+K');
  await whatsapp.click();
  await expect(page.getByTestId('action-feedback')).toHaveText('WhatsApp is opening.');
  const opened = await openedUrls(page);
  expect(opened).toHaveLength(1);
  const url = new URL(opened[0] ?? '');
  expect(`${url.origin}${url.pathname}`).toBe('https://wa.me/491711234567');
  const text = url.searchParams.get('text') ?? '';
  expect(text.startsWith('Guten Tag Frau Muster,\n')).toBe(true);
  expect(text).toContain('49,90\u00a0€');
  expect(text).toContain('Verwendungszweck: Order 4711');
  expect(text).toContain(`\n${link}\n`);
  // Main saw (and allowed) the same URL before the page fell back to opening it.
  expect(bridge.openedExternally).toContain(opened[0]);

  await page.keyboard.press('Control+Shift+K');
  await expect(page.getByTestId('action-feedback')).toHaveText(/No SMS app can be opened here, so the message was copied/);
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(text);
  expect(bridge.openedExternally.some((u) => u.startsWith('sms:+491711234567?body='))).toBe(true);
});

test('"Create again" in the history menu fills the New link form with that link’s data', async ({ page }) => {
  const record = await createGermanLinkForAnna(page);
  await page.getByRole('navigation').getByRole('button', { name: /History/ }).click();
  await page.locator(`[data-testid="history-row"][data-ref="${record.merchantRef}"]`).getByTestId('row-more').click();
  await page.getByRole('menu').getByRole('menuitem', { name: 'Create again' }).click();

  await expect(page.getByRole('heading', { level: 1 })).toHaveText('New payment link');
  await expect(page.getByLabel('Amount')).toHaveValue('49.90');
  await expect(page.getByLabel('Reference (optional)')).toHaveValue('Order 4711');
  await expect(page.getByLabel('Payment page language')).toHaveValue('de');
  await expect(page.getByLabel('Payment method')).toHaveValue('invoice');
  await expect(page.getByLabel('Last name')).toHaveValue('Muster');
  await expect(page.getByLabel('Mobile')).toHaveValue('0171 1234567');
});
