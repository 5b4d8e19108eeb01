/**
 * Link Desk's Electron wiring — and nothing else. What the app does lives in createAppCore
 * (plain Node, shared with the web bridge); this file connects it to windows, IPC, the
 * keychain, the OS shell and notifications.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, ipcMain, Notification, session } from 'electron';
import Store from 'electron-store';
import { EVENT_CHANNEL } from '../shared/contract/channel-names';
import type { AppEvent } from '../shared/contract';
import { createAppCore, type AppCore } from './app-core';
import { createKeytarSecretStore } from './secret-store';
import { createRedactor } from './redaction';
import { createTrustedSenderCheck } from './ipc/trusted-sender';
import { bindIpc } from './electron/ipc-binding';
import { createSecureWindow, denyPermissions } from './electron/secure-window';
import { createSafeShell } from './electron/safe-shell';
import { createCustomerDisplay } from './electron/customer-display';
import { createWaitingTray } from './electron/tray';

const rendererUrl = process.env['ELECTRON_RENDERER_URL'] ?? pathToFileURL(join(import.meta.dirname, '../renderer/index.html')).href;
const preloadPath = join(import.meta.dirname, '../preload/index.cjs');

let mainWindow: BrowserWindow | null = null;
let core: AppCore | null = null;
let quitting = false;

function showMainWindow(): BrowserWindow {
  if (mainWindow === null || mainWindow.isDestroyed()) {
    mainWindow = createSecureWindow({ preloadPath, rendererUrl, title: 'Link Desk' });
    mainWindow.on('closed', () => (mainWindow = null));
    return mainWindow;
  }
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
  return mainWindow;
}

function sendToWindows(event: AppEvent): void {
  for (const window of BrowserWindow.getAllWindows()) window.webContents.send(EVENT_CHANNEL, event);
}

// One Link Desk per user: a second start focuses the first window instead of watching links twice.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => void showMainWindow());

  void app.whenReady().then(async () => {
    denyPermissions(session.defaultSession);
    const systemLanguage = app.getPreferredSystemLanguages().some((l) => l.toLowerCase().startsWith('de')) ? 'de' : 'en';
    const safeShell = createSafeShell(() => ({ extraOrigins: [core?.demoOrigin()].filter((o): o is string => typeof o === 'string') }));
    const customerDisplay = createCustomerDisplay({ preloadPath, rendererUrl });

    core = await createAppCore({
      dataDir: app.getPath('userData'),
      settingsBackend: new Store({ name: 'settings' }),
      secretStore: createKeytarSecretStore(),
      redactor: createRedactor(),
      isTrustedSender: createTrustedSenderCheck(rendererUrl),
      info: { version: app.getVersion(), shell: 'electron', platform: process.platform, systemLanguage },
      openExternal: (url) => safeShell.openExternal(url),
      openCustomerDisplay: (merchantRef) => customerDisplay.open(merchantRef),
      notifier: {
        notify({ title, body, merchantRef }) {
          if (!Notification.isSupported()) return;
          const notification = new Notification({ title, body });
          notification.on('click', () => {
            showMainWindow();
            sendToWindows({ type: 'navigate', to: 'link', merchantRef });
          });
          notification.show();
        },
      },
    });
    bindIpc(ipcMain, core.dispatch);
    core.events.subscribe(sendToWindows);

    const german = systemLanguage === 'de';
    const tray = createWaitingTray({
      onOpen: () => void showMainWindow(),
      onQuit: () => app.quit(),
      labels: () => ({
        open: german ? 'Link Desk öffnen' : 'Open Link Desk',
        quit: german ? 'Beenden' : 'Quit',
        waiting: (count) => (german ? `${count} Link(s) warten auf Zahlung` : `${count} link(s) waiting for payment`),
      }),
    });
    core.events.subscribe((event) => {
      if (event.type !== 'links.waiting') return;
      tray.setWaiting(event.count);
      app.setBadgeCount(event.count);
    });
    showMainWindow();

    app.on('activate', () => void showMainWindow());
    app.on('before-quit', () => {
      quitting = true;
      void core?.dispose();
    });
  });

  // Closing the window keeps Link Desk in the tray, watching links; "Quit" in the tray ends it.
  app.on('window-all-closed', () => {
    if (quitting) app.quit();
  });
}
