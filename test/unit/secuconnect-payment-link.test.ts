import { describe, expect, it, vi } from 'vitest';
import { AppFailure } from '../../src/shared/errors';
import { CreateLinkInputSchema } from '../../src/shared/link';
import type { CreateLinkFormInput } from '../../src/shared/link';
import {
  CreateSmartTransactionBodySchema,
  SmartTransactionSchema,
  basketLinesFromTransaction,
  buildCreateSmartTransactionBody,
  createPaymentLinkSafely,
  fieldsFromErrorDetails,
  newMerchantRef,
  pickPaymentUrl,
} from '../../src/main/secuconnect';
import type { SecuconnectClient, SmartTransaction } from '../../src/main/secuconnect';

const CONTEXT = { contractId: 'GCR_KTSST836QYITQJM1JGYIZ4F4OLKI04', isDemo: true, merchantRef: 'LD-42' };

function input(overrides: Partial<CreateLinkFormInput> = {}) {
  return CreateLinkInputSchema.parse({
    amountCents: 17500,
    currency: 'EUR',
    reference: '',
    language: 'de',
    paymentMethod: 'any',
    returnUrls: { success: '', error: '', abort: '' },
    ...overrides,
  });
}

describe('buildCreateSmartTransactionBody', () => {
  it('builds the seed tutorial request from a full form', () => {
    const body = buildCreateSmartTransactionBody(
      input({
        reference: 'Test secupay',
        language: 'en',
        paymentMethod: 'invoice',
        customer: {
          salutation: 'Mr.',
          companyname: 'Muster GmbH',
          forename: 'Max',
          surname: 'Mustermann',
          email: 'max@example.org',
          phone: '+49 555 5555555',
          mobile: '+49 177 5555555',
          dob: '1965-12-31',
          address: { street: 'Musterstr.', street_number: '11', additional_address_data: 'App. 302', postal_code: '09123', city: 'Musterstadt', country: 'de' },
        },
        returnUrls: { success: 'https://shop.example.com/ok', error: 'https://shop.example.com/failed', abort: 'https://shop.example.com/aborted' },
      }),
      CONTEXT,
    );
    expect(body).toEqual({
      intent: 'sale',
      contract: { id: 'GCR_KTSST836QYITQJM1JGYIZ4F4OLKI04' },
      customer: {
        contact: {
          salutation: 'Mr.',
          companyname: 'Muster GmbH',
          forename: 'Max',
          surname: 'Mustermann',
          email: 'max@example.org',
          phone: '+49 555 5555555',
          mobile: '+49 177 5555555',
          dob: '1965-12-31',
          address: { street: 'Musterstr.', street_number: '11', additional_address_data: 'App. 302', postal_code: '09123', city: 'Musterstadt', country: 'DE' },
        },
      },
      transactionRef: 'Test secupay',
      merchantRef: 'LD-42',
      basket_info: { sum: 17500, currency: 'EUR' },
      application_context: {
        checkout_template: 'COT_WD0DE66HN2XWJHW8JM88003YG0NEA2',
        language: 'en',
        return_urls: { url_success: 'https://shop.example.com/ok', url_error: 'https://shop.example.com/failed', url_abort: 'https://shop.example.com/aborted' },
      },
      payment_context: { auto_capture: true, payment_methods: ['invoice'] },
      is_demo: true,
    });
    // The client sends built bodies without re-checking them, so the builder must keep to the schema.
    expect(CreateSmartTransactionBodySchema.safeParse(body).success).toBe(true);
  });

  it('leaves out everything the merchant did not fill in', () => {
    const body = buildCreateSmartTransactionBody(
      input({ customer: { forename: '', email: '', address: { city: '', country: '' } }, returnUrls: { success: 'https://shop.example.com/ok', error: '', abort: '' } }),
      { ...CONTEXT, isDemo: false },
    );
    expect(body).toEqual({
      intent: 'sale',
      contract: { id: CONTEXT.contractId },
      merchantRef: 'LD-42',
      basket_info: { sum: 17500, currency: 'EUR' },
      application_context: { checkout_template: 'COT_WD0DE66HN2XWJHW8JM88003YG0NEA2', language: 'de', return_urls: { url_success: 'https://shop.example.com/ok' } },
      payment_context: { auto_capture: true },
      is_demo: false,
    });
    expect(CreateSmartTransactionBodySchema.safeParse(body).success).toBe(true);
  });

  it('sends an address alone when only the address was given', () => {
    const body = buildCreateSmartTransactionBody(input({ customer: { address: { city: 'Dresden' } } }), CONTEXT);
    expect(body.customer).toEqual({ contact: { address: { city: 'Dresden' } } });
    expect(body.application_context).not.toHaveProperty('return_urls');
  });
});

