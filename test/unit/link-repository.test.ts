import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openLinkRepository, type LinkRepository } from '../../src/main/history';
import { makeLinkRecord } from '../fixtures/history-records';
import type { LinkRecord } from '../../src/shared/link';

const dirs: string[] = [];
const open: LinkRepository[] = [];
afterEach(async () => {
  for (const repository of open.splice(0)) await repository.close().catch(() => undefined);
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function freshDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'link-repo-'));
  dirs.push(dir);
  return dir;
}

async function openIn(dir: string): Promise<LinkRepository> {
  const repository = openLinkRepository({ deskId: 'de5c0001', dir });
  open.push(repository);
  return repository;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function paidLink(merchantRef: string, amountCents: number, extra: Partial<LinkRecord> = {}): LinkRecord {
  return makeLinkRecord({ merchantRef, amountCents, status: 'ok', id: `STX_${merchantRef}`, transactionId: `PCI_${merchantRef}`, paidWith: 'creditcard', ...extra });
}

describe('link repository: the one write path', () => {
  it('inserts, finds by merchantRef and STX id, and refuses a second insert of the same link', async () => {
    const history = await openIn(await freshDir());
    await history.insert(paidLink('LD-a', 1750));
    expect(history.get('LD-a')).toMatchObject({ amountCents: 1750, status: 'ok', refunds: [], refundedCents: 0, shipped: null });
    expect(history.getById('STX_LD-a')?.merchantRef).toBe('LD-a');
    await expect(history.insert(paidLink('LD-a', 1))).rejects.toThrow(/already/);
    expect(history.get('LD-a')?.amountCents).toBe(1750);
  });

  it('applies a change to the link as it is when the change runs, not to a copy read before', async () => {
    const history = await openIn(await freshDir());
    await history.insert(makeLinkRecord({ merchantRef: 'LD-b', status: 'created' }));
    // A slow action (say, cancel waiting for the API) and the watcher writing a status meanwhile.
    const slow = history.update('LD-b', async () => {
      await pause(30);
      return { set: { reference: 'Changed by the slow action' } };
    });
    const watcher = history.update('LD-b', (current) => ({ set: { status: 'ok', lastCheckedAt: current.updatedAt } }));
    await Promise.all([slow, watcher]);
    expect(history.get('LD-b')).toMatchObject({ reference: 'Changed by the slow action', status: 'ok' });
  });

  it('lets exactly as many of 15 concurrent refunds through as the amount allows, and derives the total from the rows', async () => {
    const history = await openIn(await freshDir());
    await history.insert(paidLink('LD-c', 1000));
    let apiCalls = 0;
    const refund = () =>
      history.update('LD-c', async (current) => {
        if (current.amountCents - current.refundedCents < 100) throw new Error('nothing left');
        apiCalls++;
        await pause(Math.random() * 5); // the API answers at its own pace
        return { refund: { at: new Date().toISOString(), amountCents: 100, refundTransactionIds: [`PCI_R${apiCalls}`] } };
      });
    const results = await Promise.allSettled(Array.from({ length: 15 }, refund));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
    expect(apiCalls).toBe(10);
    const link = history.get('LD-c')!;
    expect(link.refundedCents).toBe(1000);
    expect(link.refunds).toHaveLength(10);
    expect(link.refunds.map((r) => r.refundTransactionIds[0])).toContain('PCI_R10');
  });

  it('never stores refunds above the amount, even when a caller forgets to check', async () => {
    const history = await openIn(await freshDir());
    await history.insert(paidLink('LD-d', 500));
    await history.update('LD-d', () => ({ refund: { at: new Date().toISOString(), amountCents: 400, refundTransactionIds: [] } }));
    await expect(history.update('LD-d', () => ({ refund: { at: new Date().toISOString(), amountCents: 200, refundTransactionIds: [] } }))).rejects.toThrow(/more than was paid/);
    expect(history.get('LD-d')).toMatchObject({ refundedCents: 400, refunds: [{ amountCents: 400 }] });
  });

  it('keeps both a shipment and a cancel-style status change racing for one link', async () => {
    const history = await openIn(await freshDir());
    await history.insert(paidLink('LD-e', 900, { paidWith: 'invoice', paymentMethod: 'invoice' }));
    expect(history.query({ statuses: ['needs_shipping'] }).total).toBe(1);
    await Promise.all([
      history.update('LD-e', async () => {
        await pause(10);
        return { shipment: { at: '2026-12-01T10:00:00.000Z', carrier: 'DHL', trackingId: '00340434' } };
      }),
      history.update('LD-e', () => ({ set: { lastCheckedAt: '2026-12-01T10:00:01.000Z' } })),
    ]);
    expect(history.get('LD-e')).toMatchObject({ shipped: { carrier: 'DHL', trackingId: '00340434' }, lastCheckedAt: '2026-12-01T10:00:01.000Z' });
    expect(history.query({ statuses: ['needs_shipping'] }).total).toBe(0);
  });

  it('changes nothing when the change throws or returns null', async () => {
    const history = await openIn(await freshDir());
    const inserted = await history.insert(paidLink('LD-f', 300));
    await expect(history.update('LD-f', () => Promise.reject(new Error('API down')))).rejects.toThrow('API down');
    expect(await history.update('LD-f', () => null)).toEqual(inserted);
    await expect(history.update('LD-missing', () => null)).rejects.toMatchObject({ code: 'link.not_found' });
  });
});

describe('link repository: search', () => {
  async function searchable() {
    const history = await openIn(await freshDir());
    await history.insert(makeLinkRecord({
      merchantRef: 'LD-mb3x9k-4711-z',
      reference: 'RE-2024-00817',
      amountCents: 1750,
      id: 'STX_8Q2KW9XM4P1Z8R3T6V5N',
      transactionId: 'PCI_7HG3KL2',
      customer: { forename: 'Jürgen', surname: 'Müller', email: 'j.mueller@example.de', companyname: 'Bäckerei Süß' },
    }));
    await history.insert(makeLinkRecord({ merchantRef: 'LD-other-1', reference: 'Counter', amountCents: 990, customer: { surname: 'Schmidt' } }));
    return history;
  }
  const refsFor = (history: LinkRepository, search: string) => history.query({ search }).items.map((item) => item.merchantRef);

  it('finds Jürgen Müller as "Müller", "Mueller" and "Muller", and by a part of the e-mail', async () => {
    const history = await searchable();
    for (const search of ['Müller', 'Mueller', 'Muller', 'müller', 'jürgen müller', 'Juergen', 'baeckerei', 'Süss', 'j.mueller@example', 'j.mueller', 'Baeckerei Süß']) {
      expect(refsFor(history, search), search).toEqual(['LD-mb3x9k-4711-z']);
    }
  });

  it('finds an amount typed either way, a reference prefix, the STX and PCI ids', async () => {
    const history = await searchable();
    for (const search of ['17,50', '17.50', '17.5', 'RE-2024', 'RE-2024-008', 'STX_8Q2KW9', 'PCI_7HG3KL2']) {
      expect(refsFor(history, search), search).toEqual(['LD-mb3x9k-4711-z']);
    }
    expect(refsFor(history, '9,90')).toEqual(['LD-other-1']);
  });

  it('does not search the internal merchantRef, and finds nothing for unknown words', async () => {
    const history = await searchable();
    expect(refsFor(history, '4711')).toEqual([]);
    expect(refsFor(history, 'mb3x9k')).toEqual([]);
    expect(refsFor(history, 'Müller Schmidt')).toEqual([]);
    expect(refsFor(history, '" -')).toEqual([]);
  });

  it('counts a search with very many matches exactly, and leaves its sums out', async () => {
    const history = await openIn(await freshDir());
    const many = Array.from({ length: 5_001 }, (_, i) =>
      makeLinkRecord({ merchantRef: `LD-m${i}`, createdAt: new Date(new Date(2026, 0, 1).getTime() + i * 60_000).toISOString(), customer: { surname: 'Müller' } }));
    expect(await history.insertMany(many)).toHaveLength(5_001);
    expect(await history.insertMany(many.slice(0, 10))).toEqual([]);
    const page = history.query({ search: 'mueller', limit: 3 });
    expect(page.total).toBe(5_001);
    expect(page.totals).toBeUndefined();
    // Newest first, straight from the search index.
    expect(page.items.map((item) => item.merchantRef)).toEqual(['LD-m5000', 'LD-m4999', 'LD-m4998']);
    expect(history.query({ search: 'mueller', from: '2026-01-01', to: '2026-01-01', limit: 1 })).toMatchObject({ total: 1440, totals: [{ count: 1440 }] });
  });

  it('finds every link whose word starts with what was typed, whether that stands for a few words or many', async () => {
    const history = await openIn(await freshDir());
    await history.insertMany(Array.from({ length: 20 }, (_, i) => makeLinkRecord({ merchantRef: `LD-o${i + 1}`, reference: `Order-${i + 1}` })));
    await history.insert(makeLinkRecord({ merchantRef: 'LD-k', reference: 'Küchenzeile' }));
    expect(history.query({ search: 'Order' }).total).toBe(20); // order1 … order20: more words than are looked up one by one
    expect(history.query({ search: 'Order-1' }).total).toBe(11); // order1, order10 … order19
    for (const typed of ['Kue', 'Kü', 'ku', 'Küchenz']) expect(refsFor(history, typed), typed).toEqual(['LD-k']);
  });

  it('finds a changed link by its new text only', async () => {
    const history = await searchable();
    await history.update('LD-other-1', () => ({ set: { reference: 'Renamed order' } }));
    expect(refsFor(history, 'Counter')).toEqual([]);
    expect(refsFor(history, 'renamed')).toEqual(['LD-other-1']);
  });
});

describe('link repository: filters, sort, paging, totals', () => {
  async function filled() {
    const history = await openIn(await freshDir());
    const day = (d: number, h = 12) => new Date(2026, 10, d, h).toISOString();
    await history.insert(makeLinkRecord({ merchantRef: 'a', amountCents: 500, status: 'ok', createdAt: day(3), updatedAt: day(3), paidWith: 'paypal' }));
    await history.insert(makeLinkRecord({ merchantRef: 'b', amountCents: 2000, status: 'created', createdAt: day(4), updatedAt: day(4) }));
    await history.insert(makeLinkRecord({ merchantRef: 'c', amountCents: 1200, status: 'ok', createdAt: day(5, 0), updatedAt: day(5, 0), currency: 'CHF' }));
    await history.insert(makeLinkRecord({ merchantRef: 'd', amountCents: 800, status: 'cancelled', createdAt: day(5, 23), updatedAt: day(5, 23) }));
    await history.insert(makeLinkRecord({ merchantRef: 'e', amountCents: 300, state: 'creating', status: null, createdAt: day(6), updatedAt: day(6) }));
    await history.update('a', () => ({ refund: { at: day(7), amountCents: 200, refundTransactionIds: [] } }));
    return history;
  }
  const refs = (items: LinkRecord[]) => items.map((item) => item.merchantRef);

  it('filters by API status and pseudo status, and by local creation day with both ends included', async () => {
    const history = await filled();
    expect(refs(history.query({ statuses: ['ok'] }).items)).toEqual(['c', 'a']);
    expect(refs(history.query({ statuses: ['creating', 'cancelled'] }).items)).toEqual(['e', 'd']);
    expect(refs(history.query({ from: '2026-11-05', to: '2026-11-05' }).items)).toEqual(['d', 'c']);
    expect(refs(history.query({ from: '2026-11-04' }).items)).toEqual(['e', 'd', 'c', 'b']);
  });

  it('sorts by amount, status and reference in both directions, and pages', async () => {
    const history = await filled();
    expect(refs(history.query({ sort: { field: 'amountCents', direction: 'asc' } }).items)).toEqual(['e', 'a', 'd', 'c', 'b']);
    expect(refs(history.query({ sort: { field: 'amountCents', direction: 'desc' }, offset: 1, limit: 2 }).items)).toEqual(['c', 'd']);
    expect(refs(history.query({ sort: { field: 'status', direction: 'asc' } }).items)[0]).toBe('e');
  });

  it('sums per currency over the whole filtered set, not the page, with refunds from their rows', async () => {
    const history = await filled();
    const all = history.query({ limit: 1 });
    expect(all.total).toBe(5);
    expect(all.totals).toEqual([
      { currency: 'CHF', count: 1, amountCents: 1200, paidCents: 1200, refundedCents: 0 },
      { currency: 'EUR', count: 4, amountCents: 3600, paidCents: 500, refundedCents: 200 },
    ]);
    // The same figures whether they come from the per-day table or from the rows (a search).
    const byStatus = history.query({ statuses: ['ok'], from: '2026-11-01', to: '2026-11-30' });
    const bySearch = history.query({ statuses: ['ok'], search: 'STX', from: '2026-11-01' });
    expect(byStatus.totals?.find((t) => t.currency === 'EUR')).toEqual({ currency: 'EUR', count: 1, amountCents: 500, paidCents: 500, refundedCents: 200 });
    expect(bySearch.total).toBe(0);
    // After a status change the totals follow.
    await history.update('b', () => ({ set: { status: 'ok' } }));
    expect(history.query({ statuses: ['ok'] }).totals?.find((t) => t.currency === 'EUR')?.paidCents).toBe(2500);
  });

  it('lists waiting, unfinished and expired links from their columns', async () => {
    const history = await filled();
    expect(history.countWaiting()).toBe(1);
    expect(refs(history.unfinishedCreates())).toEqual(['e']);
    const now = new Date(2026, 10, 20);
    expect(refs(history.expired(14, now))).toEqual(['b']);
    expect(history.countExpired(14, now)).toBe(1);
    expect(history.countExpired(0, now)).toBe(0);
  });

  it('sees every change after reopening, and refuses changes once closed', async () => {
    const dir = await freshDir();
    const history = await openIn(dir);
    await history.insert(paidLink('LD-r', 4200));
    await history.update('LD-r', () => ({ refund: { at: new Date().toISOString(), amountCents: 200, reason: 'Broken cup', refundTransactionIds: ['PCI_X'] } }));
    await history.close();
    await expect(history.update('LD-r', () => null)).rejects.toMatchObject({ code: 'history.io' });
    const reopened = await openIn(dir);
    expect(reopened.get('LD-r')).toMatchObject({ refundedCents: 200, refunds: [{ amountCents: 200, reason: 'Broken cup', refundTransactionIds: ['PCI_X'] }] });
    expect(reopened.recovery).toBeNull();
    expect((await readdir(dir)).sort()).toEqual(expect.arrayContaining(['links.sqlite']));
  });
});
