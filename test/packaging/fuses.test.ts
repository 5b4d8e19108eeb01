/**
 * The afterPack hook against a file that carries an Electron fuse wire (sentinel + version + states, laid
 * out as in Electron's binary, with Electron's default states), since no real Electron binary exists here.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FuseState, FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import afterPack, { type FuseHookContext } from '../../scripts/after-pack-fuses.mjs';

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
// Electron's shipped defaults, index = FuseV1Options: RunAsNode, CookieEncryption, NodeOptions, Inspect,
// AsarIntegrity, OnlyLoadAppFromAsar, V8Snapshot, FileProtocolPrivileges, WasmTrapHandlers.
const ELECTRON_DEFAULTS = '101100011';

let dir: string;
let context: FuseHookContext;

function writeBinaryWithFuseWire(path: string): void {
  const wire = Buffer.from(ELECTRON_DEFAULTS, 'ascii');
  writeFileSync(path, Buffer.concat([Buffer.alloc(4096, 7), Buffer.from(SENTINEL), Buffer.from([1, wire.length]), wire, Buffer.alloc(512)]));
}

async function stateOf(option: FuseV1Options): Promise<string> {
  const wire = await getCurrentFuseWire(join(dir, 'link-desk'));
  return FuseState[wire[option] as FuseState];
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'link-desk-fuses-'));
  writeBinaryWithFuseWire(join(dir, 'link-desk'));
  context = { appOutDir: dir, electronPlatformName: 'linux', arch: 1, packager: { executableName: 'link-desk', appInfo: { productFilename: 'Link Desk' } } };
});
afterEach(() => {
  vi.unstubAllEnvs();
  rmSync(dir, { recursive: true, force: true });
});

describe('afterPack fuses', () => {
  it('turns off running as Node, NODE_OPTIONS and inspector arguments; turns on asar-only and integrity', async () => {
    vi.stubEnv('LINK_DESK_E2E_BUILD', '');
    await afterPack(context);
    expect(await stateOf(FuseV1Options.RunAsNode)).toBe('DISABLE');
    expect(await stateOf(FuseV1Options.EnableNodeOptionsEnvironmentVariable)).toBe('DISABLE');
    expect(await stateOf(FuseV1Options.EnableNodeCliInspectArguments)).toBe('DISABLE');
    expect(await stateOf(FuseV1Options.OnlyLoadAppFromAsar)).toBe('ENABLE');
    expect(await stateOf(FuseV1Options.EnableEmbeddedAsarIntegrityValidation)).toBe('ENABLE');
    // Left at Electron's default on purpose.
    expect(await stateOf(FuseV1Options.GrantFileProtocolExtraPrivileges)).toBe('ENABLE');
  });

  it('keeps inspector arguments on in a test build for Playwright, and nothing else differs', async () => {
    vi.stubEnv('LINK_DESK_E2E_BUILD', '1');
    await afterPack(context);
    expect(await stateOf(FuseV1Options.EnableNodeCliInspectArguments)).toBe('ENABLE');
    expect(await stateOf(FuseV1Options.RunAsNode)).toBe('DISABLE');
    expect(await stateOf(FuseV1Options.OnlyLoadAppFromAsar)).toBe('ENABLE');
  });

  it('finds the binary where electron-builder puts it on each OS', async () => {
    const { electronBinaryPath } = await import('../../scripts/after-pack-fuses.mjs');
    expect(electronBinaryPath(context)).toBe(join(dir, 'link-desk'));
    expect(electronBinaryPath({ ...context, electronPlatformName: 'win32' })).toBe(join(dir, 'Link Desk.exe'));
    expect(electronBinaryPath({ ...context, electronPlatformName: 'darwin' })).toBe(join(dir, 'Link Desk.app'));
  });

  it('skips a stand-in without a fuse wire and says so', async () => {
    writeFileSync(join(dir, 'link-desk'), '#!/bin/sh\nexit 1\n');
    const info = vi.spyOn(console, 'info');
    await afterPack(context);
    expect(info.mock.calls.flat().join(' ')).toMatch(/Electron fuses: SKIPPED.*stand-in/);
    info.mockRestore();
  });
});
