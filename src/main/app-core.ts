import type { AppInfo } from '../shared/contract';
import type { HandlerTable } from './ipc/dispatcher';
import { createDispatcher, type Dispatch } from './ipc/dispatcher';
import { createEventHub, type EventHub } from './event-hub';
import { createSettingsRepository, type KeyValueBackend } from './settings-repository';
import { createSettingsHandlers } from './handlers/settings-handlers';
import type { SecretStore } from './secret-store';
import type { Redactor } from './redaction';
import type { SenderInfo } from './ipc/dispatcher';

/**
 * Everything Link Desk does, minus Electron: Electron's main and the web bridge both build
 * one of these and put their own transport (ipcMain / HTTP) in front of `dispatch`.
 */
export interface AppCoreDeps {
  dataDir: string;
  settingsBackend: KeyValueBackend;
  secretStore: SecretStore;
  redactor: Redactor;
  isTrustedSender: (sender: SenderInfo) => boolean;
  info: Omit<AppInfo, 'environment' | 'isDemo'>;
  logError?: (line: string) => void;
}

export interface AppCore {
  handlers: HandlerTable;
  dispatch: Dispatch;
  events: EventHub;
  dispose(): Promise<void>;
}

export async function createAppCore(deps: AppCoreDeps): Promise<AppCore> {
  const events = createEventHub();
  const settings = createSettingsRepository(deps.settingsBackend);
  const settingsHandlers = createSettingsHandlers({ settings, secrets: deps.secretStore, events, redactor: deps.redactor });

  const handlers: HandlerTable = {
    'app.info': async () => {
      const environment = settings.load().environment;
      return { ...deps.info, environment, isDemo: environment === 'demo' };
    },
    'settings.get': settingsHandlers['settings.get'],
    'settings.save': settingsHandlers['settings.save'],
    'secret.set': settingsHandlers['secret.set'],
    'secret.remove': settingsHandlers['secret.remove'],
  };

  const dispatchOptions: Parameters<typeof createDispatcher>[0] = {
    handlers,
    isTrustedSender: deps.isTrustedSender,
    redactor: deps.redactor,
  };
  if (deps.logError) dispatchOptions.logError = deps.logError;
  const dispatch = createDispatcher(dispatchOptions);

  return {
    handlers,
    dispatch,
    events,
    async dispose() {},
  };
}
