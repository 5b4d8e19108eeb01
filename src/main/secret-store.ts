import { AppFailure } from '../shared/errors';

/**
 * Where the client secret lives: the OS keychain, and main-process memory while in use.
 * There is deliberately no fallback to a file: without a keychain the secret is not stored.
 */
export interface SecretStore {
  set(account: string, secret: string): Promise<void>;
  has(account: string): Promise<boolean>;
  delete(account: string): Promise<void>;
  /** Only main calls this, to build the token request. */
  get(account: string): Promise<string | null>;
  availability(): Promise<KeychainAvailability>;
}

export interface KeychainAvailability {
  available: boolean;
  /** A plain sentence for the settings screen when the keychain cannot be used. */
  problem?: string;
}

export const KEYCHAIN_SERVICE = 'Link Desk (secuconnect client secret)';

interface KeytarModule {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

/** An entry nobody stores: reading it proves the keychain answers without loading any secret. */
const PROBE_ACCOUNT = 'link-desk-probe';

const UNAVAILABLE_MESSAGE =
  'The system keychain cannot be reached, so the client secret cannot be stored safely. ' +
  'On Linux, install and unlock a Secret Service keyring (for example GNOME Keyring or KWallet); ' +
  'on macOS and Windows, check that you are logged in normally.';

function keychainUnavailable(): AppFailure {
  return new AppFailure({ code: 'keychain.unavailable', message: UNAVAILABLE_MESSAGE });
}

/** keytar (libsecret / Keychain / Credential Vault). Loaded lazily: a missing libsecret must not crash the app. */
export function createKeytarSecretStore(
  options: { service?: string; loadKeytar?: () => Promise<KeytarModule>; warn?: (line: string) => void } = {},
): SecretStore {
  const warn = options.warn ?? ((line: string) => console.warn(line));
  const service = options.service ?? KEYCHAIN_SERVICE;
  const load = options.loadKeytar ?? (async () => {
    const imported = (await import('keytar')) as unknown as { default?: KeytarModule } & KeytarModule;
    return imported.default ?? imported;
  });
  let keytarPromise: Promise<KeytarModule> | null = null;
  const keytar = async (): Promise<KeytarModule> => {
    keytarPromise ??= load();
    try {
      return await keytarPromise;
    } catch (error) {
      keytarPromise = null;
      warn(`[keychain] keytar could not be loaded: ${String(error)}`);
      throw keychainUnavailable();
    }
  };
  // Every keychain error (no D-Bus, no Secret Service, locked and dismissed prompt) means the same to the merchant.
  const guarded = async <T>(operation: (k: KeytarModule) => Promise<T>): Promise<T> => {
    const k = await keytar();
    try {
      return await operation(k);
    } catch (error) {
      warn(`[keychain] ${String(error)}`);
      throw keychainUnavailable();
    }
  };

  return {
    set: (account, secret) => guarded((k) => k.setPassword(service, account, secret)),
    has: (account) => guarded(async (k) => (await k.getPassword(service, account)) !== null),
    delete: (account) => guarded(async (k) => void (await k.deletePassword(service, account))),
    get: (account) => guarded((k) => k.getPassword(service, account)),
    async availability() {
      try {
        await guarded((k) => k.getPassword(service, PROBE_ACCOUNT));
        return { available: true };
      } catch {
        return { available: false, problem: UNAVAILABLE_MESSAGE };
      }
    },
  };
}

/** For unit tests of code that needs a SecretStore but is not about the keychain. */
export function createInMemorySecretStore(): SecretStore {
  const secrets = new Map<string, string>();
  return {
    set: async (account, secret) => void secrets.set(account, secret),
    has: async (account) => secrets.has(account),
    delete: async (account) => void secrets.delete(account),
    get: async (account) => secrets.get(account) ?? null,
    availability: async () => ({ available: true }),
  };
}
