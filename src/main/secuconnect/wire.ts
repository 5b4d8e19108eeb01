import { z } from 'zod';
import { REFUND_REASON_PATTERN } from '../../shared/link';

/**
 * The secuconnect wire format (API-NOTES §2–§4, §6). Requests are built to these shapes and
 * checked before sending; responses are parsed from `unknown`. Response objects are loose:
 * the API adds fields over time and a new field must not break a merchant's counter.
 * Optional response fields are `nullish` because the API sends `null` for absent values
 * (seed tutorial: `"companyname": null`, `"payment_methods": null`).
 */

// ── OAuth (§2) ────────────────────────────────────────────────────────────────

export const TokenRequestBodySchema = z.object({
  grant_type: z.literal('client_credentials'),
  client_id: z.string().min(1),
  client_secret: z.string().min(1),
});
export type TokenRequestBody = z.infer<typeof TokenRequestBodySchema>;

/** `expires_in` is a number in every recording; a numeric string is tolerated, not expected. */
const SecondsSchema = z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]).pipe(z.number().int().nonnegative());

export const TokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  expires_in: SecondsSchema,
  token_type: z.string().nullish(),
  scope: z.string().nullish(),
});
export type TokenResponse = z.infer<typeof TokenResponseSchema>;

export const OAuthErrorSchema = z.looseObject({
  error: z.string(),
  error_description: z.string().nullish(),
});

// ── Error payload (§6.1) ─────────────────────────────────────────────────────

export const ApiErrorPayloadSchema = z.looseObject({
  status: z.literal('error'),
  error: z.string().nullish(),
  error_details: z.string().nullish(),
  error_user: z.string().nullish(),
  /** A JSON number in real payloads, a string in the SDK models (§11 question 10): accept both. */
  code: z.union([z.number(), z.string()]).nullish(),
  supportId: z.string().nullish(),
});
export type ApiErrorPayload = z.infer<typeof ApiErrorPayloadSchema>;

// ── Create request (§4.1) ─────────────────────────────────────────────────────

export const AddressWireSchema = z.object({
  street: z.string().optional(),
  street_number: z.string().optional(),
  additional_address_data: z.string().optional(),
  postal_code: z.string().optional(),
  city: z.string().optional(),
  country: z.string().optional(),
});

export const ContactWireSchema = z.object({
  salutation: z.string().optional(),
  companyname: z.string().optional(),
  forename: z.string().optional(),
  surname: z.string().optional(),
  email: z.string().optional(),
  phone: z.string().optional(),
  mobile: z.string().optional(),
  dob: z.string().optional(),
  address: AddressWireSchema.optional(),
});

export const ReturnUrlsWireSchema = z.object({
  url_success: z.string().optional(),
  url_error: z.string().optional(),
  url_abort: z.string().optional(),
});

/**
 * One basket product (API-NOTES §4.1, H – PHP-SDK `SmartTransactionsBasketProduct`: `id` int,
 * `item_type`, `desc`, `quantity` int, `priceOne` int in cents, `tax` int percent). The SDK's
 * product `sum` is documented as a sub-basket's total, so plain articles leave it out (M).
 */
export const BasketProductWireSchema = z.object({
  id: z.number().int().positive(),
  item_type: z.literal('article'),
  desc: z.string().min(1),
  quantity: z.number().int().positive(),
  priceOne: z.number().int().positive(),
  tax: z.number().int().min(0).max(100),
});
export type BasketProductWire = z.infer<typeof BasketProductWireSchema>;

export const CreateSmartTransactionBodySchema = z.object({
  intent: z.literal('sale'),
  contract: z.object({ id: z.string().min(1) }),
  customer: z.object({ contact: ContactWireSchema }).optional(),
  transactionRef: z.string().optional(),
  merchantRef: z.string().min(1),
  basket_info: z.object({ sum: z.number().int().positive(), currency: z.string().length(3) }),
  basket: z.object({ products: z.array(BasketProductWireSchema).min(1) }).optional(),
  application_context: z.object({
    checkout_template: z.string().min(1),
    language: z.enum(['de', 'en']),
    return_urls: ReturnUrlsWireSchema.optional(),
  }),
  payment_context: z.object({
    auto_capture: z.boolean(),
    payment_methods: z.array(z.string()).min(1).optional(),
  }),
  is_demo: z.boolean(),
});
export type CreateSmartTransactionBody = z.infer<typeof CreateSmartTransactionBodySchema>;

