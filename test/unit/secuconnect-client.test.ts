import { describe, expect, it } from 'vitest';
import { AppFailure } from '../../src/shared/errors';
import { createSecuconnectClient, TokenCache } from '../../src/main/secuconnect';
import type { RequestInfo, SecuconnectClientOptions } from '../../src/main/secuconnect';

const BASE = 'https://connect-testing.example.test';
const SECRET = 'very-secret-value-4711';
const TOKEN = 'qb56tjj1bcvo9n2nj4u38k84lo';

interface SeenRequest {
  method: string;
  url: URL;
  headers: Headers;
  body: unknown;
}

type Handler = (request: SeenRequest, index: number) => Response | Promise<Response>;

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
}

function apiError(status: number, error: string, details: string, code: number | string, extra: Record<string, unknown> = {}): Response {
  return json(status, {
    status: 'error',
    error,
    error_details: details,
    error_user: `Es ist ein unbekannter Fehler aufgetreten (Code ${code})`,
    code,
    supportId: '0123456789abcdef0123456789abcdef',
    ...extra,
  });
}

function networkError(code: string): TypeError {
  return new TypeError('fetch failed', { cause: Object.assign(new Error(code), { code }) });
}

function stx(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
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
    some_future_field: { nested: true },
    ...overrides,
  };
}

const tokenOk = (token = TOKEN, expiresIn = 1200) =>
  json(200, { access_token: token, expires_in: expiresIn, token_type: 'bearer', scope: 'https://scope.secucard.com/e/api' });

/**
 * A scripted secuconnect: token requests and API requests get their own handlers, every request
 * is recorded.
 */
function fakeApi(api: Handler, token: Handler = () => tokenOk()) {
  const seen: SeenRequest[] = [];
  let apiIndex = 0;
  let tokenIndex = 0;
  const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    const body = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
    const request: SeenRequest = { method: init?.method ?? 'GET', url, headers: new Headers(init?.headers), body };
    seen.push(request);
    if (url.pathname === '/oauth/token') return token(request, tokenIndex++);
    return api(request, apiIndex++);
  }) as typeof fetch;
  return {
    fetch: fetchImpl,
    seen,
    tokenRequests: () => seen.filter((r) => r.url.pathname === '/oauth/token'),
    apiRequests: () => seen.filter((r) => r.url.pathname !== '/oauth/token'),
  };
}

