import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openHistoryStore } from '../../src/main/history';
import type { HistoryStore } from '../../src/main/history';
import type { HistoryQueryInput } from '../../src/shared/history-query';
import type { LinkRecord } from '../../src/shared/link';
import { makeLinkRecord } from '../fixtures/history-records';

let dir = '';
let store: HistoryStore;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'history-unit-'));
  store = await openHistoryStore({ dir });
});
afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

/** Local-time instant, so day filters behave the same in every time zone the tests run in. */
const local = (y: number, m: number, d: number, h = 12, min = 0) => new Date(y, m - 1, d, h, min).toISOString();

const refsOf = (q: HistoryQueryInput) => store.query(q).items.map((r) => r.merchantRef);

async function putAll(records: LinkRecord[]): Promise<void> {
  await Promise.all(records.map((r) => store.put(r)));
}

describe('history store: put and get', () => {
  it('inserts, replaces by merchantRef and finds by STX id', async () => {
    await store.put(makeLinkRecord({ merchantRef: 'A', state: 'creating', status: null }));
    expect(store.get('A')?.state).toBe('creating');
    expect(store.unfinishedCreates().map((r) => r.merchantRef)).toEqual(['A']);

    await store.put(makeLinkRecord({ merchantRef: 'A', id: 'STX_1', status: 'created' }));
    expect(store.get('A')?.id).toBe('STX_1');
    expect(store.getById('STX_1')?.merchantRef).toBe('A');
    expect(store.unfinishedCreates()).toEqual([]);
    expect(store.all()).toHaveLength(1);
    expect(store.get('B')).toBeUndefined();
    expect(store.getById('STX_2')).toBeUndefined();
  });

  it('applies concurrent puts of one link in the order they were made', async () => {
    await Promise.all([1, 2, 3, 4, 5].map((n) => store.put(makeLinkRecord({ merchantRef: 'A', amountCents: n }))));
    expect(store.get('A')?.amountCents).toBe(5);
    await store.close();
    store = await openHistoryStore({ dir });
    expect(store.get('A')?.amountCents).toBe(5);
  });

  it('stores what the schema makes of a record (trimmed text)', async () => {
    await store.put(makeLinkRecord({ merchantRef: 'A', customer: { forename: '  Max ' } }));
    expect(store.get('A')?.customer).toEqual({ forename: 'Max' });
  });

  it('rejects a record that is not valid and leaves the history as it was', async () => {
    const broken = { ...makeLinkRecord({ merchantRef: 'A' }), amountCents: 12.5 };
    await expect(store.put(broken)).rejects.toMatchObject({ code: 'internal', message: expect.stringContaining('amountCents') });
    expect(store.get('A')).toBeUndefined();
  });

  it('sees every write after reopening, and refuses writes once closed', async () => {
    await putAll(Array.from({ length: 30 }, (_, i) => makeLinkRecord({ merchantRef: `r${i}`, amountCents: i + 1 })));
    await store.put(makeLinkRecord({ merchantRef: 'r7', status: 'ok', amountCents: 8 }));
    await store.close();
    await expect(store.put(makeLinkRecord({ merchantRef: 'late' }))).rejects.toMatchObject({ code: 'history.io' });
    store = await openHistoryStore({ dir });
    expect(store.recovery).toBeNull();
    expect(store.all()).toHaveLength(30);
    expect(store.get('r7')?.status).toBe('ok');
    expect(store.get('late')).toBeUndefined();
  });
});

describe('history store: compaction', () => {
  it('keeps everything, including writes made while it runs, and leaves one journal', async () => {
    await putAll(Array.from({ length: 200 }, (_, i) => makeLinkRecord({ merchantRef: `r${i}`, amountCents: i + 1 })));
    const compaction = store.compact();
    const during = Promise.all([store.put(makeLinkRecord({ merchantRef: 'r1', status: 'ok' })), store.put(makeLinkRecord({ merchantRef: 'new' }))]);
    await Promise.all([compaction, during]);
    await store.close();

    const files = (await readdir(dir)).sort();
    expect(files.filter((f) => f.startsWith('history.journal-'))).toHaveLength(1);
    expect(files).toContain('history.snapshot.jsonl');
    store = await openHistoryStore({ dir });
    expect(store.recovery).toBeNull();
    expect(store.all()).toHaveLength(201);
    expect(store.get('r1')?.status).toBe('ok');
    expect(store.get('r199')?.amountCents).toBe(200);
  });

  it('starts by itself once the journal outgrows the threshold', async () => {
    await store.close();
    store = await openHistoryStore({ dir, compactAfterLines: () => 10 });
    for (let i = 0; i < 25; i++) await store.put(makeLinkRecord({ merchantRef: `r${i % 5}`, amountCents: i + 1 }));
    await store.close();
    expect(await readdir(dir)).toContain('history.snapshot.jsonl');
    store = await openHistoryStore({ dir });
    expect(store.all().map((r) => r.amountCents).sort((a, b) => a - b)).toEqual([21, 22, 23, 24, 25]);
  });
});

