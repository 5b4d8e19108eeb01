import { readFile } from 'node:fs/promises';
import type { Page, Response } from '@playwright/test';
import { test, expect } from './fixtures';
import type { RunningBridgeApp } from '../../src/web-bridge/bridge-app';
import type { LinkRecord } from '../../src/shared/link';
import { qrMatrix } from '../../src/renderer/src/qr';

/** The counter flow: amount → Enter → QR → the buyer pays on the (simulated) payment page → "Paid". */

const sender = (bridge: RunningBridgeApp) => ({ url: bridge.url, isTopFrame: true });

async function createdRecord(response: Promise<Response>): Promise<LinkRecord> {
  const body = (await (await response).json()) as { ok: boolean; value: LinkRecord };
  expect(body.ok).toBe(true);
  return body.value;
}

async function switchToGerman(page: Page, bridge: RunningBridgeApp): Promise<void> {
  const view = await bridge.core.dispatch('settings.get', sender(bridge), {});
  if (!view.ok) throw new Error('settings.get failed');
  const { settings } = view.value as { settings: Record<string, unknown> };
  const saved = await bridge.core.dispatch('settings.save', sender(bridge), { settings: { ...settings, uiLanguage: 'de' } });
  expect(saved.ok).toBe(true);
  await page.reload();
}

async function payOnSimulatorPage(page: Page, url: string, method?: RegExp): Promise<void> {
  const payPage = await page.context().newPage();
  await payPage.goto(url);
  if (method) await payPage.getByRole('radio', { name: method }).check();
  await payPage.getByRole('button', { name: /^(Jetzt bezahlen|Pay now)$/ }).click();
  await expect(payPage.getByRole('heading', { name: /^(Bezahlt|Paid)$/ })).toBeVisible();
  await payPage.close();
}

test('counter: amount, Enter, QR of the link main returned, paid on the payment page, "Paid" within seconds', async ({ page, bridge }) => {
  const amount = page.getByLabel('Amount');
  await expect(amount).toBeFocused();
  await amount.fill('17.50');
  await page.getByLabel('Reference (optional)').fill('Counter 12');
  const response = page.waitForResponse('**/ipc/links.create');
  await amount.press('Enter');
  const record = await createdRecord(response);

  const qr = page.getByTestId('qr-code');
  await expect(qr).toHaveAttribute('data-qr-payload', record.paymentUrl ?? 'missing');
  // The drawn modules are those of that very URL, not just the attribute.
  expect(await qr.locator('path').getAttribute('d')).toBe(qrMatrix(record.paymentUrl ?? '').path);
  const stored = await bridge.core.dispatch('links.get', sender(bridge), { merchantRef: record.merchantRef });
  expect(stored).toMatchObject({ ok: true, value: { paymentUrl: record.paymentUrl, amountCents: 1750, reference: 'Counter 12' } });

  await expect(page.getByTestId('link-amount')).toHaveText('€17.50');
  await expect(page.getByTestId('link-reference')).toHaveText('Counter 12');
  await expect(page.getByTestId('link-status')).toHaveText('Waiting for payment');
  await expect(page.getByTestId('demo-tag')).toHaveText('Demo – no real money');
  await expect(page.getByRole('button', { name: /Copy link/ })).toBeFocused();
  await expect(page.getByTestId('paid-banner')).toHaveCount(0);

  await payOnSimulatorPage(page, record.paymentUrl ?? '');
  await expect(page.getByTestId('paid-banner')).toContainText('Paid', { timeout: 10_000 });
  await expect(page.getByTestId('link-status')).toHaveText('Paid');
});

