import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNT, startSimulator, type RunningSimulator } from '../../src/simulator';
import { call, createLink, linkRequest, readSeedExamples, tokenFor } from './simulator-helpers';

const seed = readSeedExamples();
const SEED_ACCOUNT = {
  clientId: String(seed.tokenRequest.client_id),
  clientSecret: String(seed.tokenRequest.client_secret),
  contractId: 'GCR_KTSST836QYITQJM1JGYIZ4F4OLKI04',
};

let sim: RunningSimulator;
let token: string;

beforeAll(async () => {
  sim = await startSimulator({ accounts: [DEMO_ACCOUNT, SEED_ACCOUNT], testControl: true });
  token = await tokenFor(sim);
});
afterAll(async () => {
  await sim.stop();
});

describe('conformance with the Payment Link tutorial', () => {
  it('answers the tutorial token request with the tutorial response shape', async () => {
    const answer = await call(sim, 'POST', '/oauth/token', { body: seed.tokenRequest });
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.json).sort()).toEqual(Object.keys(seed.tokenResponse).sort());
    expect(answer.json).toMatchObject({ expires_in: seed.tokenResponse.expires_in, token_type: 'bearer', scope: seed.tokenResponse.scope });
    expect(answer.json.access_token).toMatch(/^[0-9a-z]{26}$/);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(answer.headers.get('pragma')).toBe('no-cache');
    expect(answer.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('accepts the tutorial create request verbatim and answers with every field of the example response', async () => {
    const seedToken = await tokenFor(sim, SEED_ACCOUNT);
    const answer = await call(sim, 'POST', '/api/v2/Smart/Transactions', { token: seedToken, body: seed.createRequest });
    expect(answer.status).toBe(200);
    const stx = answer.json;
    for (const key of Object.keys(seed.createResponse)) expect(stx, `missing ${key}`).toHaveProperty(key);
    expect(stx.object).toBe('smart.transactions');
    expect(stx.id).toMatch(/^STX_[0-9A-Z]{30}$/);
    expect(stx.status).toBe('created');
    expect(stx.created).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
    expect(stx.updated).toBe(stx.created);
    expect(stx.transactions).toEqual([]);
    expect(stx.merchant).toMatchObject({ object: 'general.merchants', id: expect.stringMatching(/^MRC_[0-9A-Z]{30}$/) });
    expect(stx.contract).toEqual({ object: 'general.contracts', id: SEED_ACCOUNT.contractId });
    expect(stx.transactionRef).toBe(seed.createRequest.transactionRef);
    expect(stx.basket_info).toEqual({ sum: 17500, currency: 'EUR' });
    expect(stx.is_demo).toBe(true);
    expect(stx.intent).toBe('sale');
    expect(stx.application_context).toEqual(seed.createRequest.application_context);
    expect(stx.payment_context.auto_capture).toBe(true);

    // The contact comes back shaped as in the tutorial's answer.
    const expectedCustomer = seed.createResponse.customer as { object: string; contact: Record<string, unknown> };
    expect(stx.customer.object).toBe(expectedCustomer.object);
    expect(stx.customer.id).toMatch(/^PCU_[0-9A-Z]{30}$/);
    expect(stx.customer.contact).toEqual(expectedCustomer.contact);
  });

  it('builds payment links like the tutorial: general plus one per method, with stx, contract and server', async () => {
    const stx = await createLink(sim, token);
    const expected = seed.createResponse.payment_links as Record<string, string>;
    const general = new URL(stx.payment_links.general);
    const seedGeneral = new URL(expected.general ?? '');
    expect([...general.searchParams.keys()]).toEqual([...seedGeneral.searchParams.keys()]);
    expect(general.searchParams.get('stx')).toBe(stx.id);
    expect(general.searchParams.get('contract')).toBe(DEMO_ACCOUNT.contractId);
    expect(general.searchParams.get('server')).toBe('testing');
    expect(stx.payment_links.general).toBe(`${sim.baseUrl}/pay?stx=${stx.id}&contract=${DEMO_ACCOUNT.contractId}&server=testing`);
    expect(Object.keys(stx.payment_links)).toEqual(['general', 'creditcard', 'debit', 'invoice', 'paypal', 'prepaid']);
    const seedCard = new URL(expected.creditcard ?? '');
    expect([...new URL(stx.payment_links.creditcard).searchParams.keys()]).toEqual([...seedCard.searchParams.keys()]);
    expect(stx.payment_links.creditcard).toBe(`${sim.baseUrl}/pay?payment-method=creditcard&stx=${stx.id}&contract=${DEMO_ACCOUNT.contractId}&server=testing`);
  });

  it('offers only the requested methods (plus general) when payment_context restricts them', async () => {
    const stx = await createLink(sim, token, { payment_context: { auto_capture: true, payment_methods: ['paypal', 'prepaid'] } });
    expect(Object.keys(stx.payment_links)).toEqual(['general', 'paypal', 'prepaid']);
    expect(stx.payment_context.payment_methods).toEqual(['paypal', 'prepaid']);
  });
});

describe('OAuth', () => {
  const good = { grant_type: 'client_credentials', client_id: DEMO_ACCOUNT.clientId, client_secret: DEMO_ACCOUNT.clientSecret };

  it('issues a token for a form-encoded request', async () => {
    const answer = await call(sim, 'POST', '/oauth/token', {
      body: new URLSearchParams(good).toString(),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/json; charset=UTF-8');
    expect(answer.json.access_token).toMatch(/^[0-9a-z]{26}$/);
  });

  it.each([
    ['JSON', (b: Record<string, string>) => ({ body: b })],
    ['form', (b: Record<string, string>) => ({ body: new URLSearchParams(b).toString(), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } })],
  ])('refuses wrong credentials (%s) with exactly the recorded invalid_client answer', async (_kind, build) => {
    for (const body of [{ ...good, client_secret: 'wrong' }, { ...good, client_id: '' }]) {
      const answer = await call(sim, 'POST', '/oauth/token', build(body));
      expect(answer.status).toBe(400);
      expect(answer.statusText).toBe('Bad Request');
      expect(answer.text).toBe('{"error":"invalid_client","error_description":"The client credentials are invalid"}');
      expect(answer.headers.get('content-length')).toBe('83');
    }
  });

  it('refuses other grant types', async () => {
    const answer = await call(sim, 'POST', '/oauth/token', { body: { ...good, grant_type: 'password' } });
    expect(answer.status).toBe(400);
    expect(answer.json.error).toBe('unsupported_grant_type');
  });

  it('does not let one account read another account’s transactions', async () => {
    const stx = await createLink(sim, token);
    const other = await tokenFor(sim, SEED_ACCOUNT);
    const answer = await call(sim, 'GET', `/api/v2/Smart/Transactions/${stx.id}`, { token: other });
    expect(answer.status).toBe(404);
  });
});

describe('bearer tokens', () => {
  it.each([
    ['no Authorization header', undefined],
    ['an unknown token', 'abcdefghijklmnopqrstuvwxyz'],
  ])('answers %s with 403 ProductNotAllowedException code 2003', async (_case, bad) => {
    const answer = await call(sim, 'GET', '/api/v2/Smart/Transactions', { token: bad });
    expect(answer.status).toBe(403);
    expect(answer.statusText).toBe('ProductNotAllowedException');
    expect(answer.json).toMatchObject({ status: 'error', error: 'ProductNotAllowedException', error_details: 'Valid auth token required', code: 2003 });
    expect(answer.json.error_user).toContain('2003');
    expect(answer.json.supportId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('answers 401 when configured so', async () => {
    const strict = await startSimulator({ invalidTokenStatus: 401 });
    try {
      const answer = await call(strict, 'GET', '/api/v2/Smart/Transactions', { token: 'nope' });
      expect(answer.status).toBe(401);
      expect(answer.json.code).toBe(2003);
    } finally {
      await strict.stop();
    }
  });

  it('stops accepting a token after its lifetime and after expireAllTokens', async () => {
    const short = await startSimulator({ tokenLifetimeSeconds: 1 });
    try {
      const tokenAnswer = await call(short, 'POST', '/oauth/token', {
        body: { grant_type: 'client_credentials', client_id: DEMO_ACCOUNT.clientId, client_secret: DEMO_ACCOUNT.clientSecret },
      });
      expect(tokenAnswer.json.expires_in).toBe(1);
      const shortToken = tokenAnswer.json.access_token as string;
      expect((await call(short, 'GET', '/api/v2/Smart/Transactions', { token: shortToken })).status).toBe(200);
      await new Promise((r) => setTimeout(r, 1100));
      expect((await call(short, 'GET', '/api/v2/Smart/Transactions', { token: shortToken })).status).toBe(403);

      const fresh = await tokenFor(short);
      expect((await call(short, 'GET', '/api/v2/Smart/Transactions', { token: fresh })).status).toBe(200);
      short.control.expireAllTokens();
      expect((await call(short, 'GET', '/api/v2/Smart/Transactions', { token: fresh })).status).toBe(403);
    } finally {
      await short.stop();
    }
  });
});

/** One product of a 17,50 € basket, broken in one way each, as the SDK's basket product model types it. */
function basketProductCases(): Array<[string, Record<string, unknown>, string]> {
  const good = { id: 1, item_type: 'article', desc: 'Tea', quantity: 2, priceOne: 875, tax: 19 };
  const withProduct = (changes: Record<string, unknown>) => {
    const product: Record<string, unknown> = { ...good, ...changes };
    for (const [key, value] of Object.entries(changes)) if (value === undefined) delete product[key];
    return { basket: { products: [product] } };
  };
  return [
    ['product without desc', withProduct({ desc: undefined }), 'Missing value for basket.products.0.desc'],
    ['product with an empty desc', withProduct({ desc: '  ' }), 'Invalid value for basket.products.0.desc'],
    ['product desc as a number', withProduct({ desc: 42 }), 'Invalid value for basket.products.0.desc'],
    ['product without quantity', withProduct({ quantity: undefined }), 'Missing value for basket.products.0.quantity'],
    ['fractional quantity', withProduct({ quantity: 1.5 }), 'Invalid value for basket.products.0.quantity'],
    ['zero quantity', withProduct({ quantity: 0 }), 'Invalid value for basket.products.0.quantity'],
    ['product without priceOne', withProduct({ priceOne: undefined }), 'Missing value for basket.products.0.priceOne'],
    ['priceOne in euros', withProduct({ priceOne: 8.75 }), 'Invalid value for basket.products.0.priceOne'],
    ['priceOne as text', withProduct({ priceOne: '875' }), 'Invalid value for basket.products.0.priceOne'],
    ['tax as a fraction', withProduct({ tax: 0.19 }), 'Invalid value for basket.products.0.tax'],
    ['tax as text', withProduct({ tax: '19' }), 'Invalid value for basket.products.0.tax'],
    ['id as text', withProduct({ id: 'one' }), 'Invalid value for basket.products.0.id'],
    ['unknown item_type', withProduct({ item_type: 'service' }), 'Invalid value for basket.products.0.item_type'],
    ['product sum as text', withProduct({ sum: '1750' }), 'Invalid value for basket.products.0.sum'],
    ['product sum that misses basket_info.sum', withProduct({ sum: 1700 }), 'Invalid value for basket_info.sum'],
    ['products that are not a list', { basket: { products: good } }, 'Invalid value for basket.products'],
  ];
}

describe('create validation names the failing field', () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['missing contract', { contract: undefined }, 'Missing value for contract.id'],
    ['unknown contract', { contract: { id: 'GCR_UNKNOWN000000000000000000000000' } }, 'Invalid value for contract.id'],
    ['another account’s contract', { contract: { id: SEED_ACCOUNT.contractId } }, 'Invalid value for contract.id'],
    ['missing intent', { intent: undefined }, 'Missing value for intent'],
    ['unknown intent', { intent: 'gift' }, 'Invalid value for intent'],
    ['wrong checkout template', { application_context: { checkout_template: 'COT_QV85D3F542XWFFJYCSWG00W400YWAT' } }, 'Invalid value for application_context.checkout_template'],
    ['missing sum', { basket_info: { currency: 'EUR' } }, 'Missing value for basket_info.sum'],
    ['zero sum', { basket_info: { sum: 0, currency: 'EUR' } }, 'Invalid value for basket_info.sum'],
    ['negative sum', { basket_info: { sum: -5, currency: 'EUR' } }, 'Invalid value for basket_info.sum'],
    ['fractional sum', { basket_info: { sum: 17.5, currency: 'EUR' } }, 'Invalid value for basket_info.sum'],
    ['sum as text', { basket_info: { sum: '1750', currency: 'EUR' } }, 'Invalid value for basket_info.sum'],
    ['unsupported currency', { basket_info: { sum: 100, currency: 'JPY' } }, 'Invalid value for basket_info.currency'],
    ['bad e-mail', { customer: { contact: { email: 'max@' } } }, 'Invalid value for customer.contact.email'],
    ['bad birth date format', { customer: { contact: { dob: '31.12.1965' } } }, 'Invalid value for customer.contact.dob'],
    ['impossible birth date', { customer: { contact: { dob: '1965-02-30' } } }, 'Invalid value for customer.contact.dob'],
    ['bad country', { customer: { contact: { address: { country: 'Germany' } } } }, 'Invalid value for customer.contact.address.country'],
    ['too long return URL', { application_context: { return_urls: { url_success: `https://shop.example/${'a'.repeat(2000)}` } } }, 'Invalid value for application_context.return_urls.url_success'],
    ['return URL that is no URL', { application_context: { return_urls: { url_error: 'not a url' } } }, 'Invalid value for application_context.return_urls.url_error'],
    ['unknown payment method', { payment_context: { payment_methods: ['cash'] } }, 'Invalid value for payment_context.payment_methods.0'],
    [
      'basket total different from the sum',
      { basket: { products: [{ desc: 'Tea', quantity: 2, priceOne: 500, tax: 19 }] }, basket_info: { sum: 1750, currency: 'EUR' } },
      'Invalid value for basket_info.sum',
    ],
    ...basketProductCases(),
  ];

  it.each(cases)('%s', async (_name, overrides, details) => {
    const body = linkRequest(overrides);
    for (const [key, value] of Object.entries(overrides)) if (value === undefined) delete body[key];
    const answer = await call(sim, 'POST', '/api/v2/Smart/Transactions', { token, body });
    expect(answer.status).toBe(400);
    expect(answer.statusText).toBe('ProductFormatException');
    expect(answer.json).toMatchObject({ status: 'error', error: 'ProductFormatException', error_details: details });
    expect(answer.json.supportId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('accepts a basket whose total matches the sum, and echoes it with type "default"', async () => {
    const products = [
      { id: 1, item_type: 'article', desc: 'Tea', quantity: 2, priceOne: 500, tax: 19 },
      { id: 2, item_type: 'article', desc: 'Cup', quantity: 1, priceOne: 750, tax: 7 },
    ];
    const stx = await createLink(sim, token, { basket: { products } });
    expect(stx.basket).toEqual({ products, type: 'default' });
    expect((await call(sim, 'GET', `/api/v2/Smart/Transactions/${stx.id}`, { token })).json.basket).toEqual({ products, type: 'default' });
  });

  it('refuses a body that is not JSON', async () => {
    const answer = await call(sim, 'POST', '/api/v2/Smart/Transactions', { token, body: '{"intent":' });
    expect(answer.status).toBe(400);
    expect(answer.json.error).toBe('ProductFormatException');
  });
});

describe('reading Smart Transactions', () => {
  it('reads one by id and answers 404 ProductNotFoundException for an unknown id', async () => {
    const stx = await createLink(sim, token);
    const read = await call(sim, 'GET', `/api/v2/Smart/Transactions/${stx.id}`, { token });
    expect(read.status).toBe(200);
    expect(read.json).toEqual(stx);

    const missing = await call(sim, 'GET', '/api/v2/Smart/Transactions/STX_000000000000000000000000000000', { token });
    expect(missing.status).toBe(404);
    expect(missing.statusText).toBe('ProductNotFoundException');
    expect(missing.json).toMatchObject({ status: 'error', error: 'ProductNotFoundException' });
    expect((await call(sim, 'GET', '/api/v2/Payment/Transactions/PCI_000000000000000000000000000000', { token })).status).toBe(404);
  });

  it('lists with q, count, offset and sort', async () => {
    const marker = `Q${Date.now()}`;
    const a = await createLink(sim, token, { merchantRef: `${marker}-a`, transactionRef: 'List test', basket_info: { sum: 300, currency: 'EUR' } });
    const b = await createLink(sim, token, { merchantRef: `${marker}-b`, transactionRef: 'List test', basket_info: { sum: 100, currency: 'EUR' } });
    const c = await createLink(sim, token, { merchantRef: `${marker}-c`, transactionRef: 'List test', basket_info: { sum: 200, currency: 'EUR' } });
    const paid = await sim.control.pay(c.id, 'creditcard');

    const byRef = await call(sim, 'GET', `/api/v2/Smart/Transactions?q=${encodeURIComponent(`merchantRef:${marker}-b`)}`, { token });
    expect(byRef.json.count).toBe(1);
    expect(byRef.json.data[0].id).toBe(b.id);

    const wildcard = `merchantRef:${marker}-*`;
    const sorted = await call(sim, 'GET', `/api/v2/Smart/Transactions?q=${encodeURIComponent(wildcard)}&sort=basket_info.sum:desc&count=2&offset=1`, { token });
    expect(sorted.json.count).toBe(3);
    expect(sorted.json.data.map((s: { id: string }) => s.id)).toEqual([c.id, b.id]);

    const combined = `transactionRef:"List test" AND status:ok AND merchantRef:${marker}-*`;
    const ok = await call(sim, 'GET', `/api/v2/Smart/Transactions?q=${encodeURIComponent(combined)}`, { token });
    expect(ok.json.data.map((s: { id: string }) => s.id)).toEqual([c.id]);

    const byPayment = await call(sim, 'GET', `/api/v2/Smart/Transactions?q=${encodeURIComponent(`transactions.id:${paid.transactions[0]?.id}`)}&count=1`, { token });
    expect(byPayment.json.data.map((s: { id: string }) => s.id)).toEqual([c.id]);

    const byId = await call(sim, 'GET', `/api/v2/Smart/Transactions?q=${encodeURIComponent(`id:${a.id}`)}`, { token });
    expect(byId.json).toMatchObject({ count: 1, data: [{ id: a.id }] });
  });

  it('refuses a query it cannot evaluate instead of returning everything', async () => {
    const answer = await call(sim, 'GET', `/api/v2/Smart/Transactions?q=${encodeURIComponent('status:ok OR status:failed')}`, { token });
    expect(answer.status).toBe(400);
    expect(answer.json.error_details).toBe('Invalid value for q');
  });
});
