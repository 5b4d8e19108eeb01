// `node scripts/make-icons.mjs`: rasterises the one source image, build/icon.svg, into the icons each OS's
// package needs, and writes them into build/ (committed, so packaging needs neither this script nor
// electron-builder's icon tool, which it would otherwise download):
//   build/icons/<N>x<N>.png  Linux (AppImage, deb: hicolor theme sizes)
//   build/icon.ico           Windows (NSIS installer, .exe resource; 16–256 px)
//   build/icon.icns          macOS (app bundle, dmg; 16–1024 px incl. Retina variants)
//   build/icon.png           1024 px, for anything that wants one large PNG
// Run it again after changing build/icon.svg. `node scripts/make-icons.mjs <dir>` writes into <dir> instead
// (the packaging test compares that with the committed icons).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { Resvg } from '@resvg/resvg-js';

const require = createRequire(import.meta.url);
const icoEndec = require('ico-endec');
const icns = require('icns-lib');

const sourceDir = join(import.meta.dirname, '..', 'build');
const buildDir = process.argv[2] ? resolve(process.argv[2]) : sourceDir;
const svg = readFileSync(join(sourceDir, 'icon.svg'));

const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512];
const WINDOWS_SIZES = [16, 24, 32, 48, 64, 128, 256];
// Apple's PNG-based icns entries: type → pixel size (ic11–ic14 are the @2x variants).
const MAC_ENTRIES = {
  icp4: 16,
  icp5: 32,
  ic11: 32,
  ic12: 64,
  ic07: 128,
  ic13: 256,
  ic08: 256,
  ic14: 512,
  ic09: 512,
  ic10: 1024,
};

const cache = new Map();
function png(size) {
  if (!cache.has(size)) {
    const rendered = new Resvg(svg, { fitTo: { mode: 'width', value: size }, background: 'rgba(0,0,0,0)' }).render();
    cache.set(size, Buffer.from(rendered.asPng()));
  }
  return cache.get(size);
}

mkdirSync(join(buildDir, 'icons'), { recursive: true });
for (const size of LINUX_SIZES) writeFileSync(join(buildDir, 'icons', `${size}x${size}.png`), png(size));
writeFileSync(join(buildDir, 'icon.ico'), icoEndec.encode(WINDOWS_SIZES.map(png)));
writeFileSync(join(buildDir, 'icon.icns'), icns.format(Object.fromEntries(Object.entries(MAC_ENTRIES).map(([type, size]) => [type, png(size)]))));
writeFileSync(join(buildDir, 'icon.png'), png(1024));
console.info(`Icons written to ${buildDir}: icons/ (${LINUX_SIZES.join(', ')} px), icon.ico, icon.icns, icon.png`);