test('customer display shows amount, QR and status, and says thank you when paid', async ({ page }) => {
  await page.getByLabel('Amount').fill('8.20');
  const response = page.waitForResponse('**/ipc/links.create');
  await page.getByRole('button', { name: /Create link/ }).click();
  const record = await createdRecord(response);

  const popup = page.context().waitForEvent('page');
  await page.getByRole('button', { name: /Customer display/ }).click();
  const display = await popup;
  // The customer reads the payment page's language (German by default), not the merchant's.
  await expect(display.getByTestId('display-amount')).toHaveText('8,20 €');
  await expect(display.getByTestId('qr-code')).toHaveAttribute('data-qr-payload', record.paymentUrl ?? 'missing');
  await expect(display.getByTestId('display-status')).toHaveText('Warten auf Zahlung');
  await expect(display.getByRole('navigation')).toHaveCount(0);

  await payOnSimulatorPage(page, record.paymentUrl ?? '');
  await expect(display.getByTestId('display-thanks')).toContainText('Vielen Dank!', { timeout: 10_000 });
  await expect(display.getByTestId('qr-code')).toHaveCount(0);
  await expect(page.getByTestId('paid-banner')).toBeVisible();
});

test('German: amount typed the German way, German status words', async ({ page, bridge }) => {
  await switchToGerman(page, bridge);
  await expect(page.getByRole('heading', { name: 'Neuer Zahlungslink' })).toBeVisible();
  const amount = page.getByLabel('Betrag');
  await expect(amount).toBeFocused();
  await amount.fill('1.234,5');
  await expect(page.getByText('= 1.234,50 €')).toBeVisible();
  const response = page.waitForResponse('**/ipc/links.create');
  await amount.press('Enter');
  const record = await createdRecord(response);
  expect(record.amountCents).toBe(123450);

  await expect(page.getByTestId('link-amount')).toHaveText('1.234,50 €');
  await expect(page.getByTestId('link-status')).toHaveText('Warten auf Zahlung');
  await expect(page.getByTestId('demo-tag')).toHaveText('Demo – kein echtes Geld');
  await expect(page.getByRole('button', { name: /Link kopieren/ })).toBeFocused();
  await payOnSimulatorPage(page, record.paymentUrl ?? '');
  await expect(page.getByTestId('paid-banner')).toContainText('Bezahlt', { timeout: 10_000 });
});

test('keyboard only: create, copy, customer display, next customer, settings', async ({ page }) => {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await expect(page.getByLabel('Amount')).toBeFocused();
  await page.keyboard.type('5');
  const response = page.waitForResponse('**/ipc/links.create');
  await page.keyboard.press('Enter');
  const record = await createdRecord(response);
  await expect(page.getByRole('button', { name: /Copy link/ })).toBeFocused();

  // The focused button: Enter copies the link.
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('action-feedback')).toHaveText('Link copied.');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(record.paymentUrl);

  await page.evaluate(() => navigator.clipboard.writeText(''));
  await page.keyboard.press('Control+e');
  await expect(page.getByTestId('action-feedback')).toHaveText('E-mail text copied.');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toContain(record.paymentUrl);

  const popup = page.context().waitForEvent('page');
  await page.keyboard.press('Control+d');
  const display = await popup;
  await expect(display.getByTestId('qr-code')).toHaveAttribute('data-qr-payload', record.paymentUrl ?? 'missing');
  await display.close();

  // Next customer: one key, a fresh form with the cursor in the amount field.
  await page.keyboard.press('Control+n');
  const amount = page.getByLabel('Amount');
  await expect(amount).toBeFocused();
  await expect(amount).toHaveValue('');
  await page.keyboard.type('6.40');
  await page.keyboard.press('Tab'); // currency
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Reference (optional)')).toBeFocused();
  await page.keyboard.type('Table 4');
  const second = page.waitForResponse('**/ipc/links.create');
  await page.keyboard.press('Enter');
  expect((await createdRecord(second)).amountCents).toBe(640);
  await expect(page.getByTestId('link-reference')).toHaveText('Table 4');

  await page.keyboard.press('Control+,');
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
  await page.keyboard.press('Control+n');
  await expect(page.getByLabel('Amount')).toBeFocused();
});

