import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppFailure } from '../../src/shared/errors';
import { DEMO_ACCOUNT, startSimulator, type RunningSimulator } from '../../src/simulator';
import { createSecuconnectClient, TokenCache, type SecuconnectClient } from '../../src/main/secuconnect';
import {
  apiTimestamp,
  backfillPage,
  changedSincePage,
  lookupByMerchantRef,
  nextCycle,
  startBackfill,
  startChangedSince,
  type ChangedSinceCursor,
  type ListRequest,
} from '../../src/main/secuconnect/list-queries';
import type { SmartTransaction } from '../../src/main/secuconnect/wire';
import { call, createLink, tokenFor } from './simulator-helpers';

/** The simulator's clock: every step is a new second, so `created`/`updated` order is unambiguous. */
let clockMs = Date.parse('2026-03-01T09:00:00Z');
const tick = (seconds = 1) => (clockMs += seconds * 1000);

let sim: RunningSimulator;
let token: string;
let client: SecuconnectClient;
let list: ListRequest;

beforeAll(async () => {
  sim = await startSimulator({ testControl: true, now: () => clockMs });
  token = await tokenFor(sim);
  client = createSecuconnectClient({
    baseUrl: sim.baseUrl,
    clientId: DEMO_ACCOUNT.clientId,
    getClientSecret: async () => DEMO_ACCOUNT.clientSecret,
    tokenCache: new TokenCache(),
    retry: { attempts: 0 },
  });
  list = (query) => client.listSmartTransactions(query);
});
afterEach(() => sim.faults.clear());
afterAll(async () => {
  await sim.stop();
});

const listIds = async (params: Record<string, string>) => {
  const answer = await call(sim, 'GET', `/api/v2/Smart/Transactions?${new URLSearchParams(params)}`, { token });
  expect(answer.status).toBe(200);
  return { total: answer.json.count as number, ids: (answer.json.data as Array<{ id: string }>).map((s) => s.id) };
};

/** Reads every page of one changed-since cycle, as the sync engine would. */
async function readCycle(cursor: ChangedSinceCursor, pageSize: number, between?: (page: number) => Promise<void>) {
  const seen: SmartTransaction[] = [];
  let current: ChangedSinceCursor | null = cursor;
  let last = cursor;
  for (let page = 0; current; page++) {
    const result = await changedSincePage(list, current, pageSize);
    seen.push(...result.items);
    last = result.cursor;
    current = result.next;
    if (between) await between(page);
  }
  return { seen, last };
}

