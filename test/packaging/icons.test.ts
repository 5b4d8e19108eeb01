/**
 * The committed icons are the ones scripts/make-icons.mjs makes from build/icon.svg, at the sizes each
 * OS's package needs, in formats electron-builder takes as they are (so it never downloads its icon tool).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const icoEndec = require('ico-endec') as { decode(buffer: Buffer): Array<{ width: number; height: number; imageType: string }> };
const icns = require('icns-lib') as { parse(buffer: Buffer): Record<string, Buffer> };

const root = join(import.meta.dirname, '..', '..');
const build = join(root, 'build');
const pngSize = (png: Buffer) => ({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) });

let fresh: string;
beforeAll(() => {
  fresh = mkdtempSync(join(tmpdir(), 'link-desk-icons-'));
  const made = spawnSync(process.execPath, [join(root, 'scripts/make-icons.mjs'), fresh], { encoding: 'utf8' });
  expect(made.status, made.stderr).toBe(0);
});
afterAll(() => rmSync(fresh, { recursive: true, force: true }));

describe('app icons', () => {
  it('are what build/icon.svg gives today (run `npm run icons` after changing it)', () => {
    const files = ['icon.ico', 'icon.icns', 'icon.png', ...readdirSync(join(fresh, 'icons')).map((f) => `icons/${f}`)];
    for (const file of files) expect(readFileSync(join(build, file)).equals(readFileSync(join(fresh, file))), file).toBe(true);
  });

  it('cover Linux theme sizes up to 512 px, each PNG as large as its name says', () => {
    const names = readdirSync(join(build, 'icons')).sort((a, b) => parseInt(a) - parseInt(b));
    expect(names).toEqual(['16x16.png', '24x24.png', '32x32.png', '48x48.png', '64x64.png', '128x128.png', '256x256.png', '512x512.png']);
    for (const name of names) {
      const size = parseInt(name);
      expect(pngSize(readFileSync(join(build, 'icons', name)))).toEqual({ width: size, height: size });
    }
  });

  it('give Windows an .ico up to 256 px and macOS an .icns up to 1024 px (Retina)', () => {
    const ico = icoEndec.decode(readFileSync(join(build, 'icon.ico')));
    expect(ico.map((entry) => entry.width)).toEqual([16, 24, 32, 48, 64, 128, 256]);
    expect(new Set(ico.map((entry) => entry.imageType))).toEqual(new Set(['png']));
    const entries = icns.parse(readFileSync(join(build, 'icon.icns')));
    expect(Object.keys(entries).sort()).toEqual(['ic07', 'ic08', 'ic09', 'ic10', 'ic11', 'ic12', 'ic13', 'ic14', 'icp4', 'icp5']);
    expect(pngSize(entries['ic10']!)).toEqual({ width: 1024, height: 1024 });
    expect(pngSize(entries['icp4']!)).toEqual({ width: 16, height: 16 });
  });
});
