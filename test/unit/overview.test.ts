import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openLinkRepository, type LinkRepository } from '../../src/main/history';
import { OverviewQuerySchema } from '../../src/shared/overview';
import { makeLinkRecord } from '../fixtures/history-records';
import type { LinkRecord } from '../../src/shared/link';

const dirs: string[] = [];
const open: LinkRepository[] = [];
afterEach(async () => {
  for (const repository of open.splice(0)) await repository.close().catch(() => undefined);
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** A repository whose clock the test sets. A link recorded as paid takes its last change as the payment time. */
async function openWithClock(): Promise<{ history: LinkRepository; setNow: (date: Date) => void }> {
  const dir = await mkdtemp(join(tmpdir(), 'overview-'));
  dirs.push(dir);
  let now = new Date();
  const history = openLinkRepository({ deskId: 'de5c0001', dir, now: () => now });
  open.push(history);
  return { history, setNow: (date) => (now = date) };
}

/** Local time on 10 March 2026 (the overview's days are local days). */
const at = (hour: number, minute = 0, day = 10) => new Date(2026, 2, day, hour, minute);
const ref = (n: number) => `LD-de5c0001-${String(n).padStart(22, 'x')}`;

function link(n: number, created: Date, extra: Partial<LinkRecord>): LinkRecord {
  return makeLinkRecord({ merchantRef: ref(n), id: `STX_${n}`, createdAt: created.toISOString(), updatedAt: created.toISOString(), ...extra });
}

async function seedDay(history: LinkRepository, setNow: (date: Date) => void): Promise<void> {
  const paid = async (n: number, created: Date, seenPaid: Date, extra: Partial<LinkRecord>) => {
    setNow(seenPaid);
    await history.insert(link(n, created, { status: 'ok', transactionId: `PCI_${n}`, updatedAt: seenPaid.toISOString(), ...extra }));
  };
  await paid(1, at(9), at(9, 4), { amountCents: 1000, paidWith: 'creditcard' });
  await paid(2, at(10), at(10, 10), { amountCents: 2000, paidWith: 'paypal' });
  await paid(3, at(11), at(13), { amountCents: 500, paidWith: 'creditcard' });
  await history.insert(link(4, at(12), { amountCents: 700, status: 'created' }));
  await history.insert(link(5, at(12, 30), { amountCents: 300, status: 'failed' }));
  await history.insert(link(6, at(14), { amountCents: 400, status: 'cancelled' }));
  await history.insert(link(7, at(15), { amountCents: 900, state: 'create_failed', status: null, id: null }));
  // Another desk on the account, another currency; and a payment the day before.
  await paid(8, at(16), at(16, 1), { merchantRef: 'LD-0ther001-yyyyyyyyyyyyyyyyyyyyyy', amountCents: 5000, currency: 'CHF', paidWith: 'debit', deskName: 'Kasse 2' });
  await paid(9, at(9, 0, 9), at(9, 30, 9), { amountCents: 10_000, paidWith: 'invoice' });
  await history.update(ref(3), () => ({ refund: { at: at(17).toISOString(), amountCents: 200, refundTransactionIds: ['PCI_R3'] } }));
}

describe('overview: figures added up in SQL', () => {
  it('counts and sums one day per currency: created, paid, waiting, failed, cancelled, refunds, share, median, methods, desks', async () => {
    const { history, setNow } = await openWithClock();
    await seedDay(history, setNow);
    const overview = history.overview({ from: '2026-03-10', to: '2026-03-10' });

    expect(overview.currencies.map((c) => c.currency)).toEqual(['EUR', 'CHF']);
    const eur = overview.currencies[0];
    expect(eur).toMatchObject({
      created: { count: 7, cents: 5800 },
      paid: { count: 3, cents: 3500 },
      waiting: { count: 1, cents: 700 },
      failed: { count: 1, cents: 300 },
      cancelled: { count: 1, cents: 400 },
      refundedCents: 200,
      // 3 paid of 6 real links: the failed creation never was a link.
      sharePaid: 0.5,
      // 4, 10 and 120 minutes: the middle one.
      medianPaidAfterMs: 10 * 60_000,
    });
    expect(eur?.byMethod).toEqual([
      { method: 'paypal', count: 1, cents: 2000 },
      { method: 'creditcard', count: 2, cents: 1500 },
    ]);
    expect(eur?.byDesk).toEqual([{ origin: 'this-desk', deskName: null, count: 3, cents: 3500 }]);
    expect(overview.currencies[1]).toMatchObject({
      paid: { count: 1, cents: 5000 },
      byDesk: [{ origin: 'other-desk', deskName: 'Kasse 2', count: 1, cents: 5000 }],
      medianPaidAfterMs: 60_000,
    });
    // Payments by the hour the desk saw them paid.
    expect(overview.hours?.filter((h) => h.currency === 'EUR').map((h) => [h.hour, h.cents])).toEqual([[9, 1000], [10, 2000], [13, 500]]);
  });

  it('gives the bars for the 30 days up to a short range, and the range itself when it is long', async () => {
    const { history, setNow } = await openWithClock();
    await seedDay(history, setNow);
    const day = history.overview({ from: '2026-03-10', to: '2026-03-10' });
    expect(day.days.from).toBe('2026-02-09');
    expect(day.days.items.filter((d) => d.currency === 'EUR')).toEqual([
      { day: '2026-03-09', currency: 'EUR', count: 1, cents: 10_000 },
      { day: '2026-03-10', currency: 'EUR', count: 3, cents: 3500 },
    ]);
    const month = history.overview({ from: '2026-03-01', to: '2026-03-31' });
    expect(month.days.from).toBe('2026-03-01');
    expect(month.hours).toBeNull();
    expect(month.currencies[0]).toMatchObject({ currency: 'EUR', paid: { count: 4, cents: 13_500 } });
    // The median of four: between 10 and 30 minutes.
    expect(month.currencies[0]?.medianPaidAfterMs).toBe(20 * 60_000);
  });

  it('adds up the VAT and the best-selling items of paid baskets; unpaid baskets and links without items stay out', async () => {
    const { history, setNow } = await openWithClock();
    const coffee = { name: 'Kaffee', unitPriceCents: 280, vatRate: 19 };
    const pretzel = { name: 'Brezel', unitPriceCents: 120, vatRate: 7 };
    setNow(at(9, 5));
    await history.insert(link(1, at(9), { status: 'ok', amountCents: 800, basket: [{ ...coffee, quantity: 2 }, { ...pretzel, quantity: 2 }] }));
    await history.insert(link(2, at(10), { status: 'ok', amountCents: 1120, basket: [{ ...coffee, quantity: 4 }] }));
    await history.insert(link(3, at(11), { status: 'ok', amountCents: 1000 }));
    // Waiting: its items are not sold yet.
    await history.insert(link(4, at(12), { status: 'created', amountCents: 280, basket: [{ ...coffee, quantity: 1 }] }));
    // A basket added later (the account's copy) is counted as well.
    await history.insert(link(5, at(13), { status: 'ok', amountCents: 360 }));
    await history.update(ref(5), () => ({ set: { basket: [{ ...pretzel, quantity: 3 }] } }));

    const eur = history.overview({ from: '2026-03-10', to: '2026-03-10' }).currencies[0];
    expect(eur?.topItems).toEqual([
      { name: 'Kaffee', quantity: 6, cents: 1680 },
      { name: 'Brezel', quantity: 5, cents: 600 },
    ]);
    // 16,80 € gross at 19 %: 2,68 € VAT; 6,00 € at 7 %: 0,39 €.
    expect(eur?.vat).toEqual([
      { rate: 19, grossCents: 1680, netCents: 1412, vatCents: 268 },
      { rate: 7, grossCents: 600, netCents: 561, vatCents: 39 },
    ]);
    expect(eur?.withoutItemsCents).toBe(1000);
  });

  it('leaves out links created outside the range, and answers an empty range with no currencies', async () => {
    const { history, setNow } = await openWithClock();
    await seedDay(history, setNow);
    expect(history.overview({ from: '2026-03-11', to: '2026-03-20' }).currencies).toEqual([]);
    expect(history.overview({ from: '2026-03-09', to: '2026-03-09' }).currencies[0]?.created.count).toBe(1);
  });

  it('refuses a range that ends before it starts, and anything but two days', () => {
    expect(OverviewQuerySchema.safeParse({ from: '2026-03-10', to: '2026-03-09' }).success).toBe(false);
    expect(OverviewQuerySchema.safeParse({ from: '2026-03-10', to: '2026-03-10', extra: 1 }).success).toBe(false);
    expect(OverviewQuerySchema.safeParse({ from: '2026-02-30', to: '2026-03-10' }).success).toBe(false);
  });
});
