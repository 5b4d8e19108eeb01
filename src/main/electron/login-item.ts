import { app } from 'electron';
import { HIDDEN_ARG, launchCommand, setLinuxAutostart } from '../autostart';

/**
 * Started at login: stay in the tray without a window. Windows and Linux start Link Desk with
 * `--hidden` (the login item's / autostart entry's arguments); macOS ignores login-item arguments
 * and says instead whether it opened the app at login.
 */
export function wasStartedHidden(argv: readonly string[] = process.argv): boolean {
  if (argv.includes(HIDDEN_ARG)) return true;
  return process.platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin;
}

/**
 * "Start at login" from Settings, per OS: Electron's login items on macOS and Windows, an XDG
 * autostart entry on Linux. Applied at every start too, so a moved app (or AppImage) is found again.
 */
export function createLoginItem(options: { warn: (line: string) => void }) {
  const command = launchCommand({
    execPath: process.execPath,
    appImage: process.env['APPIMAGE'],
    isPackaged: app.isPackaged,
    appPath: app.getAppPath(),
  });
  const [path, ...args] = command;
  let applied: boolean | null = null;
  return {
    async apply(openAtLogin: boolean): Promise<void> {
      if (applied === openAtLogin) return;
      applied = openAtLogin;
      try {
        if (process.platform === 'linux') await setLinuxAutostart(openAtLogin, { command });
        else app.setLoginItemSettings({ openAtLogin, path, args });
      } catch (error) {
        applied = null;
        options.warn(`[login-item] could not ${openAtLogin ? 'turn on' : 'turn off'} start at login: ${String(error)}`);
      }
    },
  };
}
