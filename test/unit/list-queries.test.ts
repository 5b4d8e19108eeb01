import { describe, expect, it } from 'vitest';
import { AppFailure } from '../../src/shared/errors';
import type { ListSmartTransactionsQuery } from '../../src/main/secuconnect/client';
import {
  apiTimestamp,
  backfillPage,
  backfillQuery,
  changedSinceCycle,
  changedSincePage,
  changedSinceQuery,
  horizonFrom,
  isFallbackForm,
  ListFormsExhaustedError,
  lookupByMerchantRef,
  merchantRefQuery,
  nextCycle,
  startBackfill,
  startChangedSince,
  type ListRequest,
} from '../../src/main/secuconnect/list-queries';
import type { SmartTransaction, SmartTransactionList } from '../../src/main/secuconnect/wire';

const T0 = Date.parse('2026-03-01T10:00:00Z');
const at = (seconds: number) => apiTimestamp(T0 + seconds * 1000);

function stx(id: string, created: number, updated: number, merchantRef: string | null = `LD-${id}`): SmartTransaction {
  return { id, status: 'created', created: at(created), updated: at(updated), merchantRef };
}

const refused = () => new AppFailure({ code: 'api.validation', message: 'secuconnect did not accept the data (ProductFormatException): Invalid value for q' });

/** Answers from a script and records what was asked. */
function scripted(answer: (query: ListSmartTransactionsQuery, index: number) => SmartTransactionList | Error) {
  const asked: ListSmartTransactionsQuery[] = [];
  const list: ListRequest = async (query) => {
    asked.push(query);
    const result = answer(query, asked.length - 1);
    if (result instanceof Error) throw result;
    return result;
  };
  return { list, asked };
}

describe('query shapes', () => {
  it('asks for changes with an open range on updated, oldest first, and backfills by created', () => {
    const since = '2026-01-01T00:00:00+00:00';
    const horizon = '2025-10-03T00:00:00+00:00';
    expect(changedSinceQuery(startChangedSince(since, horizon), 50)).toEqual({ q: `updated:[${since} TO *]`, sort: 'updated:asc', count: 50, offset: 0 });
    expect(changedSinceQuery({ ...startChangedSince(since, horizon, 'updated-dsc'), offset: 100 })).toEqual({ sort: 'updated:dsc', count: 100, offset: 100 });
    expect(changedSinceQuery(startChangedSince(since, horizon, 'created-range'))).toMatchObject({ q: `created:[${horizon} TO *]`, sort: 'created:asc' });
    expect(backfillQuery(startBackfill(horizon))).toEqual({ q: `created:[${horizon} TO *]`, sort: 'created:asc', count: 100, offset: 0 });
    expect(backfillQuery(startBackfill(horizon, 'created-desc'))).toEqual({ sort: 'created:desc', count: 100, offset: 0 });
    expect(merchantRefQuery('merchantRef-quoted', 'LD-1')).toEqual({ q: 'merchantRef:"LD-1"', count: 10 });
    expect(merchantRefQuery('merchantRef-quoted', 'Order "7"')).toEqual({ q: 'merchantRef:"Order \\"7\\""', count: 10 });
    expect(merchantRefQuery('merchantRef-plain', 'Order 7')).toBeNull();
  });

  it('writes timestamps the way the API does, to the second, and horizons in days', () => {
    expect(apiTimestamp(Date.parse('2026-03-01T10:00:00.987Z'))).toBe('2026-03-01T10:00:00+00:00');
    expect(horizonFrom(Date.parse('2026-03-31T12:00:00Z'), 90)).toBe('2025-12-31T12:00:00+00:00');
    expect(isFallbackForm('updated-range')).toBe(false);
    expect(isFallbackForm('updated-dsc')).toBe(true);
  });
});