describe('the basket on the wire', () => {
  const basket = [
    { itemId: 'coffee', name: 'Kaffee', quantity: 2, unitPriceCents: 280, vatRate: 19 as const },
    { name: 'Betrag', quantity: 1, unitPriceCents: 1000, vatRate: 0 as const },
  ];

  it('sends the lines as secuconnect article products whose total is basket_info.sum', () => {
    const body = CreateSmartTransactionBodySchema.parse(buildCreateSmartTransactionBody(input({ amountCents: 1560, basket }), CONTEXT));
    expect(body.basket_info.sum).toBe(1560);
    expect(body.basket).toEqual({
      products: [
        { id: 1, item_type: 'article', desc: 'Kaffee', quantity: 2, priceOne: 280, tax: 19 },
        { id: 2, item_type: 'article', desc: 'Betrag', quantity: 1, priceOne: 1000, tax: 0 },
      ],
    });
  });

  it('refuses a basket whose total is not the amount, before anything is sent', () => {
    expect(CreateLinkInputSchema.safeParse({ ...input(), amountCents: 1500, basket }).success).toBe(false);
  });

  it('sends no basket for a plain amount', () => {
    expect(buildCreateSmartTransactionBody(input(), CONTEXT)).not.toHaveProperty('basket');
  });

  const transaction = (products: unknown) => SmartTransactionSchema.parse({ id: 'STX_1', status: 'created', basket: { type: 'default', products } });

  it("reads another desk's or a shop's articles back as lines (tax missing reads as 0 %)", () => {
    expect(basketLinesFromTransaction(transaction([
      { id: 1, item_type: 'article', desc: 'Brezel', quantity: 3, priceOne: 120, tax: 7 },
      { id: 2, desc: 'Sticker', quantity: 1, priceOne: 50 },
    ]))).toEqual([
      { name: 'Brezel', quantity: 3, unitPriceCents: 120, vatRate: 7 },
      { name: 'Sticker', quantity: 1, unitPriceCents: 50, vatRate: 0 },
    ]);
  });

  it('leaves out a basket it cannot show faithfully: coupons, shipping, unreadable products', () => {
    expect(basketLinesFromTransaction(transaction([{ item_type: 'coupon', desc: '-10 %', quantity: 1, priceOne: -100 }]))).toBeUndefined();
    expect(basketLinesFromTransaction(transaction([{ desc: 'no quantity', priceOne: 100 }]))).toBeUndefined();
    expect(basketLinesFromTransaction(transaction([]))).toBeUndefined();
    expect(basketLinesFromTransaction(SmartTransactionSchema.parse({ id: 'STX_2', status: 'created' }))).toBeUndefined();
  });
});

describe('pickPaymentUrl', () => {
  const links = { general: 'https://pay/general', creditcard: 'https://pay/cc', invoice: null };

  it('uses the general link when the payer may choose', () => {
    expect(pickPaymentUrl(links, 'any')).toBe('https://pay/general');
  });
  it("uses the method's own link when the merchant restricted the method", () => {
    expect(pickPaymentUrl(links, 'creditcard')).toBe('https://pay/cc');
  });
  it('falls back to the general link when the contract has no link for the method', () => {
    expect(pickPaymentUrl(links, 'invoice')).toBe('https://pay/general');
    expect(pickPaymentUrl(links, 'paypal')).toBe('https://pay/general');
  });
  it('has nothing to show without links', () => {
    expect(pickPaymentUrl(null, 'any')).toBeNull();
    expect(pickPaymentUrl({ creditcard: 'https://pay/cc' }, 'any')).toBeNull();
  });
});

