import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import type { RunningBridgeApp } from '../../src/web-bridge/bridge-app';
import type { LinkRecord } from '../../src/shared/link';
import type { Settings } from '../../src/shared/settings';

/** The Overview (issue 11): today's figures from main, a click into the history, the printable summary. */

type Bridge = RunningBridgeApp;

async function dispatch<T>(bridge: Bridge, channel: string, input: unknown): Promise<T> {
  const result = await bridge.core.dispatch(channel, { url: bridge.url, isTopFrame: true }, input);
  if (!result.ok) throw new Error(`${channel} failed: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

const createLink = (bridge: Bridge, amountCents: number, reference: string) =>
  dispatch<LinkRecord>(bridge, 'links.create', {
    amountCents, currency: 'EUR', reference, language: 'de', paymentMethod: 'any', returnUrls: { success: '', error: '', abort: '' },
  });

/** The buyer pays on the Demo simulator's page; main reads the status right away. */
async function payNow(bridge: Bridge, record: LinkRecord, method: string): Promise<LinkRecord> {
  const sim = await bridge.core.demo.get();
  const response = await fetch(`${sim.baseUrl}/__control/transactions/${record.id ?? ''}/pay`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ method }),
  });
  expect(response.status).toBe(200);
  let current = record;
  await expect.poll(async () => (current = await dispatch<LinkRecord>(bridge, 'links.refresh', { merchantRef: record.merchantRef })).status, { timeout: 10_000 }).toBe('ok');
  return current;
}

async function saveSettings(bridge: Bridge, change: Partial<Settings>): Promise<void> {
  const view = await dispatch<{ settings: Settings }>(bridge, 'settings.get', {});
  await dispatch(bridge, 'settings.save', { settings: { ...view.settings, ...change } });
}

/** The page as PDF (print stylesheet), as text through poppler's pdftotext. */
async function pdfText(page: Page): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'summary-pdf-'));
  try {
    const file = join(dir, 'summary.pdf');
    await writeFile(file, await page.pdf({ format: 'A4' }));
    return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('today\'s figures come from main, and a figure opens the history filtered to it', async ({ page, bridge }) => {
  const paid = await payNow(bridge, await createLink(bridge, 1250, 'Table 7'), 'creditcard');
  await createLink(bridge, 4000, 'Phone order Weber');
  await page.reload();
  // Ctrl+U ("Übersicht"); Ctrl+O is the link screen's "Open payment page".
  await expect(page.getByRole('navigation').getByRole('button', { name: /Overview/ })).toBeVisible();
  await page.keyboard.press('Control+u');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Overview');
  await expect(page.getByTestId('figure-paid')).toContainText('€12.50');
  await expect(page.getByTestId('figure-paid')).toContainText('1 link');
  await expect(page.getByTestId('figure-waiting')).toContainText('€40.00');
  await expect(page.getByTestId('figure-created')).toContainText('2 links');
  await expect(page.getByTestId('fact-share')).toHaveText('50%');
  await expect(page.getByTestId('method-mix')).toContainText('Credit card');
  // The hour chart is there for a single day, with a text equivalent.
  await expect(page.getByRole('img', { name: 'Payments per hour' })).toBeVisible();

  await page.getByTestId('figure-paid').click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('History');
  await expect(page.getByTestId('row-reference')).toHaveText(['Table 7']);
  await expect(page.locator(`[data-testid="history-row"][data-ref="${paid.merchantRef}"]`)).toBeVisible();

  // A bar of the day chart does the same for its day.
  await page.getByRole('navigation').getByRole('button', { name: /Overview/ }).click();
  await page.getByTestId('chart-days').getByRole('button').first().click();
  await expect(page.getByTestId('row-reference')).toHaveText(['Table 7']);
});

test('the payment summary prints the range\'s totals and paid links, in English and in German', async ({ page, bridge }) => {
  // Headless Chromium's print dialog would never close: count the calls instead; page.pdf prints.
  await page.addInitScript(() => {
    window.print = () => {
      document.body.dataset.printed = String(Number(document.body.dataset.printed ?? 0) + 1);
    };
  });
  await saveSettings(bridge, { merchantName: 'Café Sonne', uiLanguage: 'en' });
  const paid = await payNow(bridge, await createLink(bridge, 1250, 'Table 7'), 'paypal');
  await payNow(bridge, await createLink(bridge, 3000, 'Cake order'), 'creditcard');
  await createLink(bridge, 990, 'Not paid yet');
  await page.reload();
  await page.getByRole('navigation').getByRole('button', { name: /Overview/ }).click();
  await page.getByTestId('print-summary').click();
  await expect(page.getByTestId('payment-summary')).toBeAttached();
  await expect(page.locator('body')).toHaveAttribute('data-printed', '1');

  const english = await pdfText(page);
  expect(english).toContain('Café Sonne');
  expect(english).toContain('Payment summary');
  expect(english).toMatch(/Paid\s+2\s+€42\.50/);
  expect(english).toMatch(/Waiting\s+1\s+€9\.90/);
  expect(english).toContain('Table 7');
  expect(english).toContain(paid.transactionId ?? 'no transaction id');
  expect(english).toContain('PayPal');
  expect(english).toContain('Not a fiscal document');
  expect(english).not.toContain('Not paid yet');
  // Only the summary is printed, not the screen behind it.
  expect(english).not.toContain('Print payment summary');

  await saveSettings(bridge, { uiLanguage: 'de' });
  await page.reload();
  await page.getByRole('navigation').getByRole('button', { name: /Übersicht/ }).click();
  await page.getByTestId('print-summary').click();
  await expect(page.getByTestId('payment-summary')).toBeAttached();
  const german = await pdfText(page);
  expect(german).toContain('Zahlungsübersicht');
  expect(german).toMatch(/Bezahlt\s+2\s+42,50\s€/);
  expect(german).toContain('Table 7');
  expect(german).toContain('Kein steuerliches Dokument');
});

test('a paid link\'s receipt, in the buyer\'s language: from the history row and the paid banner, printed and copied', async ({ page, bridge, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: bridge.url });
  await page.addInitScript(() => {
    window.print = () => undefined;
  });
  await saveSettings(bridge, { merchantName: 'Café Sonne', uiLanguage: 'en' });
  const paid = await payNow(bridge, await createLink(bridge, 4250, 'Table 7'), 'creditcard');
  await page.reload();
  await page.getByRole('navigation').getByRole('button', { name: /History/ }).click();
  const row = page.locator(`[data-testid="history-row"][data-ref="${paid.merchantRef}"]`);
  await row.getByTestId('row-more').click();
  await page.getByRole('menu').getByRole('menuitem', { name: 'Receipt' }).click();

  const dialog = page.getByTestId('receipt-dialog');
  // The link was made for a German payment page, so the buyer's receipt is German.
  await expect(dialog.getByRole('heading', { name: 'Zahlungsbeleg' })).toBeVisible();
  const preview = dialog.getByTestId('receipt-preview');
  await expect(preview).toContainText('Café Sonne');
  await expect(preview).toContainText('42,50');
  await expect(preview).toContainText(paid.transactionId ?? 'no transaction id');
  await expect(preview).toContainText(paid.id ?? 'no link id');
  await expect(preview).toContainText('Kreditkarte');

  const text = await pdfText(page);
  expect(text).toContain('Zahlungsbeleg');
  expect(text).toContain('Table 7');
  expect(text).toContain(paid.transactionId ?? 'no transaction id');
  expect(text).toContain('keine Rechnung');
  expect(text).not.toContain('History');

  await dialog.getByTestId('receipt-copy').click();
  await expect(dialog.getByRole('status')).toContainText('Receipt text copied');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toContain('Ihr Zahlungsbeleg von Café Sonne');
  expect(copied).toMatch(/Transaktions-ID:\s+PCI_/);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  await row.getByTestId('row-open').click();
  await expect(page.getByTestId('paid-banner')).toBeVisible();
  await page.getByTestId('paid-banner').getByTestId('open-receipt').click();
  await expect(page.getByTestId('receipt-dialog').getByTestId('receipt-preview')).toContainText(paid.transactionId ?? 'no transaction id');
});

test('with "print the receipt automatically" on, a payment while the link is on screen prints the receipt once', async ({ page, bridge }) => {
  await page.addInitScript(() => {
    window.print = () => {
      document.body.dataset.printed = String(Number(document.body.dataset.printed ?? 0) + 1);
    };
  });
  await saveSettings(bridge, { uiLanguage: 'en' });
  await page.reload();
  await page.getByRole('navigation').getByRole('button', { name: /Settings/ }).click();
  await expect(page.getByTestId('auto-print-receipt')).not.toBeChecked();
  await page.getByTestId('auto-print-receipt').check();
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect.poll(async () => (await dispatch<{ settings: Settings }>(bridge, 'settings.get', {})).settings.autoPrintReceipt).toBe(true);

  const link = await createLink(bridge, 1999, 'Counter sale');
  await page.getByRole('navigation').getByRole('button', { name: /History/ }).click();
  await page.locator(`[data-testid="history-row"][data-ref="${link.merchantRef}"]`).getByTestId('row-open').click();
  await expect(page.getByTestId('paid-banner')).toBeHidden();
  await expect(page.getByTestId('receipt-dialog')).toBeHidden();

  const sim = await bridge.core.demo.get();
  await fetch(`${sim.baseUrl}/__control/transactions/${link.id ?? ''}/pay`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ method: 'creditcard' }),
  });
  await expect(page.getByTestId('paid-banner')).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId('receipt-dialog').getByTestId('receipt-preview')).toContainText('19,99');
  await expect(page.locator('body')).toHaveAttribute('data-printed', '1');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('receipt-dialog')).toBeHidden();
  // Reopening a paid link does not print again.
  await page.getByRole('navigation').getByRole('button', { name: /History/ }).click();
  await page.locator(`[data-testid="history-row"][data-ref="${link.merchantRef}"]`).getByTestId('row-open').click();
  await expect(page.getByTestId('paid-banner')).toBeVisible();
  await expect(page.getByTestId('receipt-dialog')).toBeHidden();
  await expect(page.locator('body')).toHaveAttribute('data-printed', '1');
});
