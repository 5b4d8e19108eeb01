import type { HistoryCurrencyTotal, HistoryQuery } from '../../shared/history-query';
import {
  ROW_LIVE,
  ROW_NEEDS_SHIPPING,
  ROW_PAID,
  SEARCH_SEPARATOR,
  compileSearch,
  compileStatusFilter,
  dayRange,
  statusRankOf,
} from './search-index';
import type { CompiledSearch, IndexRow } from './search-index';

/**
 * The history's index in memory: one column per field that filtering, sorting and the totals
 * need, one slot per record. A query over 100,000 links is then a scan over typed arrays, and
 * opening the history fills the columns straight from the snapshot without reading a record.
 */

/** Search text of many records in one string, so one indexOf pass finds a word in all of them. */
export interface SearchText {
  /** Every record's text followed by {@link SEARCH_SEPARATOR}. */
  readonly text: string;
  /** Where each record's text starts in `text`; one more entry (text.length) at the end. */
  readonly starts: Uint32Array;
  /** Which slot each record's text belongs to. */
  readonly slots: Int32Array;
}

/** Columns as the snapshot's index has them; slot i is the snapshot's i-th record. */
export interface ColumnsSeed {
  readonly count: number;
  readonly createdMs: Float64Array;
  readonly updatedMs: Float64Array;
  readonly amountCents: Float64Array;
  readonly refundedCents: Float64Array;
  readonly statusCodes: Uint32Array;
  readonly currencyCodes: Uint32Array;
  readonly flags: Uint8Array;
  /** The values the codes stand for. */
  readonly statuses: string[];
  readonly currencies: string[];
  readonly merchantRefs: string[];
  /** Slots in merchantRef order, for finding one by binary search without building a map. */
  readonly refOrder: Uint32Array;
  readonly search: SearchText;
  /** Parsed on first need: looking up by STX id and sorting by reference are rare at start. */
  readonly ids: () => (string | null)[];
  readonly referenceKeys: () => string[];
}

class Dictionary {
  private readonly codes = new Map<string, number>();

  constructor(readonly values: string[]) {
    values.forEach((value, code) => this.codes.set(value, code));
  }

  codeOf(value: string): number {
    let code = this.codes.get(value);
    if (code === undefined) {
      code = this.values.length;
      this.values.push(value);
      this.codes.set(value, code);
    }
    return code;
  }
}

type TypedColumn = Float64Array | Uint32Array | Uint8Array;

export function grown<T extends TypedColumn>(column: T, length: number): T {
  if (column.length >= length) return column;
  const next = new (column.constructor as new (length: number) => T)(Math.max(length, column.length * 2, 1024));
  next.set(column);
  return next;
}

/** A list of strings seeded from the snapshot on first need, with the changes made before that. */
class LazyColumn<T> {
  private values: T[] | null = null;
  private readonly pending = new Map<number, T>();

  constructor(private readonly source: () => T[]) {}

  get loaded(): boolean {
    return this.values !== null;
  }

  all(): T[] {
    if (this.values === null) {
      this.values = this.source();
      for (const [slot, value] of this.pending) this.values[slot] = value;
      this.pending.clear();
    }
    return this.values;
  }

  set(slot: number, value: T): void {
    if (this.values === null) this.pending.set(slot, value);
    else this.values[slot] = value;
  }
}

export interface ColumnsQueryResult {
  /** The page, as slots. */
  slots: number[];
  total: number;
  totals: HistoryCurrencyTotal[];
}

type SlotComparator = (a: number, b: number) => number;

/** Pages deeper than this are cut from a full sort; shallower ones from a heap of the best. */
const HEAP_PAGE_LIMIT = 2000;

export class HistoryColumns {
  /** Slots in use; dead slots (records lost to damage) stay, without ROW_LIVE. */
  size = 0;
  createdMs: Float64Array = new Float64Array(0);
  updatedMs: Float64Array = new Float64Array(0);
  amountCents: Float64Array = new Float64Array(0);
  refundedCents: Float64Array = new Float64Array(0);
  statusCodes: Uint32Array = new Uint32Array(0);
  currencyCodes: Uint32Array = new Uint32Array(0);
  flags: Uint8Array = new Uint8Array(0);
  readonly merchantRefs: string[] = [];

