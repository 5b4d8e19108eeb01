/**
 * Start at login on Linux: an XDG autostart entry, `$XDG_CONFIG_HOME/autostart/link-desk.desktop`
 * (default `~/.config/autostart`), which desktop sessions (GNOME, KDE, Xfce, …) run at login. macOS and
 * Windows use Electron's login items instead (src/main/electron/login-item.ts). Plain Node, no Electron.
 */
import { mkdir, rename, rm, writeFile, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, isAbsolute } from 'node:path';

/** The argument that makes Link Desk start in the tray, without its window. */
export const HIDDEN_ARG = '--hidden';

export const AUTOSTART_FILE_NAME = 'link-desk.desktop';

export interface AutostartLocation {
  env?: NodeJS.ProcessEnv;
  home?: string;
}

export function autostartFilePath({ env = process.env, home = homedir() }: AutostartLocation = {}): string {
  const configured = env['XDG_CONFIG_HOME'];
  // The spec: a relative XDG_CONFIG_HOME is invalid and must be ignored.
  const configHome = configured && isAbsolute(configured) ? configured : join(home, '.config');
  return join(configHome, 'autostart', AUTOSTART_FILE_NAME);
}

export interface LaunchFacts {
  execPath: string;
  /** Set by the AppImage runtime: the .AppImage file itself (execPath is inside a temporary mount). */
  appImage?: string | undefined;
  isPackaged: boolean;
  /** The app folder Electron was started with (`electron .`), needed only when not packaged. */
  appPath: string;
}

/** The command that starts this Link Desk again, hidden in the tray. */
export function launchCommand(facts: LaunchFacts): string[] {
  if (facts.appImage) return [facts.appImage, HIDDEN_ARG];
  return facts.isPackaged ? [facts.execPath, HIDDEN_ARG] : [facts.execPath, facts.appPath, HIDDEN_ARG];
}

/**
 * One argument of an Exec key (Desktop Entry Specification, "The Exec key"): reserved characters need
 * double quotes, inside which `"`, `` ` ``, `$` and `\` are backslash-escaped; `%` is written `%%`.
 * Then the general string escaping doubles every backslash once more.
 */
function execArgument(argument: string): string {
  const percentSafe = argument.replaceAll('%', '%%');
  const quoted = /[\s"'\\><~|&;$*?#()`]/.test(argument) || argument === '' ? `"${percentSafe.replace(/["`$\\]/g, '\\$&')}"` : percentSafe;
  return quoted.replaceAll('\\', '\\\\');
}

/** A value on one line: the spec's escapes for newline, tab and carriage return. */
function entryValue(text: string): string {
  return text.replaceAll('\\', '\\\\').replaceAll('\n', '\\n').replaceAll('\t', '\\t').replaceAll('\r', '\\r');
}

export function autostartEntry(command: string[], text: { name: string; comment: string }): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.0',
    `Name=${entryValue(text.name)}`,
    `Comment=${entryValue(text.comment)}`,
    `Exec=${command.map(execArgument).join(' ')}`,
    'Icon=link-desk',
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

export interface AutostartOptions extends AutostartLocation {
  command: string[];
  text?: { name: string; comment: string };
}

const DEFAULT_TEXT = { name: 'Link Desk', comment: 'Watches your payment links from the tray' };

/** Writes (enabled) or removes (disabled) the autostart entry. Writing replaces the file in one step. */
export async function setLinuxAutostart(enabled: boolean, options: AutostartOptions): Promise<void> {
  const file = autostartFilePath(options);
  if (!enabled) {
    await rm(file, { force: true });
    return;
  }
  await mkdir(dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.tmp`;
  await writeFile(partial, autostartEntry(options.command, options.text ?? DEFAULT_TEXT), { mode: 0o644 });
  await rename(partial, file);
}

/** Whether an autostart entry exists and is not switched off by the desktop (Hidden=true or X-GNOME…=false). */
export async function isLinuxAutostartEnabled(location: AutostartLocation = {}): Promise<boolean> {
  let content: string;
  try {
    content = await readFile(autostartFilePath(location), 'utf8');
  } catch {
    return false;
  }
  return !/^Hidden\s*=\s*true\s*$/m.test(content) && !/^X-GNOME-Autostart-enabled\s*=\s*false\s*$/m.test(content);
}
