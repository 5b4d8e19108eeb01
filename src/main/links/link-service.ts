import { AppFailure, isAppFailure } from '../../shared/errors';
import { isFinalStatus, isPaidStatus } from '../../shared/status';
import { CreateLinkInputSchema, type CreateLinkInput, type LinkRecord } from '../../shared/link';
import { basketLinesFromTransaction, buildCreateSmartTransactionBody, createPaymentLinkSafely, newMerchantRef, pickPaymentUrl, type SmartTransaction } from '../secuconnect';
import type { LinkChange, LinkFields, LinkRepository } from '../history';
import type { EventHub } from '../event-hub';
import type { Account, AccountResolver } from '../account';
import type { RequestBudget } from '../watcher/request-budget';

/** What happened to a link that the merchant should hear about even when not looking. */
export type LinkOutcome = 'paid' | 'failed';

export interface LinkServiceDeps {
  history: LinkRepository;
  /** This desk's id, part of every merchantRef it makes (desk-identity.ts). */
  deskId: string;
  /** The desk name from Settings, recorded on each link it creates. */
  deskName?: () => string;
  resolveAccount: AccountResolver;
  events: EventHub;
  now?: () => Date;
  /** Called once per link when it becomes paid or failed (OS notification, tray count). */
  onOutcome?: (record: LinkRecord, outcome: LinkOutcome) => void;
  /** Minimum time between two status requests for the same link, whoever asks. */
  minRefreshIntervalMs?: number;
  /** Per-account request budget shared with the background watcher. */
  budget?: RequestBudget;
  logError?: (line: string) => void;
}

/** Who asks for a status: the link on screen (priority) or the background watcher. */
export type RefreshMode = 'screen' | 'background';

export interface LinkService {
  create(input: CreateLinkInput): Promise<LinkRecord>;
  get(merchantRef: string): LinkRecord;
  /** Current status from the API, coalesced: one request per link in flight, at most one per interval. */
  refresh(merchantRef: string): Promise<LinkRecord>;
  /** Like refresh, and says whether a request was actually made (the watcher's budget accounting). */
  refreshWith(merchantRef: string, mode: RefreshMode): Promise<{ record: LinkRecord; requested: boolean }>;
  /**
   * Settles links whose create answer never arrived (crash, lost connection) by their merchantRef.
   * With `onlyDue`, only those whose next look-up is due (they are looked up at growing intervals).
   */
  reconcileUnfinished(options?: { onlyDue?: boolean }): Promise<{ recovered: number; failed: number; pending: number }>;
  /**
   * "Try again" for a link whose create failed or is unconfirmed: the account is asked first, and
   * the link found there is shown; only when it has none is a new link created (same data).
   */
  retry(merchantRef: string): Promise<LinkRecord>;
  /** Stores what the API says about a link (through the history's one write path) and tells the renderer. */
  applyTransaction(merchantRef: string, transaction: SmartTransaction): Promise<LinkRecord>;
  /** Any other change of a link, decided from the link as it is when the change runs. */
  change(merchantRef: string, decide: (current: LinkRecord) => LinkChange | null | Promise<LinkChange | null>): Promise<LinkRecord>;
  accountFor(record: LinkRecord): Promise<Account>;
}

/** What a Smart Transaction from the API says about a link, as fields to set on the link as it is now. */
export function linkFieldsFromTransaction(current: LinkRecord, transaction: SmartTransaction, at: Date): LinkFields {
  const links: Record<string, string> = {};
  for (const [method, url] of Object.entries(transaction.payment_links ?? {})) if (typeof url === 'string') links[method] = url;
  const timestamp = at.toISOString();
  const fields: LinkFields = {
    state: 'created',
    id: transaction.id,
    status: transaction.status,
    paymentLinks: Object.keys(links).length > 0 ? links : current.paymentLinks,
    paymentUrl: pickPaymentUrl(links, current.paymentMethod) ?? current.paymentUrl,
    transactionId: transaction.transactions?.[0]?.id ?? current.transactionId,
    paidWith: transaction.payment_method ?? current.paidWith,
    paymentInstructions: (transaction.payment_instructions as Record<string, unknown> | null | undefined) ?? current.paymentInstructions,
    // The account is the truth: a local copy that disagrees about what was sold takes its version.
    amountCents: transaction.basket_info?.sum ?? current.amountCents,
    currency: transaction.basket_info?.currency ?? current.currency,
    // What this desk sent keeps its items' ids; the account's basket fills in a link that came without one.
    basket: current.basket ?? basketLinesFromTransaction(transaction),
    lastCheckedAt: timestamp,
    error: null,
  };
  const changed = fields.status !== current.status || fields.id !== current.id || fields.paymentUrl !== current.paymentUrl
    || fields.transactionId !== current.transactionId || current.state !== 'created';
  if (changed) fields.updatedAt = timestamp;
  return fields;
}


