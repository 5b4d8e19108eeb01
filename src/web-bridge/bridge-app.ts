import { mkdtemp, readFile, access } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Conf from 'conf';
import { createAppCore, type AppCore } from '../main/app-core';
import { createKeytarSecretStore, type SecretStore } from '../main/secret-store';
import { createRedactor } from '../main/redaction';
import type { DemoSimulatorHostOptions } from '../main/demo-simulator-host';
import { startWebBridge, type RunningWebBridge } from './server';

export interface BridgeAppOptions {
  port?: number;
  /** Where settings, history and Demo data live; a fresh temp dir when not given. */
  dataDir?: string;
  /** Keychain service name; tests use their own so they never touch a real user's secret. */
  keychainService?: string;
  secretStore?: SecretStore;
  projectRoot?: string;
  /** Tests only: Demo simulator control routes (`{ testControl: true }`) or a shared simulator. */
  demoSimulator?: DemoSimulatorHostOptions;
}

export interface RunningBridgeApp extends RunningWebBridge {
  core: AppCore;
  dataDir: string;
  /** OS notifications main would have shown (there is no OS shell behind a browser). */
  notifications: Array<{ title: string; body: string; merchantRef: string }>;
  /** URLs main was asked to open and allowed; the browser page opens them itself. */
  openedExternally: string[];
}

function systemLanguage(): 'de' | 'en' {
  const candidates = [process.env['LC_ALL'], process.env['LC_MESSAGES'], process.env['LANG'], Intl.DateTimeFormat().resolvedOptions().locale];
  return candidates.some((value) => value?.toLowerCase().startsWith('de')) ? 'de' : 'en';
}

/** The whole app behind the web bridge: same core as Electron's main, conf instead of electron-store. */
export async function startBridgeApp(options: BridgeAppOptions = {}): Promise<RunningBridgeApp> {
  const root = options.projectRoot ?? resolve(import.meta.dirname, '../..');
  const rendererDir = join(root, 'out/renderer');
  const preloadFile = join(root, 'out/web-bridge/preload.js');
  try {
    await access(join(rendererDir, 'index.html'));
    await access(preloadFile);
  } catch {
    throw new Error('The renderer is not built yet. Run `npm run build` first (npm run web-bridge does this for you).');
  }
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'link-desk-bridge-')));
  const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version?: string };
  const secretStore = options.secretStore ?? createKeytarSecretStore(options.keychainService ? { service: options.keychainService } : {});

  const notifications: RunningBridgeApp['notifications'] = [];
  const openedExternally: string[] = [];
  const core = await createAppCore({
    dataDir,
    // electron-store is conf with Electron's defaults: same file name and format in dataDir.
    settingsBackend: new Conf({ cwd: dataDir, configName: 'settings', projectName: 'link-desk', watch: true }),
    secretStore,
    redactor: createRedactor(),
    // The bridge's HTTP layer already refuses foreign origins; here only the frame flag matters.
    isTrustedSender: (sender) => sender.isTopFrame,
    info: { version: pkg.version ?? '0.0.0', shell: 'web-bridge', platform: process.platform, systemLanguage: systemLanguage() },
    // Behind a browser there is no OS shell and main has no windows: answer "not opened" so the
    // page opens the (already allow-listed) URL or the customer display itself.
    openExternal: async (url) => {
      openedExternally.push(url);
      return false;
    },
    openCustomerDisplay: () => false,
    notifier: { notify: (notification) => void notifications.push(notification) },
    ...(options.demoSimulator ? { demoSimulator: options.demoSimulator } : {}),
  });
  const bridgeOptions: Parameters<typeof startWebBridge>[0] = { core, rendererDir, preloadFile };
  if (options.port !== undefined) bridgeOptions.port = options.port;
  const bridge = await startWebBridge(bridgeOptions);
  return {
    ...bridge,
    core,
    dataDir,
    notifications,
    openedExternally,
    async close() {
      await bridge.close();
      await core.dispose();
    },
  };
}
