import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppFailure } from '../../src/shared/errors';
import { CreateLinkInputSchema } from '../../src/shared/link';
import type { CreateLinkFormInput } from '../../src/shared/link';
import { DEMO_ACCOUNT, startSimulator } from '../../src/simulator';
import type { RunningSimulator } from '../../src/simulator';
import {
  TokenCache,
  buildCreateSmartTransactionBody,
  createPaymentLinkSafely,
  createSecuconnectClient,
  newMerchantRef,
  pickPaymentUrl,
} from '../../src/main/secuconnect';
import type { SecuconnectClientOptions } from '../../src/main/secuconnect';

function linkInput(overrides: Partial<CreateLinkFormInput> = {}) {
  return CreateLinkInputSchema.parse({
    amountCents: 1750,
    currency: 'EUR',
    reference: 'Order 4711',
    language: 'de',
    paymentMethod: 'any',
    customer: { forename: 'Max', surname: 'Mustermann', email: 'max@example.org' },
    returnUrls: { success: 'https://shop.example.com/ok', error: '', abort: '' },
    ...overrides,
  });
}

function bodyFor(overrides: Partial<CreateLinkFormInput> = {}, contractId = DEMO_ACCOUNT.contractId) {
  return buildCreateSmartTransactionBody(linkInput(overrides), { contractId, isDemo: true, merchantRef: newMerchantRef('0be1a2c3') });
}

/** A body from form data the form itself would refuse, to see what the API says about it. */
function bodyBypassingForm(overrides: Record<string, unknown>, contractId = DEMO_ACCOUNT.contractId) {
  const input = { ...linkInput(), ...overrides } as ReturnType<typeof linkInput>;
  return buildCreateSmartTransactionBody(input, { contractId, isDemo: true, merchantRef: newMerchantRef('0be1a2c3') });
}

function clientFor(simulator: RunningSimulator, overrides: Partial<SecuconnectClientOptions> = {}) {
  const sleeps: number[] = [];
  const client = createSecuconnectClient({
    baseUrl: simulator.baseUrl,
    clientId: DEMO_ACCOUNT.clientId,
    getClientSecret: async () => DEMO_ACCOUNT.clientSecret,
    tokenCache: new TokenCache(),
    retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...overrides,
  });
  return { client, sleeps };
}

async function failureOf(promise: Promise<unknown>): Promise<AppFailure> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AppFailure);
    return error as AppFailure;
  }
  throw new Error('expected the call to fail');
}

const apiRequests = (simulator: RunningSimulator, method: string, pathStart: string) =>
  simulator.stats.requests.filter((r) => r.method === method && r.path.startsWith(pathStart));

