// `npm start`: builds Link Desk and opens it in Electron. Where no Electron binary can be had
// (machines that reach only the npm registry), says so and points to the web bridge instead.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const electronDir = join('node_modules', 'electron');

function electronBinary() {
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

let binary = electronBinary();
if (binary === null && !process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
  console.info('Downloading the Electron binary (first start only)…');
  spawnSync(process.execPath, [join(electronDir, 'install.js')], { stdio: 'inherit', timeout: 300_000 });
  binary = electronBinary();
}
if (binary === null) {
  console.error(
    '\nLink Desk cannot open its window here: no Electron binary is installed, and it could not be ' +
      'downloaded (Electron fetches it from GitHub on first start; this machine may have no such network ' +
      'access, or npm ran with ELECTRON_SKIP_BINARY_DOWNLOAD=1). Everything else works: run ' +
      '`npm run web-bridge` and open the address it prints in a browser to use the same app there, ' +
      'in Demo mode unless you configure an account.\n',
  );
  process.exit(1);
}

const build = spawnSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const child = spawn(binary, ['.'], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 0));
