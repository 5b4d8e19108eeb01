import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { createKeytarSecretStore } from '../../src/main/secret-store';
import { startBridgeApp } from '../../src/web-bridge/bridge-app';

const CONTRACT = 'GCR_2H69XY35227V2VKP9WRA3SJ0W95RP0';

/** The app opens on "New link"; these tests start from Settings. */
async function openSettings(page: Page): Promise<void> {
  await page.getByRole('button', { name: /^(Settings|Einstellungen)/ }).click();
}

test.beforeEach(async ({ page }) => {
  await openSettings(page);
});

test('first start is Demo, clearly marked', async ({ page }) => {
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
  await expect(page.getByTestId('demo-banner')).toContainText('Demo mode');
  await expect(page.getByTestId('environment-badge')).toHaveText(/demo/i);
  await expect(page.getByRole('radio', { name: /Demo/ })).toBeChecked();
});

test('invalid settings are refused next to their fields and nothing is saved', async ({ page, bridge }) => {
  await page.getByRole('radio', { name: /Testing/ }).check();
  await page.getByLabel('Contract ID').fill('12345');
  await page.getByLabel('After successful payment').fill('http://shop.example/thanks');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('A contract ID looks like GCR_')).toBeVisible();
  await expect(page.getByText('Enter a full address starting with https://')).toBeVisible();
  await expect(page.getByTestId('settings-feedback')).toContainText('not saved');
  const stored = await bridge.core.dispatch('settings.get', { url: bridge.url, isTopFrame: true }, {});
  expect(stored).toMatchObject({ ok: true, value: { settings: { environment: 'demo', contractId: '' } } });
});

test('settings are saved and survive a reload; the secret goes to the keychain only', async ({ page, bridge, keychainService }) => {
  await page.getByRole('radio', { name: /Testing/ }).check();
  await page.getByLabel('Client ID').fill('merchant-client-7');
  await page.getByLabel('Contract ID').fill(CONTRACT.toLowerCase());
  await page.getByLabel('Business name').fill('Fahrradwerkstatt Kühn');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByTestId('settings-feedback')).toHaveText('Settings saved.');
  await expect(page.getByTestId('environment-badge')).toHaveText(/testing/i);
  await expect(page.getByTestId('demo-banner')).toHaveCount(0);

  const secret = 'e2e-S3cret-' + Date.now();
  await page.getByLabel('Client secret').fill(secret);
  await page.getByRole('button', { name: 'Store in keychain' }).click();
  await expect(page.getByTestId('secret-feedback')).toHaveText('Client secret stored in the keychain.');
  await expect(page.getByTestId('secret-status')).toContainText('Stored in the keychain');
  await expect(page.getByLabel('Client secret')).toHaveValue('');

  const keychain = createKeytarSecretStore({ service: keychainService });
  expect(await keychain.get('testing')).toBe(secret);
  for (const file of await readdir(bridge.dataDir, { recursive: true })) {
    const content = await readFile(join(bridge.dataDir, file)).catch(() => Buffer.alloc(0));
    expect(content.toString('utf8')).not.toContain(secret);
  }
  expect(await page.content()).not.toContain(secret);

  await page.reload();
  await openSettings(page);
  await expect(page.getByLabel('Client ID')).toHaveValue('merchant-client-7');
  await expect(page.getByLabel('Contract ID')).toHaveValue(CONTRACT);
  await expect(page.getByTestId('secret-status')).toContainText('Stored in the keychain');

  await page.getByRole('button', { name: 'Remove' }).click();
  await expect(page.getByTestId('secret-feedback')).toHaveText('Client secret removed from the keychain.');
  await expect(page.getByTestId('secret-status')).toContainText('Not stored');
  expect(await keychain.get('testing')).toBeNull();
});

