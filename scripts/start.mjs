// `npm start [-- args]`: builds Link Desk and opens it in Electron. Where no Electron binary is installed
// and none can be downloaded (machines that reach only the npm registry, ELECTRON_SKIP_BINARY_DOWNLOAD=1),
// it says so in one paragraph and serves the same app to the system browser through the web bridge,
// with the data folder the desktop app would use. The download is tried once, with a short timeout.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const electronDir = join(root, 'node_modules', 'electron');
const windows = process.platform === 'win32';
const npm = windows ? 'npm.cmd' : 'npm';
const BRIDGE_PORT = 5180;

/** The executable node_modules/electron points at (path.txt, as its index.js reads it), or null if absent. */
function electronBinary() {
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const relative = readFileSync(pathFile, 'utf8').trim();
  const distDir = process.env.ELECTRON_OVERRIDE_DIST_PATH || join(electronDir, 'dist');
  const binary = join(distDir, relative);
  return existsSync(binary) ? binary : null;
}

/** Whether the host Electron downloads from accepts a connection within a few seconds. */
function downloadHostReachable() {
  const mirror = process.env.ELECTRON_MIRROR || process.env.npm_config_electron_mirror || 'https://github.com/';
  let url;
  try {
    url = new URL(mirror);
  } catch {
    return Promise.resolve(false);
  }
  const port = Number(url.port) || (url.protocol === 'http:' ? 80 : 443);
  return new Promise((resolve) => {
    const socket = connect({ host: url.hostname, port, timeout: 5000 });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

/**
 * One download attempt through Electron's own installer. Its output (a stack trace on failure) is kept
 * back; only its first line is reported. An unreachable host still gets a few seconds, enough to unpack
 * a copy from Electron's download cache.
 */
async function tryDownload() {
  const reachable = await downloadHostReachable();
  console.info(reachable ? 'Downloading the Electron binary (first start only, about 100 MB)…' : 'Looking for the Electron binary…');
  const result = spawnSync(process.execPath, [join(electronDir, 'install.js')], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: reachable ? 300_000 : 15_000,
  });
  if (result.error?.code === 'ETIMEDOUT') return 'the download timed out';
  if (result.status === 0) return null;
  const firstLine = `${result.stderr ?? ''}`.split('\n').find((line) => line.trim() !== '');
  return firstLine ? `the download failed (${firstLine.trim()})` : 'the download failed';
}

/**
 * The web bridge needs Node 22 (node:sqlite). npm scripts already run on the project's own Node 22 (the `node`
 * dev dependency); called as `node scripts/start.mjs` with an older Node, use that one.
 */
function projectNode() {
  if (Number(process.versions.node.split('.')[0]) >= 22) return process.execPath;
  const bundled = join(root, 'node_modules', 'node', 'bin', windows ? 'node.exe' : 'node');
  return existsSync(bundled) ? bundled : process.execPath;
}

/** `npm run build`; LINK_DESK_SKIP_BUILD=1 uses out/ as it is (tests, or right after a build). */
function buildApp() {
  if (process.env.LINK_DESK_SKIP_BUILD === '1') return;
  const build = spawnSync(npm, ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit', shell: windows });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

/** Where Electron keeps Link Desk's data (app.getPath('userData')), so both variants share settings and history. */
function desktopDataDir() {
  const name = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).name;
  if (windows) return join(process.env.APPDATA || join(homedir(), 'AppData', 'Roaming'), name);
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', name);
  return join(process.env.XDG_CONFIG_HOME || join(homedir(), '.config'), name);
}

function portFree(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Opens the address in the system browser where there is one; a failure only means the user opens it. */
function openBrowser(url) {
  if (process.env.LINK_DESK_NO_BROWSER === '1') return;
  const [command, args] = windows
    ? ['cmd', ['/c', 'start', '""', url]]
    : process.platform === 'darwin'
      ? ['open', [url]]
      : ['xdg-open', [url]];
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return;
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true, windowsHide: true });
    child.on('error', () => {});
    child.unref();
  } catch {
    // No browser launcher: the address is printed above.
  }
}

async function startWebBridge(reason) {
  const dataDir = desktopDataDir();
  console.info(
    `\nLink Desk cannot open its own window here: no Electron binary is installed, and ${reason} ` +
      '(Electron downloads that binary from GitHub on first start; machines that reach only the npm registry ' +
      'cannot). Nothing is lost: the same app now runs in your browser through the web ' +
      `bridge, with the data folder the desktop app uses (${dataDir}) and the OS keychain; it stays running until ` +
      'you press Ctrl+C here. To get the desktop window later, run `npm start` again on a machine with normal ' +
      'internet access, or install a Link Desk package (npm run dist).\n',
  );
  buildApp();
  const port = (await portFree(BRIDGE_PORT)) ? BRIDGE_PORT : 0;
  // One process (tsx as a loader, not as a wrapper), so a stop signal reaches the bridge itself.
  const cli = ['--import', 'tsx', join(root, 'src/web-bridge/cli.ts'), '--port', String(port), '--data-dir', dataDir];
  const bridge = spawn(projectNode(), cli, { cwd: root, stdio: ['inherit', 'pipe', 'inherit'] });
  bridge.stdout.setEncoding('utf8');
  let pending = '';
  bridge.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    pending += chunk;
    const ready = /web bridge ready: (http:\/\/\S+)/.exec(pending);
    if (ready) {
      pending = '';
      console.info(`\nOpen ${ready[1]} in a browser (opening it now where one is available). Stop with Ctrl+C.`);
      openBrowser(ready[1]);
    }
  });
  // Ctrl+C reaches the bridge from the terminal itself; other stop signals are passed on.
  process.on('SIGINT', () => {});
  for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => bridge.kill(signal));
  bridge.on('exit', (code, signal) => process.exit(signal ? 0 : (code ?? 0)));
}

let binary = electronBinary();
let reason = 'ELECTRON_SKIP_BINARY_DOWNLOAD is set, so none was downloaded';
if (binary === null && !process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
  reason = (await tryDownload()) ?? 'the download did not produce one';
  binary = electronBinary();
}
if (binary === null) {
  await startWebBridge(reason);
} else {
  buildApp();
  const app = spawn(binary, ['.', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
  app.on('exit', (code) => process.exit(code ?? 0));
}