describe('history store: search', () => {
  beforeEach(async () => {
    await putAll([
      makeLinkRecord({
        merchantRef: 'LD-0001',
        id: 'STX_AAA111',
        transactionId: 'PCI_ZZZ999',
        reference: 'Invoice 2024-118',
        amountCents: 1750,
        customer: { forename: 'Jürgen', surname: 'Müller', companyname: 'Bäckerei Süß GmbH', email: 'j.mueller@example.de' },
      }),
      makeLinkRecord({ merchantRef: 'LD-0002', reference: 'Table 4', amountCents: 123456, customer: { forename: 'Anna', surname: 'Smith' } }),
      makeLinkRecord({ merchantRef: 'LD-0003', reference: 'Repair bike', amountCents: 1700 }),
    ]);
  });

  it.each([
    ['reference', 'invoice 2024', 'LD-0001'],
    ['first name', 'JÜRGEN', 'LD-0001'],
    ['surname without umlaut', 'muller', 'LD-0001'],
    ['company', 'bäckerei', 'LD-0001'],
    ['company with ss for ß', 'suss', 'LD-0001'],
    ['e-mail', 'j.mueller@', 'LD-0001'],
    ['merchantRef', 'ld-0002', 'LD-0002'],
    ['STX id', 'stx_aaa', 'LD-0001'],
    ['payment id', 'PCI_ZZZ999', 'LD-0001'],
    ['full name', 'anna smith', 'LD-0002'],
    ['amount typed the German way', '17,50', 'LD-0001'],
    ['amount typed the English way', '17.50', 'LD-0001'],
    ['amount with one decimal', '17.5', 'LD-0001'],
    ['amount with one decimal, German', '17,5', 'LD-0001'],
    ['amount with thousands, German', '1.234,56', 'LD-0002'],
    ['amount with thousands, English', '1,234.56', 'LD-0002'],
    ['amount with a space for thousands', '1 234,56', 'LD-0002'],
    ['whole amount', '17', 'LD-0003'],
  ])('finds a link by %s (%s)', (_what, search, expected) => {
    expect(refsOf({ search })).toEqual([expected]);
  });

  it('requires every word to match and finds nothing for an unknown text', () => {
    expect(refsOf({ search: 'anna müller' })).toEqual([]);
    expect(refsOf({ search: 'nobody' })).toEqual([]);
    expect(store.query({ search: 'ld-000' }).total).toBe(3);
    expect(store.query({ search: '   ' }).total).toBe(3);
  });

  it('finds a changed link by its new data only', async () => {
    await store.put(makeLinkRecord({ merchantRef: 'LD-0003', reference: 'Repair car', amountCents: 900 }));
    expect(refsOf({ search: 'bike' })).toEqual([]);
    expect(refsOf({ search: 'car' })).toEqual(['LD-0003']);
    expect(refsOf({ search: '17' })).toEqual([]);
    expect(refsOf({ search: '9,00' })).toEqual(['LD-0003']);
  });
});