describe('list query forms', () => {
  it('filters by ranges on created and updated (both ends, open ends), status and merchantRef, joined by AND', async () => {
    const marker = `R${clockMs}`;
    tick();
    const start = apiTimestamp(clockMs);
    const a = await createLink(sim, token, { merchantRef: `${marker}-a` });
    tick();
    const b = await createLink(sim, token, { merchantRef: `${marker}-b` });
    tick();
    const middle = apiTimestamp(clockMs);
    const c = await createLink(sim, token, { merchantRef: `${marker}-c` });
    tick(10);
    await sim.control.pay(a.id, 'creditcard');
    expect(sim.control.get(a.id)?.updated).not.toBe(a.updated);
    const mine = `merchantRef:${marker}-*`;

    expect((await listIds({ q: `created:[${start} TO *] AND ${mine}`, sort: 'created:asc' })).ids).toEqual([a.id, b.id, c.id]);
    expect((await listIds({ q: `created:[${start} TO ${middle}] AND ${mine}`, sort: 'created:asc' })).ids).toEqual([a.id, b.id, c.id]);
    expect((await listIds({ q: `created:[* TO ${middle}] AND ${mine}`, sort: 'created:asc' })).ids).toEqual([a.id, b.id, c.id]);
    expect((await listIds({ q: `created:[${start} TO ${apiTimestamp(Date.parse(middle) - 1000)}] AND ${mine}`, sort: 'created:asc' })).ids).toEqual([a.id, b.id]);
    // Offsets mix: +01:00 and Z name the same instants.
    const sameAsMiddleInBerlin = new Date(Date.parse(middle) + 3_600_000).toISOString().replace('.000Z', '+01:00');
    expect((await listIds({ q: `created:[${sameAsMiddleInBerlin} TO *] AND ${mine}` })).ids).toEqual([c.id]);
    expect((await listIds({ q: `updated:[${apiTimestamp(clockMs)} TO *] AND ${mine}` })).ids).toEqual([a.id]);
    expect((await listIds({ q: `status:ok AND ${mine}` })).ids).toEqual([a.id]);
    expect((await listIds({ q: `status:created AND updated:[${start} TO *] AND ${mine}`, sort: 'created:desc' })).ids).toEqual([c.id, b.id]);
    expect((await listIds({ q: `merchantRef:"${marker}-b"` })).ids).toEqual([b.id]);
    // The wire name is merchantRef (API-NOTES §4.1): merchant_ref is no field and matches nothing.
    expect((await listIds({ q: `merchant_ref:${marker}-b` })).ids).toEqual([]);
  });

  it('sorts asc, desc and dsc, pages with count and offset, and answers {count, data}', async () => {
    const marker = `S${clockMs}`;
    const made = [];
    for (let i = 0; i < 5; i++) {
      tick();
      made.push((await createLink(sim, token, { merchantRef: `${marker}-${i}` })).id as string);
    }
    const q = `merchantRef:${marker}-*`;
    const answer = await call(sim, 'GET', `/api/v2/Smart/Transactions?${new URLSearchParams({ q, sort: 'created:asc', count: '2', offset: '1' })}`, { token });
    expect(Object.keys(answer.json).sort()).toEqual(['count', 'data']);
    expect(answer.json.count).toBe(5);
    expect(answer.json.data.map((s: { id: string }) => s.id)).toEqual(made.slice(1, 3));
    expect((await listIds({ q, sort: 'created:desc', count: '3' })).ids).toEqual([...made].reverse().slice(0, 3));
    expect((await listIds({ q, sort: 'created:dsc', count: '3', offset: '3' })).ids).toEqual([made[1], made[0]]);
    expect((await listIds({ q, sort: 'updated:asc', offset: '10' })).ids).toEqual([]);
  });

  it('refuses a query form under a refuse-query fault, with a validation error, for as long as asked', async () => {
    const url = `/api/v2/Smart/Transactions?${new URLSearchParams({ sort: 'updated:dsc', count: '1' })}`;
    sim.faults.add({ kind: 'refuse-query', form: 'direction:dsc', times: 2 });
    expect((await listIds({ sort: 'updated:desc', count: '1' })).ids).toHaveLength(1);
    for (let i = 0; i < 2; i++) {
      const refused = await call(sim, 'GET', url, { token });
      expect(refused.status).toBe(400);
      expect(refused.json).toMatchObject({ status: 'error', error: 'ProductFormatException', error_details: 'Invalid value for sort' });
    }
    expect((await call(sim, 'GET', url, { token })).status).toBe(200);

    expect((await call(sim, 'POST', '/__control/faults', { body: { kind: 'refuse-query', form: 'range:*' } })).status).toBe(200);
    const range = await call(sim, 'GET', `/api/v2/Smart/Transactions?q=${encodeURIComponent('created:[* TO *]')}`, { token });
    expect(range.json.error_details).toBe('Invalid value for q');
    expect((await call(sim, 'GET', `/api/v2/Smart/Transactions?q=${encodeURIComponent('created:[* TO *]')}`, { token })).status).toBe(400);
    expect((await listIds({ q: 'status:created', count: '1' })).ids).toHaveLength(1);
    expect((await call(sim, 'POST', '/__control/faults', { body: { kind: 'refuse-query', form: 'range' } })).status).toBe(400);
  });
});

