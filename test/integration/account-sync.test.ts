import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator';
import { createRequestBudget } from '../../src/main/watcher/request-budget';
import type { LinkRecord } from '../../src/shared/link';
import { baseInput, createLink, startCore, stopCores } from './core-harness';

let simulator: RunningSimulator | null = null;
afterEach(async () => {
  await stopCores();
  await simulator?.stop();
  simulator = null;
});

/** A budget that never gets in the way: these tests are about what the sync does, not how often. */
const roomy = () => createRequestBudget({ perSecond: 1_000, burst: 1_000 });

async function twoDesks() {
  simulator = await startSimulator({ testControl: true });
  const a = await startCore(undefined, { simulator, budget: roomy() });
  const b = await startCore(undefined, { simulator, budget: roomy() });
  return { a, b, simulator };
}

const byReference = (core: Awaited<ReturnType<typeof startCore>>['core'], reference: string): LinkRecord | undefined =>
  core.history.query({ limit: 500 }).items.find((link) => link.reference === reference);

describe('the account is the truth: two desks on one account', () => {
  it('a link made at desk A appears at desk B; paid at secupay, both show it paid; a transaction made elsewhere appears on both', async () => {
    const { a, b, simulator } = await twoDesks();
    const made = await createLink(a.call, { ...baseInput, reference: 'Made at A' });
    await b.core.sync.tick(); // first connection: the backfill
    const atB = byReference(b.core, 'Made at A');
    expect(atB).toMatchObject({ id: made.id, amountCents: 1750, status: 'created', origin: 'other-desk' });
    expect(a.core.history.get(made.merchantRef)?.origin).toBe('this-desk');

    await simulator.control.pay(made.id!, 'creditcard');
    await a.core.sync.tick();
    await a.core.sync.tick();
    await b.core.sync.tick();
    expect(a.core.history.get(made.merchantRef)).toMatchObject({ status: 'ok', paidWith: 'creditcard' });
    expect(b.core.history.get(made.merchantRef)).toMatchObject({ status: 'ok', paidWith: 'creditcard' });
    // Paid in the background: desk A, which made it, tells the merchant.
    expect(a.notifications.filter((n) => n.merchantRef === made.merchantRef)).toHaveLength(1);

    await simulator.control.createForeign({ origin: 'elsewhere', merchantRef: null, transactionRef: 'From secuOffice', amountCents: 9900, status: 'ok' });
    await a.core.sync.tick();
    await b.core.sync.tick();
    for (const desk of [a, b]) {
      expect(byReference(desk.core, 'From secuOffice')).toMatchObject({ amountCents: 9900, status: 'ok', origin: 'elsewhere' });
    }
    const status = await b.call<{ sync: { backfill: { done: boolean }; fallback: { changedSince: string | null } } }>('history.status', {});
    expect(status).toMatchObject({ ok: true, value: { sync: { backfill: { done: true }, fallback: { changedSince: null } } } });
  });

  it("a basket made at desk A reaches desk B with its items, and B's overview adds up their VAT once paid", async () => {
    const { a, b, simulator } = await twoDesks();
    const basket = [
      { itemId: 'coffee', name: 'Kaffee', quantity: 2, unitPriceCents: 280, vatRate: 19 },
      { itemId: 'pretzel', name: 'Brezel', quantity: 3, unitPriceCents: 120, vatRate: 7 },
    ];
    const made = await createLink(a.call, { ...baseInput, amountCents: 920, reference: 'Basket at A', basket });
    expect(made.basket).toEqual(basket);
    await simulator.control.pay(made.id!, 'creditcard');
    await b.core.sync.tick();
    await b.core.sync.tick();
    const atB = byReference(b.core, 'Basket at A');
    expect(atB?.basket).toEqual(basket.map(({ itemId: _id, ...line }) => line));
    const today = new Date(Date.parse(made.createdAt));
    const day = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate()).padStart(2, '0')}`;
    expect(b.core.history.overview({ from: day, to: day }).currencies[0]?.vat).toEqual([
      { rate: 19, grossCents: 560, netCents: 471, vatCents: 89 },
      { rate: 7, grossCents: 360, netCents: 336, vatCents: 24 },
    ]);
  });

  it('falls back to another query form when the API refuses one, and says so in the history status', async () => {
    const { a, b, simulator } = await twoDesks();
    await b.core.sync.tick(); // backfill done
    simulator.faults.add({ kind: 'refuse-query', form: 'range:updated' });
    const made = await createLink(a.call, { ...baseInput, reference: 'While refused' });
    await b.core.sync.tick();
    expect(b.core.history.get(made.merchantRef)?.id).toBe(made.id);
    const status = await b.call<{ sync: { fallback: { changedSince: string | null }; failing: boolean } }>('history.status', {});
    expect(status.ok && status.value.sync.fallback.changedSince).toBeTruthy();
    expect(status.ok && status.value.sync.failing).toBe(false);
  });

  it('the cost of a cycle does not grow with the waiting links: one list request per cycle', async () => {
    const { a, b, simulator } = await twoDesks();
    // Made at another desk an hour ago; waiting for payment ever since.
    await simulator.control.createForeign({ origin: 'other-desk', status: 'created', count: 1_000, created: new Date(Date.now() - 3_600_000).toISOString() });
    // The backfill: 1,000 links, a page of 100 per cycle; then one cycle reads again what changed while it ran.
    let cycles = 0;
    while (!a.core.sync.status().backfill.done && cycles++ < 20) await a.core.sync.tick();
    expect(cycles).toBe(10);
    await a.core.sync.tick();
    expect(a.core.history.countWaiting()).toBe(1_000);
    const before = simulator.stats.totalRequests;
    await a.core.sync.tick();
    await a.core.sync.tick();
    expect(simulator.stats.totalRequests - before).toBe(2);
    void b;
  });
});

describe('repair from the account', () => {
  it('a deleted history comes back from the account, and the merchant is told how many links', async () => {
    simulator = await startSimulator({ testControl: true });
    const dir = await mkdtemp(join(tmpdir(), 'link-desk-restore-'));
    const first = await startCore(dir, { simulator, budget: roomy() });
    const made = [];
    for (const reference of ['One', 'Two', 'Three']) made.push(await createLink(first.call, { ...baseInput, reference }));
    await stopCores();
    await rm(join(dir, 'history', 'links.sqlite'));

    const again = await startCore(dir, { simulator, budget: roomy() });
    expect(again.core.history.recovery).toMatchObject({ databaseMissing: true });
    await again.core.sync.tick();
    for (const link of made) expect(again.core.history.get(link.merchantRef)).toMatchObject({ id: link.id, origin: 'this-desk' });
    const status = await again.call<{ sync: { restoredLinks: number } }>('history.status', {});
    expect(status).toMatchObject({ ok: true, value: { sync: { restoredLinks: 3 } } });
  });
});

describe('no double link after a lost answer', () => {
  it('a create answered after the timeout is reconciled while the app runs, and "Try again" makes no second transaction', async () => {
    simulator = await startSimulator({ testControl: true });
    const desk = await startCore(undefined, { simulator, budget: roomy(), requestTimeoutMs: 400 });
    // secupay makes the transaction only after the app has given up waiting for it.
    simulator.faults.add({ route: 'POST /api/v2/Smart/Transactions', kind: 'process-late', ms: 1_200, times: 1 });
    const created = await desk.call<LinkRecord>('links.create', { ...baseInput, reference: 'Late answer' });
    // Not an error: the link is recorded and said to be checking with secupay.
    expect(created).toMatchObject({ ok: true, value: { state: 'creating', id: null } });
    const ref = created.ok ? created.value.merchantRef : '';

    // "Try again" right away: the account has nothing yet, but the retry asks it first.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const retried = await desk.call<LinkRecord>('links.retry', { merchantRef: ref });
    expect(retried).toMatchObject({ ok: true, value: { merchantRef: ref, state: 'created' } });
    const stx = retried.ok ? retried.value.id : null;
    expect(stx).toMatch(/^STX_/);
    expect(simulator.stats.requests.filter((r) => r.method === 'POST' && r.path === '/api/v2/Smart/Transactions')).toHaveLength(1);
  });

  it('without "Try again", the growing-interval look-up settles the link on its own (no restart)', async () => {
    simulator = await startSimulator({ testControl: true });
    const desk = await startCore(undefined, { simulator, budget: roomy(), requestTimeoutMs: 400 });
    simulator.faults.add({ route: 'POST /api/v2/Smart/Transactions', kind: 'process-late', ms: 800, times: 1 });
    const created = await desk.call<LinkRecord>('links.create', { ...baseInput, reference: 'Settles alone' });
    const ref = created.ok ? created.value.merchantRef : '';
    await expect.poll(async () => {
      await desk.core.sync.tick();
      return desk.core.history.get(ref)?.state;
    }, { timeout: 15_000, interval: 500 }).toBe('created');
    expect(desk.core.history.get(ref)?.id).toMatch(/^STX_/);
    expect(desk.events.some((e) => e.type === 'link.updated' && e.record.merchantRef === ref && e.record.state === 'created')).toBe(true);
  });

  it('a refusal is a failure at once, not "being created"', async () => {
    simulator = await startSimulator({ testControl: true });
    const desk = await startCore(undefined, { simulator, budget: roomy() });
    simulator.faults.add({ route: 'POST /api/v2/Smart/Transactions', kind: 'status', status: 400, times: 1 });
    const created = await desk.call('links.create', { ...baseInput, reference: 'Refused' });
    expect(created.ok).toBe(false);
    expect(byReference(desk.core, 'Refused')?.state).toBe('create_failed');
  });
});
