import type { SettingsView, Settings, Environment } from '../../shared/settings';
import { AppFailure } from '../../shared/errors';
import type { HandlerTable } from '../ipc/dispatcher';
import type { SettingsRepository } from '../settings-repository';
import type { SecretStore } from '../secret-store';
import type { EventHub } from '../event-hub';
import type { Redactor } from '../redaction';
import type { OwnerPin } from '../owner-pin';

/** One stored secret per environment that needs one; Demo runs on the built-in simulator's own credentials. */
export function secretAccountFor(settings: Pick<Settings, 'environment' | 'customBaseUrl'>): string | null {
  const environment: Environment = settings.environment;
  if (environment === 'demo') return null;
  return environment === 'custom' ? `custom:${settings.customBaseUrl}` : environment;
}

/** What decides which account main talks to and how it logs in. */
function credentialsOf(settings: Settings): string {
  return JSON.stringify([settings.environment, settings.customBaseUrl, settings.clientId, settings.contractId]);
}

export interface SettingsHandlerDeps {
  settings: SettingsRepository;
  secrets: SecretStore;
  events: EventHub;
  redactor: Redactor;
  ownerPin: OwnerPin;
  /** The secret or the credentials changed: cached tokens must not outlive them. */
  onCredentialsChanged: () => void;
  warn?: (line: string) => void;
}

export type SettingsHandlers = Pick<
  HandlerTable,
  'settings.get' | 'settings.save' | 'secret.set' | 'secret.remove' | 'pin.status' | 'pin.unlock' | 'pin.lock' | 'pin.set' | 'pin.remove'
>;

export function createSettingsHandlers(deps: SettingsHandlerDeps): SettingsHandlers & { view(): Promise<SettingsView> } {
  const warn = deps.warn ?? ((line: string) => console.warn(line));
  const view = async (): Promise<SettingsView> => {
    const settings = deps.settings.load();
    const keychain = await deps.secrets.availability();
    const account = secretAccountFor(settings);
    const secretStored =
      keychain.available && account !== null
        ? await deps.secrets.has(account).catch((error: unknown) => {
            warn(`[settings] could not ask the keychain for the secret: ${String(error)}`);
            return false;
          })
        : false;
    const pin = await deps.ownerPin.status();
    return { settings, secretStored, keychain, pin };
  };
  const changed = async (): Promise<SettingsView> => {
    const current = await view();
    deps.events.emit({ type: 'settings.changed', view: current });
    return current;
  };
  // Saved here or edited in the file: tokens issued for other credentials must not be used again,
  // and an edit from outside reaches the screens like a save.
  let credentials = credentialsOf(deps.settings.load());
  let saving = false;
  deps.settings.onChange(() => {
    const current = credentialsOf(deps.settings.load());
    if (current !== credentials) {
      credentials = current;
      deps.onCredentialsChanged();
    }
    if (!saving) void changed().catch((error: unknown) => warn(`[settings] could not report changed settings: ${String(error)}`));
  });

  return {
    view,
    'settings.get': () => view(),
    'settings.save': async ({ settings }) => {
      saving = true;
      try {
        deps.settings.save(settings);
      } finally {
        saving = false;
      }
      return changed();
    },
    'secret.set': async ({ secret }) => {
      deps.redactor.register(secret);
      const account = secretAccountFor(deps.settings.load());
      if (account === null) {
        throw new AppFailure({ code: 'settings.invalid', message: 'Demo mode needs no client secret. Choose Testing, Live or a custom environment first.', fields: { secret: 'validation.secret_demo' } });
      }
      await deps.secrets.set(account, secret);
      deps.onCredentialsChanged();
      return changed();
    },
    'secret.remove': async () => {
      const account = secretAccountFor(deps.settings.load());
      // Dropped before and after: no request may start with the old token while the keychain answers.
      deps.onCredentialsChanged();
      if (account !== null) await deps.secrets.delete(account);
      deps.onCredentialsChanged();
      return changed();
    },
    'pin.status': () => deps.ownerPin.status(),
    'pin.unlock': ({ pin }) => deps.ownerPin.unlock(pin),
    'pin.lock': () => deps.ownerPin.lock(),
    'pin.set': async ({ pin }) => {
      await deps.ownerPin.set(pin);
      return changed();
    },
    'pin.remove': async () => {
      await deps.ownerPin.remove();
      return changed();
    },
  };
}
