import { isAppFailure } from '../../shared/errors';
import type { ListSmartTransactionsQuery } from './client';
import type { SmartTransaction, SmartTransactionList } from './wire';

/**
 * The one place that knows how Link Desk asks `GET /api/v2/Smart/Transactions` (API-NOTES §3.1)
 * for "what changed since", "everything back to a horizon" and "the sale with this merchantRef".
 *
 * What the notes establish (H, DOC-API "Find Smart Transactions", PHP-SDK `getAll`): the query
 * parameters `q` (Lucene-like: `field:value`, `[min TO max]`, `AND`), `sort` (`field:asc`),
 * `count`, `offset` (0-based), and the answer `{count: <total>, data: [...]}`. Every Smart
 * Transaction has `created` and `updated` (§4.2, H) and the camelCase `merchantRef` (§4.1, H).
 * What they do not establish: which fields `q` filters and sorts on (L: nothing names them),
 * `desc` vs `dsc` (§12: current SDK `desc`, old JS docs `dsc`, H/M), the date format a range
 * accepts (L: the API's own `2021-04-28T12:00:00+02:00` form is sent), the largest `count` (L).
 *
 * So every purpose has a ladder of forms, best first. A form is left when the API refuses it
 * (`api.validation`: a 400 to a list request is about the query) or visibly ignores it (an
 * item outside the range or out of order). Every form also filters on this side, so a server
 * that ignores `q` still yields the right transactions, only with more pages. Each page answer
 * says which form answered and which were refused, so the history can say which one is in use.
 */

/** Transactions per request. The API's maximum is not documented (L); 100 keeps answers small. */
export const LIST_PAGE_SIZE = 100;

/** One list request, e.g. the client's `listSmartTransactions`, or that wrapped in a request budget. */
export type ListRequest = (query: ListSmartTransactionsQuery) => Promise<SmartTransactionList>;

export type Confidence = 'H' | 'M' | 'L';

export interface ListFormNote {
  /** How the request looks, for logs and the closing note. */
  shape: string;
  /** That the API understands it. */
  confidence: Confidence;
  source: string;
}

// ── Changed since ─────────────────────────────────────────────────────────────

export const CHANGED_SINCE_FORMS = ['updated-range', 'updated-desc', 'updated-dsc', 'created-range', 'scan'] as const;
export type ChangedSinceForm = (typeof CHANGED_SINCE_FORMS)[number];

export const CHANGED_SINCE_NOTES: Record<ChangedSinceForm, ListFormNote> = {
  'updated-range': {
    shape: 'q=updated:[<since> TO *]&sort=updated:asc, next page from the last updated seen',
    confidence: 'L',
    source: 'API-NOTES §3.1 range and sort syntax (H); that q filters and sorts on `updated` is not documented',
  },
  'updated-desc': {
    shape: 'sort=updated:desc, newest first, until one older than <since>',
    confidence: 'M',
    source: 'API-NOTES §3.1 sort syntax, §12 current SDK documents `desc` (H/M); sorting on `updated` assumed',
  },
  'updated-dsc': {
    shape: 'sort=updated:dsc, newest first, until one older than <since>',
    confidence: 'L',
    source: 'API-NOTES §12: the old JS SDK docs spell it `dsc` (M)',
  },
  'created-range': {
    shape: 'q=created:[<horizon> TO *]&sort=created:asc, kept here when updated ≥ <since>',
    confidence: 'L',
    source: 'API-NOTES §3.1 range syntax (H); misses nothing within the horizon but reads all of it each cycle',
  },
  scan: {
    shape: 'no q, no sort: every transaction, kept here when updated ≥ <since>',
    confidence: 'H',
    source: 'API-NOTES §3.1 count/offset paging (H); cost grows with the account',
  },
};

export interface ChangedSinceCursor {
  form: ChangedSinceForm;
  /** ISO 8601, inclusive. Moves on with every page of the `updated-range` form. */
  since: string;
  /** Only for the `created-range` fallback: how far back to look. */
  horizon: string;
  /** Items already read at `since` (keyset paging) or overall (other forms). */
  offset: number;
}

// ── Backfill ──────────────────────────────────────────────────────────────────

export const BACKFILL_FORMS = ['created-range', 'created-desc', 'created-dsc', 'created-range-unsorted', 'scan'] as const;
export type BackfillForm = (typeof BACKFILL_FORMS)[number];

