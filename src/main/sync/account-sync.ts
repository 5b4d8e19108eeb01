import { z } from 'zod';
import { CustomerSchema, type Customer, type LinkRecord } from '../../shared/link';
import type { Account, AccountResolver } from '../account';
import type { LinkRepository } from '../history';
import type { LinkService } from '../links/link-service';
import type { EventHub } from '../event-hub';
import type { RequestBudget } from '../watcher/request-budget';
import {
  BACKFILL_FORMS,
  CHANGED_SINCE_FORMS,
  backfillPage,
  changedSincePage,
  horizonFrom,
  isFallbackForm,
  nextCycle,
  startBackfill,
  startChangedSince,
  apiTimestamp,
  type ListRequest,
} from '../secuconnect/list-queries';
import { ContactWireSchema, basketLinesFromTransaction, type SmartTransaction } from '../secuconnect';

/**
 * Keeps the local history in step with the secuconnect account, which is the shared, durable
 * store of every transaction of the contract (ARCHITECTURE.md "Where the truth lives"):
 *
 * - First connection to an account: a backfill of its transactions back to a horizon (default
 *   90 days), a page per cycle, the cursor saved after each page, so a crash resumes it.
 * - Then every cycle one "changed since" query: whatever changed on the account (links of other
 *   desks and of secuOffice, payments, cancellations) comes back in one request, however many
 *   links wait. This is the background watcher: its cost does not grow with the waiting links.
 * - What the account says wins: a local record that disagrees is overwritten, a row kept aside
 *   because its checksum failed is replaced, an emptied history is refilled.
 *
 * The link on screen is not this module's business: it is polled directly (the buyer is paying
 * now), through the same request budget.
 */
export interface AccountSync {
  /** One cycle: a backfill page, or the changed-since query. Returns the requests it made. */
  tick(): Promise<number>;
  start(periodMs?: number): void;
  stop(): void;
  status(): SyncStatus;
}

export interface SyncStatus {
  /** Backfill of the account: done, or how far (transactions read, of how many when the API says). */
  backfill: { done: boolean; read: number; total: number | null };
  /** A query form other than the documented best one is in use (the API refused or ignored it). */
  fallback: { changedSince: string | null; backfill: string | null };
  lastSyncAt: string | null;
  /** The last cycle failed (offline, API trouble); the sync backs off and tries again. */
  failing: boolean;
  /** Links the backfill brought back into a history that had been lost or damaged. */
  restoredLinks: number;
}

export interface AccountSyncDeps {
  history: LinkRepository;
  links: LinkService;
  events: EventHub;
  resolveAccount: AccountResolver;
  budget: RequestBudget;
  now?: () => number;
  horizonDays?: () => number;
  /** The history was lost or damaged at start: what the backfill brings counts as restored. */
  restoring?: boolean;
  maxBackoffMs?: number;
  logError?: (line: string) => void;
}

/** Saved per account in the history database (sync_state), parsed from unknown on start. */
const SyncStateSchema = z.object({
  changedSince: z.object({ form: z.enum(CHANGED_SINCE_FORMS), since: z.string(), horizon: z.string(), offset: z.number().int().min(0) }).nullable(),
  backfill: z.object({
    cursor: z.object({ form: z.enum(BACKFILL_FORMS), horizon: z.string(), offset: z.number().int().min(0) }).nullable(),
    read: z.number().int().min(0),
    total: z.number().int().min(0).nullable(),
  }),
});
type SyncState = z.infer<typeof SyncStateSchema>;

const SECOND = 1000;
/** Clock difference and processing time allowed between a change at secupay and its `updated` stamp. */
const SETTLED_AFTER_MS = 120 * SECOND;
const CustomerContactSchema = z.object({ contact: ContactWireSchema.loose() }).loose();
const LanguageContextSchema = z.object({ language: z.enum(['de', 'en']) }).loose();

/** The customer as Link Desk keeps it, from a transaction made elsewhere (dropped if it does not fit the form's rules). */
function customerFrom(transaction: SmartTransaction): Customer | undefined {
  const wire = CustomerContactSchema.safeParse(transaction['customer']);
  if (!wire.success) return undefined;
  const { salutation, companyname, forename, surname, email, phone, mobile } = wire.data.contact;
  const customer = CustomerSchema.safeParse(Object.fromEntries(Object.entries({ salutation, companyname, forename, surname, email, phone, mobile }).filter(([, v]) => v !== undefined)));
  return customer.success && Object.keys(customer.data).length > 0 ? customer.data : undefined;
}

