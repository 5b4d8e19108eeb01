import { join } from 'node:path';
import type { AppInfo } from '../shared/contract';
import { isAllowedExternalUrl } from './external-url-policy';
import { createDispatcher, type Dispatch, type HandlerTable, type SenderInfo } from './ipc/dispatcher';
import { createEventHub, type EventHub } from './event-hub';
import { createSettingsRepository, type KeyValueBackend } from './settings-repository';
import { createSettingsHandlers } from './handlers/settings-handlers';
import { createDemoSimulatorHost, type DemoSimulatorHost } from './demo-simulator-host';
import { createAccountResolver } from './account';
import { openHistoryStore, type HistoryStore } from './history';
import { createLinkService, type LinkService } from './links/link-service';
import { outcomeNotification, type Notifier } from './notifications';
import { createFollowUpActions } from './links/follow-up';
import { createRequestBudget, type RequestBudget } from './watcher/request-budget';
import { createStatusWatcher, type StatusWatcher } from './watcher/status-watcher';
import { toCsv } from '../shared/csv';
import { isExpired } from '../shared/link';
import { isFinalStatus } from '../shared/status';
import { HISTORY_MAX_PAGE } from '../shared/history-query';
import type { SecretStore } from './secret-store';
import type { Redactor } from './redaction';

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
  notifier: Notifier;
  logError?: (line: string) => void;
  /** Per-account request budget; tests and benchmarks pass their own. */
  budget?: RequestBudget;
  /** Whether to start the background watcher (tests drive `watcher.tick()` themselves). */
  startWatcher?: boolean;
}

export interface AppCore {
  handlers: HandlerTable;
  dispatch: Dispatch;
  events: EventHub;
  history: HistoryStore;
  links: LinkService;
  watcher: StatusWatcher;
  /** The Demo simulator's origin once it runs. */
  demoOrigin(): string | null;
  /** The embedded Demo simulator (started on first use); tests drive its control API. */
  demo: DemoSimulatorHost;
  dispose(): Promise<void>;
}

export async function createAppCore(deps: AppCoreDeps): Promise<AppCore> {
  const events = createEventHub();
  const settings = createSettingsRepository(deps.settingsBackend);
  const settingsHandlers = createSettingsHandlers({ settings, secrets: deps.secretStore, events, redactor: deps.redactor });
  const demo = createDemoSimulatorHost(deps.dataDir);
  const resolveAccount = createAccountResolver({ loadSettings: () => settings.load(), secrets: deps.secretStore, demo, redactor: deps.redactor });
  const history = await openHistoryStore({ dir: join(deps.dataDir, 'history') });

  const uiLanguage = () => {
    const chosen = settings.load().uiLanguage;
    return chosen === 'system' ? deps.info.systemLanguage : chosen;
  };
  const budget = deps.budget ?? createRequestBudget();
  const links = createLinkService({
    history,
    resolveAccount,
    events,
    budget,
    onOutcome: (record, outcome) => deps.notifier.notify(outcomeNotification(record, outcome, uiLanguage())),
  });
  const followUp = createFollowUpActions({ links, history, events });
  const watcher = createStatusWatcher({
    history,
    links,
    currentAccountKey: async () => (await resolveAccount()).key,
  });

  const countWaiting = () => {
    let count = 0;
    for (const record of history.nonFinal()) if (record.state === 'created' && !isFinalStatus(record.status)) count++;
    return count;
  };
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
    'connection.test': async () => {
      const account = await resolveAccount();
      const result = await account.client.testConnection();
      return { environment: account.environment, baseUrl: account.baseUrl, tokenExpiresInSeconds: result.tokenExpiresInSeconds };
    },
    'links.create': (input) => links.create(input),
    'links.get': async ({ merchantRef }) => links.get(merchantRef),
    'links.refresh': ({ merchantRef }) => links.refresh(merchantRef),
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
    'history.status': async () => {
      const expiryDays = settings.load().linkExpiryDays;
      const now = new Date();
      let expiredCount = 0;
      if (expiryDays > 0) for (const record of history.nonFinal()) if (isExpired(record, expiryDays, now)) expiredCount++;
      const recovery = history.recovery;
      return {
        recovery: recovery ? { damagedLines: recovery.damagedLines, setAsideFiles: recovery.setAsideFiles } : null,
        waitingCount: countWaiting(),
        expiredCount,
      };
    },
  };

  const dispatchOptions: Parameters<typeof createDispatcher>[0] = { handlers, isTrustedSender: deps.isTrustedSender, redactor: deps.redactor };
  if (deps.logError) dispatchOptions.logError = deps.logError;
  const dispatch = createDispatcher(dispatchOptions);

  // In Demo the simulator starts right away, so the first link is as quick as every other.
  if (settings.load().environment === 'demo') void demo.get().catch(() => undefined);
  // Links whose create answer was lost (crash, network) are settled in the background at start.
  void links.reconcileUnfinished().catch(() => undefined);
  if (deps.startWatcher !== false) watcher.start();

  return {
    handlers,
    dispatch,
    events,
    history,
    links,
    watcher,
    demoOrigin: () => demo.origin(),
    demo,
    async dispose() {
      watcher.stop();
      if (waitingTimer) clearTimeout(waitingTimer);
      await history.close();
      await demo.stop();
    },
  };
}