export const BACKFILL_NOTES: Record<BackfillForm, ListFormNote> = {
  'created-range': {
    shape: 'q=created:[<horizon> TO *]&sort=created:asc, paged by offset (stable: `created` never changes, new ones come last)',
    confidence: 'L',
    source: 'API-NOTES §3.1 range and sort syntax (H); filtering and sorting on `created` not documented',
  },
  'created-desc': {
    shape: 'sort=created:desc, newest first, until one older than <horizon> (new ones shift pages: duplicates, no gaps)',
    confidence: 'M',
    source: 'API-NOTES §3.1, §12 `desc` (H/M)',
  },
  'created-dsc': {
    shape: 'sort=created:dsc, as created-desc',
    confidence: 'L',
    source: 'API-NOTES §12 old JS docs `dsc` (M)',
  },
  'created-range-unsorted': {
    shape: 'q=created:[<horizon> TO *], no sort, paged by offset (order unknown, L)',
    confidence: 'L',
    source: 'API-NOTES §3.1 range syntax (H)',
  },
  scan: {
    shape: 'no q, no sort: every transaction, kept here when created ≥ <horizon>',
    confidence: 'H',
    source: 'API-NOTES §3.1 count/offset paging (H)',
  },
};

export interface BackfillCursor {
  form: BackfillForm;
  /** ISO 8601, inclusive: the oldest `created` wanted. */
  horizon: string;
  offset: number;
}

// ── Lookup by merchantRef ─────────────────────────────────────────────────────

export const MERCHANT_REF_FORMS = ['merchantRef-quoted', 'merchantRef-plain', 'recent-desc', 'recent-dsc'] as const;
export type MerchantRefForm = (typeof MERCHANT_REF_FORMS)[number];

export const MERCHANT_REF_NOTES: Record<MerchantRefForm, ListFormNote> = {
  'merchantRef-quoted': {
    shape: 'q=merchantRef:"<ref>"&count=10 (quoted: `LD-…` holds a hyphen, an operator in Lucene)',
    confidence: 'M',
    source: 'API-NOTES §3.1 `prop:value` (H), field name `merchantRef` §4.1 (H); §12 names this lookup the guard against double creates',
  },
  'merchantRef-plain': {
    shape: 'q=merchantRef:<ref>&count=10',
    confidence: 'M',
    source: 'API-NOTES §3.1 (H)',
  },
  'recent-desc': {
    shape: `sort=created:desc&count=${LIST_PAGE_SIZE}: the newest transactions, compared here`,
    confidence: 'M',
    source: 'API-NOTES §12 `desc` (H/M); finds only recent ones, which a lost create is',
  },
  'recent-dsc': {
    shape: `sort=created:dsc&count=${LIST_PAGE_SIZE}`,
    confidence: 'L',
    source: 'API-NOTES §12 `dsc` (M)',
  },
};

// ── Results ───────────────────────────────────────────────────────────────────

export interface ListPage<C> {
  /** The transactions of this page the purpose asks for (filtered here too). */
  items: SmartTransaction[];
  /** Where the next page starts; `null` when this was the last. Store it to resume after a crash. */
  next: C | null;
  /** The cursor that produced this page: its `form` is the form in use. */
  cursor: C;
  /** Forms the API refused or ignored during this call, in order: non-empty = fell back. */
  refused: string[];
  /** Requests made, refusals included (for the request budget). */
  requests: number;
  /** The API's total for the query as sent, where it measures progress (range forms, scan). */
  total: number | null;
}

/** All forms of a ladder refused: nothing left to try. */
export class ListFormsExhaustedError extends Error {
  constructor(
    readonly purpose: 'changed-since' | 'backfill' | 'merchant-ref',
    readonly refused: string[],
    readonly lastError: unknown,
  ) {
    super(`secuconnect refused every list query form for ${purpose}: ${refused.join(', ')}`);
    this.name = 'ListFormsExhaustedError';
  }
}

/** A 400-class answer to a list request is about its query (API-NOTES §12: decide by the body; §6.2). */
export function isQueryRefusal(error: unknown): boolean {
  return isAppFailure(error) && error.code === 'api.validation';
}