test('the whole screen switches to German', async ({ page }) => {
  await page.getByLabel('App language').selectOption('de');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('heading', { name: 'Einstellungen' })).toBeVisible();
  await expect(page.getByTestId('settings-feedback')).toHaveText('Einstellungen gespeichert.');
  await expect(page.getByTestId('demo-banner')).toContainText('Demo-Modus');
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');
  await page.getByLabel('Nach erfolgreicher Zahlung').fill('ftp://x');
  await page.getByRole('button', { name: 'Einstellungen speichern' }).click();
  await expect(page.getByText('Geben Sie eine vollständige Adresse ein, die mit https:// beginnt.')).toBeVisible();
});

test('without a reachable keychain the screen says so and offers no secret field', async ({ page }) => {
  const app = await startBridgeApp({ secretStore: createKeytarSecretStore({ loadKeytar: () => Promise.reject(new Error('no secret service')) }) });
  try {
    await page.goto(app.url);
    await openSettings(page);
    await page.getByRole('radio', { name: /Testing/ }).check();
    await page.getByLabel('Client ID').fill('client-x');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByTestId('keychain-unavailable')).toContainText('cannot be reached');
    await expect(page.getByLabel('Client secret')).toHaveCount(0);
  } finally {
    await app.close();
  }
});

test('a page on another origin cannot change anything through the bridge', async ({ bridge }) => {
  const view = await bridge.core.dispatch('settings.get', { url: bridge.url, isTopFrame: true }, {});
  expect(view.ok).toBe(true);
  // A complete, valid change: refused only because of where it comes from.
  const settings = { ...(view.ok ? (view.value as { settings: object }).settings : {}), clientId: 'attacker' };
  const save = (origin: string, contentType = 'application/json') => fetch(`${bridge.url}ipc/settings.save`, {
    method: 'POST',
    // The headers the app's page sends (src/web-bridge/preload.ts): all but the origin as the app would.
    headers: { 'content-type': contentType, origin, 'x-link-desk-frame': 'top', 'x-link-desk-window': 'main' },
    body: JSON.stringify({ settings }),
  });
  expect((await save('http://evil.example')).status).toBe(403);
  // A "simple" request, which a browser sends cross-origin without a CORS preflight: refused as well.
  expect((await save('http://evil.example', 'text/plain')).status).toBeGreaterThanOrEqual(400);
  const unchanged = await bridge.core.dispatch('settings.get', { url: bridge.url, isTopFrame: true }, {});
  expect(unchanged).toMatchObject({ ok: true, value: { settings: { clientId: '' } } });
  // The same request from the app's own page goes through, so the origin was what stopped it.
  const own = await save(new URL(bridge.url).origin);
  expect(own.status).toBe(200);
  expect(await own.json()).toMatchObject({ ok: true });
  const changed = await bridge.core.dispatch('settings.get', { url: bridge.url, isTopFrame: true }, {});
  expect(changed).toMatchObject({ ok: true, value: { settings: { clientId: 'attacker' } } });
});

test('"Test connection" logs in with the saved settings and says plainly what is wrong', async ({ page }) => {
  await page.getByRole('button', { name: 'Test connection' }).click();
  await expect(page.getByTestId('connection-feedback')).toContainText(/Connected: Demo at http:\/\/127\.0\.0\.1:\d+ accepted the credentials/);

  await page.getByRole('radio', { name: /Testing/ }).check();
  await page.getByRole('button', { name: 'Test connection' }).click();
  await expect(page.getByTestId('connection-feedback')).toContainText('unsaved changes');

  await page.getByLabel('Client ID').fill('merchant-client-7');
  await page.getByLabel('Contract ID').fill('GCR_2H69XY35227V2VKP9WRA3SJ0W95RP0');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByTestId('settings-feedback')).toHaveText('Settings saved.');
  await page.getByRole('button', { name: 'Test connection' }).click();
  // Nothing to send without a secret: the test says so and marks the field.
  await expect(page.getByTestId('connection-feedback')).toHaveText('The test needs: Client secret. Fill in the marked fields first.');
  await expect(page.getByLabel('Client secret')).toHaveAttribute('aria-invalid', 'true');
});