describe('transactions made elsewhere', () => {
  it('creates secuOffice and other-desk transactions, backdated and in any status', async () => {
    const before = await client.listSmartTransactions({ count: 1 });
    const answer = await call(sim, 'POST', '/__control/transactions', {
      body: { origin: 'elsewhere', status: 'ok', amountCents: 4200, created: '2026-02-01T08:00:00+01:00' },
    });
    expect(answer.status).toBe(200);
    const office = answer.json.data[0];
    expect(office).toMatchObject({ merchantRef: null, status: 'ok', basket_info: { sum: 4200, currency: 'EUR' } });
    expect(Date.parse(office.created)).toBe(Date.parse('2026-02-01T07:00:00Z'));
    expect(office.transactions).toHaveLength(1);

    const [desk] = await sim.control.createForeign({ origin: 'other-desk' });
    expect(desk?.merchantRef).toMatch(/^LD-[0-9a-f]{8}-[A-Za-z0-9_-]{22}$/);
    const [named] = await sim.control.createForeign({ origin: 'other-desk', deskId: 'de5c0002' });
    expect(named?.merchantRef).toMatch(/^LD-de5c0002-[A-Za-z0-9_-]{22}$/);
    expect((await lookupByMerchantRef(list, desk?.merchantRef ?? '')).found?.id).toBe(desk?.id);

    const bulk = await call(sim, 'POST', '/__control/transactions', {
      body: { count: 1000, merchantRef: 'SHOP-7', created: '2025-01-01T00:00:00Z', createdUntil: '2025-01-10T00:00:00Z', status: 'cancelled' },
    });
    expect(bulk.json.count).toBe(1000);
    expect(bulk.json.data).toHaveLength(100);
    expect(bulk.json.data[1].merchantRef).toBe('SHOP-7-2');
    expect((await client.listSmartTransactions({ count: 1 })).count).toBe(before.count + 1003);
    expect((await call(sim, 'POST', '/__control/transactions', { body: { count: 0 } })).status).toBe(400);
    expect((await call(sim, 'POST', '/__control/transactions', { body: { sneaky: true } })).status).toBe(400);

    const cancelled = await call(sim, 'POST', `/__control/transactions/${desk?.id ?? ''}/cancel`);
    expect(cancelled.json.status).toBe('cancelled');
    expect((await call(sim, 'POST', `/__control/transactions/${desk?.id ?? ''}/cancel`)).status).toBe(409);
  });
});

describe('list-queries against the simulator', () => {
  it('one changed-since cycle pages through every change; a change during paging is read again, none is skipped', async () => {
    tick(100);
    const since = apiTimestamp(clockMs);
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      tick();
      ids.push((await createLink(sim, token)).id as string);
    }
    let changedDuringPaging = '';
    const { seen, last } = await readCycle(startChangedSince(since, '2025-01-01T00:00:00+00:00'), 3, async (page) => {
      if (page !== 0) return;
      tick();
      changedDuringPaging = ids[1] ?? '';
      await sim.control.pay(changedDuringPaging, 'creditcard');
    });
    expect(new Set(seen.map((s) => s.id))).toEqual(new Set(ids));
    expect(seen.filter((s) => s.id === changedDuringPaging).map((s) => s.status)).toEqual(['created', 'ok']);
    expect(last.form).toBe('updated-range');

    // The next cycle starts at the newest change seen and sees only what changed after it (plus that second).
    tick();
    await sim.control.fail(ids[4] ?? '');
    const again = await readCycle(nextCycle(last, seen), 3);
    expect(again.seen.map((s) => [s.id, s.status])).toContainEqual([ids[4], 'failed']);
    expect(again.seen.map((s) => s.id)).not.toContain(ids[0]);
  });

  it('falls back when the API refuses updated ranges and desc, and says which form answered', async () => {
    tick(100);
    const since = apiTimestamp(clockMs);
    tick();
    const changed = await createLink(sim, token);
    sim.faults.add({ kind: 'refuse-query', form: 'range:updated' });
    const desc = await changedSincePage(list, startChangedSince(since, '2025-01-01T00:00:00+00:00'), 50);
    expect(desc.cursor.form).toBe('updated-desc');
    expect(desc.refused).toEqual(['updated-range']);
    expect(desc.items.map((s) => s.id)).toEqual([changed.id]);

    sim.faults.add({ kind: 'refuse-query', form: 'direction:desc' });
    const dsc = await changedSincePage(list, startChangedSince(since, '2025-01-01T00:00:00+00:00'), 50);
    expect(dsc.cursor.form).toBe('updated-dsc');
    expect(dsc.items.map((s) => s.id)).toEqual([changed.id]);

    sim.faults.add({ kind: 'refuse-query', form: 'sort:*' });
    const scanned = await changedSincePage(list, startChangedSince(since, apiTimestamp(clockMs - 5_000)), 500);
    expect(scanned.refused).toEqual(['updated-range', 'updated-desc', 'updated-dsc', 'created-range']);
    expect(scanned.cursor.form).toBe('scan');
    const { seen } = await readCycle(scanned.cursor, 500);
    expect(seen.map((s) => s.id)).toEqual([changed.id]);
  });

  it('backfills back to the horizon only, resumably, in pages', async () => {
    const horizon = '2024-06-01T00:00:00+00:00';
    await sim.control.createForeign({ count: 5, created: '2024-05-01T00:00:00Z', createdUntil: '2024-05-31T00:00:00Z', merchantRef: 'TOO-OLD' });
    const inHorizon = await sim.control.createForeign({ count: 7, created: '2024-06-01T00:00:00Z', createdUntil: '2024-06-07T00:00:00Z', origin: 'other-desk' });
    const total = (await client.listSmartTransactions({ q: `created:[${horizon} TO *]`, count: 1 })).count;

    const read: string[] = [];
    let cursor = startBackfill(horizon);
    let requests = 0;
    for (;;) {
      const page = await backfillPage(list, cursor, 250);
      requests += page.requests;
      read.push(...page.items.map((s) => s.id));
      if (!page.next) break;
      cursor = page.next;
    }
    expect(read).toHaveLength(total);
    expect(new Set(read).size).toBe(total);
    expect(requests).toBe(Math.ceil(total / 250));
    for (const stx of inHorizon) expect(read).toContain(stx.id);
    const old = await client.listSmartTransactions({ q: 'merchantRef:TOO-OLD-*', count: 10 });
    for (const stx of old.data) expect(read).not.toContain(stx.id);
  });
});