/** A timestamp as the API writes them (`2021-04-28T12:00:00+02:00`, §4.2), here always in UTC. */
export function apiTimestamp(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', '+00:00');
}

/** `now − days`, for the backfill horizon (default 90 days, issue 9). */
export function horizonFrom(nowMs: number, days: number): string {
  return apiTimestamp(nowMs - days * 86_400_000);
}

function instant(value: string | null | undefined): number {
  const ms = value ? Date.parse(value) : Number.NaN;
  return Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms;
}

function range(field: 'created' | 'updated', from: string): string {
  return `${field}:[${from} TO *]`;
}

// ── Query shapes ──────────────────────────────────────────────────────────────

export function changedSinceQuery(cursor: ChangedSinceCursor, pageSize = LIST_PAGE_SIZE): ListSmartTransactionsQuery {
  const page = { count: pageSize, offset: cursor.offset };
  switch (cursor.form) {
    case 'updated-range':
      return { q: range('updated', cursor.since), sort: 'updated:asc', ...page };
    case 'updated-desc':
      return { sort: 'updated:desc', ...page };
    case 'updated-dsc':
      return { sort: 'updated:dsc', ...page };
    case 'created-range':
      return { q: range('created', cursor.horizon), sort: 'created:asc', ...page };
    case 'scan':
      return page;
  }
}

export function backfillQuery(cursor: BackfillCursor, pageSize = LIST_PAGE_SIZE): ListSmartTransactionsQuery {
  const page = { count: pageSize, offset: cursor.offset };
  switch (cursor.form) {
    case 'created-range':
      return { q: range('created', cursor.horizon), sort: 'created:asc', ...page };
    case 'created-desc':
      return { sort: 'created:desc', ...page };
    case 'created-dsc':
      return { sort: 'created:dsc', ...page };
    case 'created-range-unsorted':
      return { q: range('created', cursor.horizon), ...page };
    case 'scan':
      return page;
  }
}

export function merchantRefQuery(form: MerchantRefForm, merchantRef: string): ListSmartTransactionsQuery | null {
  switch (form) {
    case 'merchantRef-quoted':
      return { q: `merchantRef:"${merchantRef.replace(/["\\]/g, '\\$&')}"`, count: 10 };
    case 'merchantRef-plain':
      // Only where plain and quoted differ in nothing but the quotes.
      return /^[A-Za-z0-9_.-]+$/.test(merchantRef) ? { q: `merchantRef:${merchantRef}`, count: 10 } : null;
    case 'recent-desc':
      return { sort: 'created:desc', count: LIST_PAGE_SIZE };
    case 'recent-dsc':
      return { sort: 'created:dsc', count: LIST_PAGE_SIZE };
  }
}

// ── Paging with fallback ──────────────────────────────────────────────────────

function nextForm<F extends string>(ladder: readonly F[], form: F): F | undefined {
  return ladder[ladder.indexOf(form) + 1];
}

function isNonDecreasing(items: SmartTransaction[], key: (s: SmartTransaction) => number): boolean {
  for (let i = 1; i < items.length; i++) if (key(items[i - 1] as SmartTransaction) > key(items[i] as SmartTransaction)) return false;
  return true;
}

function isNonIncreasing(items: SmartTransaction[], key: (s: SmartTransaction) => number): boolean {
  for (let i = 1; i < items.length; i++) if (key(items[i - 1] as SmartTransaction) < key(items[i] as SmartTransaction)) return false;
  return true;
}

const updatedAt = (s: SmartTransaction) => instant(s.updated);
const createdAt = (s: SmartTransaction) => instant(s.created);

/** A page was answered but the answer shows the API ignored the form's range or order. */
class FormIgnored extends Error {}

/**
 * One page of "what changed since `cursor.since`" (inclusive: the caller drops what it already
 * has by id + `updated`). With the `updated-range` form the next page starts at the last
 * `updated` read, so a transaction that changes meanwhile moves behind the cursor and is read
 * again instead of pushing another out of the page. The next cycle starts at the newest
 * `updated` seen (not later: more may change within that second).
 */
