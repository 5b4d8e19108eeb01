import type { LinkRecord } from '../../shared/link';
import { parseAmount } from '../../shared/money';
import { KNOWN_STATUSES, isPaidStatus } from '../../shared/status';
import { historyStatus, needsShipping } from '../../shared/history-query';
import type { HistoryCurrencyTotal, HistoryQuery, HistorySortField } from '../../shared/history-query';

/**
 * One record plus what searching and sorting it needs, computed once per put so a query over
 * 100,000 links is a plain scan without per-record string work.
 */
export interface IndexedRecord {
  readonly record: LinkRecord;
  /** Lower-case text of every searchable field, separated so a term cannot span two fields. */
  readonly haystack: string;
  readonly createdMs: number;
  readonly updatedMs: number;
  readonly statusRank: number;
  readonly referenceKey: string;
}

const FIELD_SEPARATOR = '\u0000';

const NON_ASCII = /[^\u0000-\u007f]/;

/** Folds case and umlauts alike so "muller", "Müller" and "MÜLLER" find each other. */
function foldText(text: string): string {
  if (!NON_ASCII.test(text)) return text.toLowerCase();
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/ß/g, 'ss');
}

/** Keeps the umlaut as typed too: some people type "mueller", some "müller". */
function searchText(text: string): string {
  if (!NON_ASCII.test(text)) return text.toLowerCase();
  const lower = text.normalize('NFC').toLowerCase();
  const folded = foldText(text);
  return folded === lower ? lower : `${lower}${FIELD_SEPARATOR}${folded}`;
}

