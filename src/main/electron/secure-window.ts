import { BrowserWindow, type BrowserWindowConstructorOptions, type Session } from 'electron';

/** The web preferences every Link Desk window gets. Exported so a test can check them. */
export function secureWebPreferences(preloadPath: string): NonNullable<BrowserWindowConstructorOptions['webPreferences']> {
  return {
    preload: preloadPath,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
    navigateOnDragDrop: false,
  };
}

export interface SecureWindowOptions {
  preloadPath: string;
  /** Our renderer: a file:// URL of the built index.html, or the dev server URL. */
  rendererUrl: string;
  /** Added to the renderer URL as the hash, e.g. `#customer-display` for the second window. */
  route?: string;
  title: string;
  bounds?: Partial<Pick<BrowserWindowConstructorOptions, 'x' | 'y' | 'width' | 'height' | 'fullscreen'>>;
}

/** The one place windows are made: isolated, sandboxed, unable to navigate away or open others. */
export function createSecureWindow(options: SecureWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1180,
    height: 820,
    minWidth: 820,
    minHeight: 600,
    show: false,
    title: options.title,
    backgroundColor: '#f6f7f9',
    autoHideMenuBar: true,
    ...options.bounds,
    webPreferences: secureWebPreferences(options.preloadPath),
  });
  const contents = window.webContents;
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  window.once('ready-to-show', () => window.show());
  const url = options.route ? `${options.rendererUrl}#${options.route}` : options.rendererUrl;
  void window.loadURL(url);
  return window;
}

/**
 * Denies every permission request (camera, geolocation, notifications from the page, …).
 * Only writing to the clipboard is granted: "Copy link" is a core action.
 */
export function denyPermissions(session: Session): void {
  const allowed = new Set(['clipboard-sanitized-write']);
  session.setPermissionRequestHandler((_contents, permission, callback) => callback(allowed.has(permission)));
  session.setPermissionCheckHandler((_contents, permission) => allowed.has(permission));
}
