import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CHANNEL_NAMES, IPC_PREFIX } from '../../src/shared/contract/channel-names';

// Electron is replaced: these tests check the wiring's decisions, not Electron itself.
const created: Array<{ options: Record<string, unknown>; contents: FakeContents; loaded: string[] }> = [];

class FakeContents {
  listeners = new Map<string, (event: { preventDefault: () => void }) => void>();
  windowOpenHandler: (() => unknown) | null = null;
  on(name: string, listener: (event: { preventDefault: () => void }) => void) {
    this.listeners.set(name, listener);
  }
  setWindowOpenHandler(handler: () => unknown) {
    this.windowOpenHandler = handler;
  }
}

vi.mock('electron', () => {
  class BrowserWindow {
    webContents = new FakeContents();
    loaded: string[] = [];
    constructor(options: Record<string, unknown>) {
      created.push({ options, contents: this.webContents, loaded: this.loaded });
    }
    once() {}
    show() {}
    loadURL(url: string) {
      this.loaded.push(url);
      return Promise.resolve();
    }
  }
  return { BrowserWindow, shell: { openExternal: vi.fn(async () => undefined) } };
});

const { bindIpc, createWindowRoles } = await import('../../src/main/electron/ipc-binding');
const { createSecureWindow, denyPermissions, secureWebPreferences } = await import('../../src/main/electron/secure-window');
const { createSafeShell } = await import('../../src/main/electron/safe-shell');
const electron = await import('electron');

beforeEach(() => {
  created.length = 0;
});

describe('Electron wiring', () => {
  it('registers one handler per contract channel and passes the sender frame to the dispatcher', async () => {
    const handlers = new Map<string, (event: unknown, payload: unknown) => unknown>();
    const ipcMain = { handle: (name: string, fn: (event: unknown, payload: unknown) => unknown) => handlers.set(name, fn) };
    const dispatch = vi.fn(async () => ({ ok: true as const, value: null }));
    bindIpc(ipcMain as never, dispatch, createWindowRoles());
    expect([...handlers.keys()].sort()).toEqual(CHANNEL_NAMES.map((n) => `${IPC_PREFIX}${n}`).sort());

    const subFrame = { url: 'file:///app/index.html', parent: { url: 'file:///app/index.html' } };
    await handlers.get(`${IPC_PREFIX}settings.get`)?.({ senderFrame: subFrame }, { x: 1 });
    // Senders never registered as the main window get the customer display's (least) trust.
    const role = 'customer-display';
    expect(dispatch).toHaveBeenLastCalledWith('settings.get', { url: 'file:///app/index.html', isTopFrame: false, role }, { x: 1 });
    await handlers.get(`${IPC_PREFIX}settings.get`)?.({ senderFrame: { url: 'file:///app/index.html', parent: null } }, {});
    expect(dispatch).toHaveBeenLastCalledWith('settings.get', { url: 'file:///app/index.html', isTopFrame: true, role }, {});
    await handlers.get(`${IPC_PREFIX}settings.get`)?.({ senderFrame: null }, {});
    expect(dispatch).toHaveBeenLastCalledWith('settings.get', { url: '', isTopFrame: false, role }, {});
  });

  it('creates windows sandboxed and isolated, unable to navigate or open windows', () => {
    createSecureWindow({ preloadPath: '/app/out/preload/index.cjs', rendererUrl: 'file:///app/out/renderer/index.html', title: 'Link Desk' });
    const [window] = created;
    expect(window?.options['webPreferences']).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      preload: '/app/out/preload/index.cjs',
    });
    expect(secureWebPreferences('/p')).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false });
    for (const name of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const preventDefault = vi.fn();
      window?.contents.listeners.get(name)?.({ preventDefault });
      expect(preventDefault, name).toHaveBeenCalled();
    }
    expect(window?.contents.windowOpenHandler?.()).toEqual({ action: 'deny' });
    expect(window?.loaded).toEqual(['file:///app/out/renderer/index.html']);
  });

  it('denies permission requests except writing to the clipboard', () => {
    let request: ((c: unknown, p: string, cb: (ok: boolean) => void) => void) | undefined;
    let check: ((c: unknown, p: string) => boolean) | undefined;
    denyPermissions({ setPermissionRequestHandler: (h: typeof request) => (request = h), setPermissionCheckHandler: (h: typeof check) => (check = h) } as never);
    const answers: Record<string, boolean> = {};
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read', 'clipboard-sanitized-write']) {
      request?.(null, permission, (ok) => (answers[permission] = ok));
    }
    expect(answers).toEqual({ media: false, geolocation: false, notifications: false, openExternal: false, 'clipboard-read': false, 'clipboard-sanitized-write': true });
    expect(check?.(null, 'media')).toBe(false);
  });

  it('opens only allow-listed URLs through the safe shell', async () => {
    const safeShell = createSafeShell(() => ({ extraOrigins: [] }));
    expect(await safeShell.openExternal('https://evil.example/')).toBe(false);
    expect(await safeShell.openExternal('https://pay-dev.secuconnect.com?stx=STX_1')).toBe(true);
    expect(electron.shell.openExternal).toHaveBeenCalledTimes(1);
    expect(electron.shell.openExternal).toHaveBeenCalledWith('https://pay-dev.secuconnect.com?stx=STX_1');
  });
});
