import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openLinkRepository, type LinkRepository } from '../../src/main/history';
import { createLinkService } from '../../src/main/links/link-service';
import { createEventHub } from '../../src/main/event-hub';
import { createRequestBudget } from '../../src/main/watcher/request-budget';
import { createAccountSync } from '../../src/main/sync/account-sync';
import type { Account } from '../../src/main/account';
import type { SecuconnectClient, SmartTransactionList } from '../../src/main/secuconnect';
import { makeLinkRecord } from '../fixtures/history-records';

const opened: Array<{ history: LinkRepository; dir: string }> = [];
afterEach(async () => {
  for (const { history, dir } of opened.splice(0)) {
    await history.close();
    await rm(dir, { recursive: true, force: true });
  }
});

/**
 * The background watcher is the sync: under a fake clock, with 1,000 and with 10,000 links
 * waiting, it makes the same number of requests, one per cycle, within the account's budget.
 */
async function watchFor(waiting: number) {
  const dir = await mkdtemp(join(tmpdir(), 'sync-budget-'));
  const history = openLinkRepository({ deskId: 'de5c0001', dir });
  opened.push({ history, dir });
  const start = Date.parse('2026-11-30T10:00:00Z');
  await history.insertMany(Array.from({ length: waiting }, (_, i) =>
    makeLinkRecord({ merchantRef: `LD-w${i}`, accountKey: 'acct', id: `STX_W${i}`, status: 'created', createdAt: new Date(start - i * 60_000).toISOString() })));
  let t = start;
  const listCalls: string[] = [];
  // The account answers "nothing changed" (the backfill is done already, see the saved state below).
  const client = {
    listSmartTransactions: async (query: { q?: string }) => {
      listCalls.push(query.q ?? '');
      return { count: 0, data: [] } satisfies SmartTransactionList;
    },
    findByMerchantRef: async () => null,
  } as unknown as SecuconnectClient;
  const account: Account = { environment: 'live', key: 'acct', baseUrl: 'https://connect.example', contractId: 'GCR_X', isDemo: false, client };
  history.saveSyncState('acct', {
    changedSince: { form: 'updated-range', since: new Date(start - 60_000).toISOString(), horizon: new Date(start - 90 * 86_400_000).toISOString(), offset: 0 },
    backfill: { cursor: null, read: waiting, total: waiting },
  });
  const budget = createRequestBudget({ now: () => t });
  const links = createLinkService({ history, deskId: 'de5c0001', resolveAccount: async () => account, events: createEventHub(), budget, now: () => new Date(t) });
  const sync = createAccountSync({ history, links, events: createEventHub(), resolveAccount: async () => account, budget, now: () => t });
  // Ten minutes of cycles every 5 s, and a burst of extra ticks each second in between.
  for (let second = 0; second < 600; second++) {
    t += 1_000;
    if (second % 5 === 0) await sync.tick();
    else if (second % 50 === 1) for (let extra = 0; extra < 5; extra++) await sync.tick();
  }
  return { requests: listCalls.length, waitingAfter: history.countWaiting(), forms: new Set(listCalls.map((q) => q.split(':')[0])) };
}

describe('the account sync as the background watcher', () => {
  it('costs the same with 1,000 and 10,000 waiting links: within the budget, one query per cycle', async () => {
    const small = await watchFor(1_000);
    const large = await watchFor(10_000);
    expect(small.waitingAfter).toBe(1_000);
    expect(large.waitingAfter).toBe(10_000);
    expect(large.requests).toBe(small.requests);
    // 600 s at one request per second plus the burst of 3 is the budget; a cycle every 5 s uses a fifth.
    expect(large.requests).toBeLessThanOrEqual(600 + 3);
    expect(large.requests).toBeGreaterThanOrEqual(120);
    expect(large.requests).toBeLessThanOrEqual(180);
    expect([...large.forms]).toEqual(['updated']);
  });
});