function digitsAt(text: string, start: number, end: number): number {
  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * Date.parse dominates opening 100,000 records, so our own timestamps
 * (`2024-05-01T10:00:00.000Z`, from toISOString) are read digit by digit.
 */
function timeOf(iso: string): number {
  if (iso.length === 24 && iso[10] === 'T' && iso[23] === 'Z' && iso[4] === '-' && iso[7] === '-' && iso[13] === ':' && iso[16] === ':' && iso[19] === '.') {
    const parts = [digitsAt(iso, 0, 4), digitsAt(iso, 5, 7), digitsAt(iso, 8, 10), digitsAt(iso, 11, 13), digitsAt(iso, 14, 16), digitsAt(iso, 17, 19), digitsAt(iso, 20, 23)];
    if (!parts.includes(-1)) {
      const [y, mo, d, h, mi, s, ms] = parts as [number, number, number, number, number, number, number];
      return Date.UTC(y, mo - 1, d, h, mi, s, ms);
    }
  }
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? 0 : ms;
}

// Merchant order: not yet a link, waiting, then paid, then the dead ends; unknown statuses last.
const STATUS_ORDER: readonly string[] = ['creating', 'create_failed', ...KNOWN_STATUSES];

function statusRankOf(record: LinkRecord): number {
  const index = STATUS_ORDER.indexOf(historyStatus(record));
  return index < 0 ? STATUS_ORDER.length : index;
}

export function indexRecord(record: LinkRecord): IndexedRecord {
  const customer = record.customer;
  let haystack = '';
  const add = (field: string | null | undefined): void => {
    if (field) haystack = haystack === '' ? searchText(field) : `${haystack}${FIELD_SEPARATOR}${searchText(field)}`;
  };
  add(record.reference);
  if (customer) {
    add(customer.forename && customer.surname ? `${customer.forename} ${customer.surname}` : (customer.forename ?? customer.surname));
    add(customer.companyname);
    add(customer.email);
  }
  add(record.merchantRef);
  add(record.id);
  add(record.transactionId);
  return {
    record,
    haystack,
    createdMs: timeOf(record.createdAt),
    updatedMs: timeOf(record.updatedAt),
    statusRank: statusRankOf(record),
    referenceKey: record.reference === '' ? '' : foldText(record.reference),
  };
}

/** One typed word: it matches a field's text or, read as money in either locale, the amount. */
interface SearchTerm {
  readonly text: string;
  readonly amounts: readonly number[];
}

function amountsTypedAs(text: string): number[] {
  const cents = new Set<number>();
  for (const locale of ['de', 'en'] as const) {
    const parsed = parseAmount(text, locale);
    if (parsed.ok) cents.add(parsed.cents);
  }
  return [...cents];
}

export interface CompiledSearch {
  /** Every term must match (so "max müller" finds Max Müller). */
  readonly terms: readonly SearchTerm[];
  /** The whole text read as an amount, so "1 234,50" still finds 123450 cents. */
  readonly wholeAmounts: readonly number[];
}

export function compileSearch(search: string | undefined): CompiledSearch | null {
  const trimmed = (search ?? '').trim();
  if (trimmed === '') return null;
  const terms = trimmed
    .split(/\s+/)
    .map((word) => ({ text: word.normalize('NFC').toLowerCase(), amounts: amountsTypedAs(word) }));
  return { terms, wholeAmounts: terms.length > 1 ? amountsTypedAs(trimmed) : [] };
}

export function matchesSearch(entry: IndexedRecord, search: CompiledSearch): boolean {
  const amount = entry.record.amountCents;
  if (search.wholeAmounts.includes(amount)) return true;
  for (const term of search.terms) {
    if (!entry.haystack.includes(term.text) && !term.amounts.includes(amount)) return false;
  }
  return true;
}

/** Local-time day bounds: [start of `from`, start of the day after `to`). */
export function dayRange(from: string | undefined, to: string | undefined): { fromMs: number; toMs: number } {
  const startOf = (day: string, addDays: number): number => {
    const [y, m, d] = day.split('-').map(Number) as [number, number, number];
    return new Date(y, m - 1, d + addDays).getTime();
  };
  return {
    fromMs: from === undefined ? -Infinity : startOf(from, 0),
    toMs: to === undefined ? Infinity : startOf(to, 1),
  };
}

export interface StatusFilter {
  readonly statuses: ReadonlySet<string>;
  readonly needsShipping: boolean;
}

export function compileStatusFilter(statuses: readonly string[] | undefined): StatusFilter | null {
  if (statuses === undefined || statuses.length === 0) return null;
  return { statuses: new Set(statuses.filter((s) => s !== 'needs_shipping')), needsShipping: statuses.includes('needs_shipping') };
}

export function matchesStatus(entry: IndexedRecord, filter: StatusFilter): boolean {
  if (filter.statuses.has(historyStatus(entry.record))) return true;
  return filter.needsShipping && needsShipping(entry.record);
}

type Comparator = (a: IndexedRecord, b: IndexedRecord) => number;

function keyComparator(field: HistorySortField): Comparator {
  switch (field) {
    case 'createdAt':
      return (a, b) => a.createdMs - b.createdMs;
    case 'updatedAt':
      return (a, b) => a.updatedMs - b.updatedMs;
    case 'amountCents':
      return (a, b) => a.record.amountCents - b.record.amountCents;
    case 'status':
      return (a, b) => a.statusRank - b.statusRank;
    case 'reference':
      return (a, b) => (a.referenceKey < b.referenceKey ? -1 : a.referenceKey > b.referenceKey ? 1 : 0);
  }
}

/** Ties go newest first, then by merchantRef, so paging never shows a record twice. */
export function sortComparator(sort: HistoryQuery['sort']): Comparator {
  const byKey = keyComparator(sort.field);
  const sign = sort.direction === 'asc' ? 1 : -1;
  return (a, b) =>
    sign * byKey(a, b) ||
    b.createdMs - a.createdMs ||
    (a.record.merchantRef < b.record.merchantRef ? -1 : a.record.merchantRef > b.record.merchantRef ? 1 : 0);
}

export function totalsOf(entries: readonly IndexedRecord[]): HistoryCurrencyTotal[] {
  const byCurrency = new Map<string, HistoryCurrencyTotal>();
  for (const { record } of entries) {
    let total = byCurrency.get(record.currency);
    if (!total) {
      total = { currency: record.currency, count: 0, amountCents: 0, paidCents: 0, refundedCents: 0 };
      byCurrency.set(record.currency, total);
    }
    total.count += 1;
    total.amountCents += record.amountCents;
    if (record.state === 'created' && isPaidStatus(record.status)) total.paidCents += record.amountCents;
    total.refundedCents += record.refundedCents;
  }
  return [...byCurrency.values()].sort((a, b) => b.count - a.count || (a.currency < b.currency ? -1 : 1));
}