/** A transaction this desk has no record of (another desk, secuOffice, a lost history) as a new record. */
export function recordFromTransaction(transaction: SmartTransaction, account: Account, at: Date): LinkRecord {
  const links: Record<string, string> = {};
  for (const [method, url] of Object.entries(transaction.payment_links ?? {})) if (typeof url === 'string') links[method] = url;
  const created = transaction.created ?? transaction.updated ?? at.toISOString();
  const language = LanguageContextSchema.safeParse(transaction['application_context']);
  const customer = customerFrom(transaction);
  const basket = basketLinesFromTransaction(transaction);
  return {
    // A transaction made without a merchantRef (secuOffice) is keyed by its id: unique on the account as well.
    merchantRef: transaction.merchantRef || `STX:${transaction.id}`,
    state: 'created',
    id: transaction.id,
    environment: account.environment,
    accountKey: account.key,
    isDemo: account.environment === 'demo' || account.isDemo,
    status: transaction.status,
    amountCents: transaction.basket_info?.sum ?? 0,
    currency: transaction.basket_info?.currency ?? 'EUR',
    reference: transaction.transactionRef ?? '',
    language: language.success ? language.data.language : 'de',
    paymentMethod: 'any',
    ...(customer ? { customer } : {}),
    ...(basket ? { basket } : {}),
    paymentUrl: links['general'] ?? Object.values(links)[0] ?? null,
    paymentLinks: links,
    transactionId: transaction.transactions?.[0]?.id ?? null,
    paidWith: transaction.payment_method ?? null,
    refundedCents: 0,
    refunds: [],
    shipped: null,
    origin: 'elsewhere', // the history derives the real origin from the merchantRef
    paymentInstructions: (transaction.payment_instructions as Record<string, unknown> | null | undefined) ?? null,
    createdAt: new Date(Date.parse(created) || at.getTime()).toISOString(),
    updatedAt: new Date(Date.parse(transaction.updated ?? created) || at.getTime()).toISOString(),
    lastCheckedAt: at.toISOString(),
    error: null,
  };
}