describe('client against the simulator', () => {
  let simulator: RunningSimulator;

  beforeAll(async () => {
    simulator = await startSimulator();
  });
  afterAll(async () => {
    await simulator.stop();
  });
  afterEach(() => {
    simulator.faults.clear();
    simulator.stats.reset();
  });

  describe('every call', () => {
    it('tests the connection with a fresh token', async () => {
      const { client } = clientFor(simulator);
      await client.getToken();
      expect(await client.testConnection()).toEqual({ tokenExpiresInSeconds: 1200 });
      expect(simulator.stats.tokenRequests).toBe(2);
    });

    it('creates a payment link, reads, lists and finds it', async () => {
      const { client } = clientFor(simulator);
      const body = bodyFor({ paymentMethod: 'creditcard' });
      const created = await client.createSmartTransaction(body);
      expect(created.id).toMatch(/^STX_[0-9A-Z]{30}$/);
      expect(created.status).toBe('created');
      expect(created.merchantRef).toBe(body.merchantRef);
      expect(created.transactionRef).toBe('Order 4711');
      expect(created.basket_info).toMatchObject({ sum: 1750, currency: 'EUR' });
      expect(pickPaymentUrl(created.payment_links, 'creditcard')).toBe(created.payment_links?.creditcard);
      expect(pickPaymentUrl(created.payment_links, 'any')).toBe(created.payment_links?.general);

      const read = await client.getSmartTransaction(created.id);
      expect(read.id).toBe(created.id);
      const list = await client.listSmartTransactions({ count: 500, sort: 'created:desc' });
      expect(list.data.map((t) => t.id)).toContain(created.id);
      expect(list.count).toBeGreaterThanOrEqual(1);
      expect((await client.findByMerchantRef(body.merchantRef))?.id).toBe(created.id);
      expect(await client.findByMerchantRef(newMerchantRef('0be1a2c3'))).toBeNull();
    });

    it('follows a link through payment, shipping, capture and refund', async () => {
      const { client } = clientFor(simulator);
      const created = await client.createSmartTransaction(bodyFor({ amountCents: 5000 }));
      await simulator.control.pay(created.id, 'invoice');

      const paid = await client.getSmartTransaction(created.id);
      expect(paid.status).toBe('ok');
      expect(paid.payment_method).toBe('invoice');
      const paymentId = paid.transactions?.[0]?.id;
      expect(paymentId).toMatch(/^PCI_/);
      if (!paymentId) return;

      const captured = await client.capturePaymentTransaction(paymentId, { carrier: 'DHL', invoice_number: 'R-2026-1' });
      expect(captured.id).toBe(paymentId);

      const afterRefund = await client.refundPaymentTransaction(paymentId, { reduceAmountByCents: 1200, reason: 'Returned goods' });
      expect(afterRefund.find((t) => t.id === paymentId)).toBeDefined();
      expect(afterRefund.map((t) => t.amount)).toContain(-1200);
    });

    it('cancels a link nobody has paid yet', async () => {
      const { client } = clientFor(simulator);
      const created = await client.createSmartTransaction(bodyFor());
      const cancelled = await client.cancelSmartTransaction(created.id);
      expect(cancelled.status).toBe('cancelled');
      expect((await client.getSmartTransaction(created.id)).status).toBe('cancelled');
    });
  });

  describe('every error value', () => {
    it('auth.invalid_credentials for a wrong secret', async () => {
      const { client } = clientFor(simulator, { getClientSecret: async () => 'not-the-secret' });
      const failure = await failureOf(client.testConnection());
      expect(failure.code).toBe('auth.invalid_credentials');
      expect(failure.message).toContain('client id and client secret');
      expect(simulator.stats.tokenRequests).toBe(1);
    });

    it('auth.missing_secret when no secret is stored', async () => {
      const { client } = clientFor(simulator, { getClientSecret: async () => '' });
      expect((await failureOf(client.testConnection())).code).toBe('auth.missing_secret');
      expect(simulator.stats.requests).toHaveLength(0);
    });

    it.each([
      ['an e-mail address the API refuses', { customer: { email: 'max@example' } }, DEMO_ACCOUNT.contractId, 'customer.email'],
      ['a currency the API refuses', { currency: 'XYZ' }, DEMO_ACCOUNT.contractId, 'currency'],
      ['another contract', {}, 'GCR_NOTMYCONTRACT0000000000000000', 'contractId'],
      ['no contract', {}, '', 'contractId'],
    ] as const)('api.validation next to the field for %s', async (_what, overrides, contractId, field) => {
      const { client } = clientFor(simulator);
      const body = bodyBypassingForm(overrides, contractId);
      const failure = await failureOf(client.createSmartTransaction(body));
      expect(failure.code).toBe('api.validation');
      expect(Object.keys(failure.fields ?? {})).toEqual([field]);
      expect(failure.userMessage).toMatch(/^Es ist ein/);
      expect(failure.supportId).toMatch(/^[0-9a-f]{32}$/);
      expect(failure.message).toMatch(/(Invalid|Missing) value for/);
    });

    it('api.validation for a refund larger than the payment', async () => {
      const { client } = clientFor(simulator);
      const created = await client.createSmartTransaction(bodyFor({ amountCents: 1000 }));
      const paid = await simulator.control.pay(created.id, 'creditcard');
      const paymentId = paid.transactions[0]?.id ?? '';
      const failure = await failureOf(client.refundPaymentTransaction(paymentId, { reduceAmountByCents: 5000 }));
      expect(failure.code).toBe('api.validation');
    });

    it('api.not_found for an unknown Smart Transaction and payment', async () => {
      const { client } = clientFor(simulator);
      expect((await failureOf(client.getSmartTransaction('STX_00000000000000000000000000UNKN'))).code).toBe('api.not_found');
      expect((await failureOf(client.capturePaymentTransaction('PCI_00000000000000000000000000UNKN'))).code).toBe('api.not_found');
    });

    it('api.not_allowed when even a fresh token is refused', async () => {
      const { client } = clientFor(simulator);
      simulator.faults.add({ route: 'GET /api/v2/Smart/Transactions', kind: 'status', status: 403, times: 2 });
      const failure = await failureOf(client.listSmartTransactions());
      expect(failure.code).toBe('api.not_allowed');
      expect(simulator.stats.tokenRequests).toBe(2);
    });

    it('api.rate_limited when the API keeps refusing', async () => {
      const { client } = clientFor(simulator);
      await client.getToken();
      simulator.faults.add({ route: 'GET /api/v2/Smart/Transactions/*', kind: 'retry-after', seconds: 1, times: Infinity });
      const failure = await failureOf(client.getSmartTransaction('STX_ANY'));
      expect(failure.code).toBe('api.rate_limited');
      expect(apiRequests(simulator, 'GET', '/api/v2/Smart/Transactions/')).toHaveLength(4);
    });

    it('api.server when the backend keeps failing', async () => {
      const { client } = clientFor(simulator);
      simulator.faults.add({ route: 'GET /api/v2/Smart/Transactions', kind: 'status', status: 500, times: Infinity });
      const failure = await failureOf(client.listSmartTransactions());
      expect(failure.code).toBe('api.server');
      expect(failure.userMessage).toBe('Es ist ein interner Fehler aufgetreten');
    });

    it('api.unexpected_response for a garbled answer, at login and on the API', async () => {
      const { client } = clientFor(simulator);
      simulator.faults.add({ route: '/oauth/token', kind: 'malformed' });
      expect((await failureOf(client.getToken())).code).toBe('api.unexpected_response');
      simulator.faults.add({ route: 'GET /api/v2/Smart/Transactions/*', kind: 'malformed', times: Infinity });
      const failure = await failureOf(client.getSmartTransaction('STX_ANY'));
      expect(failure.code).toBe('api.unexpected_response');
      // A garbled answer is not retried: the server did answer.
      expect(apiRequests(simulator, 'GET', '/api/v2/Smart/Transactions/')).toHaveLength(1);
    });

    it('network.timeout when the answer takes too long', async () => {
      const { client } = clientFor(simulator, { timeoutMs: 100, retry: { attempts: 0 } });
      await client.getToken();
      simulator.faults.add({ route: 'GET /api/v2/Smart/Transactions/*', kind: 'latency', ms: 600 });
      expect((await failureOf(client.getSmartTransaction('STX_ANY'))).code).toBe('network.timeout');
    });

    it('network.connection_lost when the connection drops', async () => {
      const { client } = clientFor(simulator, { retry: { attempts: 0 } });
      await client.getToken();
      simulator.faults.add({ route: 'GET /api/v2/Smart/Transactions/*', kind: 'drop' });
      expect((await failureOf(client.getSmartTransaction('STX_ANY'))).code).toBe('network.connection_lost');
    });

    it('network.offline when nothing listens at the address', async () => {
      const server = createServer();
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const port = (server.address() as AddressInfo).port;
      await new Promise<void>((resolve) => server.close(() => resolve()));
      const { client, sleeps } = clientFor(simulator, { baseUrl: `http://127.0.0.1:${port}` });
      expect((await failureOf(client.testConnection())).code).toBe('network.offline');
      expect(sleeps).toHaveLength(3);
    });

    it('never shows the secret or the token in an error', async () => {
      const { client } = clientFor(simulator);
      const token = await client.getToken();
      const failures = [
        await failureOf(client.createSmartTransaction(bodyBypassingForm({ customer: { email: 'max@example' } }))),
        await failureOf(client.getSmartTransaction('STX_00000000000000000000000000UNKN')),
        await failureOf(clientFor(simulator, { getClientSecret: async () => `${DEMO_ACCOUNT.clientSecret}x` }).client.testConnection()),
      ];
      simulator.faults.add({ route: 'GET /api/v2/Smart/Transactions', kind: 'status', status: 403, times: 2 });
      failures.push(await failureOf(client.listSmartTransactions()));
      for (const failure of failures) {
        const shown = `${failure.message}|${JSON.stringify(failure.toValue())}|${String(failure.stack)}`;
        expect(shown).not.toContain(DEMO_ACCOUNT.clientSecret);
        expect(shown).not.toContain(token);
      }
    });
  });

  describe('token', () => {
    it('uses exactly one token for 50 concurrent creates', async () => {
      const { client } = clientFor(simulator);
      const created = await Promise.all(Array.from({ length: 50 }, () => client.createSmartTransaction(bodyFor())));
      expect(new Set(created.map((t) => t.id)).size).toBe(50);
      expect(simulator.stats.tokenRequests).toBe(1);
    });

    it('shares the token between two clients of the same account', async () => {
      const cache = new TokenCache();
      await clientFor(simulator, { tokenCache: cache }).client.listSmartTransactions({ count: 1 });
      await clientFor(simulator, { tokenCache: cache }).client.listSmartTransactions({ count: 1 });
      expect(simulator.stats.tokenRequests).toBe(1);
    });

    it('renews a token the API rejects with 403/2003 and repeats the call', async () => {
      const { client } = clientFor(simulator);
      const created = await client.createSmartTransaction(bodyFor());
      simulator.control.expireAllTokens();
      simulator.stats.reset();
      expect((await client.getSmartTransaction(created.id)).id).toBe(created.id);
      expect(simulator.stats.tokenRequests).toBe(1);
      expect(simulator.stats.requests.map((r) => r.status)).toEqual([403, 200, 200]);
    });

    it('renews the token for a create, which is then done exactly once', async () => {
      const { client } = clientFor(simulator);
      await client.getToken();
      simulator.control.expireAllTokens();
      const body = bodyFor();
      await client.createSmartTransaction(body);
      const list = await client.listSmartTransactions({ q: `merchantRef:${body.merchantRef}` });
      expect(list.count).toBe(1);
    });
  });

  describe('retries', () => {
    it('repeats a read after 503s and succeeds within the bound', async () => {
      const { client, sleeps } = clientFor(simulator);
      const created = await client.createSmartTransaction(bodyFor());
      simulator.stats.reset();
      simulator.faults.add({ route: 'GET /api/v2/Smart/Transactions/*', kind: 'status', status: 503, times: 3 });
      expect((await client.getSmartTransaction(created.id)).id).toBe(created.id);
      expect(simulator.stats.requests.map((r) => r.status)).toEqual([503, 503, 503, 200]);
      expect(sleeps).toHaveLength(3);
    });

    it('gives up after the configured number of extra tries', async () => {
      const { client } = clientFor(simulator, { retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 5 } });
      await client.getToken();
      simulator.faults.add({ route: 'GET /api/v2/Smart/Transactions/*', kind: 'status', status: 503, times: 10 });
      expect((await failureOf(client.getSmartTransaction('STX_ANY'))).code).toBe('api.server');
      expect(apiRequests(simulator, 'GET', '/api/v2/Smart/Transactions/')).toHaveLength(3);
    });

    it('waits as long as Retry-After says', async () => {
      const { client, sleeps } = clientFor(simulator);
      const created = await client.createSmartTransaction(bodyFor());
      simulator.faults.add({ route: 'GET /api/v2/Smart/Transactions/*', kind: 'retry-after', seconds: 2 });
      await client.getSmartTransaction(created.id);
      expect(sleeps).toEqual([2_000]);
    });

    it('retries the login on server trouble', async () => {
      const { client } = clientFor(simulator);
      simulator.faults.add({ route: '/oauth/token', kind: 'status', status: 502, times: 2 });
      await client.getToken();
      expect(simulator.stats.tokenRequests).toBe(3);
    });

    it('does not repeat a create after a 503', async () => {
      const { client } = clientFor(simulator);
      await client.getToken();
      simulator.faults.add({ route: 'POST /api/v2/Smart/Transactions', kind: 'status', status: 503, times: 5 });
      expect((await failureOf(client.createSmartTransaction(bodyFor()))).code).toBe('api.server');
      expect(apiRequests(simulator, 'POST', '/api/v2/Smart/Transactions')).toHaveLength(1);
    });
  });

  describe('a lost create answer', () => {
    it('is recovered by merchantRef, and exactly one transaction exists', async () => {
      const { client } = clientFor(simulator);
      await client.getToken();
      simulator.faults.add({ route: 'POST /api/v2/Smart/Transactions', kind: 'drop-after-processing' });
      const body = bodyFor();
      const transaction = await createPaymentLinkSafely(client, body);
      expect(transaction.merchantRef).toBe(body.merchantRef);
      expect(transaction.payment_links?.general).toBeTruthy();
      expect(apiRequests(simulator, 'POST', '/api/v2/Smart/Transactions')).toHaveLength(1);
      const list = await client.listSmartTransactions({ q: `merchantRef:${body.merchantRef}` });
      expect(list.count).toBe(1);
      expect(list.data[0]?.id).toBe(transaction.id);
    });

    it('is reported as garbled when the look-up finds nothing', async () => {
      const { client } = clientFor(simulator);
      simulator.faults.add({ route: 'POST /api/v2/Smart/Transactions', kind: 'malformed' });
      const body = bodyFor();
      // The simulator garbles this answer without creating anything: nothing to find, the failure stands.
      const failure = await failureOf(createPaymentLinkSafely(client, body));
      expect(failure.code).toBe('api.unexpected_response');
      expect(await client.findByMerchantRef(body.merchantRef)).toBeNull();
    });

    it('is reported when the create never happened, and nothing was created', async () => {
      const { client } = clientFor(simulator);
      await client.getToken();
      simulator.faults.add({ route: 'POST /api/v2/Smart/Transactions', kind: 'drop' });
      const body = bodyFor();
      expect((await failureOf(createPaymentLinkSafely(client, body))).code).toBe('network.connection_lost');
      expect(await client.findByMerchantRef(body.merchantRef)).toBeNull();
    });
  });
});

