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
import { createWindowPrinter } from './electron/print';
import { createKeytarSecretStore } from './secret-store';
import { createRedactor } from './redaction';
import { createTrustedSenderCheck } from './ipc/trusted-sender';
import { bindIpc, createWindowRoles } from './electron/ipc-binding';
import { createAppLog, describe } from './log';
import { closeWithin } from './quit';
import { createSecureWindow, denyPermissions } from './electron/secure-window';
import { createSafeShell } from './electron/safe-shell';
import { createCustomerDisplay } from './electron/customer-display';
import { createWaitingTray } from './electron/tray';
import { pickLanguage } from '../shared/i18n';
import { createLoginItem, wasStartedHidden } from './electron/login-item';

const rendererUrl = process.env['ELECTRON_RENDERER_URL'] ?? pathToFileURL(join(import.meta.dirname, '../renderer/index.html')).href;
const preloadPath = join(import.meta.dirname, '../preload/index.cjs');
const displayPreloadPath = join(import.meta.dirname, '../preload/customer-display.cjs');
/** How long quitting waits for pending writes (history, settings) before it goes anyway. */
const QUIT_WAIT_MS = 3000;

let mainWindow: BrowserWindow | null = null;
let core: AppCore | null = null;
let quitting = false;
const windowRoles = createWindowRoles();
let customerDisplay: ReturnType<typeof createCustomerDisplay> | null = null;

function showMainWindow(): BrowserWindow {
  if (mainWindow === null || mainWindow.isDestroyed()) {
    mainWindow = createSecureWindow({ preloadPath, rendererUrl, title: 'Link Desk' });
    windowRoles.assign(mainWindow, 'main');
    mainWindow.on('closed', () => (mainWindow = null));
    // Shown again (from the tray, restored, brought to front): a link is probably coming (issue 14).
    const warmUp = () => core?.warmUp();
    mainWindow.on('show', warmUp).on('restore', warmUp).on('focus', warmUp);
    return mainWindow;
  }
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
  return mainWindow;
}

/** Every event to the main window; the customer display gets only its own link's updates. */
function sendToWindows(event: AppEvent): void {
  if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(EVENT_CHANNEL, event);
  customerDisplay?.forward(event);
}

// Windows shows notifications only for the AppUserModelID the installer's shortcut carries: appId in electron-builder.cjs.
if (process.platform === 'win32') app.setAppUserModelId('app.linkdesk.desk');

// One Link Desk per user: a second start focuses the first window instead of watching links twice.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => void showMainWindow());

  void app.whenReady().then(async () => {
    denyPermissions(session.defaultSession);
    // The first of the OS's preferred languages that Link Desk speaks (English otherwise).
    const systemLanguage = pickLanguage(app.getPreferredSystemLanguages());
    const safeShell = createSafeShell(() => ({ extraOrigins: [core?.demoOrigin()].filter((o): o is string => typeof o === 'string') }));
    const display = createCustomerDisplay({
      preloadPath: displayPreloadPath,
      rendererUrl,
      onCreated: (window) => windowRoles.assign(window, 'customer-display'),
    });
    customerDisplay = display;
    const redactor = createRedactor();
    const log = createAppLog({ dataDir: app.getPath('userData'), redactor });
    process.on('uncaughtException', (error) => log.error(`[main] uncaught: ${describe(error)}`));
    process.on('unhandledRejection', (reason) => log.error(`[main] unhandled rejection: ${describe(reason)}`));

    core = await createAppCore({
      dataDir: app.getPath('userData'),
      // watch: settings edited outside (by hand, another process) are read again.
      settingsBackend: new Store({ name: 'settings', watch: true }),
      secretStore: createKeytarSecretStore({ warn: (line) => log.warn(line) }),
      redactor,
      log,
      isTrustedSender: createTrustedSenderCheck(rendererUrl),
      info: { version: app.getVersion(), shell: 'electron', platform: process.platform, systemLanguage },
      openExternal: (url) => safeShell.openExternal(url),
      openCustomerDisplay: (merchantRef) => display.open(merchantRef),
      printDocument: createWindowPrinter(() => mainWindow),
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
    bindIpc(ipcMain, core.dispatch, windowRoles);
    core.events.subscribe(sendToWindows);

    const appCore = core;
    const tray = createWaitingTray({
      onOpen: () => void showMainWindow(),
      onQuit: () => app.quit(),
      language: () => appCore.uiLanguage(),
    });
    core.events.subscribe((event) => {
      if (event.type === 'settings.changed') tray.refresh();
      if (event.type !== 'links.waiting') return;
      tray.setWaiting(event.count);
      app.setBadgeCount(event.count);
    });
    // Start at login (Settings): applied at every start and on each change; a start at login stays in the tray.
    const loginItem = createLoginItem({ warn: (line) => core?.log.warn(line) });
    void loginItem.apply((await core.handlers['settings.get']({})).settings.startAtLogin);
    core.events.subscribe((event) => {
      if (event.type === 'settings.changed') void loginItem.apply(event.view.settings.startAtLogin);
    });
    if (!wasStartedHidden()) showMainWindow();

    app.on('activate', () => void showMainWindow());
    // Quit waits (at most QUIT_WAIT_MS) for the history and settings to be written, then quits for real.
    app.on('before-quit', (event) => {
      quitting = true;
      const closing = core;
      if (closing === null) return;
      core = null;
      event.preventDefault();
      void closeWithin(() => closing.dispose(), QUIT_WAIT_MS, (error) => log.error(`[main] closing failed: ${describe(error)}`)).then((outcome) => {
        if (outcome === 'timed-out') log.warn(`[main] pending writes did not finish within ${QUIT_WAIT_MS} ms; quitting anyway`);
        app.quit();
      });
    });
  });

  // Closing the window keeps Link Desk in the tray, watching links; "Quit" in the tray ends it.
  app.on('window-all-closed', () => {
    if (quitting) app.quit();
  });
}