  private readonly refOrder: Uint32Array;
  /** Slots added after opening (refOrder only has the snapshot's). */
  private readonly addedRefs = new Map<string, number>();
  private live = 0;
  private readonly statuses: Dictionary;
  private readonly currencies: Dictionary;
  private readonly ids: LazyColumn<string | null>;
  private slotById: Map<string, number> | null = null;
  private readonly referenceKeys: LazyColumn<string>;

  private search: SearchText;
  /** 1 + the slot's entry in `search` while that is its current text; 0: see `searchOverrides`. */
  private searchEntry: Uint32Array = new Uint32Array(0);
  private readonly searchOverrides = new Map<number, string>();

  constructor(seed?: ColumnsSeed) {
    if (!seed) {
      this.statuses = new Dictionary([]);
      this.currencies = new Dictionary([]);
      this.ids = new LazyColumn(() => []);
      this.referenceKeys = new LazyColumn(() => []);
      this.search = { text: '', starts: new Uint32Array([0]), slots: new Int32Array(0) };
      this.refOrder = new Uint32Array(0);
      return;
    }
    this.size = seed.count;
    this.createdMs = seed.createdMs;
    this.updatedMs = seed.updatedMs;
    this.amountCents = seed.amountCents;
    this.refundedCents = seed.refundedCents;
    this.statusCodes = seed.statusCodes;
    this.currencyCodes = seed.currencyCodes;
    this.flags = seed.flags;
    this.merchantRefs = seed.merchantRefs;
    this.refOrder = seed.refOrder;
    this.live = seed.count;
    this.statuses = new Dictionary(seed.statuses);
    this.currencies = new Dictionary(seed.currencies);
    this.ids = new LazyColumn(seed.ids);
    this.referenceKeys = new LazyColumn(seed.referenceKeys);
    this.search = seed.search;
    this.searchEntry = new Uint32Array(seed.count);
    seed.search.slots.forEach((slot, entry) => (this.searchEntry[slot] = entry + 1));
  }

  get liveCount(): number {
    return this.live;
  }

