/**
 * Packages Link Desk with electron-builder's `dir` target around a stand-in Electron distribution (no
 * Electron binary can be downloaded here) and checks what went into app.asar and what did not. Any
 * download electron-builder would attempt points at a closed local port, so it fails instead of
 * passing unnoticed.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire, isBuiltin } from 'node:module';
import { join } from 'node:path';
import { extractFile, getRawHeader, listPackage } from '@electron/asar';
import { LinuxTargetHelper } from 'app-builder-lib/out/targets/LinuxTargetHelper';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const builtEntries = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'];
const STAND_IN = '#!/bin/sh\n# Stand-in for the Electron binary: packaging tests only.\nexit 1\n';

interface PackageJson {
  version: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PackageJson;

interface AsarNode {
  files?: Record<string, AsarNode>;
  unpacked?: boolean;
}

/** Every path in the archive (without leading slash) with its `unpacked` flag. */
function walk(node: AsarNode, prefix = '', into = new Map<string, boolean>()): Map<string, boolean> {
  for (const [name, child] of Object.entries(node.files ?? {})) {
    const path = prefix === '' ? name : `${prefix}/${name}`;
    into.set(path, child.unpacked === true);
    walk(child, path, into);
  }
  return into;
}

// The stand-in is a Linux-style distribution (one `electron` executable); a macOS one would have to be
// a whole Electron.app bundle.
describe.skipIf(process.platform !== 'linux')('packaged app (electron-builder dir target, stand-in Electron)', () => {
  let work: string;
  let appOutDir: string;
  let asarPath: string;
  let entries: Map<string, boolean>;
  const logged: string[] = [];
  let linuxPackager: { platformSpecificBuildOptions: object } | null = null;
  let desktopEntry = '';

  beforeAll(async () => {
    if (!builtEntries.every((file) => existsSync(join(root, file)))) {
      console.info('packaging test: out/ is missing, running `npm run build` first');
      const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
      if (build.status !== 0) throw new Error('`npm run build` failed, so there is nothing to package');
    }
    work = mkdtempSync(join(tmpdir(), 'link-desk-pack-'));
    const electronDist = join(work, 'electron-dist');
    mkdirSync(join(electronDist, 'resources'), { recursive: true });
    writeFileSync(join(electronDist, 'electron'), STAND_IN);
    chmodSync(join(electronDist, 'electron'), 0o755);

    const closedPort = 'http://127.0.0.1:9/';
    vi.stubEnv('ELECTRON_MIRROR', closedPort);
    vi.stubEnv('ELECTRON_BUILDER_BINARIES_MIRROR', closedPort);
    vi.stubEnv('ELECTRON_BUILDER_BINARIES_DOWNLOAD_OVERRIDE_URL', closedPort);
    vi.stubEnv('LINK_DESK_E2E_BUILD', '');
    const info = vi.spyOn(console, 'info');

    const { build, Platform, Arch } = await import('electron-builder');
    const arch = process.arch === 'arm64' ? Arch.arm64 : Arch.x64;
    const artifacts = await build({
      projectDir: root,
      targets: Platform.LINUX.createTarget('dir', arch),
      publish: 'never',
      // Merged over electron-builder.cjs: only what this machine cannot do is changed.
      config: {
        electronDist,
        npmRebuild: false,
        directories: { output: join(work, 'dist') },
        afterExtract: (context) => void (linuxPackager = context.packager),
      },
    });
    // The menu entry the deb and AppImage targets would write (they need tools this machine cannot download).
    desktopEntry = await new LinuxTargetHelper(linuxPackager as never).computeDesktopEntry(linuxPackager?.platformSpecificBuildOptions ?? {});
    logged.push(...info.mock.calls.map((args) => args.join(' ')));
    info.mockRestore();
    vi.unstubAllEnvs();
    expect(artifacts).toBeDefined();
    appOutDir = join(work, 'dist', arch === Arch.arm64 ? 'linux-arm64-unpacked' : 'linux-unpacked');
    asarPath = join(appOutDir, 'resources', 'app.asar');
    entries = walk(getRawHeader(asarPath).header as AsarNode);
  }, 110_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('holds the built main, preload and renderer and package.json, under the executable name', () => {
    for (const file of [...builtEntries, 'package.json']) expect(entries.has(file), file).toBe(true);
    expect(existsSync(join(appOutDir, 'link-desk'))).toBe(true);
    const packed = listPackage(asarPath, { isPack: false }).map((p) => p.replaceAll('\\', '/'));
    expect(packed).toContain('/out/renderer/index.html');
    const packagedJson = JSON.parse(extractFile(asarPath, 'package.json').toString('utf8')) as Record<string, unknown>;
    expect(entries.has(String(packagedJson['main']))).toBe(true);
    expect(packagedJson['version']).toBe(pkg.version);
    // Electron's Linux app_id / WM_CLASS, matching the menu entry's name.
    expect(packagedJson['desktopName']).toBe('link-desk.desktop');
    expect(packagedJson['scripts']).toBeUndefined();
  });

  it('holds every production dependency and no dev dependency', () => {
    const production = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.optionalDependencies ?? {})];
    expect(production.length).toBeGreaterThan(5);
    for (const name of production) expect(entries.has(`node_modules/${name}/package.json`), name).toBe(true);
    for (const name of ['electron', 'electron-builder', 'vitest', 'typescript', '@playwright/test', 'node']) {
      expect(pkg.devDependencies?.[name], `${name} is a dev dependency`).toBeDefined();
      expect(entries.has(`node_modules/${name}`), name).toBe(false);
    }
  });

  it('holds every package the built main process imports', () => {
    const mainFiles = [...entries.keys()].filter((p) => p.startsWith('out/main/') && p.endsWith('.js'));
    const imported = new Set<string>();
    for (const file of mainFiles) {
      const code = extractFile(asarPath, file).toString('utf8');
      for (const [, specifier] of code.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*)["']((?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.:-]*(?:\/[\w.-]+)*)["']/g)) {
        if (specifier === undefined || specifier === 'electron' || isBuiltin(specifier)) continue;
        imported.add(specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!);
      }
    }
    expect(imported.size).toBeGreaterThan(2);
    for (const name of imported) expect(entries.has(`node_modules/${name}/package.json`), `${name} is packaged`).toBe(true);
  });

  it('gives Windows the installer’s appId as AppUserModelID (else notifications stay silent)', () => {
    const { appId } = createRequire(import.meta.url)('../../electron-builder.cjs') as { appId: string };
    const main = extractFile(asarPath, 'out/main/index.js').toString('utf8');
    expect(main).toMatch(new RegExp(`setAppUserModelId\\(["']${appId.replaceAll('.', '\\.')}["']\\)`));
  });

  it('leaves out sources, tests, benchmarks, build scripts, source maps and the web bridge preload', () => {
    const topLevel = [...entries.keys()].filter((p) => !p.includes('/'));
    expect(topLevel.sort()).toEqual(['node_modules', 'out', 'package.json']);
    expect([...entries.keys()].filter((p) => p.startsWith('out/')).some((p) => p.startsWith('out/web-bridge'))).toBe(false);
    expect([...entries.keys()].filter((p) => p.endsWith('.map'))).toEqual([]);
    const ownTypeScript = [...entries.keys()].filter((p) => !p.startsWith('node_modules/') && /\.tsx?$/.test(p));
    expect(ownTypeScript).toEqual([]);
  });

  it('keeps keytar’s native module outside the archive, in app.asar.unpacked', () => {
    const nativeModules = [...entries].filter(([p]) => p.endsWith('.node'));
    const keytarNode = 'node_modules/keytar/build/Release/keytar.node';
    expect(nativeModules.map(([p]) => p)).toContain(keytarNode);
    for (const [path, unpacked] of nativeModules) {
      expect(unpacked, `${path} is unpacked`).toBe(true);
      expect(existsSync(join(appOutDir, 'resources', 'app.asar.unpacked', path)), `${path} on disk`).toBe(true);
    }
  });

  it('gives Linux a menu entry in Office and Finance that starts the executable and matches its windows', () => {
    const lines = desktopEntry.split('\n');
    expect(lines[0]).toBe('[Desktop Entry]');
    expect(lines).toContain('Name=Link Desk');
    expect(lines).toContain('Categories=Office;Finance;');
    expect(lines).toContain('Exec="/opt/Link Desk/link-desk" %U');
    expect(lines).toContain('Icon=link-desk');
    // = desktopName without ".desktop", Electron's WM_CLASS / app_id, so the desktop links windows to the entry.
    expect(lines).toContain('StartupWMClass=link-desk');
    writeFileSync(join(work, 'link-desk.desktop'), desktopEntry);
    const validator = spawnSync('desktop-file-validate', [join(work, 'link-desk.desktop')], { encoding: 'utf8' });
    if (validator.error === undefined) expect(`${validator.stdout}${validator.stderr}`.trim()).toBe('');
  });

  it('skips the fuses on the stand-in binary, says so, and leaves it untouched', () => {
    expect(logged.some((line) => /Electron fuses: SKIPPED/.test(line) && line.includes('stand-in'))).toBe(true);
    expect(readFileSync(join(appOutDir, 'link-desk'), 'utf8')).toBe(STAND_IN);
  });
});