function makeClient(fake: { fetch: typeof fetch }, overrides: Partial<SecuconnectClientOptions> = {}) {
  const sleeps: number[] = [];
  const client = createSecuconnectClient({
    baseUrl: BASE,
    clientId: 'client-1',
    getClientSecret: async () => SECRET,
    fetch: fake.fetch,
    tokenCache: new TokenCache(),
    random: () => 0.5,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    retry: { attempts: 3, baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 10_000 },
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

describe('token handling', () => {
  it('logs in with client credentials as JSON and sends the token as a bearer', async () => {
    const fake = fakeApi(() => json(200, stx()));
    const { client } = makeClient(fake);
    await client.getSmartTransaction('STX_2AUSR7M6B2NHPG3C4JTKBEY07YXSAZ');

    const [login] = fake.tokenRequests();
    expect(login?.method).toBe('POST');
    expect(login?.headers.get('content-type')).toBe('application/json');
    expect(login?.body).toEqual({ grant_type: 'client_credentials', client_id: 'client-1', client_secret: SECRET });
    const [read] = fake.apiRequests();
    expect(read?.url.pathname).toBe('/api/v2/Smart/Transactions/STX_2AUSR7M6B2NHPG3C4JTKBEY07YXSAZ');
    expect(read?.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
  });

  it('reuses one token until 10 s before it expires, then logs in again', async () => {
    let clock = 1_000_000;
    const fake = fakeApi(() => json(200, stx()), (_r, i) => tokenOk(`token-${i}`, 1200));
    const { client } = makeClient(fake, { now: () => clock });
    await client.getSmartTransaction('STX_A');
    clock += 1_189_000;
    await client.getSmartTransaction('STX_A');
    expect(fake.tokenRequests()).toHaveLength(1);
    clock += 2_000;
    await client.getSmartTransaction('STX_A');
    expect(fake.tokenRequests()).toHaveLength(2);
    expect(fake.apiRequests()[2]?.headers.get('authorization')).toBe('Bearer token-1');
  });

  it('lets concurrent callers share one login', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const fake = fakeApi(() => json(200, stx()), async () => {
      await gate;
      return tokenOk();
    });
    const { client } = makeClient(fake);
    const reads = Array.from({ length: 20 }, () => client.getSmartTransaction('STX_A'));
    release();
    await Promise.all(reads);
    expect(fake.tokenRequests()).toHaveLength(1);
    expect(fake.apiRequests()).toHaveLength(20);
  });

  it('shares the token between two clients of the same account but not across accounts', async () => {
    const fake = fakeApi(() => json(200, stx()), (_r, i) => tokenOk(`token-${i}`));
    const cache = new TokenCache();
    const first = makeClient(fake, { tokenCache: cache }).client;
    const second = makeClient(fake, { tokenCache: cache, baseUrl: `${BASE}/` }).client;
    const other = makeClient(fake, { tokenCache: cache, clientId: 'client-2' }).client;
    await first.getSmartTransaction('STX_A');
    await second.getSmartTransaction('STX_A');
    expect(fake.tokenRequests()).toHaveLength(1);
    await other.getSmartTransaction('STX_A');
    expect(fake.tokenRequests()).toHaveLength(2);
  });

  it.each([
    ['401', () => json(401, { error: 'unauthorized' })],
    ['403 with code 2003', () => apiError(403, 'ProductNotAllowedException', 'Valid auth token required', 2003)],
    ['403 with code "2003"', () => apiError(403, 'ProductNotAllowedException', 'Valid auth token required', '2003')],
  ])('renews a rejected token (%s) once and repeats the call', async (_name, rejection) => {
    const fake = fakeApi((_r, i) => (i === 0 ? rejection() : json(200, stx())), (_r, i) => tokenOk(`token-${i}`));
    const { client } = makeClient(fake);
    const transaction = await client.getSmartTransaction('STX_A');
    expect(transaction.status).toBe('created');
    expect(fake.tokenRequests()).toHaveLength(2);
    expect(fake.apiRequests().map((r) => r.headers.get('authorization'))).toEqual(['Bearer token-0', 'Bearer token-1']);
  });

  it('renews a rejected token even for a create, because the API did not act on it', async () => {
    const fake = fakeApi((_r, i) => (i === 0 ? apiError(403, 'ProductNotAllowedException', 'Valid auth token required', 2003) : json(200, stx())));
    const { client } = makeClient(fake);
    await client.cancelSmartTransaction('STX_A');
    expect(fake.apiRequests()).toHaveLength(2);
  });

  it('gives up after one renewal when even the new token is rejected', async () => {
    const fake = fakeApi(() => apiError(403, 'ProductNotAllowedException', 'Valid auth token required', 2003));
    const { client } = makeClient(fake);
    const failure = await failureOf(client.getSmartTransaction('STX_A'));
    expect(failure.code).toBe('api.not_allowed');
    expect(fake.tokenRequests()).toHaveLength(2);
    expect(fake.apiRequests()).toHaveLength(2);
  });

  it('does not renew the token on a 403 that is about permissions', async () => {
    const fake = fakeApi(() => apiError(403, 'ProductNotAllowedException', 'access denied', 2001));
    const { client } = makeClient(fake);
    const failure = await failureOf(client.getSmartTransaction('STX_A'));
    expect(failure.code).toBe('api.not_allowed');
    expect(failure.message).toContain('access denied');
    expect(fake.tokenRequests()).toHaveLength(1);
    expect(fake.apiRequests()).toHaveLength(1);
  });

  it.each([400, 401])('reports wrong credentials (%i invalid_client) in words a merchant understands', async (status) => {
    const fake = fakeApi(
      () => json(200, stx()),
      () => json(status, { error: 'invalid_client', error_description: 'The client credentials are invalid' }),
    );
    const { client } = makeClient(fake);
    const failure = await failureOf(client.testConnection());
    expect(failure.code).toBe('auth.invalid_credentials');
    expect(failure.message).toMatch(/client id and client secret/);
    expect(fake.tokenRequests()).toHaveLength(1);
    expect(fake.apiRequests()).toHaveLength(0);
  });

  it('says so when no secret is stored, without calling the API', async () => {
    const fake = fakeApi(() => json(200, stx()));
    const { client } = makeClient(fake, { getClientSecret: async () => '' });
    const failure = await failureOf(client.getSmartTransaction('STX_A'));
    expect(failure.code).toBe('auth.missing_secret');
    expect(fake.seen).toHaveLength(0);
  });

  it('passes on a keychain failure from the secret store as it is', async () => {
    const fake = fakeApi(() => json(200, stx()));
    const { client } = makeClient(fake, {
      getClientSecret: async () => {
        throw new AppFailure({ code: 'keychain.unavailable', message: 'No keychain' });
      },
    });
    expect((await failureOf(client.getToken())).code).toBe('keychain.unavailable');
  });

  it('tests the connection with a fresh login and reports the token lifetime', async () => {
    const fake = fakeApi(() => json(200, stx()), () => tokenOk(TOKEN, 1200));
    const { client } = makeClient(fake);
    await client.getToken();
    const result = await client.testConnection();
    expect(result.tokenExpiresInSeconds).toBe(1200);
    expect(fake.tokenRequests()).toHaveLength(2);
  });

  it('retries the login on server trouble', async () => {
    const fake = fakeApi(() => json(200, stx()), (_r, i) => (i < 2 ? json(503, {}) : tokenOk()));
    const { client } = makeClient(fake);
    await client.getToken();
    expect(fake.tokenRequests()).toHaveLength(3);
  });

  it('rejects a login answer without a token as unexpected', async () => {
    const fake = fakeApi(() => json(200, stx()), () => json(200, { token_type: 'bearer' }));
    const { client } = makeClient(fake);
    const failure = await failureOf(client.getToken());
    expect(failure.code).toBe('api.unexpected_response');
    expect(failure.message).toContain('access_token');
    expect(failure.message).toContain('expires_in');
  });
});

describe('error mapping', () => {
  it('turns a validation error into api.validation with form fields, German text and support id', async () => {
    const fake = fakeApi(() =>
      apiError(400, 'ProductFormatException', 'Invalid value for customer.contact.email; Missing value for contract', 4001),
    );
    const { client } = makeClient(fake);
    const failure = await failureOf(client.getSmartTransaction('STX_A'));
    expect(failure.toValue()).toEqual({
      code: 'api.validation',
      message: 'secuconnect did not accept the data (ProductFormatException): Invalid value for customer.contact.email; Missing value for contract',
      userMessage: 'Es ist ein unbekannter Fehler aufgetreten (Code 4001)',
      supportId: '0123456789abcdef0123456789abcdef',
      fields: { 'customer.email': 'validation.api_invalid', contractId: 'validation.required' },
    });
  });

  it.each([
    [404, 'ProductNotFoundException', 'api.not_found'],
    [403, 'ProductNotAllowedException', 'api.not_allowed'],
    [418, 'TeapotException', 'api.unexpected_response'],
  ])('maps HTTP %i to its code', async (status, name, code) => {
    const fake = fakeApi(() => apiError(status, name, 'something', 0));
    const { client } = makeClient(fake);
    const failure = await failureOf(client.getSmartTransaction('STX_A'));
    expect(failure.code).toBe(code);
    expect(failure.supportId).toBe('0123456789abcdef0123456789abcdef');
  });

  it('names every path of a Smart Transaction it does not understand', async () => {
    const fake = fakeApi(() => json(200, { object: 'smart.transactions', id: 42, basket_info: { sum: '17.50', currency: 'EUR' } }));
    const { client } = makeClient(fake);
    const failure = await failureOf(client.getSmartTransaction('STX_A'));
    expect(failure.code).toBe('api.unexpected_response');
    expect(failure.message).toContain('id:');
    expect(failure.message).toContain('status:');
    expect(failure.message).toContain('basket_info.sum:');
  });

  it('tolerates fields it does not know and nulls for absent values', async () => {
    const fake = fakeApi(() => json(200, stx({ customer: { id: 'PCU_1', contact: { companyname: null } }, payment_method: null })));
    const { client } = makeClient(fake);
    const transaction = await client.getSmartTransaction('STX_A');
    expect(transaction.some_future_field).toEqual({ nested: true });
  });

  it('treats a success without a JSON body as unexpected', async () => {
    const fake = fakeApi(() => new Response('<html>Maintenance</html>', { status: 200, headers: { 'Content-Type': 'text/html' } }));
    const { client } = makeClient(fake);
    const failure = await failureOf(client.getSmartTransaction('STX_A'));
    expect(failure.code).toBe('api.unexpected_response');
    expect(failure.message).toContain('not JSON');
  });

  it('maps a proxy error page (5xx, HTML) to api.server', async () => {
    const fake = fakeApi(() => new Response('<html>Bad Gateway</html>', { status: 502 }));
    const { client } = makeClient(fake);
    const failure = await failureOf(client.getSmartTransaction('STX_A'));
    expect(failure.code).toBe('api.server');
    expect(failure.message).toContain('502');
  });

  it('never lets the secret or the token into an error, even when the server echoes them', async () => {
    const fake = fakeApi(
      () => apiError(400, 'ProductFormatException', `Invalid value for contract (token ${TOKEN})`, 4001, { error_user: `Token ${TOKEN}` }),
      (_r, i) => (i === 0 ? tokenOk() : json(400, { error: 'invalid_client', error_description: `secret ${SECRET} is wrong` })),
    );
    const { client } = makeClient(fake);
    const failures = [await failureOf(client.getSmartTransaction('STX_A')), await failureOf(client.testConnection())];
    for (const failure of failures) {
      const everything = `${failure.message} ${JSON.stringify(failure.toValue())} ${String(failure.stack)}`;
      expect(everything).not.toContain(SECRET);
      expect(everything).not.toContain(TOKEN);
    }
    expect(failures[0]?.code).toBe('api.validation');
    expect(failures[1]?.code).toBe('auth.invalid_credentials');
  });

  it('reports each HTTP exchange without tokens or bodies', async () => {
    const infos: RequestInfo[] = [];
    const fake = fakeApi(() => json(200, stx()));
    const { client } = makeClient(fake, { onRequest: (info) => infos.push(info) });
    await client.getSmartTransaction('STX_A');
    expect(infos.map(({ method, path, status }) => ({ method, path, status }))).toEqual([
      { method: 'POST', path: '/oauth/token', status: 200 },
      { method: 'GET', path: '/api/v2/Smart/Transactions/STX_A', status: 200 },
    ]);
    expect(JSON.stringify(infos)).not.toContain(TOKEN);
    expect(infos.every((info) => info.durationMs >= 0)).toBe(true);
  });
});

describe('retries', () => {
  it('retries a read on 5xx with growing, jittered pauses and then succeeds', async () => {
    const fake = fakeApi((_r, i) => (i < 3 ? apiError(503, 'ProductInternalException', 'Proxy: Backend not available', 0) : json(200, stx())));
    const { client, sleeps } = makeClient(fake);
    await client.getSmartTransaction('STX_A');
    expect(fake.apiRequests()).toHaveLength(4);
    // random() = 0.5 → three quarters of 100, 200, 400 ms.
    expect(sleeps).toEqual([75, 150, 300]);
  });

  it('spreads pauses with the random source and caps them', async () => {
    const values = [0, 1, 0, 1, 0];
    const fake = fakeApi(() => json(500, {}));
    const { client, sleeps } = makeClient(fake, {
      random: () => values.shift() ?? 0,
      retry: { attempts: 5, baseDelayMs: 100, maxDelayMs: 300, maxRetryAfterMs: 10_000 },
    });
    const failure = await failureOf(client.getSmartTransaction('STX_A'));
    expect(failure.code).toBe('api.server');
    expect(sleeps).toEqual([50, 200, 150, 300, 150]);
  });

  it('stops after the configured number of extra tries', async () => {
    const fake = fakeApi(() => apiError(500, 'ProductInternalException', 'Proxy: Backend not availble', 0));
    const { client } = makeClient(fake, { retry: { attempts: 2 } });
    const failure = await failureOf(client.listSmartTransactions());
    expect(failure.code).toBe('api.server');
    expect(failure.message).toContain('Backend not availble');
    expect(fake.apiRequests()).toHaveLength(3);
  });

  it('honours Retry-After on 429, capped, and reports api.rate_limited when it persists', async () => {
    const fake = fakeApi((_r, i) => json(429, { status: 'error', error: 'TooMany', code: 0 }, { 'Retry-After': i === 0 ? '2' : '3600' }));
    const { client, sleeps } = makeClient(fake);
    const failure = await failureOf(client.getSmartTransaction('STX_A'));
    expect(failure.code).toBe('api.rate_limited');
    expect(sleeps).toEqual([2_000, 10_000, 10_000]);
    expect(fake.apiRequests()).toHaveLength(4);
  });

  it('repeats a create refused with 429, since the API did not act on it', async () => {
    const fake = fakeApi((_r, i) => (i === 0 ? json(429, {}, { 'Retry-After': '1' }) : json(200, stx())));
    const { client, sleeps } = makeClient(fake);
    await client.cancelSmartTransaction('STX_A');
    expect(fake.apiRequests()).toHaveLength(2);
    expect(sleeps).toEqual([1_000]);
  });

  it('does not repeat a create, cancel or refund after a 5xx', async () => {
    const fake = fakeApi(() => json(503, {}));
    const { client } = makeClient(fake);
    expect((await failureOf(client.cancelSmartTransaction('STX_A'))).code).toBe('api.server');
    expect((await failureOf(client.refundPaymentTransaction('PCI_A', { reduceAmountByCents: 100 }))).code).toBe('api.server');
    expect(fake.apiRequests()).toHaveLength(2);
  });

  it('retries a read after the connection was reset', async () => {
    const fake = fakeApi((_r, i) => {
      if (i === 0) throw networkError('ECONNRESET');
      return json(200, stx());
    });
    const { client } = makeClient(fake);
    await client.getSmartTransaction('STX_A');
    expect(fake.apiRequests()).toHaveLength(2);
  });

  it('does not repeat a cancel whose answer was lost', async () => {
    const fake = fakeApi(() => {
      throw networkError('UND_ERR_SOCKET');
    });
    const { client } = makeClient(fake);
    const failure = await failureOf(client.cancelSmartTransaction('STX_A'));
    expect(failure.code).toBe('network.connection_lost');
    expect(fake.apiRequests()).toHaveLength(1);
  });

  it('reports network.offline when the host cannot be reached at all', async () => {
    const fake = fakeApi(() => json(200, stx()), () => {
      throw networkError('ENOTFOUND');
    });
    const { client } = makeClient(fake);
    const failure = await failureOf(client.getToken());
    expect(failure.code).toBe('network.offline');
    expect(fake.tokenRequests()).toHaveLength(4);
  });

  it('reports network.timeout when no answer comes in time', async () => {
    const hang: typeof fetch = (async (_input: string | URL | Request, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      })) as typeof fetch;
    const { client } = makeClient({ fetch: hang }, { timeoutMs: 20, retry: { attempts: 0 } });
    const failure = await failureOf(client.getToken());
    expect(failure.code).toBe('network.timeout');
  });
});

describe('calls', () => {
  it('lists with the query parameters and finds a transaction only by its exact merchantRef', async () => {
    const fake = fakeApi(() => json(200, { count: 2, data: [stx({ id: 'STX_B', merchantRef: 'LD-10' }), stx({ id: 'STX_C', merchantRef: 'LD-1' })] }));
    const { client } = makeClient(fake);
    const found = await client.findByMerchantRef('LD-1');
    expect(found?.id).toBe('STX_C');
    const url = fake.apiRequests()[0]?.url;
    expect(url?.pathname).toBe('/api/v2/Smart/Transactions');
    // Quoted: the hyphen is a Lucene operator character (list-queries.ts).
    expect(url?.searchParams.get('q')).toBe('merchantRef:"LD-1"');

    const list = await client.listSmartTransactions({ count: 5, offset: 10, sort: 'created:desc' });
    expect(list.count).toBe(2);
    expect(Object.fromEntries(fake.apiRequests()[1]?.url.searchParams ?? [])).toEqual({ count: '5', offset: '10', sort: 'created:desc' });
  });

  it('quotes a merchantRef that is not a single plain term', async () => {
    const fake = fakeApi(() => json(200, { count: 0, data: [] }));
    const { client } = makeClient(fake);
    await client.findByMerchantRef('Order 17 "A"');
    expect(fake.apiRequests()[0]?.url.searchParams.get('q')).toBe('merchantRef:"Order 17 \\"A\\""');
  });

  it('returns null when no transaction carries the merchantRef', async () => {
    const fake = fakeApi(() => json(200, { count: 0, data: [] }));
    const { client } = makeClient(fake);
    expect(await client.findByMerchantRef('LD-404')).toBeNull();
  });

  it('sends the documented bodies for capture (mark as shipped) and refund', async () => {
    const pci = { object: 'payment.transactions', id: 'PCI_A', amount: 1750, currency: 'EUR' };
    const fake = fakeApi((request) => {
      if (request.url.pathname.endsWith('/capture')) return json(200, pci);
      return json(200, [{ ...pci, amount: 1750 }, { ...pci, id: 'PCI_B', amount: -500 }]);
    });
    const { client } = makeClient(fake);
    await client.capturePaymentTransaction('PCI_A', { carrier: 'DHL', invoice_number: 'R-1' });
    const refund = await client.refundPaymentTransaction('PCI_A', { reduceAmountByCents: 500, reason: 'Returned goods' });
    expect(refund.map((t) => t.amount)).toEqual([1750, -500]);
    expect(fake.apiRequests().map((r) => [r.method, r.url.pathname, r.body])).toEqual([
      ['POST', '/api/v2/Payment/Transactions/PCI_A/capture', { shipping_information: { carrier: 'DHL', invoice_number: 'R-1' } }],
      ['POST', '/api/v2/Payment/Transactions/PCI_A/cancel', { reduce_amount_by: 500, reason: 'Returned goods' }],
    ]);
  });

  it('refuses a refund reason the API would reject, without sending it', async () => {
    const fake = fakeApi(() => json(200, []));
    const { client } = makeClient(fake);
    const failure = await failureOf(client.refundPaymentTransaction('PCI_A', { reduceAmountByCents: 500, reason: 'Rückgabe €' }));
    expect(failure.code).toBe('api.validation');
    expect(failure.fields).toEqual({ reason: 'validation.refund_reason' });
    expect(fake.seen).toHaveLength(0);
  });

  it('escapes ids in paths', async () => {
    const fake = fakeApi(() => json(200, stx()));
    const { client } = makeClient(fake);
    await client.getSmartTransaction('STX_A/../../oauth');
    expect(fake.apiRequests()[0]?.url.pathname).toBe('/api/v2/Smart/Transactions/STX_A%2F..%2F..%2Foauth');
  });
});