  slotOf(merchantRef: string): number | undefined {
    const added = this.addedRefs.get(merchantRef);
    if (added !== undefined) return added;
    const { refOrder, merchantRefs } = this;
    let lo = 0;
    let hi = refOrder.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const slot = refOrder[mid] as number;
      const ref = merchantRefs[slot] as string;
      if (ref === merchantRef) return this.isLive(slot) ? slot : undefined;
      if (ref < merchantRef) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  slotOfId(id: string): number | undefined {
    if (this.slotById === null) {
      const ids = this.ids.all();
      const map = new Map<string, number>();
      for (let slot = 0; slot < this.size; slot++) {
        const value = ids[slot];
        if (value != null && (this.flags[slot] as number) & ROW_LIVE) map.set(value, slot);
      }
      this.slotById = map;
    }
    return this.slotById.get(id);
  }

  isLive(slot: number): boolean {
    return slot < this.size && ((this.flags[slot] as number) & ROW_LIVE) !== 0;
  }

  /** Inserts or replaces the row for its merchantRef; returns its slot. */
  upsert(row: IndexRow): number {
    let slot = this.slotOf(row.merchantRef);
    if (slot === undefined) {
      slot = this.size;
      this.ensureCapacity(slot + 1);
      this.size += 1;
      this.live += 1;
      this.merchantRefs[slot] = row.merchantRef;
      this.addedRefs.set(row.merchantRef, slot);
    }
    this.createdMs[slot] = row.createdMs;
    this.updatedMs[slot] = row.updatedMs;
    this.amountCents[slot] = row.amountCents;
    this.refundedCents[slot] = row.refundedCents;
    this.statusCodes[slot] = this.statuses.codeOf(row.status);
    this.currencyCodes[slot] = this.currencies.codeOf(row.currency);
    this.flags[slot] = row.flags | ROW_LIVE;
    this.setId(slot, row.id);
    this.referenceKeys.set(slot, row.referenceKey);
    this.searchEntry[slot] = 0;
    this.searchOverrides.set(slot, row.searchText);
    return slot;
  }

  /** Forgets a record whose data is lost (damaged on disk). */
  remove(slot: number): void {
    if (!this.isLive(slot)) return;
    this.flags[slot] = 0;
    this.live -= 1;
    const ref = this.merchantRefs[slot] as string;
    if (this.addedRefs.get(ref) === slot) this.addedRefs.delete(ref);
    this.setId(slot, null);
    this.searchOverrides.delete(slot);
  }

  rowOf(slot: number): IndexRow {
    return {
      merchantRef: this.merchantRefs[slot] as string,
      id: this.ids.all()[slot] ?? null,
      createdMs: this.createdMs[slot] as number,
      updatedMs: this.updatedMs[slot] as number,
      amountCents: this.amountCents[slot] as number,
      refundedCents: this.refundedCents[slot] as number,
      currency: this.currencies.values[this.currencyCodes[slot] as number] as string,
      status: this.statuses.values[this.statusCodes[slot] as number] as string,
      flags: this.flags[slot] as number,
      searchText: this.searchTextOf(slot),
      referenceKey: this.referenceKeys.all()[slot] ?? '',
    };
  }

  /** Live slots, in slot order, whose flags have all of `set` and none of `unset`. */
  slotsWith(set: number, unset = 0): number[] {
    const slots: number[] = [];
    const wanted = set | ROW_LIVE;
    for (let slot = 0; slot < this.size; slot++) {
      const f = this.flags[slot] as number;
      if ((f & wanted) === wanted && (f & unset) === 0) slots.push(slot);
    }
    return slots;
  }

  /** Live slots newest first (the order the snapshot is written in, and the default sort). */
  slotsNewestFirst(): number[] {
    const slots = this.slotsWith(0);
    const { createdMs, merchantRefs } = this;
    // Mostly in order already (the snapshot is written this way), which the sort is quick at.
    return slots.sort((a, b) => (createdMs[b] as number) - (createdMs[a] as number) || compareText(merchantRefs[a] as string, merchantRefs[b] as string));
  }

  /** Live slots in merchantRef order: the snapshot's order merged with the slots added since. */
  slotsByMerchantRef(): number[] {
    const { merchantRefs } = this;
    const added = [...this.addedRefs.values()].filter((slot) => this.isLive(slot));
    added.sort((a, b) => compareText(merchantRefs[a] as string, merchantRefs[b] as string));
    const result: number[] = [];
    let next = 0;
    for (const slot of this.refOrder) {
      if (!this.isLive(slot)) continue;
      const ref = merchantRefs[slot] as string;
      while (next < added.length && (merchantRefs[added[next] as number] as string) < ref) result.push(added[next++] as number);
      result.push(slot);
    }
    while (next < added.length) result.push(added[next++] as number);
    return result;
  }

  /**
   * After a snapshot is written: its search text becomes the one searched, for every slot
   * `unchanged` says was written as it still is.
   */
  replaceSearch(search: SearchText, unchanged: (slot: number) => boolean): void {
    this.search = search;
    this.searchEntry = new Uint32Array(this.searchEntry.length);
    search.slots.forEach((slot, entry) => {
      if (unchanged(slot)) {
        this.searchEntry[slot] = entry + 1;
        this.searchOverrides.delete(slot);
      }
    });
  }

  query(q: HistoryQuery): ColumnsQueryResult {
    const search = compileSearch(q.search);
    const statusFilter = compileStatusFilter(q.statuses);
    const { fromMs, toMs } = dayRange(q.from, q.to);

    let statusMask: Uint8Array | null = null;
    if (statusFilter) {
      statusMask = new Uint8Array(this.statuses.values.length);
      this.statuses.values.forEach((status, code) => {
        if (statusFilter.statuses.has(status)) statusMask![code] = 1;
      });
    }
    const shippingFlag = statusFilter?.needsShipping ? ROW_NEEDS_SHIPPING : 0;
    const searchMatches = search ? this.searchMatches(search) : null;

    const currencyCount = this.currencies.values.length;
    const count = new Float64Array(currencyCount);
    const amount = new Float64Array(currencyCount);
    const paid = new Float64Array(currencyCount);
    const refunded = new Float64Array(currencyCount);
    const matched = new Int32Array(this.size);
    let total = 0;

    const { flags, createdMs, statusCodes, amountCents, currencyCodes, refundedCents } = this;
    for (let slot = 0; slot < this.size; slot++) {
      const f = flags[slot] as number;
      if ((f & ROW_LIVE) === 0) continue;
      const created = createdMs[slot] as number;
      if (created < fromMs || created >= toMs) continue;
      if (statusMask && statusMask[statusCodes[slot] as number] === 0 && (f & shippingFlag) === 0) continue;
      if (searchMatches && searchMatches[slot] === 0) continue;
      const cents = amountCents[slot] as number;
      matched[total++] = slot;
      const currency = currencyCodes[slot] as number;
      count[currency] = (count[currency] as number) + 1;
      amount[currency] = (amount[currency] as number) + cents;
      if (f & ROW_PAID) paid[currency] = (paid[currency] as number) + cents;
      refunded[currency] = (refunded[currency] as number) + (refundedCents[slot] as number);
    }

    const totals: HistoryCurrencyTotal[] = [];
    for (let code = 0; code < currencyCount; code++) {
      if (count[code] === 0) continue;
      totals.push({
        currency: this.currencies.values[code] as string,
        count: count[code] as number,
        amountCents: amount[code] as number,
        paidCents: paid[code] as number,
        refundedCents: refunded[code] as number,
      });
    }
    totals.sort((a, b) => b.count - a.count || (a.currency < b.currency ? -1 : 1));

    const candidates = matched.subarray(0, total);
    // Slots run roughly newest first; an oldest-first page finds its best candidates sooner backwards.
    const backwards = q.sort.field === 'createdAt' && q.sort.direction === 'asc';
    return { slots: pageOf(candidates, this.comparator(q.sort), q.offset, q.limit, backwards), total, totals };
  }

  private ensureCapacity(length: number): void {
    this.createdMs = grown(this.createdMs, length);
    this.updatedMs = grown(this.updatedMs, length);
    this.amountCents = grown(this.amountCents, length);
    this.refundedCents = grown(this.refundedCents, length);
    this.statusCodes = grown(this.statusCodes, length);
    this.currencyCodes = grown(this.currencyCodes, length);
    this.flags = grown(this.flags, length);
    this.searchEntry = grown(this.searchEntry, length);
  }

  private setId(slot: number, id: string | null): void {
    if (this.slotById) {
      const previous = this.ids.all()[slot];
      if (previous != null && previous !== id && this.slotById.get(previous) === slot) this.slotById.delete(previous);
      if (id !== null) this.slotById.set(id, slot);
    }
    this.ids.set(slot, id);
  }

  private searchTextOf(slot: number): string {
    const entry = (this.searchEntry[slot] as number) - 1;
    if (entry >= 0) {
      const { text, starts } = this.search;
      return text.slice(starts[entry] as number, (starts[entry + 1] as number) - 1);
    }
    return this.searchOverrides.get(slot) ?? '';
  }

  /**
   * 1 for every slot the search finds: each word in its text or (read as money) its amount, or
   * the whole search as its amount. The longest word is looked for in every record's text;
   * the others only among the records that matched so far.
   */
  private searchMatches(search: CompiledSearch): Uint8Array {
    const { amountCents } = this;
    let matches = new Uint8Array(this.size);
    let candidates: number[] | null = null;
    const terms = [...search.terms].sort((a, b) => b.text.length - a.text.length);
    for (const term of terms) {
      const hits = candidates !== null && candidates.length * 16 < this.size ? this.textHitsAmong(term.text, candidates) : this.textHits(term.text);
      const next = new Uint8Array(this.size);
      const nextCandidates: number[] = [];
      const consider = (slot: number): void => {
        if (hits[slot] === 1 || term.amounts.includes(amountCents[slot] as number)) {
          next[slot] = 1;
          nextCandidates.push(slot);
        }
      };
      if (candidates === null) for (let slot = 0; slot < this.size; slot++) consider(slot);
      else for (const slot of candidates) consider(slot);
      matches = next;
      candidates = nextCandidates;
    }
    if (search.wholeAmounts.length > 0) {
      for (let slot = 0; slot < this.size; slot++) if (search.wholeAmounts.includes(amountCents[slot] as number)) matches[slot] = 1;
    }
    return matches;
  }

  private textHitsAmong(word: string, slots: readonly number[]): Uint8Array {
    const hits = new Uint8Array(this.size);
    if (word.includes(SEARCH_SEPARATOR)) return hits;
    for (const slot of slots) if (this.searchTextOf(slot).includes(word)) hits[slot] = 1;
    return hits;
  }

  /** 1 for every slot whose search text contains `word`. */
  private textHits(word: string): Uint8Array {
    const hits = new Uint8Array(this.size);
    if (word.includes(SEARCH_SEPARATOR)) return hits;
    const { text, starts, slots } = this.search;
    let at = text.indexOf(word);
    while (at !== -1) {
      // The record whose text holds position `at`: the last start at or before it.
      let lo = 0;
      let hi = slots.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >>> 1;
        if ((starts[mid] as number) <= at) lo = mid;
        else hi = mid - 1;
      }
      const slot = slots[lo] as number;
      if (this.searchEntry[slot] === lo + 1) hits[slot] = 1;
      at = text.indexOf(word, starts[lo + 1] as number);
    }
    for (const [slot, own] of this.searchOverrides) if (own.includes(word)) hits[slot] = 1;
    return hits;
  }