describe('token expiry', () => {
  it('renews a token rejected with 401 and repeats the call', async () => {
    const simulator = await startSimulator({ invalidTokenStatus: 401 });
    try {
      const { client } = clientFor(simulator);
      await client.getToken();
      simulator.control.expireAllTokens();
      await client.listSmartTransactions({ count: 1 });
      expect(simulator.stats.tokenRequests).toBe(2);
      expect(simulator.stats.requests.filter((r) => r.path !== '/oauth/token').map((r) => r.status)).toEqual([401, 200]);
    } finally {
      await simulator.stop();
    }
  });

  it('logs in again before the token runs out, without a rejected call', async () => {
    const simulator = await startSimulator({ tokenLifetimeSeconds: 60 });
    try {
      let clock = Date.now();
      const { client } = clientFor(simulator, { now: () => clock });
      await client.listSmartTransactions({ count: 1 });
      clock += 49_000;
      await client.listSmartTransactions({ count: 1 });
      expect(simulator.stats.tokenRequests).toBe(1);
      clock += 2_000; // 51 s: inside the 10 s margin before expiry
      await client.listSmartTransactions({ count: 1 });
      expect(simulator.stats.tokenRequests).toBe(2);
      expect(simulator.stats.requests.every((r) => r.status === 200)).toBe(true);
    } finally {
      await simulator.stop();
    }
  });

  it('recovers when the token really expired at the API', async () => {
    const simulator = await startSimulator({ tokenLifetimeSeconds: 1 });
    try {
      // A frozen clock makes the client trust its token past the API's expiry.
      const frozen = Date.now();
      const { client } = clientFor(simulator, { now: () => frozen });
      await client.listSmartTransactions({ count: 1 });
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      await client.listSmartTransactions({ count: 1 });
      expect(simulator.stats.tokenRequests).toBe(2);
      expect(simulator.stats.requests.filter((r) => r.path !== '/oauth/token').map((r) => r.status)).toEqual([200, 403, 200]);
    } finally {
      await simulator.stop();
    }
  });
});
