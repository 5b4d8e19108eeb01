import { join } from 'node:path';
import type { AppInfo, ChannelOutput, ParsedChannelInput } from '../shared/contract';
import { isAllowedExternalUrl } from './external-url-policy';
import { createDispatcher, type Dispatch, type HandlerTable, type SenderInfo } from './ipc/dispatcher';
import { createEventHub, type EventHub } from './event-hub';
import { createSettingsRepository, type KeyValueBackend } from './settings-repository';
import { createSettingsHandlers } from './handlers/settings-handlers';
import { createDemoSimulatorHost, type DemoSimulatorHost, type DemoSimulatorHostOptions } from './demo-simulator-host';
import { createAccountResolver } from './account';
import { openLinkRepository, type LinkRepository } from './history';
import { loadDeskId } from './desk-identity';
import { createLinkService, type LinkService } from './links/link-service';
import { outcomeNotification, type Notifier } from './notifications';
import { createFollowUpActions } from './links/follow-up';
import { createRequestBudget, type RequestBudget } from './watcher/request-budget';
import { createAccountSync, type AccountSync } from './sync/account-sync';
import { createWarmUp } from './secuconnect/warm-up';
import { toCsv } from '../shared/csv';
import { resolveUiLanguage, type UiLanguage } from '../shared/i18n';
import { HISTORY_MAX_PAGE } from '../shared/history-query';
import type { SecretStore } from './secret-store';
import type { Redactor } from './redaction';
import { createAppLog, describe, diagnosticsText, type AppLog } from './log';
import { createOwnerPin, keychainPinVault, type ScryptCost } from './owner-pin';

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
  /** Hands an already allow-listed URL to the OS; false where there is no OS shell (web bridge). */
  openExternal: (url: string) => Promise<boolean>;
  /** Opens the customer-facing window; false where main has no windows (web bridge). */
  openCustomerDisplay: (merchantRef: string) => boolean;
  /** Prints the main window's document (electron/print.ts); absent where main has no windows (web bridge). */
  printDocument?: (request: ParsedChannelInput<'print.document'>) => Promise<ChannelOutput<'print.document'>>;
  notifier: Notifier;
  logError?: (line: string) => void;
  /** Per-account request budget; tests and benchmarks pass their own. */
  budget?: RequestBudget;
  /** How long an API request may take before it counts as lost; default the client's 15 s. */
  requestTimeoutMs?: number;
  /** Whether to start the account sync (the background watcher; tests drive `sync.tick()` themselves). */
  startWatcher?: boolean;
  /** Tests only: the Demo simulator with control routes, or one simulator shared by several cores. */
  demoSimulator?: DemoSimulatorHostOptions;
  /** The log file; by default `logs/main.log` in dataDir. */
  log?: AppLog;
  /** scrypt cost of the owner PIN hash; tests pass a cheap one. */
  pinCost?: ScryptCost;
}

export interface AppCore {
  handlers: HandlerTable;
  dispatch: Dispatch;
  events: EventHub;
  history: LinkRepository;
  links: LinkService;
  sync: AccountSync;
  /** The Demo simulator's origin once it runs. */
  demoOrigin(): string | null;
  /** The embedded Demo simulator (started on first use); tests drive its control API. */
  demo: DemoSimulatorHost;
  log: AppLog;
  /** A link is probably coming (window shown again): token and connection are readied in the background. */
  warmUp(): void;
  /** The app language (setting, or the system's): tray menu and other texts main shows itself. */
  uiLanguage(): UiLanguage;
  dispose(): Promise<void>;
}