  private comparator(sort: HistoryQuery['sort']): SlotComparator {
    const { createdMs, merchantRefs } = this;
    const sign = sort.direction === 'asc' ? 1 : -1;
    // Ties go newest first, then by merchantRef, so paging never shows a record twice.
    const tie: SlotComparator = (a, b) =>
      (createdMs[b] as number) - (createdMs[a] as number) || compareText(merchantRefs[a] as string, merchantRefs[b] as string);
    const byNumber = (key: ArrayLike<number>): SlotComparator => (a, b) => sign * ((key[a] as number) - (key[b] as number)) || tie(a, b);
    switch (sort.field) {
      case 'createdAt':
        return byNumber(createdMs);
      case 'updatedAt':
        return byNumber(this.updatedMs);
      case 'amountCents':
        return byNumber(this.amountCents);
      case 'status': {
        const rankByCode = this.statuses.values.map(statusRankOf);
        const codes = this.statusCodes;
        return (a, b) => sign * ((rankByCode[codes[a] as number] as number) - (rankByCode[codes[b] as number] as number)) || tie(a, b);
      }
      case 'reference': {
        const keys = this.referenceKeys.all();
        return (a, b) => sign * compareText(keys[a] ?? '', keys[b] ?? '') || tie(a, b);
      }
    }
  }
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sorts only as much as the page needs: a full sort of 100,000 records costs more than the scan. */
function pageOf(candidates: Int32Array, compare: SlotComparator, offset: number, limit: number, backwards: boolean): number[] {
  const wanted = offset + limit;
  if (offset >= candidates.length) return [];
  if (wanted > HEAP_PAGE_LIMIT || wanted * 4 >= candidates.length) {
    return Array.from(candidates).sort(compare).slice(offset, wanted);
  }
  // A heap of the best `wanted`, worst on top: most candidates lose against the top at once.
  const heap: number[] = [];
  const worse = (a: number, b: number): boolean => compare(a, b) > 0;
  const siftDown = (): void => {
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) return;
      const right = left + 1;
      const child = right < heap.length && worse(heap[right] as number, heap[left] as number) ? right : left;
      if (!worse(heap[child] as number, heap[i] as number)) return;
      [heap[i], heap[child]] = [heap[child] as number, heap[i] as number];
      i = child;
    }
  };
  const offer = (slot: number): void => {
    if (heap.length < wanted) {
      heap.push(slot);
      let i = heap.length - 1;
      while (i > 0) {
        const parent = (i - 1) >>> 1;
        if (!worse(heap[i] as number, heap[parent] as number)) break;
        [heap[i], heap[parent]] = [heap[parent] as number, heap[i] as number];
        i = parent;
      }
    } else if (compare(slot, heap[0] as number) < 0) {
      heap[0] = slot;
      siftDown();
    }
  };
  if (backwards) for (let i = candidates.length - 1; i >= 0; i--) offer(candidates[i] as number);
  else for (const slot of candidates) offer(slot);
  return heap.sort(compare).slice(offset, wanted);
}
