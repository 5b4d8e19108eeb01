import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, _electron as electron } from '@playwright/test';

/** The Electron binary, if this machine has one (it is downloaded on first use where the network allows). */
function electronBinary(): string | null {
  const pathFile = join('node_modules', 'electron', 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join('node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

const binary = electronBinary();

test.describe('real Electron app', () => {
  test.skip(binary === null, 'No Electron binary on this machine (install without ELECTRON_SKIP_BINARY_DOWNLOAD to run this).');

  test('opens a secure window showing Link Desk in Demo mode', async () => {
    const app = await electron.launch({ executablePath: binary!, args: ['.'], env: { ...process.env, ELECTRON_DISABLE_SECURITY_WARNINGS: 'false' } });
    try {
      const window = await app.firstWindow();
      await expect(window.getByTestId('environment-badge')).toHaveText(/demo/i);
      expect(await window.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
      expect(await window.evaluate(() => Object.keys((window as unknown as { linkDesk: object }).linkDesk).sort())).toContain('settings.get');
    } finally {
      await app.close();
    }
  });
});