describe('changed since', () => {
  it('pages by the last updated seen, counting the ones already read at that second', async () => {
    const { list, asked } = scripted(() => ({ count: 9, data: [stx('A', 0, 10), stx('B', 0, 12), stx('C', 0, 12)] }));
    const page = await changedSincePage(list, startChangedSince(at(5), at(-100)), 3);
    expect(page.items.map((s) => s.id)).toEqual(['A', 'B', 'C']);
    expect(page.next).toEqual({ form: 'updated-range', since: at(12), horizon: at(-100), offset: 2 });
    expect(page).toMatchObject({ refused: [], requests: 1, total: 9 });
    expect(asked[0]).toEqual({ q: `updated:[${at(5)} TO *]`, sort: 'updated:asc', count: 3, offset: 0 });

    // A full page within one second: the next page reads further at that same second.
    const same = scripted(() => ({ count: 9, data: [stx('D', 0, 12), stx('E', 0, 12)] }));
    const second = await changedSincePage(same.list, page.next ?? startChangedSince('', ''), 2);
    expect(same.asked[0]).toMatchObject({ q: `updated:[${at(12)} TO *]`, offset: 2 });
    expect(second.next).toMatchObject({ since: at(12), offset: 4 });
  });

  it('stops after a short page, and the next cycle starts at the newest updated seen', async () => {
    const { list } = scripted(() => ({ count: 2, data: [stx('A', 0, 10), stx('B', 0, 30)] }));
    const cursor = startChangedSince(at(5), at(-100));
    const page = await changedSincePage(list, cursor, 3);
    expect(page.next).toBeNull();
    expect(nextCycle(page.cursor, page.items)).toEqual({ form: 'updated-range', since: at(30), horizon: at(-100), offset: 0 });
    expect(nextCycle(page.cursor, [])).toEqual(cursor);
  });

  it('falls back to newest-first when the range is refused, keeps only the changed ones and says so', async () => {
    const { list, asked } = scripted((query) => (query.q ? refused() : { count: 5, data: [stx('N', 0, 40), stx('M', 0, 20), stx('L', 0, 2)] }));
    const page = await changedSincePage(list, startChangedSince(at(10), at(-100)), 3);
    expect(page.cursor.form).toBe('updated-desc');
    expect(page.refused).toEqual(['updated-range']);
    expect(page.requests).toBe(2);
    expect(page.items.map((s) => s.id)).toEqual(['N', 'M']);
    expect(page.next).toBeNull();
    expect(asked[1]).toEqual({ sort: 'updated:desc', count: 3, offset: 0 });
  });

  it('leaves a form whose answer shows the API ignored it (an item outside the range)', async () => {
    const { list } = scripted((query) => (query.q ? { count: 2, data: [stx('OLD', 0, 1), stx('NEW', 0, 50)] } : { count: 1, data: [stx('NEW', 0, 50)] }));
    const page = await changedSincePage(list, startChangedSince(at(10), at(-100)), 3);
    expect(page.refused).toEqual(['updated-range']);
    expect(page.cursor.form).toBe('updated-desc');
  });

  it('tries dsc when desc is refused, then created ranges, then a plain scan', async () => {
    const { list, asked } = scripted((query) => (query.q || query.sort ? refused() : { count: 2, data: [stx('X', 0, 50), stx('Y', 0, 1)] }));
    const page = await changedSincePage(list, startChangedSince(at(10), at(-100)), 3);
    expect(page.refused).toEqual(['updated-range', 'updated-desc', 'updated-dsc', 'created-range']);
    expect(asked.map((q) => q.sort ?? q.q ?? 'none')).toEqual(['updated:asc', 'updated:desc', 'updated:dsc', 'created:asc', 'none']);
    expect(page.cursor.form).toBe('scan');
    expect(page.items.map((s) => s.id)).toEqual(['X']);
  });

  it('starts from a remembered form, and reports when every form is refused', async () => {
    const dsc = scripted(() => ({ count: 0, data: [] }));
    await changedSincePage(dsc.list, startChangedSince(at(0), at(-1), 'updated-dsc'));
    expect(dsc.asked).toHaveLength(1);
    expect(dsc.asked[0]?.sort).toBe('updated:dsc');

    const none = scripted(() => refused());
    const error = await changedSincePage(none.list, startChangedSince(at(0), at(-1))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ListFormsExhaustedError);
    expect((error as ListFormsExhaustedError).refused).toHaveLength(5);
  });

  it('does not fall back on errors that are not about the query', async () => {
    const timeout = new AppFailure({ code: 'network.timeout', message: 'secuconnect did not answer within 15 seconds' });
    const { list, asked } = scripted(() => timeout);
    await expect(changedSincePage(list, startChangedSince(at(0), at(-1)))).rejects.toBe(timeout);
    expect(asked).toHaveLength(1);
  });
});

