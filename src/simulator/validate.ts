import { z } from 'zod';
import { ApiError, invalidValue, missingValue } from './api-errors';

/** The one checkout template a Payment Link may use (seed tutorial; API-NOTES §4.1, H). */
export const PAYMENT_LINK_TEMPLATE = 'COT_WD0DE66HN2XWJHW8JM88003YG0NEA2';

/** Methods `payment_context.payment_methods` may name (API-NOTES §4.1, H; eps from pretix, M). */
export const KNOWN_METHODS = ['creditcard', 'debit', 'easycredit', 'eps', 'giropay', 'invoice', 'paypal', 'prepaid', 'sofort'] as const;

/** Currencies the docs name (API-NOTES §8, H); the real list depends on the contract. */
export const CURRENCIES = ['EUR', 'CHF', 'GBP', 'USD'] as const;

const optionalText = z.string().nullable().optional();

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

function isPastOrTodayDate(value: string): boolean {
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value) && date.getTime() <= Date.now();
}

/** Each return URL ≤ 2000 characters (DOC:Return_URLs, H); that they must be http(s) is assumed (L). */
const ReturnUrlSchema = z.string().max(2000).refine(isHttpUrl).optional();

const AddressSchema = z.looseObject({
  street: optionalText,
  street_number: optionalText,
  additional_address_data: optionalText,
  postal_code: optionalText,
  city: optionalText,
  country: z.string().regex(/^[A-Z]{2}$/).nullable().optional(),
});

const ContactSchema = z.looseObject({
  salutation: optionalText,
  title: optionalText,
  forename: optionalText,
  surname: optionalText,
  name: optionalText,
  companyname: optionalText,
  /** The tutorial's spelling of `companyname`. */
  company_name: optionalText,
  gender: optionalText,
  email: z.email().nullable().optional(),
  phone: optionalText,
  mobile: optionalText,
  fax: optionalText,
  dob: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine(isPastOrTodayDate).nullable().optional(),
  birthplace: optionalText,
  nationality: optionalText,
  url_website: optionalText,
  address: AddressSchema.nullable().optional(),
});

/** `item_type` values of the SDK's basket product (API-NOTES §4.1, H – PHP-SDK SmartTransactionsBasketProduct). */
export const BASKET_ITEM_TYPES = ['article', 'coupon', 'sub_transaction', 'stakeholder_payment', 'shipping', 'subscription'] as const;

/**
 * A basket product as the PHP SDK models it: `id` int, `desc` string, `quantity` int, `priceOne`
 * int (smallest unit), `tax` int percent, `sum` int (H for names and types). Which of them the API
 * requires is not documented (L): description, quantity and unit price are required here because
 * the payment page cannot show a line without them. Negative unit prices stay allowed (coupons).
 */
const BasketProductSchema = z.looseObject({
  id: z.number().int().optional(),
  item_type: z.enum(BASKET_ITEM_TYPES).optional(),
  desc: z.string().refine((text) => text.trim() !== ''),
  quantity: z.number().int().positive(),
  priceOne: z.number().int(),
  tax: z.number().int().min(0).max(100).optional(),
  sum: z.number().int().optional(),
});

const BasketSchema = z.looseObject({
  products: z.array(BasketProductSchema),
  type: z.string().optional(),
});

export const CreateSmartTransactionSchema = z.looseObject({
  is_demo: z.boolean().optional(),
  intent: z.enum(['sale', 'order']),
  contract: z.looseObject({ id: z.string().min(1) }),
  customer: z
    .looseObject({ id: z.string().regex(/^PCU_[0-9A-Z]{30}$/).optional(), contact: ContactSchema.nullable().optional() })
    .nullable()
    .optional(),
  shipping_address: z.record(z.string(), z.unknown()).nullable().optional(),
  transactionRef: optionalText,
  merchantRef: optionalText,
  // Payment Links collect a real payment, so the loyalty `sum: 0` shell (API-NOTES §8) is refused.
  basket_info: z.looseObject({ sum: z.number().int().positive(), currency: z.enum(CURRENCIES) }),
  basket: BasketSchema.optional(),
  application_context: z
    .looseObject({
      checkout_template: z.literal(PAYMENT_LINK_TEMPLATE).optional(),
      language: z.enum(['de', 'en']).optional(),
      return_urls: z
        .looseObject({
          url_success: ReturnUrlSchema,
          url_error: ReturnUrlSchema,
          url_abort: ReturnUrlSchema,
          url_push: ReturnUrlSchema,
          url_failure: ReturnUrlSchema,
        })
        .optional(),
    })
    .optional(),
  payment_context: z
    .looseObject({
      auto_capture: z.boolean().optional(),
      payment_methods: z.array(z.enum(KNOWN_METHODS)).nullable().optional(),
    })
    .optional(),
  delivery_options: z.record(z.string(), z.unknown()).nullable().optional(),
});
export type CreateSmartTransactionRequest = z.infer<typeof CreateSmartTransactionSchema>;

/**
 * The first failing field as the API error the client maps to a form field:
 * `Missing value for <path>` when absent, else `Invalid value for <path>`.
 */
export function apiErrorFromZod(error: z.ZodError): ApiError {
  const issue = error.issues[0];
  if (!issue) return invalidValue('(body)');
  let path = issue.path.map(String).join('.') || '(body)';
  // The contract is an object only for its id: name the field a person would fill in.
  if (path === 'contract') path = 'contract.id';
  // Parsed with reportInput, so every issue carries its input; an absent field has none.
  const input: unknown = 'input' in issue ? issue.input : undefined;
  const absent = input === undefined || input === null;
  return absent ? missingValue(path) : invalidValue(path);
}

export function parseWith<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body, { reportInput: true });
  if (!result.success) throw apiErrorFromZod(result.error);
  return result.data;
}

/**
 * `basket_info.sum` must equal the basket total when a basket is sent (API-NOTES §8, H). A
 * product's own `sum` counts instead of quantity × unit price: the SDK describes it as the total of
 * a sub-basket (M), so it need not equal the product's own price.
 */
export function checkBasketSum(request: CreateSmartTransactionRequest): void {
  if (!request.basket) return;
  const total = request.basket.products.reduce((acc, p) => acc + (p.sum ?? p.quantity * p.priceOne), 0);
  if (total !== request.basket_info.sum) throw invalidValue('basket_info.sum');
}

export const DeliveryRequestSchema = z.object({
  delivery_options: z.discriminatedUnion('type', [
    z.looseObject({
      type: z.literal('shipping'),
      shipped_at: z.iso.datetime({ offset: true }).optional(),
      shipped_by: optionalText,
      tracking_code: optionalText,
      invoice_number: optionalText,
    }),
    z.looseObject({
      type: z.literal('collection'),
      delivered_at: z.iso.datetime({ offset: true }).optional(),
      store_id: optionalText,
    }),
  ]),
});

export const CaptureRequestSchema = z
  .looseObject({
    shipping_information: z
      .looseObject({
        carrier: optionalText,
        tracking_id: optionalText,
        invoice_number: optionalText,
        shipped_at: optionalText,
        order_id: optionalText,
      })
      .optional(),
  })
  .nullable()
  .optional();

/** Refund `reason` charset and length are documented (DOC:Cancel_or_Refund_a_Payment, H). */
export const RefundRequestSchema = z
  .looseObject({
    reduce_amount_by: z.number().int().positive().optional(),
    reason: z.string().regex(/^[A-Za-z0-9 .,+\-:?()/']{0,100}$/).optional(),
  })
  .nullable()
  .optional();
