import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSecuconnectClient, TokenCache } from '../../src/main/secuconnect';
import { createWarmUp, type WarmUpTarget } from '../../src/main/secuconnect/warm-up';
import { createRequestBudget } from '../../src/main/watcher/request-budget';
import { AppFailure } from '../../src/shared/errors';

const BASE = 'https://connect-testing.example.test';
const ACCOUNT_KEY = 'acct';

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

const stx = {
  object: 'smart.transactions',
  id: 'STX_2AUSR7M6B2NHPG3C4JTKBEY07YXSAZ',
  status: 'created',
  merchantRef: 'LD-1',
  transactionRef: null,
  basket_info: { sum: 1750, currency: 'EUR' },
  customer: null,
  transactions: [],
  payment_context: { auto_capture: true, payment_methods: null },
  payment_links: { general: 'https://pay-dev.example.test?stx=STX_2AUSR7M6B2NHPG3C4JTKBEY07YXSAZ' },
};

/** A secuconnect whose token answers wait until released, so tests can signal while a login is on its way. */
function scriptedApi(expiresIn = 1200) {
  const paths: string[] = [];
  const authorizations: string[] = [];
  let tokens = 0;
  let gate: Promise<void> = Promise.resolve();
  let release: () => void = () => undefined;
  const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    paths.push(url.pathname);
    if (url.pathname === '/oauth/token') {
      await gate;
      tokens += 1;
      return json(200, { access_token: `token-${tokens}`, expires_in: expiresIn, token_type: 'bearer' });
    }
    authorizations.push(new Headers(init?.headers).get('authorization') ?? '');
    return json(200, stx);
  }) as typeof fetch;
  return {
    fetch: fetchImpl,
    tokenRequests: () => paths.filter((p) => p === '/oauth/token').length,
    authorizations,
    holdLogins() {
      gate = new Promise((resolve) => (release = resolve));
    },
    releaseLogins: () => release(),
  };
}

function setup(options: { expiresIn?: number; budget?: ReturnType<typeof createRequestBudget>; secret?: () => Promise<string> } = {}) {
  let clock = 1_000_000;
  const api = scriptedApi(options.expiresIn);
  const client = createSecuconnectClient({
    baseUrl: BASE,
    clientId: 'client-1',
    getClientSecret: options.secret ?? (async () => 'secret'),
    fetch: api.fetch,
    tokenCache: new TokenCache(),
    now: () => clock,
  });
  const warmUp = createWarmUp({
    resolveAccount: async () => ({ key: ACCOUNT_KEY, client }),
    now: () => clock,
    ...(options.budget ? { budget: options.budget } : {}),
  });
  return { api, client, warmUp, advance: (ms: number) => (clock += ms) };
}

