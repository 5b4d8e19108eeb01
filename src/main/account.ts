import { AppFailure } from '../shared/errors';
import { ENVIRONMENT_BASE_URLS, type Environment, type Settings } from '../shared/settings';
import { createSecuconnectClient, TokenCache, type SecuconnectClient, type RequestInfo } from './secuconnect';
import { secretAccountFor } from './handlers/settings-handlers';
import type { SecretStore } from './secret-store';
import type { DemoSimulatorHost } from './demo-simulator-host';
import { DEMO_CREDENTIALS } from './demo-simulator-host';
import type { Redactor } from './redaction';

/** The secupay account Link Desk talks to right now, with a client for it. */
export interface Account {
  environment: Environment;
  /** Stable per account (Demo is always 'demo', whatever port its simulator got). */
  key: string;
  baseUrl: string;
  contractId: string;
  /** Payments are not executed: Demo and the testing system (PRODUCT.md: `is_demo`). */
  isDemo: boolean;
  client: SecuconnectClient;
}

export interface AccountResolverDeps {
  loadSettings: () => Settings;
  secrets: SecretStore;
  demo: DemoSimulatorHost;
  redactor: Redactor;
  onRequest?: (account: string, info: RequestInfo) => void;
  /** How long a request may take before it counts as lost (tests shorten the client's 15 s). */
  requestTimeoutMs?: number;
}

export type AccountResolver = () => Promise<Account>;

export type ResettableAccountResolver = AccountResolver & {
  /**
   * The secret was removed or the credentials changed: every cached token and client is
   * dropped, so the next request logs in with what is stored now (or fails without a secret).
   */
  forgetCredentials(): void;
};

/**
 * Resolves the current settings into an account. Clients are kept per account so the token
 * cache, the request budget and in-flight coalescing work across calls; the secret is read
 * from the keychain only when a token must be issued.
 */
export function createAccountResolver(deps: AccountResolverDeps): ResettableAccountResolver {
  const clients = new Map<string, SecuconnectClient>();
  // Our own cache rather than the process-wide one, so dropping it cannot miss a token. A token
  // request still in flight when it is dropped lands in the old cache, which nothing reads.
  let tokenCache = new TokenCache();

  const clientFor = (key: string, baseUrl: string, clientId: string, getClientSecret: () => Promise<string>) => {
    const cacheKey = `${key}|${baseUrl}`;
    let client = clients.get(cacheKey);
    if (!client) {
      const options: Parameters<typeof createSecuconnectClient>[0] = { baseUrl, clientId, getClientSecret, tokenCache };
      if (deps.requestTimeoutMs !== undefined) options.timeoutMs = deps.requestTimeoutMs;
      if (deps.onRequest) {
        const report = deps.onRequest;
        options.onRequest = (info) => report(key, info);
      }
      client = createSecuconnectClient(options);
      clients.set(cacheKey, client);
    }
    return client;
  };

  const resolve = async (): Promise<Account> => {
    const settings = deps.loadSettings();
    if (settings.environment === 'demo') {
      const simulator = await deps.demo.get();
      const client = clientFor('demo', simulator.baseUrl, DEMO_CREDENTIALS.clientId, async () => DEMO_CREDENTIALS.clientSecret);
      return { environment: 'demo', key: 'demo', baseUrl: simulator.baseUrl, contractId: DEMO_CREDENTIALS.contractId, isDemo: true, client };
    }
    const baseUrl = settings.environment === 'custom' ? settings.customBaseUrl : ENVIRONMENT_BASE_URLS[settings.environment];
    const missing: Record<string, string> = {};
    if (settings.clientId === '') missing['clientId'] = 'validation.required';
    if (settings.contractId === '') missing['contractId'] = 'validation.required';
    if (baseUrl === '') missing['customBaseUrl'] = 'validation.required';
    if (Object.keys(missing).length > 0) {
      throw new AppFailure({ code: 'settings.not_configured', message: 'The connection is not set up: client ID and contract ID are needed in Settings.', fields: missing });
    }
    const secretAccount = secretAccountFor(settings) ?? settings.environment;
    const getClientSecret = async () => {
      const secret = await deps.secrets.get(secretAccount);
      if (secret === null) throw new AppFailure({ code: 'auth.missing_secret', message: 'No client secret is stored for this environment.' });
      deps.redactor.register(secret);
      return secret;
    };
    const key = `${baseUrl}|${settings.clientId}`;
    return {
      environment: settings.environment,
      key,
      baseUrl,
      contractId: settings.contractId,
      isDemo: settings.environment === 'testing',
      client: clientFor(key, baseUrl, settings.clientId, getClientSecret),
    };
  };
  return Object.assign(resolve, {
    forgetCredentials() {
      tokenCache = new TokenCache();
      clients.clear();
    },
  });
}
