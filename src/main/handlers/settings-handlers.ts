import type { SettingsView, Settings, Environment } from '../../shared/settings';
import { AppFailure } from '../../shared/errors';
import type { HandlerTable } from '../ipc/dispatcher';
import type { SettingsRepository } from '../settings-repository';
import type { SecretStore } from '../secret-store';
import type { EventHub } from '../event-hub';
import type { Redactor } from '../redaction';

/** One stored secret per environment that needs one; Demo runs on the built-in simulator's own credentials. */
export function secretAccountFor(settings: Pick<Settings, 'environment' | 'customBaseUrl'>): string | null {
  const environment: Environment = settings.environment;
  if (environment === 'demo') return null;
  return environment === 'custom' ? `custom:${settings.customBaseUrl}` : environment;
}

export interface SettingsHandlerDeps {
  settings: SettingsRepository;
  secrets: SecretStore;
  events: EventHub;
  redactor: Redactor;
}

export type SettingsHandlers = Pick<HandlerTable, 'settings.get' | 'settings.save' | 'secret.set' | 'secret.remove'>;

export function createSettingsHandlers(deps: SettingsHandlerDeps): SettingsHandlers & { view(): Promise<SettingsView> } {
  const view = async (): Promise<SettingsView> => {
    const settings = deps.settings.load();
    const keychain = await deps.secrets.availability();
    const account = secretAccountFor(settings);
    const secretStored = keychain.available && account !== null ? await deps.secrets.has(account).catch(() => false) : false;
    return { settings, secretStored, keychain };
  };
  const changed = async (): Promise<SettingsView> => {
    const current = await view();
    deps.events.emit({ type: 'settings.changed', view: current });
    return current;
  };

  return {
    view,
    'settings.get': () => view(),
    'settings.save': async ({ settings }) => {
      deps.settings.save(settings);
      return changed();
    },
    'secret.set': async ({ secret }) => {
      deps.redactor.register(secret);
      const account = secretAccountFor(deps.settings.load());
      if (account === null) {
        throw new AppFailure({ code: 'settings.invalid', message: 'Demo mode needs no client secret. Choose Testing, Live or a custom environment first.', fields: { secret: 'validation.secret_demo' } });
      }
      await deps.secrets.set(account, secret);
      return changed();
    },
    'secret.remove': async () => {
      const account = secretAccountFor(deps.settings.load());
      if (account !== null) await deps.secrets.delete(account);
      return changed();
    },
  };
}