describe('history store: filters, sort and paging', () => {
  beforeEach(async () => {
    await putAll([
      makeLinkRecord({ merchantRef: 'creating', state: 'creating', status: null, createdAt: local(2024, 3, 1, 0, 0), amountCents: 500, reference: 'b' }),
      makeLinkRecord({ merchantRef: 'failed-create', state: 'create_failed', status: null, createdAt: local(2024, 3, 1, 23, 59), amountCents: 100, reference: 'A' }),
      makeLinkRecord({ merchantRef: 'waiting', status: 'created', createdAt: local(2024, 3, 2), amountCents: 300, reference: 'c', updatedAt: local(2024, 6, 1) }),
      makeLinkRecord({ merchantRef: 'paid-card', status: 'ok', paidWith: 'creditcard', createdAt: local(2024, 3, 3), amountCents: 200, reference: 'Äb', currency: 'CHF' }),
      makeLinkRecord({ merchantRef: 'paid-invoice', status: 'ok', paidWith: 'invoice', createdAt: local(2024, 3, 4), amountCents: 400, reference: 'd', refundedCents: 50 }),
      makeLinkRecord({
        merchantRef: 'shipped-invoice',
        status: 'ok',
        paidWith: 'invoice',
        shipped: { at: local(2024, 3, 6) },
        createdAt: local(2024, 3, 5),
        amountCents: 600,
        reference: 'e',
      }),
    ]);
  });

  it('filters by API statuses and by the pseudo statuses', () => {
    expect(refsOf({ statuses: ['ok'] }).sort()).toEqual(['paid-card', 'paid-invoice', 'shipped-invoice']);
    expect(refsOf({ statuses: ['creating', 'create_failed'] }).sort()).toEqual(['creating', 'failed-create']);
    expect(refsOf({ statuses: ['needs_shipping'] })).toEqual(['paid-invoice']);
    expect(refsOf({ statuses: ['created', 'needs_shipping'] }).sort()).toEqual(['paid-invoice', 'waiting']);
    expect(store.query({ statuses: [] }).total).toBe(6);
  });

  it('filters by creation day, both ends included, in local time', () => {
    expect(refsOf({ from: '2024-03-01', to: '2024-03-01' }).sort()).toEqual(['creating', 'failed-create']);
    expect(refsOf({ from: '2024-03-04' }).sort()).toEqual(['paid-invoice', 'shipped-invoice']);
    expect(refsOf({ to: '2024-03-02' }).sort()).toEqual(['creating', 'failed-create', 'waiting']);
    expect(store.query({ from: '2024-04-01' }).total).toBe(0);
  });

  it('rejects an invalid query with every failing field named', () => {
    expect(() => store.query({ from: '2024-02-30', limit: 0 })).toThrow(expect.objectContaining({ code: 'ipc.invalid_input', message: expect.stringMatching(/from.*limit|limit.*from/) }));
    expect(() => store.query({ from: '2024-03-05', to: '2024-03-01' })).toThrow(expect.objectContaining({ code: 'ipc.invalid_input' }));
  });

  it.each<[HistoryQueryInput['sort'], string[]]>([
    [undefined, ['shipped-invoice', 'paid-invoice', 'paid-card', 'waiting', 'failed-create', 'creating']],
    [{ field: 'createdAt', direction: 'asc' }, ['creating', 'failed-create', 'waiting', 'paid-card', 'paid-invoice', 'shipped-invoice']],
    [{ field: 'amountCents', direction: 'desc' }, ['shipped-invoice', 'creating', 'paid-invoice', 'waiting', 'paid-card', 'failed-create']],
    [{ field: 'reference', direction: 'asc' }, ['failed-create', 'paid-card', 'creating', 'waiting', 'paid-invoice', 'shipped-invoice']],
    // Same status: newest first.
    [{ field: 'status', direction: 'asc' }, ['creating', 'failed-create', 'waiting', 'shipped-invoice', 'paid-invoice', 'paid-card']],
    [{ field: 'updatedAt', direction: 'desc' }, ['waiting', 'shipped-invoice', 'paid-invoice', 'paid-card', 'failed-create', 'creating']],
  ])('sorts by %j', (sort, expected) => {
    // updatedAt is the same for all but "waiting": the tie goes to the newest created.
    expect(refsOf({ sort })).toEqual(expected);
  });

  it('pages through the filtered set and reports its size and totals', () => {
    const first = store.query({ statuses: ['ok', 'created'], limit: 2, offset: 0 });
    const second = store.query({ statuses: ['ok', 'created'], limit: 2, offset: 2 });
    const beyond = store.query({ statuses: ['ok', 'created'], limit: 2, offset: 4 });
    expect(first.total).toBe(4);
    expect([...first.items, ...second.items].map((r) => r.merchantRef)).toEqual(['shipped-invoice', 'paid-invoice', 'paid-card', 'waiting']);
    expect(beyond.items).toEqual([]);
    expect(first.totals).toEqual([
      { currency: 'EUR', count: 3, amountCents: 1300, paidCents: 1000, refundedCents: 50 },
      { currency: 'CHF', count: 1, amountCents: 200, paidCents: 200, refundedCents: 0 },
    ]);
  });
});

describe('history store: paging a large history', () => {
  it('returns the same pages as a full sort would', async () => {
    const records = Array.from({ length: 3000 }, (_, i) =>
      makeLinkRecord({ merchantRef: `r${String(i).padStart(4, '0')}`, amountCents: ((i * 7919) % 997) + 1, createdAt: new Date(Date.UTC(2024, 0, 1) + ((i * 104729) % 3000) * 60_000).toISOString() }),
    );
    await putAll(records);
    const expected = [...records].sort((a, b) => b.amountCents - a.amountCents || b.createdAt.localeCompare(a.createdAt) || a.merchantRef.localeCompare(b.merchantRef));
    for (const [offset, limit] of [[0, 50], [100, 50], [0, 500], [2950, 100], [1200, 300]] as const) {
      const page = store.query({ sort: { field: 'amountCents', direction: 'desc' }, offset, limit });
      expect(page.items.map((r) => r.merchantRef)).toEqual(expected.slice(offset, offset + limit).map((r) => r.merchantRef));
      expect(page.total).toBe(3000);
    }
  });
});