test('offline: says so, keeps the status it knows, and recovers on its own', async ({ page }) => {
  await page.getByLabel('Amount').fill('3.00');
  const response = page.waitForResponse('**/ipc/links.create');
  await page.keyboard.press('Enter');
  const record = await createdRecord(response);
  const simulator = new URL(record.paymentUrl ?? '').origin;
  await expect(page.getByTestId('link-status')).toHaveText('Waiting for payment');

  // secupay unreachable: the link's own status and the account sync's list both fail.
  for (const route of ['GET /api/v2/Smart/Transactions/*', 'GET /api/v2/Smart/Transactions']) {
    const added = await fetch(`${simulator}/__control/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ route, kind: 'drop', times: 'Infinity' }),
    });
    expect(added.ok).toBe(true);
  }
  try {
    await expect(page.getByTestId('offline-notice')).toHaveText('Offline – retrying…', { timeout: 20_000 });
    await expect(page.getByTestId('link-status')).toHaveText('Waiting for payment');
    // The buyer pays while the desk cannot reach secupay.
    await payOnSimulatorPage(page, record.paymentUrl ?? '');
    await page.waitForTimeout(3000);
    await expect(page.getByTestId('link-status')).toHaveText('Waiting for payment');
    await expect(page.getByTestId('paid-banner')).toHaveCount(0);
  } finally {
    await fetch(`${simulator}/__control/faults`, { method: 'DELETE' });
  }
  await expect(page.getByTestId('paid-banner')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('offline-notice')).toHaveCount(0);
  await expect(page.getByTestId('link-status')).toHaveText('Paid');
});

test('a failed payment offers to create the link again with the same data', async ({ page }) => {
  await page.getByLabel('Amount').fill('42.00');
  await page.getByLabel('Reference (optional)').fill('Repair 77');
  const response = page.waitForResponse('**/ipc/links.create');
  await page.keyboard.press('Enter');
  const record = await createdRecord(response);

  const payPage = await page.context().newPage();
  await payPage.goto(record.paymentUrl ?? '');
  await payPage.getByRole('button', { name: /Fehlgeschlagene Zahlung simulieren|Simulate a failed payment/ }).click();
  // Close only after the result page has loaded: closing during the form's navigation can hang Chromium.
  await expect(payPage.getByRole('heading', { name: /^(Zahlung fehlgeschlagen|Payment failed)$/ })).toBeVisible();
  await payPage.close();

  await expect(page.getByTestId('link-status')).toHaveText('Failed', { timeout: 10_000 });
  await page.getByTestId('create-again').click();
  await expect(page.getByLabel('Amount')).toHaveValue('42.00');
  await expect(page.getByLabel('Reference (optional)')).toHaveValue('Repair 77');
});

test('the QR code can be saved as SVG and PNG for a flyer or an invoice', async ({ page }) => {
  await page.getByLabel('Amount').fill('5.00');
  await page.getByLabel('Reference (optional)').fill('Flyer 1');
  await page.keyboard.press('Enter');
  const qr = page.getByTestId('qr-code');
  await expect(qr).toBeVisible();
  const payload = await qr.getAttribute('data-qr-payload');

  const [svg] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /Save QR as SVG/ }).click()]);
  expect(svg.suggestedFilename()).toMatch(/\.svg$/);
  const svgText = await readFile((await svg.path())!, 'utf8');
  expect(svgText).toMatch(/^<\?xml|^<svg/);
  expect(svgText).toContain('<path');

  const [png] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /Save QR as PNG/ }).click()]);
  expect(png.suggestedFilename()).toMatch(/\.png$/);
  const bytes = await readFile((await png.path())!);
  expect([...bytes.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
  // A printable size, not a thumbnail: the IHDR width.
  expect(bytes.readUInt32BE(16)).toBeGreaterThanOrEqual(512);
  expect(payload).toContain('/pay?');
});