export function createAccountSync(deps: AccountSyncDeps): AccountSync {
  const now = deps.now ?? Date.now;
  const maxBackoff = deps.maxBackoffMs ?? 5 * 60 * SECOND;
  let timer: ReturnType<typeof setInterval> | null = null;
  let running = false;
  let backoffMs = 0;
  let pausedUntil = 0;
  let lastSyncAt: string | null = null;
  let restoredLinks = 0;
  let currentStatus: SyncStatus = { backfill: { done: false, read: 0, total: null }, fallback: { changedSince: null, backfill: null }, lastSyncAt: null, failing: false, restoredLinks: 0 };

  const loadState = (accountKey: string): SyncState => {
    const parsed = SyncStateSchema.safeParse(deps.history.syncState(accountKey));
    if (parsed.success) return parsed.data;
    const horizon = horizonFrom(now(), deps.horizonDays?.() ?? 90);
    return { changedSince: null, backfill: { cursor: startBackfill(horizon), read: 0, total: null } };
  };

  /** Stores what the account says: new links are added, known ones take the account's version. */
  const apply = async (account: Account, transactions: SmartTransaction[]): Promise<number> => {
    const at = new Date(now());
    const fresh: LinkRecord[] = [];
    for (const transaction of transactions) {
      const known = (transaction.merchantRef ? deps.history.get(transaction.merchantRef) : undefined) ?? deps.history.getById(transaction.id);
      if (!known) {
        fresh.push(recordFromTransaction(transaction, account, at));
        continue;
      }
      if (known.accountKey !== account.key) continue;
      const sameAsAccount = known.state === 'created' && known.id === transaction.id && known.status === transaction.status
        && known.amountCents === (transaction.basket_info?.sum ?? known.amountCents) && known.transactionId === (transaction.transactions?.[0]?.id ?? known.transactionId);
      if (!sameAsAccount) await deps.links.applyTransaction(known.merchantRef, transaction);
    }
    const added = fresh.length > 0 ? await deps.history.insertMany(fresh) : [];
    // Open screens (the history) show links from other desks as they arrive.
    for (const merchantRef of added) {
      const record = deps.history.get(merchantRef);
      if (record) deps.events.emit({ type: 'link.updated', record });
    }
    return added.length;
  };

  const listWithin = (account: Account): { list: ListRequest; spent: () => number } => {
    let spent = 0;
    return {
      list: async (query) => {
        // The sync leaves one request in reserve for the link on screen.
        if (!deps.budget.tryTake(account.key, 1)) throw new BudgetSpent();
        spent++;
        return account.client.listSmartTransactions(query);
      },
      spent: () => spent,
    };
  };

  async function cycle(account: Account): Promise<number> {
    const state = loadState(account.key);
    const { list, spent } = listWithin(account);
    const fallback = { ...currentStatus.fallback };
    try {
      if (state.backfill.cursor !== null) {
        const startedAt = apiTimestamp(now());
        const page = await backfillPage(list, state.backfill.cursor);
        const added = await apply(account, page.items);
        if (deps.restoring) restoredLinks += added;
        fallback.backfill = isFallbackForm(page.cursor.form) ? page.cursor.form : null;
        state.backfill = { cursor: page.next, read: state.backfill.read + page.items.length, total: page.total ?? state.backfill.total };
        // Changes during the backfill are caught by the first changed-since query, which starts before it.
        state.changedSince ??= startChangedSince(startedAt, state.backfill.cursor?.horizon ?? page.cursor.horizon);
      } else {
        const cycleStartedAt = now();
        let cursor = state.changedSince ?? startChangedSince(apiTimestamp(now() - 60 * SECOND), horizonFrom(now(), deps.horizonDays?.() ?? 90));
        const seen: SmartTransaction[] = [];
        // Pages until the changes are read (normally one request), within the budget.
        for (let pages = 0; pages < 10; pages++) {
          const page = await changedSincePage(list, cursor);
          await apply(account, page.items);
          seen.push(...page.items);
          fallback.changedSince = isFallbackForm(page.cursor.form) ? page.cursor.form : null;
          if (page.next === null) {
            // `updated` has whole seconds and the range is inclusive, so the newest second seen is
            // read again next time (more may change within it). But a change not seen yet cannot
            // be older than this cycle's start, less a margin for the two clocks and the server's
            // processing: moving on to there keeps a burst of changes from being re-read forever.
            const next = nextCycle(page.cursor, seen);
            const settled = apiTimestamp(cycleStartedAt - SETTLED_AFTER_MS);
            cursor = Date.parse(settled) > Date.parse(next.since) ? { ...next, since: settled } : next;
            break;
          }
          cursor = page.next;
        }
        state.changedSince = cursor;
      }
      deps.history.saveSyncState(account.key, state);
      lastSyncAt = new Date(now()).toISOString();
      backoffMs = 0;
      currentStatus = {
        backfill: { done: state.backfill.cursor === null, read: state.backfill.read, total: state.backfill.total },
        fallback,
        lastSyncAt,
        failing: false,
        restoredLinks,
      };
      return spent();
    } catch (error) {
      if (error instanceof BudgetSpent) return spent(); // the next cycle goes on from the saved cursor
      backoffMs = Math.min(maxBackoff, backoffMs === 0 ? 5 * SECOND : backoffMs * 2);
      pausedUntil = now() + backoffMs;
      currentStatus = { ...currentStatus, failing: true };
      deps.logError?.(`[sync] cycle failed, next try in ${backoffMs / SECOND} s: ${error instanceof Error ? error.message : String(error)}`);
      return spent();
    }
  }

  /** Rows kept aside because their checksum failed come back from the account, one per cycle. */
  async function repairOne(account: Account): Promise<number> {
    const damaged = deps.history.damagedLinks().find((link) => link.stxId !== null);
    if (!damaged?.stxId || !deps.budget.tryTake(account.key, 1)) return 0;
    try {
      const transaction = await account.client.getSmartTransaction(damaged.stxId);
      await deps.history.insertMany([recordFromTransaction(transaction, account, new Date(now()))]);
    } catch (error) {
      deps.logError?.(`[sync] repairing a damaged link failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    return 1;
  }

  async function tick(): Promise<number> {
    if (running || now() < pausedUntil) return 0;
    running = true;
    try {
      const account = await deps.resolveAccount().catch(() => null);
      if (account === null) return 0;
      const requests = (await cycle(account)) + (await repairOne(account));
      // Creates whose answer was lost are looked up at growing intervals, also while the list API is refused.
      await deps.links.reconcileUnfinished({ onlyDue: true });
      return requests;
    } catch (error) {
      // Runs from a timer: nothing may escape (the history may be closing as the app quits).
      deps.logError?.(`[sync] ${error instanceof Error ? error.message : String(error)}`);
      return 0;
    } finally {
      running = false;
    }
  }

  return {
    tick,
    start(periodMs = 5 * SECOND) {
      if (timer) return;
      void tick();
      timer = setInterval(() => void tick(), periodMs);
      timer.unref?.();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
    status: () => currentStatus,
  };
}

class BudgetSpent extends Error {}