export async function changedSincePage(list: ListRequest, cursor: ChangedSinceCursor, pageSize = LIST_PAGE_SIZE): Promise<ListPage<ChangedSinceCursor>> {
  const since = instant(cursor.since);
  const horizon = instant(cursor.horizon);
  const cursorFor = (form: ChangedSinceForm) => (form === cursor.form ? cursor : { ...cursor, form, offset: 0 });
  return withFallback('changed-since', CHANGED_SINCE_FORMS, list, cursor, (c) => c.form, cursorFor, async (current, list) => {
    const answer = await list(changedSinceQuery(current, pageSize));
    const data = answer.data;
    const last = data[data.length - 1];
    const short = data.length < pageSize;
    switch (current.form) {
      case 'updated-range': {
        if (data.some((s) => updatedAt(s) < since) || !isNonDecreasing(data, updatedAt)) throw new FormIgnored();
        let next: ChangedSinceCursor | null = null;
        if (!short && last) {
          const lastUpdated = updatedAt(last);
          const atLast = data.filter((s) => updatedAt(s) === lastUpdated).length;
          next = lastUpdated === since ? { ...current, offset: current.offset + data.length } : { ...current, since: last.updated ?? current.since, offset: atLast };
        }
        return { items: data, next, total: answer.count };
      }
      case 'updated-desc':
      case 'updated-dsc': {
        if (!isNonIncreasing(data, updatedAt)) throw new FormIgnored();
        const items = data.filter((s) => updatedAt(s) >= since);
        const done = short || items.length < data.length;
        return { items, next: done ? null : { ...current, offset: current.offset + data.length }, total: null };
      }
      case 'created-range':
      case 'scan': {
        if (current.form === 'created-range' && data.some((s) => createdAt(s) < horizon)) throw new FormIgnored();
        const items = data.filter((s) => updatedAt(s) >= since);
        const done = short || current.offset + data.length >= answer.count;
        return { items, next: done ? null : { ...current, offset: current.offset + data.length }, total: answer.count };
      }
    }
  });
}

/**
 * One page of the backfill back to `cursor.horizon`. Resumable: store `next` after the page's
 * transactions are saved, start from it after a crash.
 */
export async function backfillPage(list: ListRequest, cursor: BackfillCursor, pageSize = LIST_PAGE_SIZE): Promise<ListPage<BackfillCursor>> {
  const horizon = instant(cursor.horizon);
  const cursorFor = (form: BackfillForm) => (form === cursor.form ? cursor : { ...cursor, form, offset: 0 });
  return withFallback('backfill', BACKFILL_FORMS, list, cursor, (c) => c.form, cursorFor, async (current, list) => {
    const answer = await list(backfillQuery(current, pageSize));
    const data = answer.data;
    const short = data.length < pageSize;
    switch (current.form) {
      case 'created-range':
      case 'created-range-unsorted': {
        if (data.some((s) => createdAt(s) < horizon)) throw new FormIgnored();
        if (current.form === 'created-range' && !isNonDecreasing(data, createdAt)) throw new FormIgnored();
        const done = short || current.offset + data.length >= answer.count;
        return { items: data, next: done ? null : { ...current, offset: current.offset + data.length }, total: answer.count };
      }
      case 'created-desc':
      case 'created-dsc': {
        if (!isNonIncreasing(data, createdAt)) throw new FormIgnored();
        const items = data.filter((s) => createdAt(s) >= horizon);
        const done = short || items.length < data.length;
        return { items, next: done ? null : { ...current, offset: current.offset + data.length }, total: null };
      }
      case 'scan': {
        const items = data.filter((s) => createdAt(s) >= horizon);
        const done = short || current.offset + data.length >= answer.count;
        return { items, next: done ? null : { ...current, offset: current.offset + data.length }, total: answer.count };
      }
    }
  });
}

export interface MerchantRefLookup {
  /** Exactly this merchantRef (the query language has wildcards), or `null`. */
  found: SmartTransaction | null;
  form: MerchantRefForm;
  refused: string[];
  requests: number;
}

/**
 * The sale with this merchantRef, if the account has it. `null` from a `recent-*` form means
 * "not among the newest {@link LIST_PAGE_SIZE}", which is where a lost create is.
 */
