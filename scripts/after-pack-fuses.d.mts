// Types for scripts/after-pack-fuses.mjs (an electron-builder hook, so plain JavaScript), for the tests.
import type { FuseConfig } from '@electron/fuses';

export interface FuseHookContext {
  appOutDir: string;
  electronPlatformName: string;
  arch: number;
  packager: { executableName?: string; appInfo: { productFilename: string } };
}
export function electronBinaryPath(context: FuseHookContext): string;
export function fuseConfig(options: { allowInspect: boolean; resetAdHocDarwinSignature: boolean }): FuseConfig;
export default function afterPack(context: FuseHookContext): Promise<void>;
