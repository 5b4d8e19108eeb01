import type { LinkRecord } from '../../shared/link';
import { parseAmount } from '../../shared/money';
import { KNOWN_STATUSES, isFinalStatus, isPaidStatus } from '../../shared/status';
import { historyStatus, needsShipping } from '../../shared/history-query';

/**
 * What searching, filtering, sorting and the totals need of one record, computed once per put
 * (and stored in the snapshot's index) so that neither opening nor querying has to read records.
 */
export interface IndexRow {
  readonly merchantRef: string;
  readonly id: string | null;
  readonly createdMs: number;
  readonly updatedMs: number;
  readonly amountCents: number;
  readonly refundedCents: number;
  readonly currency: string;
  /** {@link historyStatus}: what the merchant filters and sorts by. */
  readonly status: string;
  /** ROW_* bits. */
  readonly flags: number;
  /** Lower-case text of every searchable field, separated so a term cannot span two fields. */
  readonly searchText: string;
  readonly referenceKey: string;
}

export const ROW_LIVE = 1;
/** Recorded before its create request; the answer has not arrived (yet). */
export const ROW_CREATING = 2;
/** Never polled again ({@link isFinalStatus}). */
export const ROW_FINAL = 4;
/** Counts into the "paid" total. */
export const ROW_PAID = 8;
export const ROW_NEEDS_SHIPPING = 16;

/**
 * Ends every field and every record in the search text. DEL is not a control character for JSON,
 * so the snapshot stores the text without escapes; a search word containing it matches no text.
 */
export const SEARCH_SEPARATOR = '\u007f';

const NON_ASCII = /[^\u0000-\u007f]/;

/** Folds case and umlauts alike so "muller", "Müller" and "MÜLLER" find each other. */
function foldText(text: string): string {
  if (!NON_ASCII.test(text)) return text.toLowerCase();
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/ß/g, 'ss');
}

const LINE_BREAKS = /[\r\n]/g;

/**
 * Keeps the umlaut as typed too: some people type "mueller", some "müller". Line breaks become
 * spaces (a search word never contains either), so the snapshot stores the text as one line.
 */
function searchTextOf(field: string): string {
  const text = field.includes('\n') || field.includes('\r') ? field.replace(LINE_BREAKS, ' ') : field;
  if (!NON_ASCII.test(text)) return text.toLowerCase();
  const lower = text.normalize('NFC').toLowerCase();
  const folded = foldText(text);
  return folded === lower ? lower : `${lower}${SEARCH_SEPARATOR}${folded}`;
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
 * Date.parse dominates indexing many records, so our own timestamps
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

export function statusRankOf(status: string): number {
  const index = STATUS_ORDER.indexOf(status);
  return index < 0 ? STATUS_ORDER.length : index;
}

export function indexRowOf(record: LinkRecord): IndexRow {
  const customer = record.customer;
  let text = '';
  const add = (field: string | null | undefined): void => {
    if (field) text = text === '' ? searchTextOf(field) : `${text}${SEARCH_SEPARATOR}${searchTextOf(field)}`;
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
  const flags =
    ROW_LIVE |
    (record.state === 'creating' ? ROW_CREATING : 0) |
    (isFinalStatus(record.status) ? ROW_FINAL : 0) |
    (record.state === 'created' && isPaidStatus(record.status) ? ROW_PAID : 0) |
    (needsShipping(record) ? ROW_NEEDS_SHIPPING : 0);
  return {
    merchantRef: record.merchantRef,
    id: record.id,
    createdMs: timeOf(record.createdAt),
    updatedMs: timeOf(record.updatedAt),
    amountCents: record.amountCents,
    refundedCents: record.refundedCents,
    currency: record.currency,
    status: historyStatus(record),
    flags,
    searchText: text,
    referenceKey: record.reference === '' ? '' : foldText(record.reference),
  };
}

/** One typed word: it matches a field's text or, read as money in either locale, the amount. */
export interface SearchTerm {
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
