import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { isAppFailure } from '../../shared/errors';
import type { ErrorCode } from '../../shared/errors';
import type { CreateLinkInput, PaymentMethodChoice } from '../../shared/link';
import type { SecuconnectClient } from './client';
import type { BasketProductWire, CreateSmartTransactionBody, SmartTransaction } from './wire';
import type { BasketLine, RecordedBasketLine } from '../../shared/basket';

/** The ordinary checkout; required for Payment Links (seed tutorial, API-NOTES §4.1). */
export const PAYMENT_LINK_CHECKOUT_TEMPLATE = 'COT_WD0DE66HN2XWJHW8JM88003YG0NEA2';

export interface CreateLinkContext {
  contractId: string;
  /** True on the testing system and in Demo: the payment is not executed. */
  isDemo: boolean;
  /** Unique per create attempt; how a lost answer is found again. */
  merchantRef: string;
}

/**
 * A unique `merchantRef` for one create attempt, `LD-<desk id>-<22 random characters>` (34 in
 * all): recognisable as Link Desk's in secuOffice, and as this desk's by the others (see
 * desk-identity.ts). The API documents no maximum length (API-NOTES §11 q8); the 0.1 format had 39.
 */
export function newMerchantRef(deskId: string): string {
  return `LD-${deskId}-${randomBytes(16).toString('base64url')}`;
}

function withoutEmpty<T extends Record<string, string | undefined>>(fields: T): Partial<T> | undefined {
  const kept: Partial<T> = {};
  let any = false;
  for (const [name, value] of Object.entries(fields) as Array<[keyof T, string | undefined]>) {
    if (value !== undefined && value.trim() !== '') {
      kept[name] = value.trim() as T[keyof T];
      any = true;
    }
  }
  return any ? kept : undefined;
}

/** A basket line as a secuconnect product; the ids only number the lines of this basket. */
function basketProduct(line: BasketLine, index: number): BasketProductWire {
  return { id: index + 1, item_type: 'article', desc: line.name, quantity: line.quantity, priceOne: line.unitPriceCents, tax: line.vatRate };
}

const ProductReadSchema = z.looseObject({
  item_type: z.string().nullish(),
  desc: z.string(),
  quantity: z.number().int().positive(),
  priceOne: z.number().int(),
  tax: z.number().min(0).max(100).nullish(),
});

/**
 * What a transaction's basket says was sold, for a link another desk or a shop made. Only plain
 * articles are understood: a basket with coupons, shipping or sub-baskets is left out rather than
 * shown with a total that does not add up.
 */
export function basketLinesFromTransaction(transaction: SmartTransaction): RecordedBasketLine[] | undefined {
  const products = transaction.basket?.products;
  if (!products || products.length === 0) return undefined;
  const lines: RecordedBasketLine[] = [];
  for (const product of products) {
    const parsed = ProductReadSchema.safeParse(product);
    if (!parsed.success || (parsed.data.item_type ?? 'article') !== 'article') return undefined;
    lines.push({ name: parsed.data.desc, quantity: parsed.data.quantity, unitPriceCents: parsed.data.priceOne, vatRate: parsed.data.tax ?? 0 });
  }
  return lines;
}

/** The create request of the seed tutorial, with only the fields the merchant filled in. */
export function buildCreateSmartTransactionBody(input: CreateLinkInput, context: CreateLinkContext): CreateSmartTransactionBody {
  const customer = input.customer;
  const address = withoutEmpty({
    street: customer?.address?.street,
    street_number: customer?.address?.street_number,
    additional_address_data: customer?.address?.additional_address_data,
    postal_code: customer?.address?.postal_code,
    city: customer?.address?.city,
    country: customer?.address?.country,
  });
  const contactFields = withoutEmpty({
    salutation: customer?.salutation,
    companyname: customer?.companyname,
    forename: customer?.forename,
    surname: customer?.surname,
    email: customer?.email,
    phone: customer?.phone,
    mobile: customer?.mobile,
    dob: customer?.dob,
  });
  const contact = contactFields || address ? { ...contactFields, ...(address ? { address } : {}) } : undefined;
  const returnUrls = withoutEmpty({
    url_success: input.returnUrls.success,
    url_error: input.returnUrls.error,
    url_abort: input.returnUrls.abort,
  });
  const reference = input.reference.trim();

  return {
    intent: 'sale',
    contract: { id: context.contractId },
    ...(contact ? { customer: { contact } } : {}),
    ...(reference !== '' ? { transactionRef: reference } : {}),
    merchantRef: context.merchantRef,
    basket_info: { sum: input.amountCents, currency: input.currency },
    ...(input.basket ? { basket: { products: input.basket.map(basketProduct) } } : {}),
    application_context: {
      checkout_template: PAYMENT_LINK_CHECKOUT_TEMPLATE,
      language: input.language,
      ...(returnUrls ? { return_urls: returnUrls } : {}),
    },
    payment_context: {
      auto_capture: true,
      ...(input.paymentMethod !== 'any' ? { payment_methods: [input.paymentMethod] } : {}),
    },
    is_demo: context.isDemo,
  };
}

/**
 * The URL the QR code encodes. `general` lets the payer choose and is the preferred link
 * (PRODUCT.md); a method's own link is used when the merchant restricted the method, and
 * `general` stands in when the contract offers no separate link for it.
 */
export function pickPaymentUrl(paymentLinks: Record<string, string | null> | null | undefined, choice: PaymentMethodChoice): string | null {
  if (!paymentLinks) return null;
  const general = paymentLinks.general ?? null;
  if (choice === 'any') return general;
  return paymentLinks[choice] ?? general;
}

/** Failures after which the create may have happened at secuconnect without us hearing of it. */
export const ANSWER_MAY_BE_LOST: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'network.timeout',
  'network.connection_lost',
  'api.server',
  'api.unexpected_response',
]);

/**
 * Creates a payment link so that a lost answer never makes the payer pay twice: when the
 * answer does not arrive (or arrives garbled), the transaction is looked up by its unique
 * `merchantRef` and returned if it exists. Otherwise the original failure is rethrown, because
 * a failed look-up proves nothing either way.
 */
export async function createPaymentLinkSafely(client: SecuconnectClient, body: CreateSmartTransactionBody): Promise<SmartTransaction> {
  try {
    return await client.createSmartTransaction(body);
  } catch (error) {
    if (!isAppFailure(error) || !ANSWER_MAY_BE_LOST.has(error.code)) throw error;
    let existing: SmartTransaction | null;
    try {
      existing = await client.findByMerchantRef(body.merchantRef);
    } catch {
      throw error;
    }
    if (existing) return existing;
    throw error;
  }
}
