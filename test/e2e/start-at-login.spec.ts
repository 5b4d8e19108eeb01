import { test, expect } from './fixtures';

test('"Start at login" is off at first, is saved when turned on, and survives a reload', async ({ page, bridge }) => {
  await page.getByRole('button', { name: /^(Settings|Einstellungen)/ }).click();
  const toggle = page.getByRole('checkbox', { name: /Start Link Desk when I log in/ });
  await expect(toggle).not.toBeChecked();
  await toggle.check();
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByTestId('settings-feedback')).toContainText('Settings saved');
  const stored = await bridge.core.dispatch('settings.get', { url: bridge.url, isTopFrame: true }, {});
  expect(stored).toMatchObject({ ok: true, value: { settings: { startAtLogin: true } } });

  await page.reload();
  await page.getByRole('button', { name: /^(Settings|Einstellungen)/ }).click();
  await expect(page.getByRole('checkbox', { name: /Start Link Desk when I log in/ })).toBeChecked();
});
