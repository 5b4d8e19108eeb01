/**
 * `npm start` where no Electron binary exists and the download cannot work: it explains that once,
 * without a stack trace, and serves the app through the web bridge. The download is pointed at a closed
 * local port (and an empty download cache), so the one attempt fails the way it does offline.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const electronDir = join(root, 'node_modules', 'electron');
const binaryInstalled =
  existsSync(join(electronDir, 'path.txt')) && existsSync(join(electronDir, 'dist', readFileSync(join(electronDir, 'path.txt'), 'utf8').trim()));
const built = existsSync(join(root, 'out/renderer/index.html')) && existsSync(join(root, 'out/web-bridge/preload.js'));

let child: ChildProcess | null = null;
const work = mkdtempSync(join(tmpdir(), 'link-desk-start-'));
afterAll(() => {
  child?.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
});

// Where a real Electron binary is installed, npm start opens it instead; without out/ there is nothing to serve.
// Linux only: there XDG_CONFIG_HOME moves the data folder into a temp dir (elsewhere it is the user's own).
describe.skipIf(binaryInstalled || !built || process.platform !== 'linux')('npm start without an Electron binary', () => {
  it('says so in one paragraph, then serves the app on the desktop data folder, without a stack trace', async () => {
    const env = {
      ...process.env,
      ELECTRON_MIRROR: 'http://127.0.0.1:9/',
      electron_config_cache: join(work, 'electron-cache'),
      ELECTRON_SKIP_BINARY_DOWNLOAD: '',
      LINK_DESK_SKIP_BUILD: '1',
      LINK_DESK_NO_BROWSER: '1',
      XDG_CONFIG_HOME: join(work, 'config'),
    };
    const started = spawn(process.execPath, [join(root, 'scripts/start.mjs')], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child = started;
    let output = '';
    started.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    started.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no bridge address within 60 s:\n${output}`)), 60_000);
      started.stdout?.on('data', () => {
        const ready = /web bridge ready: (http:\/\/\S+)/.exec(output);
        if (ready?.[1]) {
          clearTimeout(timer);
          resolve(ready[1]);
        }
      });
      started.on('exit', (code) => reject(new Error(`npm start ended (${code}) before serving:\n${output}`)));
    });

    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    expect(output.match(/cannot open its own window/g)).toHaveLength(1);
    expect(output).toMatch(/the download failed/);
    expect(output).toContain(`Data directory: ${join(work, 'config', 'link-desk')}`);
    expect(output).toMatch(/Stop with Ctrl\+C/);
    expect(output).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);

    const exited = new Promise<number | null>((resolve) => started.on('exit', (code) => resolve(code)));
    started.kill('SIGTERM');
    expect(await exited).toBe(0);
    child = null;
  }, 90_000);
});
