import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { CUSTOMER_DISPLAY_CHANNELS } from '../../src/shared/contract/channel-names';

const main = { url: 'http://127.0.0.1/', isTopFrame: true } as const;

async function openSettings(page: Page): Promise<void> {
  await page.getByRole('button', { name: /^(Settings|Einstellungen)/ }).click();
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
}

async function setPinAndLock(page: Page, pin: string): Promise<void> {
  await page.getByLabel('New PIN (4 to 8 digits)').fill(pin);
  await page.getByRole('button', { name: 'Set PIN' }).click();
  await expect(page.getByTestId('pin-feedback')).toHaveText('Owner PIN set.');
  await expect(page.getByTestId('pin-state')).toHaveText('PIN set');
  await page.getByRole('button', { name: 'Lock now' }).click();
  await expect(page.getByTestId('pin-feedback')).toContainText('Locked');
}

test('a protected change asks for the owner PIN, refuses a wrong one and goes through with the right one', async ({ page, bridge }) => {
  await openSettings(page);
  await setPinAndLock(page, '2468');

  await page.getByLabel('Business name').fill('Bäckerei Sonne');
  await page.getByRole('button', { name: 'Save settings' }).click();
  const dialog = page.getByTestId('pin-dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('PIN').fill('1111');
  await dialog.getByRole('button', { name: 'Unlock' }).click();
  await expect(dialog.getByText('That PIN is not right.')).toBeVisible();
  let stored = await bridge.core.dispatch('settings.get', main, {});
  expect(stored).toMatchObject({ ok: true, value: { settings: { merchantName: '' } } });

  await dialog.getByLabel('PIN').fill('2468');
  await dialog.getByRole('button', { name: 'Unlock' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('settings-feedback')).toHaveText('Settings saved.');
  stored = await bridge.core.dispatch('settings.get', main, {});
  expect(stored).toMatchObject({ ok: true, value: { settings: { merchantName: 'Bäckerei Sonne' }, pin: { set: true } } });
  expect(JSON.stringify(stored)).not.toMatch(/hash|salt/);
});

test('cancelling the PIN dialog leaves everything as it was and says why', async ({ page, bridge }) => {
  await openSettings(page);
  await setPinAndLock(page, '97531');
  await page.getByLabel('Business name').fill('Not saved');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByTestId('pin-dialog').getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('settings-feedback')).toHaveText('This needs the owner PIN.');
  const stored = await bridge.core.dispatch('settings.get', main, {});
  expect(stored).toMatchObject({ ok: true, value: { settings: { merchantName: '' } } });
});

test('"Copy diagnostics" copies version, environment and recent errors, nothing secret', async ({ page, context, bridge }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(bridge.url).origin });
  await bridge.core.dispatch('log.report', main, { where: 'HistoryScreen', message: 'TypeError: boom' });
  await openSettings(page);
  await page.getByTestId('copy-diagnostics').click();
  await expect(page.getByTestId('diagnostics-feedback')).toHaveText('Diagnostics copied.');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toContain('Link Desk');
  expect(copied).toContain('Environment: demo');
  expect(copied).toContain('TypeError: boom');
  expect(copied).not.toMatch(/secret-simulator-only/);
});

test('the customer display page gets only its own channels', async ({ page, bridge }) => {
  const created = await bridge.core.dispatch('links.create', main, {
    amountCents: 990, currency: 'EUR', reference: 'Display', language: 'en', paymentMethod: 'any', returnUrls: { success: '', error: '', abort: '' },
  });
  if (!created.ok) throw new Error(JSON.stringify(created.error));
  const merchantRef = (created.value as { merchantRef: string }).merchantRef;
  await page.goto(`${bridge.url}#customer-display/${encodeURIComponent(merchantRef)}`);
  await page.reload();
  await expect(page.getByTestId('display-amount')).toHaveText(/9[.,]90/);
  const exposed = await page.evaluate(() => Object.keys(window.linkDesk).sort());
  expect(exposed).toEqual([...CUSTOMER_DISPLAY_CHANNELS, 'subscribe'].sort());
  // Even sent by hand, another channel is refused for this page.
  const forged = await page.evaluate(async () => {
    const response = await fetch('/ipc/secret.remove', { method: 'POST', headers: { 'content-type': 'application/json', 'x-link-desk-frame': 'top' }, body: '{}' });
    return response.json() as Promise<unknown>;
  });
  expect(forged).toMatchObject({ ok: false, error: { code: 'ipc.forbidden_sender' } });
});
