import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// Electron is replaced: what is checked is what the wiring asks of it per OS.
const fakeApp = {
  isPackaged: true,
  getAppPath: () => '/opt/Link Desk/resources/app.asar',
  setLoginItemSettings: vi.fn(),
  getLoginItemSettings: vi.fn(() => ({ wasOpenedAtLogin: false })),
};
vi.mock('electron', () => ({ app: fakeApp }));

const { createLoginItem, wasStartedHidden } = await import('../../src/main/electron/login-item');

const realPlatform = process.platform;
function onPlatform(platform: NodeJS.Platform) {
  Object.defineProperty(process, 'platform', { value: platform });
}

let config: string;
beforeEach(() => {
  config = mkdtempSync(join(tmpdir(), 'link-desk-login-'));
  vi.stubEnv('XDG_CONFIG_HOME', config);
  vi.stubEnv('APPIMAGE', '');
  fakeApp.setLoginItemSettings.mockReset();
  fakeApp.getLoginItemSettings.mockReset().mockReturnValue({ wasOpenedAtLogin: false });
});
afterEach(() => {
  onPlatform(realPlatform);
  vi.unstubAllEnvs();
  rmSync(config, { recursive: true, force: true });
});

describe('start at login', () => {
  it('on Windows registers the installed executable with --hidden, once per change', async () => {
    onPlatform('win32');
    const loginItem = createLoginItem({ warn: vi.fn() });
    await loginItem.apply(true);
    await loginItem.apply(true);
    expect(fakeApp.setLoginItemSettings).toHaveBeenCalledTimes(1);
    expect(fakeApp.setLoginItemSettings).toHaveBeenLastCalledWith({ openAtLogin: true, path: process.execPath, args: ['--hidden'] });
    await loginItem.apply(false);
    expect(fakeApp.setLoginItemSettings).toHaveBeenLastCalledWith({ openAtLogin: false, path: process.execPath, args: ['--hidden'] });
  });

  it('on Linux writes and removes the XDG autostart entry instead of a login item', async () => {
    onPlatform('linux');
    const loginItem = createLoginItem({ warn: vi.fn() });
    const file = join(config, 'autostart', 'link-desk.desktop');
    await loginItem.apply(true);
    expect(readFileSync(file, 'utf8')).toMatch(/^Exec=.* --hidden$/m);
    expect(fakeApp.setLoginItemSettings).not.toHaveBeenCalled();
    await loginItem.apply(false);
    expect(existsSync(file)).toBe(false);
  });

  it('reports a failure, and tries again on the next apply', async () => {
    onPlatform('darwin');
    const warn = vi.fn();
    fakeApp.setLoginItemSettings.mockImplementationOnce(() => {
      throw new Error('not allowed');
    });
    const loginItem = createLoginItem({ warn });
    await loginItem.apply(true);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('could not turn on start at login'));
    await loginItem.apply(true);
    expect(fakeApp.setLoginItemSettings).toHaveBeenCalledTimes(2);
  });
});

describe('started hidden', () => {
  it('with --hidden on any OS, or when macOS opened it at login', () => {
    onPlatform('linux');
    expect(wasStartedHidden(['/opt/link-desk', '--hidden'])).toBe(true);
    expect(wasStartedHidden(['/opt/link-desk'])).toBe(false);
    onPlatform('darwin');
    expect(wasStartedHidden(['/Applications/Link Desk.app/Contents/MacOS/Link Desk'])).toBe(false);
    fakeApp.getLoginItemSettings.mockReturnValue({ wasOpenedAtLogin: true });
    expect(wasStartedHidden(['/Applications/Link Desk.app/Contents/MacOS/Link Desk'])).toBe(true);
  });
});
