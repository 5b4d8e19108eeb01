import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { autostartEntry, autostartFilePath, isLinuxAutostartEnabled, launchCommand, setLinuxAutostart } from '../../src/main/autostart';

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'link-desk-autostart-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

/** The Exec line split the way the Desktop Entry Specification says a launcher must read it. */
function execArguments(entry: string): string[] {
  const line = entry.split('\n').find((l) => l.startsWith('Exec='));
  if (!line) throw new Error('no Exec line');
  const value = line.slice('Exec='.length).replace(/\\\\/g, '\\'); // general string unescaping first
  const args: string[] = [];
  let current = '';
  let quoted = false;
  let started = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (quoted && c === '\\') current += value[++i];
    else if (c === '"') [quoted, started] = [!quoted, true];
    else if (c === ' ' && !quoted) {
      if (started || current) args.push(current);
      [current, started] = ['', false];
    } else if (c === '%' && value[i + 1] === '%') [current, i] = [current + '%', i + 1];
    else current += c;
  }
  if (started || current) args.push(current);
  return args;
}

describe('Linux autostart entry', () => {
  it('lives in ~/.config/autostart, or in $XDG_CONFIG_HOME/autostart when that is an absolute path', () => {
    expect(autostartFilePath({ env: {}, home })).toBe(join(home, '.config', 'autostart', 'link-desk.desktop'));
    expect(autostartFilePath({ env: { XDG_CONFIG_HOME: '/xdg' }, home })).toBe(join('/xdg', 'autostart', 'link-desk.desktop'));
    expect(autostartFilePath({ env: { XDG_CONFIG_HOME: 'relative' }, home })).toBe(join(home, '.config', 'autostart', 'link-desk.desktop'));
  });

  it('is written on enable (hidden start, readable desktop entry) and removed on disable', async () => {
    const env = { XDG_CONFIG_HOME: join(home, 'xdg') };
    const command = ['/opt/Link Desk/link-desk', '--hidden'];
    await setLinuxAutostart(true, { env, home, command });
    const file = join(home, 'xdg', 'autostart', 'link-desk.desktop');
    const entry = readFileSync(file, 'utf8');
    expect(entry.split('\n')[0]).toBe('[Desktop Entry]');
    expect(entry).toMatch(/^Type=Application$/m);
    expect(entry).toMatch(/^Name=Link Desk$/m);
    expect(entry).toMatch(/^X-GNOME-Autostart-enabled=true$/m);
    expect(entry).toContain('Exec="/opt/Link Desk/link-desk" --hidden\n');
    expect(await isLinuxAutostartEnabled({ env, home })).toBe(true);

    await setLinuxAutostart(false, { env, home, command });
    expect(existsSync(file)).toBe(false);
    expect(await isLinuxAutostartEnabled({ env, home })).toBe(false);
    // Disabling twice (or with no entry at all) is not an error.
    await expect(setLinuxAutostart(false, { env, home, command })).resolves.toBeUndefined();
  });

  it('replaces an older entry (a moved app) instead of keeping the old command', async () => {
    await setLinuxAutostart(true, { env: {}, home, command: ['/old/link-desk', '--hidden'] });
    await setLinuxAutostart(true, { env: {}, home, command: ['/new/link-desk', '--hidden'] });
    const entry = readFileSync(autostartFilePath({ env: {}, home }), 'utf8');
    expect(execArguments(entry)).toEqual(['/new/link-desk', '--hidden']);
    expect(entry).not.toContain('/old/');
  });

  it('quotes and escapes arguments so a launcher reads back exactly the command', () => {
    const command = ['/home/anna/Apps/Link Desk "beta"/link $desk`x`\\y', '100%', '--hidden'];
    const entry = autostartEntry(command, { name: 'Link Desk', comment: 'two\nlines' });
    expect(execArguments(entry)).toEqual(command);
    expect(entry).toMatch(/^Comment=two\\nlines$/m);
  });

  it('counts an entry the desktop switched off as not enabled', async () => {
    const file = autostartFilePath({ env: {}, home });
    mkdirSync(join(home, '.config', 'autostart'), { recursive: true });
    writeFileSync(file, '[Desktop Entry]\nType=Application\nExec=link-desk --hidden\nHidden=true\n');
    expect(await isLinuxAutostartEnabled({ env: {}, home })).toBe(false);
  });
});

describe('launch command for start at login', () => {
  it('starts the AppImage file itself, not the binary inside its temporary mount', () => {
    expect(launchCommand({ execPath: '/tmp/.mount_LinkDeXYZ/link-desk', appImage: '/home/a/Link Desk.AppImage', isPackaged: true, appPath: '/x' })).toEqual([
      '/home/a/Link Desk.AppImage',
      '--hidden',
    ]);
  });
  it('starts an installed app directly, and a development checkout with its app folder', () => {
    expect(launchCommand({ execPath: '/opt/Link Desk/link-desk', isPackaged: true, appPath: '/opt/Link Desk/resources/app.asar' })).toEqual([
      '/opt/Link Desk/link-desk',
      '--hidden',
    ]);
    expect(launchCommand({ execPath: '/repo/node_modules/electron/dist/electron', isPackaged: false, appPath: '/repo' })).toEqual([
      '/repo/node_modules/electron/dist/electron',
      '/repo',
      '--hidden',
    ]);
  });
});
