import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, DEMO_ACCOUNT, type RunningSimulator } from '../../src/simulator';
import { createSecuconnectClient } from '../../src/main/secuconnect';
import { openLinkRepository, type LinkRepository } from '../../src/main/history';
import { createLinkService } from '../../src/main/links/link-service';
import { createEventHub } from '../../src/main/event-hub';
import { createRequestBudget } from '../../src/main/watcher/request-budget';
import { checkInterval, createStatusWatcher } from '../../src/main/watcher/status-watcher';
import { TokenCache } from '../../src/main/secuconnect';

const input = { amountCents: 990, currency: 'EUR', reference: 'R', language: 'en', paymentMethod: 'any', returnUrls: { success: '', error: '', abort: '' } } as const;

let simulator: RunningSimulator | null = null;
let history: LinkRepository | null = null;
afterEach(async () => {
  await history?.close();
  await simulator?.stop();
  history = null;
  simulator = null;
});

/** A watcher on a fake clock against the real simulator: time only moves when the test says so. */
async function setup() {
  simulator = await startSimulator();
  history = openLinkRepository({ deskId: 'de5c0001', dir: await mkdtemp(join(tmpdir(), 'link-desk-watcher-')) });
  let t = Date.parse('2026-11-27T10:00:00Z');
  const clock = { now: () => t, advance: (ms: number) => void (t += ms) };
  const client = createSecuconnectClient({
    baseUrl: simulator.baseUrl,
    clientId: DEMO_ACCOUNT.clientId,
    getClientSecret: async () => DEMO_ACCOUNT.clientSecret,
    retry: { attempts: 0 },
    tokenCache: new TokenCache(),
  });
  const account = { environment: 'custom' as const, key: 'acct', baseUrl: simulator.baseUrl, contractId: DEMO_ACCOUNT.contractId, isDemo: true, client };
  const notifications: string[] = [];
  const budget = createRequestBudget({ now: clock.now });
  const links = createLinkService({
    history,
    deskId: 'de5c0001',
    resolveAccount: async () => account,
    events: createEventHub(),
    budget,
    now: () => new Date(t),
    minRefreshIntervalMs: 0,
    onOutcome: (record, outcome) => notifications.push(`${outcome}:${record.merchantRef}`),
  });
  const watcher = createStatusWatcher({ history, links, currentAccountKey: async () => 'acct', now: clock.now });
  const statusReads = () => simulator!.stats.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/api/v2/Smart/Transactions/')).length;
  return { simulator, history, clock, links, watcher, notifications, statusReads };
}

describe('background status watcher', () => {
  it('checks fresh links often, older ones rarely, prepayments rarely', () => {
    const now = Date.parse('2026-11-27T10:00:00Z');
    const at = (minutesAgo: number, status = 'created') => ({ status, createdAt: new Date(now - minutesAgo * 60_000).toISOString() });
    expect(checkInterval(at(1), now)).toBe(10_000);
    expect(checkInterval(at(30), now)).toBe(60_000);
    expect(checkInterval(at(300), now)).toBe(300_000);
    expect(checkInterval(at(3 * 24 * 60), now)).toBe(1_800_000);
    expect(checkInterval(at(30 * 24 * 60), now)).toBe(7_200_000);
    expect(checkInterval(at(1, 'pending'), now)).toBe(900_000);
  });

  it('waits for the interval, then keeps within one request per second however many links wait', async () => {
    const { clock, links, watcher, statusReads } = await setup();
    for (let i = 0; i < 30; i++) await links.create(input);
    expect(await watcher.tick()).toBe(0); // just created: checked at creation
    clock.advance(5_000);
    expect(await watcher.tick()).toBe(0);
    clock.advance(5_000);
    let made = 0;
    for (let second = 0; second < 60; second++) {
      made += await watcher.tick();
      clock.advance(1_000);
    }
    expect(made).toBe(statusReads());
    expect(made).toBeGreaterThanOrEqual(30); // every link got its check…
    expect(made).toBeLessThanOrEqual(61); // …within the budget of 1/s (+1 burst)
  });

  it('never checks a final link again, and a link paid in the background notifies exactly once', async () => {
    const { simulator, clock, links, watcher, notifications, statusReads } = await setup();
    const record = await links.create(input);
    await simulator.control.pay(record.id!, 'creditcard');
    clock.advance(10_000);
    expect(await watcher.tick()).toBe(1);
    expect(links.get(record.merchantRef).status).toBe('ok');
    expect(notifications).toEqual([`paid:${record.merchantRef}`]);
    const reads = statusReads();
    for (let i = 0; i < 20; i++) {
      clock.advance(60_000);
      await watcher.tick();
    }
    expect(statusReads()).toBe(reads);
    expect(notifications).toHaveLength(1);
  });

  it('checks a pending prepayment only every 15 minutes', async () => {
    const { simulator, clock, links, watcher, statusReads } = await setup();
    const record = await links.create(input);
    await simulator.control.pay(record.id!, 'prepaid');
    clock.advance(10_000);
    await watcher.tick();
    expect(links.get(record.merchantRef).status).toBe('pending');
    const reads = statusReads();
    for (let i = 0; i < 14; i++) {
      clock.advance(60_000);
      await watcher.tick();
    }
    expect(statusReads()).toBe(reads);
    clock.advance(61_000);
    expect(await watcher.tick()).toBe(1);
  });

  it('backs off while the API fails and recovers afterwards', async () => {
    const { simulator, clock, links, watcher, statusReads } = await setup();
    await links.create(input);
    simulator.faults.add({ route: 'GET /api/v2/Smart/Transactions/*', kind: 'status', status: 503, times: Infinity });
    clock.advance(10_000);
    expect(await watcher.tick()).toBe(0);
    const afterFirstFailure = statusReads();
    expect(afterFirstFailure).toBe(1);
    clock.advance(3_000);
    await watcher.tick(); // within the 5 s backoff: no request
    expect(statusReads()).toBe(afterFirstFailure);
    clock.advance(12_000);
    await watcher.tick(); // backoff over, still failing: one more try, then 10 s
    expect(statusReads()).toBe(afterFirstFailure + 1);
    simulator.faults.clear();
    clock.advance(11_000);
    expect(await watcher.tick()).toBe(1);
  });

  it('leaves room for the link on screen: its refresh is never starved by the watcher', async () => {
    const { clock, links, watcher } = await setup();
    const onScreen = await links.create(input);
    for (let i = 0; i < 20; i++) await links.create(input);
    clock.advance(10_000);
    for (let second = 0; second < 10; second++) {
      await watcher.tick();
      const { requested } = await links.refreshWith(onScreen.merchantRef, 'screen');
      expect(requested, `second ${second}`).toBe(true);
      clock.advance(2_000);
    }
  });
});