// ── Smart Transaction response (§4.2) ─────────────────────────────────────────

/** A nested object whose inside this app does not rely on (cheaper to check than a record). */
const OpaqueObjectSchema = z.looseObject({});

export const TransactionRefWireSchema = z.looseObject({
  id: z.string().min(1),
});

/**
 * Only the fields the app reads are checked; everything else (merchant, contract, customer,
 * contexts, …) passes through unchecked. Each checked field costs time on every poll, and the
 * client's overhead over a bare request is budgeted (bench/client.bench.ts).
 */
export const SmartTransactionSchema = z.looseObject({
  id: z.string().min(1),
  status: z.string().min(1),
  created: z.string().nullish(),
  updated: z.string().nullish(),
  transactionRef: z.string().nullish(),
  merchantRef: z.string().nullish(),
  basket_info: z.looseObject({ sum: z.number().int(), currency: z.string() }).nullish(),
  /** Read only to show what was sold; a product this app cannot read leaves the basket out (link-fields.ts). */
  basket: z.looseObject({ products: z.array(z.unknown()).nullish() }).nullish(),
  is_demo: z.boolean().nullish(),
  /** The method the payer used, e.g. `creditcard` (API-NOTES §4.2). */
  payment_method: z.string().nullish(),
  /** `PCI_…` payments; empty until the payer has paid (API-NOTES §4.2). */
  transactions: z.array(TransactionRefWireSchema).nullish(),
  /** Which keys appear depends on the merchant's contract (§4.2); values are opaque URLs. */
  payment_links: z.record(z.string(), z.string().nullable()).nullish(),
  payment_instructions: OpaqueObjectSchema.nullish(),
});
export type SmartTransaction = z.infer<typeof SmartTransactionSchema>;

/** `{count: <total matching>, data: [...]}` (API-NOTES §3.1, H); `scroll_id` may come along. */
export const SmartTransactionListSchema = z.looseObject({
  count: z.number().int().nonnegative(),
  data: z.array(SmartTransactionSchema),
});

export const ListSmartTransactionsQuerySchema = z.strictObject({
  count: z.number().int().min(1).max(1000).optional(),
  offset: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  sort: z.string().min(1).max(200).optional(),
  q: z.string().min(1).max(2000).optional(),
});
export type SmartTransactionList = { count: number; data: SmartTransaction[] };

// ── Payment Transaction (§3.2, §4.4) ──────────────────────────────────────────

export const ShippingInformationSchema = z.object({
  carrier: z.string().optional(),
  tracking_id: z.string().optional(),
  invoice_number: z.string().optional(),
  shipped_at: z.string().optional(),
  order_id: z.string().optional(),
});
export type ShippingInformation = z.infer<typeof ShippingInformationSchema>;

export const CaptureBodySchema = z.object({ shipping_information: ShippingInformationSchema.optional() });

/** §8: refund reasons are limited in length and alphabet (confidence H); one rule for the form and the wire. */
export { REFUND_REASON_PATTERN };

export const RefundBodySchema = z.object({
  reduce_amount_by: z.number().int().positive(),
  reason: z.string().regex(REFUND_REASON_PATTERN, { message: 'validation.refund_reason' }).optional(),
});

export const PaymentTransactionSchema = z.looseObject({
  object: z.string().nullish(),
  id: z.string().min(1),
  trans_id: z.union([z.number(), z.string()]).nullish(),
  transaction_hash: z.string().nullish(),
  product: z.string().nullish(),
  /** Minor units; negative for a refund transaction (§4.4). */
  amount: z.number().int(),
  currency: z.string().nullish(),
  created: z.string().nullish(),
  updated: z.string().nullish(),
  status: z.union([z.number(), z.string()]).nullish(),
  status_text: z.string().nullish(),
  details: z.looseObject({
    status_simple: z.union([z.number(), z.string()]).nullish(),
    status_simple_text: z.string().nullish(),
    amount: z.number().nullish(),
  }).nullish(),
  related_transactions: z.array(z.looseObject({
    id: z.string().nullish(),
    hierarchy: z.string().nullish(),
  })).nullish(),
});
export type PaymentTransaction = z.infer<typeof PaymentTransactionSchema>;

export const PaymentTransactionArraySchema = z.array(PaymentTransactionSchema);
