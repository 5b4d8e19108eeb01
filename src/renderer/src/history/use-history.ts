import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { call, subscribe } from '../api';
import type { AppError } from '../../../shared/errors';
import type { HistoryCurrencyTotal, HistoryQueryInput, HistorySortField } from '../../../shared/history-query';
import type { LinkRecord } from '../../../shared/link';
import type { ChannelOutput } from '../../../shared/contract';

export const PAGE_SIZE = 50;
const SEARCH_DEBOUNCE_MS = 150;
/**
 * Status events arrive one link at a time (the watcher may settle many in a row); visible rows
 * change at once, and the page, totals and notices are read again once the burst is over.
 */
const QUIET_RELOAD_MS = 800;

export interface HistorySort {
  field: HistorySortField;
  direction: 'asc' | 'desc';
}

export interface HistoryFilters {
  search: string;
  statuses: string[];
  from: string;
  to: string;
}

export const NO_FILTERS: HistoryFilters = { search: '', statuses: [], from: '', to: '' };

export type HistoryStatusInfo = ChannelOutput<'history.status'>;

export interface HistoryState {
  filters: HistoryFilters;
  setFilters: (update: (previous: HistoryFilters) => HistoryFilters) => void;
  sort: HistorySort;
  toggleSort: (field: HistorySortField) => void;
  offset: number;
  setOffset: (offset: number) => void;
  items: LinkRecord[];
  total: number;
  /** Per currency; null when main left the sums out (a search with too many matches). */
  totals: HistoryCurrencyTotal[] | null;
  /** True until the first answer for the current filters arrived. */
  loading: boolean;
  stale: boolean;
  error: AppError | null;
  dateRangeInvalid: boolean;
  filtersActive: boolean;
  status: HistoryStatusInfo | null;
  waitingCount: number | null;
  /** The query the list shows, without paging (for the CSV export). */
  exportQuery: HistoryQueryInput;
  replace: (record: LinkRecord) => void;
  reload: () => void;
}

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/** Only this page is held and rendered: the store in main filters, sorts and pages. */
export function useHistory(initialFilters: Partial<HistoryFilters> = {}): HistoryState {
  const [filters, setFiltersState] = useState<HistoryFilters>(() => ({ ...NO_FILTERS, ...initialFilters }));
  const [sort, setSort] = useState<HistorySort>({ field: 'createdAt', direction: 'desc' });
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<{ items: LinkRecord[]; total: number; totals: HistoryCurrencyTotal[] | null } | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [loadedKey, setLoadedKey] = useState<string | null>(null);
  const [reloadToken, setReloadToken] = useState(0);
  const [status, setStatus] = useState<HistoryStatusInfo | null>(null);
  const [waitingCount, setWaitingCount] = useState<number | null>(null);
  const search = useDebounced(filters.search.trim(), SEARCH_DEBOUNCE_MS);
  const requestSeq = useRef(0);
  const visible = useRef<Set<string>>(new Set());

  const dateRangeInvalid = filters.from !== '' && filters.to !== '' && filters.from > filters.to;
  const baseQuery = useMemo<HistoryQueryInput>(() => {
    const query: HistoryQueryInput = { sort };
    if (search !== '') query.search = search;
    if (filters.statuses.length > 0) query.statuses = filters.statuses;
    if (filters.from !== '') query.from = filters.from;
    if (filters.to !== '') query.to = filters.to;
    return query;
  }, [search, filters.statuses, filters.from, filters.to, sort]);
  const queryKey = JSON.stringify(baseQuery);

  const setFilters = useCallback((update: (previous: HistoryFilters) => HistoryFilters) => {
    setFiltersState(update);
    setOffset(0);
  }, []);

  const toggleSort = useCallback((field: HistorySortField) => {
    setSort((previous) =>
      previous.field === field
        ? { field, direction: previous.direction === 'asc' ? 'desc' : 'asc' }
        : { field, direction: field === 'reference' || field === 'status' ? 'asc' : 'desc' },
    );
    setOffset(0);
  }, []);

  useEffect(() => {
    if (dateRangeInvalid) return;
    const seq = ++requestSeq.current;
    void call('history.query', { ...baseQuery, offset, limit: PAGE_SIZE }).then((result) => {
      if (seq !== requestSeq.current) return;
      if (result.ok) {
        const { items, total, totals } = result.value;
        // A page past the end (links cancelled or filtered away meanwhile): go to the last one.
        if (items.length === 0 && total > 0 && offset > 0) {
          setOffset(Math.floor((total - 1) / PAGE_SIZE) * PAGE_SIZE);
          return;
        }
        setPage({ items, total, totals: totals ?? null });
        visible.current = new Set(items.map((item) => item.merchantRef));
        setError(null);
      } else {
        setError(result.error);
      }
      setLoadedKey(queryKey);
    });
  }, [baseQuery, queryKey, offset, reloadToken, dateRangeInvalid]);

  useEffect(() => {
    let alive = true;
    void call('history.status', {}).then((result) => {
      if (alive && result.ok) {
        setStatus(result.value);
        setWaitingCount(result.value.waitingCount);
      }
    });
    return () => {
      alive = false;
    };
  }, [reloadToken]);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const quietReload = () => {
      if (timer !== null) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = null;
        setReloadToken((n) => n + 1);
      }, QUIET_RELOAD_MS);
    };
    const unsubscribe = subscribe((event) => {
      if (event.type === 'link.updated') {
        const record = event.record;
        if (visible.current.has(record.merchantRef)) {
          setPage((previous) =>
            previous && { ...previous, items: previous.items.map((item) => (item.merchantRef === record.merchantRef ? record : item)) },
          );
        }
        quietReload();
      } else if (event.type === 'links.waiting') {
        setWaitingCount(event.count);
      }
    });
    return () => {
      unsubscribe();
      if (timer !== null) clearTimeout(timer);
    };
  }, []);

  const replace = useCallback((record: LinkRecord) => {
    setPage((previous) =>
      previous && { ...previous, items: previous.items.map((item) => (item.merchantRef === record.merchantRef ? record : item)) },
    );
    setReloadToken((n) => n + 1);
  }, []);
  const reload = useCallback(() => setReloadToken((n) => n + 1), []);

  return {
    filters,
    setFilters,
    sort,
    toggleSort,
    offset,
    setOffset,
    items: page?.items ?? [],
    total: page?.total ?? 0,
    totals: page ? page.totals : [],
    loading: page === null && error === null,
    /** The list on screen is for older filters while the new answer is on its way. */
    stale: loadedKey !== queryKey,
    error,
    dateRangeInvalid,
    filtersActive: filters.search.trim() !== '' || filters.statuses.length > 0 || filters.from !== '' || filters.to !== '',
    status,
    waitingCount,
    exportQuery: baseQuery,
    replace,
    reload,
  };
}