describe('a whole changed-since cycle', () => {
  it('reads every page, carries the fallback form into the next cycle, and stops at maxPages', async () => {
    const pages = [[stx('E', 0, 14), stx('D', 0, 13)], [stx('C', 0, 12), stx('B', 0, 11)], [stx('A', 0, 10)]];
    const { list, asked } = scripted((query, index) => (query.q ? refused() : { count: 5, data: pages[index - 1] ?? [] }));
    const cycle = await changedSinceCycle(list, startChangedSince(at(0), at(-100)), { pageSize: 2 });
    expect(cycle.items.map((s) => s.id)).toEqual(['E', 'D', 'C', 'B', 'A']);
    expect(cycle).toMatchObject({ complete: true, refused: ['updated-range'], requests: 4 });
    expect(cycle.next).toEqual({ form: 'updated-desc', since: at(14), horizon: at(-100), offset: 0 });
    expect(asked.slice(1).map((q) => q.offset)).toEqual([0, 2, 4]);

    const limited = scripted(() => ({ count: 9, data: [stx('A', 0, 10), stx('B', 0, 11)] }));
    const partial = await changedSinceCycle(limited.list, startChangedSince(at(0), at(-100)), { pageSize: 2, maxPages: 1 });
    expect(partial.complete).toBe(false);
    expect(partial.next).toMatchObject({ form: 'updated-range', since: at(11), offset: 1 });
  });
});

describe('backfill', () => {
  it('pages by offset oldest first and ends at the total', async () => {
    const { list, asked } = scripted((query) => ({ count: 3, data: query.offset === 0 ? [stx('A', 1, 1), stx('B', 2, 9)] : [stx('C', 3, 3)] }));
    const first = await backfillPage(list, startBackfill(at(0)), 2);
    expect(first.next).toEqual({ form: 'created-range', horizon: at(0), offset: 2 });
    expect(first.total).toBe(3);
    const last = await backfillPage(list, first.next ?? startBackfill(''), 2);
    expect(last.items.map((s) => s.id)).toEqual(['C']);
    expect(last.next).toBeNull();
    expect(asked[1]).toMatchObject({ offset: 2 });
  });

  it('newest first (range refused) stops at the first one older than the horizon', async () => {
    const { list } = scripted((query) => (query.q ? refused() : { count: 10, data: [stx('C', 30, 30), stx('B', 20, 20), stx('A', -5, -5)] }));
    const page = await backfillPage(list, startBackfill(at(0)), 3);
    expect(page.cursor.form).toBe('created-desc');
    expect(page.items.map((s) => s.id)).toEqual(['C', 'B']);
    expect(page.next).toBeNull();
  });
});

describe('lookup by merchantRef', () => {
  it('finds only the exact merchantRef among wildcard-like matches', async () => {
    const { list } = scripted(() => ({ count: 2, data: [stx('A', 0, 0, 'LD-10'), stx('B', 0, 0, 'LD-1')] }));
    const result = await lookupByMerchantRef(list, 'LD-1');
    expect(result).toMatchObject({ form: 'merchantRef-quoted', refused: [], requests: 1 });
    expect(result.found?.id).toBe('B');
  });

  it('falls back to plain, then to the newest transactions when the field cannot be queried', async () => {
    const { list, asked } = scripted((query) => (query.q ? refused() : { count: 3, data: [stx('X', 9, 9, null), stx('Y', 8, 8, 'LD-7')] }));
    const result = await lookupByMerchantRef(list, 'LD-7');
    expect(result.found?.id).toBe('Y');
    expect(result.form).toBe('recent-desc');
    expect(result.refused).toEqual(['merchantRef-quoted', 'merchantRef-plain']);
    expect(asked.map((q) => q.q ?? q.sort)).toEqual(['merchantRef:"LD-7"', 'merchantRef:LD-7', 'created:desc']);

    // A merchantRef that is not one plain token is never sent unquoted, and costs no request.
    const spaced = scripted((query) => (query.q ? refused() : { count: 0, data: [] }));
    const none = await lookupByMerchantRef(spaced.list, 'Order 7');
    expect(none.found).toBeNull();
    expect(none.requests).toBe(2);
  });
});
