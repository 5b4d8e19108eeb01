/**
 * Link Desk's Electron wiring — and nothing else. What the app does lives in createAppCore
 * (plain Node, shared with the web bridge); this file connects it to windows, IPC, the
 * keychain, the OS shell and notifications.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, ipcMain, session } from 'electron';
import Store from 'electron-store';
import { EVENT_CHANNEL } from '../shared/contract/channel-names';
import { createAppCore } from './app-core';
import { createKeytarSecretStore } from './secret-store';
import { createRedactor } from './redaction';
import { createTrustedSenderCheck } from './ipc/trusted-sender';
import { bindIpc } from './electron/ipc-binding';
import { createSecureWindow, denyPermissions } from './electron/secure-window';

const rendererUrl = process.env['ELECTRON_RENDERER_URL'] ?? pathToFileURL(join(import.meta.dirname, '../renderer/index.html')).href;
const preloadPath = join(import.meta.dirname, '../preload/index.cjs');

let mainWindow: BrowserWindow | null = null;

function showMainWindow(): void {
  if (mainWindow === null || mainWindow.isDestroyed()) {
    mainWindow = createSecureWindow({ preloadPath, rendererUrl, title: 'Link Desk' });
    mainWindow.on('closed', () => (mainWindow = null));
    return;
  }
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

// One Link Desk per user: a second start focuses the first window instead of watching links twice.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', showMainWindow);

  void app.whenReady().then(async () => {
    denyPermissions(session.defaultSession);
    const systemLanguage = app.getPreferredSystemLanguages().some((l) => l.toLowerCase().startsWith('de')) ? 'de' : 'en';
    const core = await createAppCore({
      dataDir: app.getPath('userData'),
      settingsBackend: new Store({ name: 'settings' }),
      secretStore: createKeytarSecretStore(),
      redactor: createRedactor(),
      isTrustedSender: createTrustedSenderCheck(rendererUrl),
      info: { version: app.getVersion(), shell: 'electron', platform: process.platform, systemLanguage },
    });
    bindIpc(ipcMain, core.dispatch);
    core.events.subscribe((event) => {
      for (const window of BrowserWindow.getAllWindows()) window.webContents.send(EVENT_CHANNEL, event);
    });
    showMainWindow();

    app.on('activate', showMainWindow);
    app.on('before-quit', () => void core.dispose());
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