describe('fieldsFromErrorDetails', () => {
  it.each([
    ['Invalid value for basket_info.sum', { amountCents: 'validation.api_invalid' }],
    ['Invalid value for basket_info.currency', { currency: 'validation.api_invalid' }],
    ['Invalid value for transactionRef', { reference: 'validation.api_invalid' }],
    ['Invalid value for customer.contact.email', { 'customer.email': 'validation.api_invalid' }],
    ['Invalid value for customer.contact.dob', { 'customer.dob': 'validation.api_invalid' }],
    ['Invalid value for customer.contact.address.country', { 'customer.address.country': 'validation.api_invalid' }],
    ['Invalid value for application_context.return_urls.url_success', { 'returnUrls.success': 'validation.api_invalid' }],
    ['Invalid value for application_context.return_urls.url_error', { 'returnUrls.error': 'validation.api_invalid' }],
    ['Invalid value for application_context.return_urls.url_abort', { 'returnUrls.abort': 'validation.api_invalid' }],
    ['Missing value for contract', { contractId: 'validation.required' }],
    ['Invalid value for contract.id', { contractId: 'validation.api_invalid' }],
  ])('%s', (details, fields) => {
    expect(fieldsFromErrorDetails(details)).toEqual(fields);
  });

  it('names no field for text it cannot place', () => {
    expect(fieldsFromErrorDetails('Action not allowed for this contract')).toBeUndefined();
    expect(fieldsFromErrorDetails('Invalid value for container.id')).toBeUndefined();
    expect(fieldsFromErrorDetails(null)).toBeUndefined();
  });
});

describe('createPaymentLinkSafely', () => {
  const body = buildCreateSmartTransactionBody(input(), CONTEXT);
  const created = { id: 'STX_FOUND', status: 'created', merchantRef: 'LD-42' } as SmartTransaction;

  function clientWith(create: () => Promise<SmartTransaction>, find: (ref: string) => Promise<SmartTransaction | null>) {
    const findByMerchantRef = vi.fn(find);
    const client = { createSmartTransaction: vi.fn(create), findByMerchantRef } as unknown as SecuconnectClient;
    return { client, findByMerchantRef };
  }

  it.each(['network.connection_lost', 'network.timeout', 'api.server', 'api.unexpected_response'] as const)(
    'finds the link by merchantRef after %s instead of creating it twice',
    async (code) => {
      const { client, findByMerchantRef } = clientWith(
        () => Promise.reject(new AppFailure({ code, message: 'lost' })),
        async () => created,
      );
      await expect(createPaymentLinkSafely(client, body)).resolves.toBe(created);
      expect(findByMerchantRef).toHaveBeenCalledWith('LD-42');
      expect(client.createSmartTransaction).toHaveBeenCalledTimes(1);
    },
  );

  it('rethrows the original failure when the link does not exist', async () => {
    const { client } = clientWith(() => Promise.reject(new AppFailure({ code: 'network.timeout', message: 'no answer' })), async () => null);
    await expect(createPaymentLinkSafely(client, body)).rejects.toMatchObject({ code: 'network.timeout' });
  });

  it('rethrows the original failure when the look-up fails too', async () => {
    const { client } = clientWith(
      () => Promise.reject(new AppFailure({ code: 'network.connection_lost', message: 'lost' })),
      () => Promise.reject(new AppFailure({ code: 'network.offline', message: 'offline' })),
    );
    await expect(createPaymentLinkSafely(client, body)).rejects.toMatchObject({ code: 'network.connection_lost' });
  });

  it('does not look anything up after a clear refusal', async () => {
    const { client, findByMerchantRef } = clientWith(
      () => Promise.reject(new AppFailure({ code: 'api.validation', message: 'bad' })),
      async () => created,
    );
    await expect(createPaymentLinkSafely(client, body)).rejects.toMatchObject({ code: 'api.validation' });
    expect(findByMerchantRef).not.toHaveBeenCalled();
  });
});

it('gives every link its own merchantRef', () => {
  const refs = new Set(Array.from({ length: 100 }, () => newMerchantRef('0be1a2c3')));
  expect(refs.size).toBe(100);
  for (const ref of refs) expect(ref).toMatch(/^LD-0be1a2c3-[A-Za-z0-9_-]{22}$/);
});
