import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import type { RunningBridgeApp } from '../../src/web-bridge/bridge-app';
import type { LinkRecord } from '../../src/shared/link';
import type { Settings } from '../../src/shared/settings';

/** Issue 10: the app speaks the browser's language, and feedback a new merchant cannot miss. */

type Bridge = RunningBridgeApp;

async function dispatch<T>(bridge: Bridge, channel: string, input: unknown): Promise<T> {
  const result = await bridge.core.dispatch(channel, { url: bridge.url, isTopFrame: true }, input);
  if (!result.ok) throw new Error(`${channel} failed: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

async function saveSettings(bridge: Bridge, change: Partial<Settings>): Promise<void> {
  const view = await dispatch<{ settings: Settings }>(bridge, 'settings.get', {});
  await dispatch(bridge, 'settings.save', { settings: { ...view.settings, ...change } });
}

async function createOnScreen(page: Page, amount: string, reference = ''): Promise<LinkRecord> {
  await page.getByLabel(/^(Amount|Betrag)$/).fill(amount);
  if (reference) await page.getByLabel(/^(Reference|Verwendungszweck) \(optional\)$/).fill(reference);
  const response = page.waitForResponse('**/ipc/links.create');
  await page.getByRole('button', { name: /^(Create link|Link erstellen)/ }).click();
  const body = (await (await response).json()) as { ok: boolean; value: LinkRecord };
  expect(body.ok).toBe(true);
  await expect(page.getByTestId('qr-code')).toBeVisible();
  return body.value;
}

async function payAtSimulator(bridge: Bridge, record: LinkRecord): Promise<void> {
  const sim = await bridge.core.demo.get();
  const response = await fetch(`${sim.baseUrl}/__control/transactions/${record.id ?? ''}/pay`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ method: 'creditcard' }),
  });
  expect(response.status).toBe(200);
}

test.describe('a German browser', () => {
  test.use({ locale: 'de-DE' });

  test('gets German when no app language is set, and English once chosen', async ({ page, bridge }) => {
    await expect(page.getByRole('heading', { name: 'Neuer Zahlungslink' })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'de');
    // The word "Demo" once: the banner's title, then its text.
    await expect(page.getByTestId('demo-banner')).toHaveText(/^Demo-Modus Links werden auf diesem Computer simuliert\./);
    await saveSettings(bridge, { uiLanguage: 'en' });
    await page.reload();
    await expect(page.getByRole('heading', { name: 'New payment link' })).toBeVisible();
  });

  test('explains the e-mail placeholders in German', async ({ page }) => {
    await page.getByRole('navigation').getByRole('button', { name: /Einstellungen/ }).click();
    const body = page.getByLabel('Text', { exact: true });
    const hint = page.locator('.field', { has: body }).locator('.field-hint');
    await expect(hint).toContainText('{greeting} = Anrede mit dem Namen des Kunden');
    await expect(hint).toContainText('{merchant} = Name Ihres Geschäfts');
  });
});

test('an English browser gets English', async ({ page }) => {
  await expect(page.getByRole('heading', { name: 'New payment link' })).toBeVisible();
  await expect(page.getByTestId('demo-banner')).toHaveText(/^Demo mode Links are simulated on this computer\./);
});

test('a refused "Create link" brings the first bad field into view above the button bar and says what to fix', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 640 });
  await page.getByLabel('Amount').fill('10');
  await page.getByRole('button', { name: 'Customer (optional)' }).click();
  await page.getByLabel('E-mail').fill('anna@');
  // The page is scrolled so that the e-mail field is far away when the button is pressed.
  await page.evaluate(() => { document.querySelector('.content')?.scrollTo(0, 0); window.scrollTo(0, 0); });
  await page.getByRole('button', { name: /Create link/ }).click();

  const email = page.getByLabel('E-mail');
  await expect(email).toBeFocused();
  await expect(email).toBeInViewport();
  const field = await email.boundingBox();
  const bar = await page.locator('.form-footer').boundingBox();
  expect(field && bar && field.y + field.height <= bar.y).toBe(true);
  await expect(page.getByTestId('create-summary')).toHaveText('Please check this field: E-mail');
  await expect(page.getByTestId('qr-code')).toHaveCount(0);

  await email.fill('anna@example.com');
  await expect(page.getByTestId('create-summary')).toHaveCount(0);
});

test('"Open in mail app" works in the browser: the page follows the mailto: link itself', async ({ page, bridge }) => {
  await page.addInitScript(() => {
    const opened: string[] = [];
    (window as unknown as { openedMailto: string[] }).openedMailto = opened;
    HTMLAnchorElement.prototype.click = function click(this: HTMLAnchorElement) {
      opened.push(this.href);
    };
  });
  await page.reload();
  await page.getByLabel('Amount').fill('12.00');
  await page.getByRole('button', { name: 'Customer (optional)' }).click();
  await page.getByLabel('E-mail').fill('kunde@example.com');
  await page.getByRole('button', { name: /Create link/ }).click();
  await page.getByRole('button', { name: /Open in mail app/ }).click();
  await expect(page.getByTestId('action-feedback')).toHaveText('Your mail app is opening.');
  const opened = await page.evaluate(() => (window as unknown as { openedMailto: string[] }).openedMailto);
  expect(opened).toHaveLength(1);
  expect(opened[0]).toMatch(/^mailto:kunde@example\.com\?subject=/);
  // Main was asked first and said it cannot (no OS shell behind the browser).
  expect(bridge.openedExternally.some((url) => url.startsWith('mailto:kunde@example.com'))).toBe(true);
});

test('Testing without client ID and contract ID: saving warns, the connection test names and marks what is missing', async ({ page }) => {
  await page.getByRole('navigation').getByRole('button', { name: /Settings/ }).click();
  await page.getByRole('radio', { name: /Testing/ }).check();
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByTestId('settings-feedback')).toHaveText(
    'Settings saved, but Testing still needs: Client ID and Contract ID. Until then no links can be created.',
  );
  await expect(page.getByLabel('Client ID')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Contract ID')).toHaveAttribute('aria-invalid', 'true');

  await page.getByRole('button', { name: 'Test connection' }).click();
  await expect(page.getByTestId('connection-feedback')).toHaveText(
    'The test needs: Client ID, Contract ID and Client secret. Fill in the marked fields first.',
  );
  await expect(page.getByLabel('Client secret')).toHaveAttribute('aria-invalid', 'true');
});

test('an account error offers the way to Settings', async ({ page, bridge }) => {
  await saveSettings(bridge, { environment: 'testing' });
  await page.reload();
  await page.getByLabel('Amount').fill('5.00');
  await page.getByRole('button', { name: /Create link/ }).click();
  const banner = page.getByTestId('create-error');
  await expect(banner).toContainText('The connection is not set up yet.');
  await banner.getByRole('button', { name: 'Open Settings' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Settings');
});

test('paid: "New link" becomes the main action, takes the focus, and "Paid" is announced', async ({ page, bridge }) => {
  const record = await createOnScreen(page, '17.50', 'Counter 3');
  const actions = page.getByRole('group', { name: 'Share the link' });
  const newLink = actions.getByRole('button', { name: /^New link/ });
  await expect(newLink).not.toHaveClass(/primary/);
  await expect(page.getByTestId('status-announcement')).toHaveText('');

  await payAtSimulator(bridge, record);
  await expect(page.getByTestId('link-status')).toHaveText('Paid');
  await expect(page.getByTestId('status-announcement')).toHaveText('Paid: €17.50');
  await expect(page.getByTestId('status-announcement')).toHaveAttribute('role', 'status');
  await expect(newLink).toHaveClass(/primary/);
  await expect(actions.getByRole('button', { name: /^Copy link/ })).not.toHaveClass(/primary/);
  await expect(newLink).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'New payment link' })).toBeVisible();
});

test('a reload shows the link that was on screen until "New link" is chosen', async ({ page }) => {
  await createOnScreen(page, '23.00', 'Table 9');
  await page.reload();
  await expect(page.getByTestId('link-reference')).toHaveText('Table 9');
  await expect(page.getByTestId('link-amount')).toHaveText('€23.00');

  await page.getByRole('navigation').getByRole('button', { name: /Settings/ }).click();
  await page.reload();
  await expect(page.getByTestId('link-reference')).toHaveText('Table 9');

  await page.getByRole('group', { name: 'Share the link' }).getByRole('button', { name: /^New link/ }).click();
  await page.reload();
  await expect(page.getByRole('heading', { name: 'New payment link' })).toBeVisible();
  await expect(page.getByLabel('Amount')).toHaveValue('');
});

test('history: a link without reference is named by amount and day, and a paid total of zero is not green', async ({ page, bridge }) => {
  const link = await dispatch<LinkRecord>(bridge, 'links.create', {
    amountCents: 1000, currency: 'EUR', reference: '', language: 'de', paymentMethod: 'any', returnUrls: { success: '', error: '', abort: '' },
  });
  await page.getByRole('navigation').getByRole('button', { name: /History/ }).click();
  const day = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium' }).format(new Date(link.createdAt));
  await expect(page.getByTestId('row-more')).toHaveAccessibleName(`More actions for €10.00 from ${day}`);
  await expect(page.getByTestId('row-open')).toHaveAccessibleName(`Open the link €10.00 from ${day}`);
  const paid = page.getByTestId('history-totals').getByText('€0.00 paid');
  await expect(paid).toBeVisible();
  await expect(paid).not.toHaveClass(/paid/);
});

test('the page has a favicon', async ({ page, bridge }) => {
  const href = await page.locator('link[rel="icon"]').getAttribute('href');
  expect(href).toBeTruthy();
  const response = await fetch(new URL(href ?? '', bridge.url));
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('image/svg+xml');
});