export async function lookupByMerchantRef(list: ListRequest, merchantRef: string, startForm: MerchantRefForm = 'merchantRef-quoted'): Promise<MerchantRefLookup> {
  const page = await withFallback('merchant-ref', MERCHANT_REF_FORMS, list, startForm, (form) => form, (form) => form, async (form, list) => {
    const query = merchantRefQuery(form, merchantRef);
    if (query === null) throw new FormIgnored();
    const answer = await list(query);
    return { items: answer.data.filter((s) => s.merchantRef === merchantRef), next: null, total: null };
  });
  return { found: page.items[0] ?? null, form: page.cursor, refused: page.refused, requests: page.requests };
}

async function withFallback<F extends string, C>(
  purpose: ListFormsExhaustedError['purpose'],
  ladder: readonly F[],
  list: ListRequest,
  start: C,
  formOf: (cursor: C) => F,
  cursorFor: (form: F) => C,
  read: (cursor: C, list: ListRequest) => Promise<{ items: SmartTransaction[]; next: C | null; total: number | null }>,
): Promise<ListPage<C>> {
  const refused: string[] = [];
  let requests = 0;
  const counted: ListRequest = (query) => {
    requests += 1;
    return list(query);
  };
  let cursor = start;
  for (;;) {
    try {
      if (!ladder.includes(formOf(cursor))) throw new Error(`Unknown list form ${formOf(cursor)}`);
      const page = await read(cursor, counted);
      return { ...page, cursor, refused, requests };
    } catch (error) {
      if (!(error instanceof FormIgnored) && !isQueryRefusal(error)) throw error;
      refused.push(formOf(cursor));
      const next = nextForm(ladder, formOf(cursor));
      if (next === undefined) throw new ListFormsExhaustedError(purpose, refused, error);
      cursor = cursorFor(next);
    }
  }
}

/** Where a first "changed since" starts: the best form, or the one the account was found to need. */
export function startChangedSince(since: string, horizon: string, form: ChangedSinceForm = 'updated-range'): ChangedSinceCursor {
  return { form, since, horizon, offset: 0 };
}

/**
 * The next cycle's cursor: from the newest `updated` seen (inclusive), in the form that worked.
 * The last page's cursor carries the form that answered.
 */
export function nextCycle(previous: ChangedSinceCursor, seen: Iterable<SmartTransaction>): ChangedSinceCursor {
  let newest = previous.since;
  let newestMs = instant(previous.since);
  for (const stx of seen) {
    const ms = updatedAt(stx);
    if (ms > newestMs && stx.updated) {
      newest = stx.updated;
      newestMs = ms;
    }
  }
  return { form: previous.form, since: newest, horizon: previous.horizon, offset: 0 };
}

export interface ChangedSinceCycle {
  /** Every transaction read, in the order read; the same id can come twice (it changed meanwhile). */
  items: SmartTransaction[];
  /** Where the next cycle starts (form that answered, newest `updated` seen). */
  next: ChangedSinceCursor;
  /** Forms refused or ignored during this cycle: the history names `next.form` when non-empty. */
  refused: string[];
  requests: number;
  /** False when `maxPages` ran out first: `next` then resumes where this cycle stopped. */
  complete: boolean;
}

/**
 * A whole "changed since" cycle: every page, at most `maxPages` (the request budget), each
 * request through `list` (wrap it to spend the budget).
 */
export async function changedSinceCycle(
  list: ListRequest,
  cursor: ChangedSinceCursor,
  options: { pageSize?: number; maxPages?: number } = {},
): Promise<ChangedSinceCycle> {
  const items: SmartTransaction[] = [];
  const refused: string[] = [];
  let requests = 0;
  let current: ChangedSinceCursor = cursor;
  for (let pages = 0; pages < (options.maxPages ?? Number.POSITIVE_INFINITY); pages++) {
    const page = await changedSincePage(list, current, options.pageSize ?? LIST_PAGE_SIZE);
    items.push(...page.items);
    refused.push(...page.refused);
    requests += page.requests;
    if (!page.next) return { items, next: nextCycle(page.cursor, items), refused, requests, complete: true };
    current = page.next;
  }
  return { items, next: current, refused, requests, complete: false };
}

export function startBackfill(horizon: string, form: BackfillForm = 'created-range'): BackfillCursor {
  return { form, horizon, offset: 0 };
}

/** True when a form other than the documented best one is in use: the history says so. */
export function isFallbackForm(form: ChangedSinceForm | BackfillForm | MerchantRefForm): boolean {
  return form !== 'updated-range' && form !== 'created-range' && form !== 'merchantRef-quoted';
}