export async function createAppCore(deps: AppCoreDeps): Promise<AppCore> {
  const events = createEventHub();
  const log = deps.log ?? createAppLog({ dataDir: deps.dataDir, redactor: deps.redactor });
  const logError = (line: string) => {
    log.error(line);
    deps.logError?.(line);
  };
  const settings = createSettingsRepository(deps.settingsBackend, (line) => log.warn(line));
  // The owner PIN (shared counter): its hash stays in the keychain; the dispatcher asks it before protected channels.
  const ownerPin = createOwnerPin({
    vault: keychainPinVault(deps.secretStore),
    unlockMinutes: () => settings.load().pinUnlockMinutes,
    markerFile: join(deps.dataDir, 'owner-pin-set'),
    warn: (line) => log.warn(line),
    ...(deps.pinCost ? { cost: deps.pinCost } : {}),
  });
  const settingsHandlers = createSettingsHandlers({
    settings,
    secrets: deps.secretStore,
    events,
    redactor: deps.redactor,
    ownerPin,
    // Removing the secret or changing credentials must end every session made with them.
    onCredentialsChanged: () => resolveAccount.forgetCredentials(),
    warn: (line) => log.warn(line),
  });
  const demo = createDemoSimulatorHost(deps.dataDir, deps.demoSimulator);
  const resolveAccount = createAccountResolver({
    loadSettings: () => settings.load(),
    secrets: deps.secretStore,
    demo,
    redactor: deps.redactor,
    ...(deps.requestTimeoutMs !== undefined ? { requestTimeoutMs: deps.requestTimeoutMs } : {}),
  });
  const deskId = loadDeskId(deps.dataDir);
  const history = openLinkRepository({
    dir: join(deps.dataDir, 'history'),
    deskId,
    ...(deps.logError ? { logError: deps.logError } : {}),
  });

  const uiLanguage = () => resolveUiLanguage(settings.load().uiLanguage, deps.info.systemLanguage);
  const budget = deps.budget ?? createRequestBudget();
  // Counter speed (issue 14): token and connection ready before Enter, so the create is the only round trip.
  const warmUp = createWarmUp({ resolveAccount, budget });
  const links = createLinkService({
    history,
    deskId,
    deskName: () => settings.load().deskName,
    logError,
    resolveAccount,
    events,
    budget,
    onOutcome: (record, outcome) => deps.notifier.notify(outcomeNotification(record, outcome, uiLanguage())),
  });
  const followUp = createFollowUpActions({ links, history, logError });
  // The background watcher is the account sync: one "changed since" query per cycle, whatever waits.
  const sync = createAccountSync({
    history,
    links,
    events,
    resolveAccount,
    budget,
    restoring: history.recovery !== null,
    logError,
  });

  const countWaiting = () => history.countWaiting();
  // The tray/dock badge and the history header follow every change, at most a few times a second.
  let waitingTimer: ReturnType<typeof setTimeout> | null = null;
  events.subscribe((event) => {
    if (event.type !== 'link.updated' || waitingTimer) return;
    waitingTimer = setTimeout(() => {
      waitingTimer = null;
      events.emit({ type: 'links.waiting', count: countWaiting() });
    }, 250);
  });

  const handlers: HandlerTable = {
    'app.info': async () => {
      const environment = settings.load().environment;
      return { ...deps.info, environment, isDemo: environment === 'demo' };
    },
    'settings.get': settingsHandlers['settings.get'],
    'settings.save': settingsHandlers['settings.save'],
    'secret.set': settingsHandlers['secret.set'],
    'secret.remove': settingsHandlers['secret.remove'],
    'pin.status': settingsHandlers['pin.status'],
    'pin.unlock': settingsHandlers['pin.unlock'],
    'pin.lock': settingsHandlers['pin.lock'],
    'pin.set': settingsHandlers['pin.set'],
    'pin.remove': settingsHandlers['pin.remove'],
    'diagnostics.get': async () => {
      const view = await settingsHandlers.view();
      const facts = { ...deps.info, environment: view.settings.environment, keychainAvailable: view.keychain.available };
      return { text: diagnosticsText({ ...facts, pinSet: view.pin.set, logFile: log.filePath, recentErrors: log.recent() }) };
    },
    'log.report': async ({ where, message, stack }) => {
      log.error(`[renderer] ${where}: ${message}${stack ? `\n${stack}` : ''}`);
      return { logged: true };
    },
    'account.warmUp': async () => {
      void warmUp.signal();
      return {};
    },
    'connection.test': async () => {
      const account = await resolveAccount();
      const result = await account.client.testConnection();
      return { environment: account.environment, baseUrl: account.baseUrl, tokenExpiresInSeconds: result.tokenExpiresInSeconds };
    },
    'links.create': (input) => links.create(input),
    'links.get': async ({ merchantRef }) => links.get(merchantRef),
    'links.refresh': ({ merchantRef }) => links.refresh(merchantRef),
    'links.retry': ({ merchantRef }) => links.retry(merchantRef),
    'shell.openExternal': async ({ url }) => {
      const demoOrigin = demo.origin();
      if (!isAllowedExternalUrl(url, { extraOrigins: demoOrigin ? [demoOrigin] : [] })) return { opened: false };
      return { opened: await deps.openExternal(url) };
    },
    'display.open': async ({ merchantRef }) => {
      links.get(merchantRef);
      return { opened: deps.openCustomerDisplay(merchantRef) };
    },
    'links.cancel': ({ merchantRef }) => followUp.cancel(merchantRef),
    'links.ship': (input) => followUp.ship(input),
    'links.refund': (input) => followUp.refund(input),
    'links.cancelExpired': () => followUp.cancelExpired(settings.load().linkExpiryDays),
    'history.query': async (query) => history.query(query),
    'history.exportCsv': async ({ query, separator }) => {
      const records = [];
      for (let offset = 0; ; offset += HISTORY_MAX_PAGE) {
        const page = history.query({ ...query, offset, limit: HISTORY_MAX_PAGE });
        records.push(...page.items);
        if (offset + HISTORY_MAX_PAGE >= page.total) break;
      }
      const day = new Date().toISOString().slice(0, 10);
      return { csv: toCsv(records, { separator, locale: uiLanguage() }), fileName: `link-desk-${day}.csv`, rows: records.length };
    },
    'overview.get': async (query) => history.overview(query),
    'print.document': async (request) => (deps.printDocument ? deps.printDocument(request) : { handled: false, done: false }),
    'history.status': async () => {
      const recovery = history.recovery;
      return {
        recovery,
        waitingCount: countWaiting(),
        expiredCount: history.countExpired(settings.load().linkExpiryDays, new Date()),
        sync: sync.status(),
      };
    },
  };

  const dispatch = createDispatcher({
    handlers,
    isTrustedSender: deps.isTrustedSender,
    redactor: deps.redactor,
    logError,
    requireOwnerPin: () => ownerPin.requireOpen(),
  });

  // In Demo the simulator starts right away, so the first link is as quick as every other.
  if (settings.load().environment === 'demo') void demo.get().catch((error: unknown) => logError(`[demo] simulator did not start: ${describe(error)}`));
  // Links whose create answer was lost (crash, network) are settled in the background at start.
  void links.reconcileUnfinished().catch((error: unknown) => logError(`[links] reconcile at start failed: ${describe(error)}`));
  if (deps.startWatcher !== false) sync.start();
  void warmUp.signal();
  warmUp.start();

  return {
    handlers,
    dispatch,
    events,
    history,
    links,
    sync,
    demoOrigin: () => demo.origin(),
    demo,
    log,
    warmUp: () => void warmUp.signal(),
    uiLanguage,
    async dispose() {
      warmUp.stop();
      settings.dispose();
      sync.stop();
      if (waitingTimer) clearTimeout(waitingTimer);
      await history.close();
      await demo.stop();
    },
  };
}