describe('warm-up while the merchant types', () => {
  it('makes one token request for a whole burst of keystrokes, focus and window-shown signals', async () => {
    const { api, warmUp, advance } = setup();
    api.holdLogins();
    const signals: Array<Promise<void>> = [];
    // "1", "7", ",", "5", "0" at ~120 ms a key, plus focus and the window being shown.
    for (let key = 0; key < 7; key++) {
      signals.push(warmUp.signal());
      advance(120);
    }
    api.releaseLogins();
    await Promise.all(signals);
    // Keys right after the warm-up finished find everything ready and ask nothing.
    for (let key = 0; key < 5; key++) {
      await warmUp.signal();
      advance(120);
    }
    expect(api.tokenRequests()).toBe(1);
  });

  it('leaves a token alone that stays valid for the next minute', async () => {
    const { api, client, warmUp, advance } = setup({ expiresIn: 1200 });
    await client.getToken();
    advance(10 * 60_000);
    await warmUp.signal();
    expect(api.tokenRequests()).toBe(1);
  });

  it('renews a token that would run out within the minute, so the create needs no login', async () => {
    const { api, client, warmUp, advance } = setup({ expiresIn: 1200 });
    await client.getToken();
    // Reusable for 1190 s; 40 s of that are left.
    advance(1150_000);
    await warmUp.signal();
    expect(api.tokenRequests()).toBe(2);

    await client.getSmartTransaction(stx.id);
    expect(api.tokenRequests()).toBe(2);
    expect(api.authorizations).toEqual(['Bearer token-2']);
  });

  it('warms again after a quiet pause, once the token has expired', async () => {
    const { api, warmUp, advance } = setup({ expiresIn: 1200 });
    await warmUp.signal();
    advance(25 * 60_000);
    await warmUp.signal();
    expect(api.tokenRequests()).toBe(2);
  });

  it('asks for no token when the request budget has only the screen’s reserve left', async () => {
    const budget = createRequestBudget({ perSecond: 1, burst: 3, now: () => 0 });
    const { api, client, warmUp } = setup({ budget });
    budget.tryTake(ACCOUNT_KEY);
    budget.tryTake(ACCOUNT_KEY);
    await warmUp.signal();
    expect(api.tokenRequests()).toBe(0);
    expect(budget.available(ACCOUNT_KEY)).toBe(1);

    // The link's own request still logs in when it has to.
    await client.getSmartTransaction(stx.id);
    expect(api.tokenRequests()).toBe(1);
  });

  it('takes its token request from the budget like other background work', async () => {
    const budget = createRequestBudget({ perSecond: 1, burst: 3, now: () => 0 });
    const { api, warmUp } = setup({ budget });
    await warmUp.signal();
    expect(api.tokenRequests()).toBe(1);
    expect(budget.available(ACCOUNT_KEY)).toBe(2);
  });

  it('never throws, also without a stored secret (the create will explain that)', async () => {
    const { api, warmUp } = setup({
      secret: async () => {
        throw new AppFailure({ code: 'auth.missing_secret', message: 'No client secret is stored.' });
      },
    });
    await expect(warmUp.signal()).resolves.toBeUndefined();
    expect(api.tokenRequests()).toBe(0);
  });
});

describe('keep-alive while the app is in use', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  function fakeTarget() {
    const calls: Array<{ tokenAllowed: boolean }> = [];
    const client: WarmUpTarget['client'] = {
      async warmUp(options = {}) {
        calls.push({ tokenAllowed: options.mayRequestToken ? options.mayRequestToken() : true });
        return { token: 'cached', connectionOpen: true };
      },
    };
    return { calls, target: { key: ACCOUNT_KEY, client } };
  }

  it('keeps the connection open without token requests, and stops once nobody used the app for a while', async () => {
    vi.useFakeTimers();
    const { calls, target } = fakeTarget();
    const warmUp = createWarmUp({ resolveAccount: async () => target, keepAliveEveryMs: 30_000, inUseForMs: 5 * 60_000 });
    await warmUp.signal();
    expect(calls).toEqual([{ tokenAllowed: true }]);
    warmUp.start();

    await vi.advanceTimersByTimeAsync(4 * 60_000);
    const whileInUse = calls.slice(1);
    expect(whileInUse.length).toBe(8);
    expect(whileInUse.every((call) => !call.tokenAllowed)).toBe(true);

    await vi.advanceTimersByTimeAsync(10 * 60_000);
    // In use until 5 min after the last signal: two more checks, then none.
    expect(calls.length).toBe(1 + 10);
    warmUp.stop();
  });

  it('does nothing before the first sign of use', async () => {
    vi.useFakeTimers();
    const { calls, target } = fakeTarget();
    const warmUp = createWarmUp({ resolveAccount: async () => target, keepAliveEveryMs: 30_000 });
    warmUp.start();
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    expect(calls).toEqual([]);
    warmUp.stop();
  });
});

describe('TokenCache.validFor', () => {
  it('asks for the requested margin, or half the reusable life for short-lived tokens', async () => {
    const cache = new TokenCache();
    await cache.acquire('long', () => 0, async () => ({ accessToken: 'a', expiresInSeconds: 1200 }));
    expect(cache.validFor('long', 1_120_000, 60_000)).toBe(true);
    expect(cache.validFor('long', 1_140_000, 60_000)).toBe(false);
    // 8 s token: reusable 4 s, so "valid long enough" means 2 s left.
    await cache.acquire('short', () => 0, async () => ({ accessToken: 'b', expiresInSeconds: 8 }));
    expect(cache.validFor('short', 1_900, 60_000)).toBe(true);
    expect(cache.validFor('short', 2_100, 60_000)).toBe(false);
    expect(cache.validFor('none', 0, 60_000)).toBe(false);
  });
});