/** No answer at all: the create may have happened (an error answer or a refusal is an answer). */
const NO_ANSWER: ReadonlySet<string> = new Set(['network.timeout', 'network.connection_lost']);

/** A 'creating' record older than this that the account does not know was never created (looked up until then). */
const UNFINISHED_GRACE_MS = 30 * 60_000;

export function createLinkService(deps: LinkServiceDeps): LinkService {
  const now = deps.now ?? (() => new Date());
  const minInterval = deps.minRefreshIntervalMs ?? 1_500;
  const inFlight = new Map<string, Promise<LinkRecord>>();
  const lastRequestAt = new Map<string, number>();

  const notFound = () => new AppFailure({ code: 'link.not_found', message: 'Link Desk has no payment link with this reference.' });

  const get = (merchantRef: string): LinkRecord => {
    const record = deps.history.get(merchantRef);
    if (!record) throw notFound();
    return record;
  };

  /** Tells the renderer (and the merchant, for outcomes) about a stored change. */
  const announce = (previous: LinkRecord | undefined, next: LinkRecord): LinkRecord => {
    if (next === previous) return next;
    deps.events.emit({ type: 'link.updated', record: next });
    // Only this desk's links notify: another desk's merchant is told there, not here.
    if (previous?.status !== next.status && deps.onOutcome && next.origin === 'this-desk') {
      if (isPaidStatus(next.status) && !isPaidStatus(previous?.status)) deps.onOutcome(next, 'paid');
      else if (next.status === 'failed') deps.onOutcome(next, 'failed');
    }
    return next;
  };

  /** Every change of an existing link goes through the history's one write path, then is announced. */
  const change = async (merchantRef: string, decide: (current: LinkRecord) => LinkChange | null | Promise<LinkChange | null>): Promise<LinkRecord> => {
    let previous: LinkRecord | undefined;
    const next = await deps.history.update(merchantRef, (current) => {
      previous = current;
      return decide(current);
    });
    return announce(previous, next);
  };

  const applyTransaction = (merchantRef: string, transaction: SmartTransaction): Promise<LinkRecord> =>
    change(merchantRef, (current) => ({ set: linkFieldsFromTransaction(current, transaction, now()) }));

  const accountFor = async (record: LinkRecord): Promise<Account> => {
    const account = await deps.resolveAccount();
    if (account.key !== record.accountKey) {
      throw new AppFailure({ code: 'link.not_allowed', message: 'This link belongs to another secupay account or environment than the one Link Desk is connected to now.' });
    }
    return account;
  };

  const refreshNow = async (record: LinkRecord): Promise<LinkRecord> => {
    if (record.id === null) return record;
    const account = await accountFor(record);
    lastRequestAt.set(record.merchantRef, Date.now());
    const transaction = await account.client.getSmartTransaction(record.id);
    return applyTransaction(record.merchantRef, transaction);
  };

  async function refreshWith(merchantRef: string, mode: RefreshMode): Promise<{ record: LinkRecord; requested: boolean }> {
    const record = get(merchantRef);
    if (record.state !== 'created' || isFinalStatus(record.status)) return { record, requested: false };
    const running = inFlight.get(merchantRef);
    if (running) return { record: await running, requested: false };
    if (mode === 'screen' && Date.now() - (lastRequestAt.get(merchantRef) ?? 0) < minInterval) return { record, requested: false };
    // The watcher leaves one request in reserve for the link on screen.
    if (deps.budget && !deps.budget.tryTake(record.accountKey, mode === 'background' ? 1 : 0)) return { record, requested: false };
    const request = refreshNow(record).finally(() => inFlight.delete(merchantRef));
    inFlight.set(merchantRef, request);
    return { record: await request, requested: true };
  }

  /** When to look an unfinished create up again: 5 s, then ever longer (to 5 min), for at least {@link UNFINISHED_GRACE_MS}. */
  const reconcileAt = new Map<string, { attempts: number; nextAt: number }>();
  const scheduleReconcile = (merchantRef: string): void => {
    const previous = reconcileAt.get(merchantRef);
    const attempts = (previous?.attempts ?? 0) + 1;
    reconcileAt.set(merchantRef, { attempts, nextAt: now().getTime() + Math.min(5 * 60_000, 5_000 * 2 ** (attempts - 1)) });
  };

  /** The sale at secuconnect by this attempt's merchantRef, stored when found. */
  const lookUp = async (record: LinkRecord): Promise<LinkRecord | null> => {
    const account = await accountFor(record);
    const found = await account.client.findByMerchantRef(record.merchantRef);
    return found ? applyTransaction(record.merchantRef, found) : null;
  };

  return {
    applyTransaction,
    change,
    accountFor,
    get,

    async create(input) {
      // Resolve first: an unconfigured account must not leave a half-made record behind.
      const account = await deps.resolveAccount();
      const timestamp = now().toISOString();
      const record: LinkRecord = {
        merchantRef: newMerchantRef(deps.deskId),
        state: 'creating',
        id: null,
        environment: account.environment,
        accountKey: account.key,
        isDemo: account.environment === 'demo' || account.isDemo,
        status: null,
        amountCents: input.amountCents,
        currency: input.currency,
        reference: input.reference,
        language: input.language,
        paymentMethod: input.paymentMethod,
        customer: input.customer,
        returnUrls: input.returnUrls,
        ...(input.basket ? { basket: input.basket } : {}),
        paymentUrl: null,
        paymentLinks: {},
        transactionId: null,
        paidWith: null,
        refundedCents: 0,
        refunds: [],
        shipped: null,
        origin: 'this-desk',
        ...(deps.deskName?.() ? { deskName: deps.deskName() } : {}),
        paymentInstructions: null,
        createdAt: timestamp,
        updatedAt: timestamp,
        lastCheckedAt: null,
        error: null,
      };
      // Recorded before the request: a crash or a lost answer can then be reconciled, never lost.
      announce(undefined, await deps.history.insert(record));
      const body = buildCreateSmartTransactionBody(input, { contractId: account.contractId, isDemo: account.isDemo, merchantRef: record.merchantRef });
      let transaction: SmartTransaction;
      try {
        transaction = await createPaymentLinkSafely(account.client, body);
      } catch (error) {
        const failure = isAppFailure(error) ? error : new AppFailure({ code: 'internal', message: 'Creating the link failed.' });
        if (NO_ANSWER.has(failure.code)) {
          // The request went out and no answer came back: the link may exist. It stays 'creating'
          // (the screen says it is checking with secupay) and is looked up by its merchantRef at
          // growing intervals, and found by the account sync as soon as it exists.
          scheduleReconcile(record.merchantRef);
          return get(record.merchantRef);
        }
        // Refused by the API, an error answer (the look-up by merchantRef right after it found
        // nothing), or nothing was sent (offline): said so at once. Should the link turn up on the
        // account after all, the sync finds it by its merchantRef and the record becomes 'created'.
        await change(record.merchantRef, () => ({ set: { state: 'create_failed', updatedAt: now().toISOString(), error: { code: failure.code, message: failure.message } } }));
        throw failure;
      }
      return applyTransaction(record.merchantRef, transaction);
    },

    async retry(merchantRef) {
      const record = get(merchantRef);
      if (record.state === 'created') return record;
      // First the account: the first attempt may have gone through after all.
      const found = await lookUp(record);
      if (found) return found;
      if (record.state === 'creating') {
        await change(merchantRef, () => ({ set: { state: 'create_failed', updatedAt: now().toISOString(), error: { code: 'link.not_found', message: 'secupay has no link for this attempt.' } } }));
      }
      // Parsed like any create: the record is this desk's own attempt, so it passes unless damaged.
      const input: CreateLinkInput = CreateLinkInputSchema.parse({
        amountCents: record.amountCents,
        currency: record.currency,
        reference: record.reference,
        language: record.language,
        paymentMethod: record.paymentMethod,
        ...(record.customer ? { customer: record.customer } : {}),
        returnUrls: record.returnUrls ?? { success: '', error: '', abort: '' },
        ...(record.basket ? { basket: record.basket } : {}),
      });
      return this.create(input);
    },

    async refresh(merchantRef) {
      return (await refreshWith(merchantRef, 'screen')).record;
    },
    refreshWith,

    async reconcileUnfinished(options = {}) {
      let recovered = 0;
      let failed = 0;
      let pending = 0;
      const t = now().getTime();
      for (const record of deps.history.unfinishedCreates()) {
        const schedule = reconcileAt.get(record.merchantRef);
        if (options.onlyDue && schedule && schedule.nextAt > t) {
          pending++;
          continue;
        }
        try {
          if (await lookUp(record)) {
            recovered++;
            reconcileAt.delete(record.merchantRef);
          } else if (t - Date.parse(record.createdAt) > UNFINISHED_GRACE_MS) {
            await change(record.merchantRef, () => ({ set: { state: 'create_failed', updatedAt: now().toISOString(), error: { code: 'link.not_found', message: 'The link was never created at secupay.' } } }));
            failed++;
            reconcileAt.delete(record.merchantRef);
          } else {
            pending++;
            scheduleReconcile(record.merchantRef);
          }
        } catch (error) {
          pending++; // offline or another account: tried again later
          scheduleReconcile(record.merchantRef);
          deps.logError?.(`[links] looking up an unconfirmed create failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      return { recovered, failed, pending };
    },
  };
}
