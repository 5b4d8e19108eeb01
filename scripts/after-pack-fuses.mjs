// electron-builder afterPack hook: sets Link Desk's Electron fuses (switches compiled into the Electron
// binary that no command-line flag or environment variable can turn back) with @electron/fuses.
// afterPack runs after the asar and its integrity hash are in place and before signing, which is the
// point fuses must be flipped: changing the binary after signing would break the signature.
//
// Each choice (README "Installers" repeats them):
//   RunAsNode off                    ELECTRON_RUN_AS_NODE=1 would turn the signed app into a plain Node
//                                    that runs any script with the app's identity and keychain access.
//   EnableNodeOptionsEnvironmentVariable off
//                                    NODE_OPTIONS (e.g. --require evil.js) could inject code at start.
//   EnableNodeCliInspectArguments off
//                                    --inspect / --inspect-brk would open a debugger into the main
//                                    process, which holds the client secret. On only in a test build
//                                    (LINK_DESK_E2E_BUILD=1): Playwright drives Electron through it.
//   OnlyLoadAppFromAsar on           Electron loads the app only from app.asar, not from a resources/app
//                                    folder someone could drop next to it.
//   EnableEmbeddedAsarIntegrityValidation on
//                                    macOS and Windows refuse an app.asar whose hash differs from the
//                                    one electron-builder embedded at packaging (Linux has no embedded
//                                    hash; the fuse is then without effect).
//   Others (cookie encryption, V8 snapshot, file:// privileges, Wasm trap handlers) keep Electron's
//   defaults: the app sets no cookies, and the renderer is loaded from file://.
//
// When the "Electron" in the package is a stand-in without a fuse wire (the packaging test, machines
// without the real binary), flipping is skipped and says so: such a package must never be shipped.
import { join } from 'node:path';
import { FuseV1Options, FuseVersion, flipFuses, getCurrentFuseWire } from '@electron/fuses';

const ARM64 = 3; // electron-builder's Arch.arm64

/** The file @electron/fuses patches: the executable (Linux, Windows) or the .app (macOS framework inside). */
export function electronBinaryPath(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') {
    return join(appOutDir, `${packager.appInfo.productFilename}.app`);
  }
  if (electronPlatformName === 'win32') return join(appOutDir, `${packager.appInfo.productFilename}.exe`);
  return join(appOutDir, packager.executableName);
}

export function fuseConfig({ allowInspect, resetAdHocDarwinSignature }) {
  return {
    version: FuseVersion.V1,
    resetAdHocDarwinSignature,
    [FuseV1Options.RunAsNode]: false,
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
    [FuseV1Options.EnableNodeCliInspectArguments]: allowInspect,
    [FuseV1Options.OnlyLoadAppFromAsar]: true,
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  };
}

export default async function afterPack(context) {
  const binary = electronBinaryPath(context);
  try {
    await getCurrentFuseWire(binary);
  } catch (error) {
    if (!/sentinel/i.test(String(error?.message))) throw error;
    console.info(
      `Electron fuses: SKIPPED, ${binary} is a stand-in, not an Electron binary (it has no fuse wire). ` +
        'This package is for tests only and must not be shipped.',
    );
    return;
  }
  const allowInspect = process.env.LINK_DESK_E2E_BUILD === '1';
  // Flipping fuses invalidates the ad-hoc signature arm64 Macs require; electron-builder re-signs
  // signed builds afterwards, unsigned ones need the ad-hoc signature renewed here.
  const resetAdHocDarwinSignature = context.electronPlatformName === 'darwin' && context.arch === ARM64;
  await flipFuses(binary, fuseConfig({ allowInspect, resetAdHocDarwinSignature }));
  console.info(
    `Electron fuses set on ${binary}: RunAsNode off, NODE_OPTIONS off, inspect arguments ` +
      `${allowInspect ? 'ON (test build for Playwright)' : 'off'}, only load app from asar, asar integrity validation on.`,
  );
}