describe('a create answered after the client gave up', () => {
  it('answer-late: the transaction exists at once and is found by its merchantRef', async () => {
    const impatient = createSecuconnectClient({
      baseUrl: sim.baseUrl,
      clientId: DEMO_ACCOUNT.clientId,
      getClientSecret: async () => DEMO_ACCOUNT.clientSecret,
      tokenCache: new TokenCache(),
      timeoutMs: 300,
      retry: { attempts: 0 },
    });
    await impatient.getToken();
    sim.faults.add({ route: 'POST /api/v2/Smart/Transactions', kind: 'answer-late', ms: 1_000 });
    const merchantRef = `LD-late-${clockMs}`;
    const body = { intent: 'sale' as const, contract: { id: DEMO_ACCOUNT.contractId }, merchantRef, basket_info: { sum: 990, currency: 'EUR' }, application_context: { checkout_template: 'COT_WD0DE66HN2XWJHW8JM88003YG0NEA2', language: 'de' as const }, payment_context: { auto_capture: true }, is_demo: true };
    const failure = await impatient.createSmartTransaction(body).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(AppFailure);
    expect((failure as AppFailure).code).toBe('network.timeout');
    expect((await impatient.findByMerchantRef(merchantRef))?.merchantRef).toBe(merchantRef);
  });

  it('process-late: the transaction appears only after the delay, although the client left', async () => {
    const impatient = createSecuconnectClient({
      baseUrl: sim.baseUrl,
      clientId: DEMO_ACCOUNT.clientId,
      getClientSecret: async () => DEMO_ACCOUNT.clientSecret,
      tokenCache: new TokenCache(),
      timeoutMs: 200,
      retry: { attempts: 0 },
    });
    await impatient.getToken();
    sim.faults.add({ route: 'POST /api/v2/Smart/Transactions', kind: 'process-late', ms: 600 });
    const merchantRef = `LD-slow-${clockMs}`;
    const body = { intent: 'sale' as const, contract: { id: DEMO_ACCOUNT.contractId }, merchantRef, basket_info: { sum: 990, currency: 'EUR' }, application_context: { checkout_template: 'COT_WD0DE66HN2XWJHW8JM88003YG0NEA2', language: 'de' as const }, payment_context: { auto_capture: true }, is_demo: true };
    await expect(impatient.createSmartTransaction(body)).rejects.toMatchObject({ code: 'network.timeout' });
    expect(await impatient.findByMerchantRef(merchantRef)).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect((await impatient.findByMerchantRef(merchantRef))?.merchantRef).toBe(merchantRef);
  });
});
