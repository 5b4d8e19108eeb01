import { z } from 'zod';
import { CURRENCIES, MAX_AMOUNT_CENTS } from './money';
import { EnvironmentSchema, LanguageSchema, ReturnUrlSchema } from './settings';
import { BasketSchema, RecordedBasketLineSchema, basketTotalCents } from './basket';

/** Methods a link can be restricted to (API-NOTES §4.1 `payment_context.payment_methods`). */
export const PAYMENT_METHODS = ['creditcard', 'debit', 'invoice', 'paypal', 'prepaid', 'sofort'] as const;
export const PaymentMethodSchema = z.enum(PAYMENT_METHODS);
export type PaymentMethod = z.infer<typeof PaymentMethodSchema>;
export const PaymentMethodChoiceSchema = z.union([z.literal('any'), PaymentMethodSchema]);
export type PaymentMethodChoice = z.infer<typeof PaymentMethodChoiceSchema>;

/** Optional text; an empty string means "not given" (the form sends what the fields hold). */
const optionalText = (max: number) => z.string().trim().max(max, { message: 'validation.too_long' }).optional();

function isPastIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value) && date.getTime() < Date.now() && date.getUTCFullYear() >= 1900;
}

/** ISO 3166-1 alpha-2, upper case (API-NOTES §8). The renderer offers a picker; this guards the wire. */
export const CountryCodeSchema = z.string().trim().toUpperCase().regex(/^[A-Z]{2}$/, { message: 'validation.country' });

/** Built once: every record read from the history is checked with it. */
const EMAIL = z.email();

/** Field limits follow pretix's truncation lengths (API-NOTES §8, confidence L) where known. */
export const CustomerSchema = z.object({
  salutation: optionalText(10),
  companyname: optionalText(50),
  forename: optionalText(50),
  surname: optionalText(50),
  email: z.string().trim().max(254, { message: 'validation.too_long' }).optional()
    .refine((v) => v === undefined || v === '' || EMAIL.safeParse(v).success, { message: 'validation.email' }),
  phone: optionalText(30).refine((v) => !v || /^[+0-9 ()/-]{3,30}$/.test(v), { message: 'validation.phone' }),
  mobile: optionalText(30).refine((v) => !v || /^[+0-9 ()/-]{3,30}$/.test(v), { message: 'validation.phone' }),
  dob: z.string().trim().max(10, { message: 'validation.dob' }).optional().refine((v) => !v || isPastIsoDate(v), { message: 'validation.dob' }),
  address: z.object({
    street: optionalText(50),
    street_number: optionalText(10),
    additional_address_data: optionalText(50),
    postal_code: optionalText(10),
    city: optionalText(50),
    country: z.union([z.literal(''), CountryCodeSchema]).optional(),
  }).strict().optional(),
}).strict();
export type Customer = z.infer<typeof CustomerSchema>;
export type CustomerInput = z.input<typeof CustomerSchema>;

export const ReturnUrlsSchema = z.object({ success: ReturnUrlSchema, error: ReturnUrlSchema, abort: ReturnUrlSchema }).strict();

/** What the "New payment link" form sends to main. Amount is already in cents. */
export const CreateLinkInputSchema = z.object({
  amountCents: z.number({ message: 'amount.invalid' }).int({ message: 'amount.too_many_decimals' })
    .positive({ message: 'amount.not_positive' }).max(MAX_AMOUNT_CENTS, { message: 'amount.too_large' }),
  currency: z.enum(CURRENCIES),
  reference: z.string().trim().max(140, { message: 'validation.too_long' })
    .refine((v) => !/[\u0000-\u001f]/.test(v), { message: 'validation.reference' }),
  language: LanguageSchema,
  paymentMethod: PaymentMethodChoiceSchema,
  customer: CustomerSchema.optional(),
  returnUrls: ReturnUrlsSchema,
  /** Quick-pick items and free lines; when given, the amount is their total. */
  basket: BasketSchema.optional(),
}).strict().refine((input) => !input.basket || basketTotalCents(input.basket) === input.amountCents, {
  path: ['amountCents'],
  message: 'basket.sum_mismatch',
});
export type CreateLinkInput = z.infer<typeof CreateLinkInputSchema>;
export type CreateLinkFormInput = z.input<typeof CreateLinkInputSchema>;

/** Where a link was made, as the account's transactions tell (see `linkOrigin` in main). */
export const LINK_ORIGINS = ['this-desk', 'other-desk', 'elsewhere'] as const;
export const LinkOriginSchema = z.enum(LINK_ORIGINS);
export type LinkOrigin = z.infer<typeof LinkOriginSchema>;

/** One refund as the history keeps it, with the refund transaction ids the API answered with. */
export const RefundEntrySchema = z.object({
  at: z.string(),
  amountCents: z.number().int().positive(),
  reason: z.string().optional(),
  refundTransactionIds: z.array(z.string()),
});
export type RefundEntry = z.infer<typeof RefundEntrySchema>;

export const ShipmentEntrySchema = z.object({
  at: z.string(),
  carrier: z.string().optional(),
  trackingId: z.string().optional(),
  invoiceNumber: z.string().optional(),
});
export type ShipmentEntry = z.infer<typeof ShipmentEntrySchema>;

/**
 * One payment link as this desk remembers it (the history's record). Written *before* the
 * create request is sent (`state: 'creating'`, keyed by its unique merchantRef) so that a
 * lost answer or a crash can be reconciled later instead of creating the link twice.
 */
export const LinkRecordSchema = z.object({
  merchantRef: z.string().min(1),
  state: z.enum(['creating', 'created', 'create_failed']),
  /** Smart Transaction id (`STX_…`), once the API has answered. */
  id: z.string().nullable(),
  environment: EnvironmentSchema,
  /** Which account the link belongs to (base URL + client id): the watcher polls per account. */
  accountKey: z.string(),
  isDemo: z.boolean(),
  status: z.string().nullable(),
  amountCents: z.number().int(),
  currency: z.string(),
  reference: z.string(),
  language: LanguageSchema,
  paymentMethod: PaymentMethodChoiceSchema,
  customer: CustomerSchema.optional(),
  returnUrls: ReturnUrlsSchema.optional(),
  /** What was sold, when the link was made from a basket (its total is `amountCents`). */
  basket: z.array(RecordedBasketLineSchema).optional(),
  /** The link the QR encodes (`payment_links.general`, or the chosen method's link). */
  paymentUrl: z.string().nullable(),
  paymentLinks: z.record(z.string(), z.string()),
  /** `PCI_…` of the payment, once one exists. */
  transactionId: z.string().nullable(),
  /** The method the payer used, e.g. `creditcard`. */
  paidWith: z.string().nullable(),
  /** Sum of {@link refunds}: derived from the history's refund rows, never stored on its own. */
  refundedCents: z.number().int().min(0),
  /** Every refund of this link, oldest first (the history's refunds table). */
  refunds: z.array(RefundEntrySchema),
  /** The latest "Mark as shipped" (the history's shipments table). */
  shipped: ShipmentEntrySchema.nullable(),
  /** Which desk made it: this one, another Link Desk on the account, or elsewhere (secuOffice, a shop). Derived from the merchantRef. */
  origin: LinkOriginSchema,
  /** The name of the desk it was created on (Settings), when a Link Desk made it. */
  deskName: z.string().max(40).optional(),
  paymentInstructions: z.record(z.string(), z.unknown()).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  lastCheckedAt: z.string().nullable(),
  /** Why creating failed, for `create_failed` records. */
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});
export type LinkRecord = z.infer<typeof LinkRecordSchema>;

/** "Mark as shipped" for invoice payments (API-NOTES §3.2 `shipping_information`). */
export const ShipInputSchema = z.object({
  merchantRef: z.string().min(1).max(100),
  carrier: z.string().trim().max(50, { message: 'validation.too_long' }).optional(),
  trackingId: z.string().trim().max(100, { message: 'validation.too_long' }).optional(),
  invoiceNumber: z.string().trim().max(50, { message: 'validation.too_long' }).optional(),
}).strict();
export type ShipInput = z.infer<typeof ShipInputSchema>;

/** API-NOTES §8: refund reason ≤ 100 of `A-Z a-z 0-9 space . , + - : ? ( ) / '`. */
export const REFUND_REASON_PATTERN = /^[A-Za-z0-9 .,+\-:?()/']{0,100}$/;

export const RefundInputSchema = z.object({
  merchantRef: z.string().min(1).max(100),
  amountCents: z.number({ message: 'amount.invalid' }).int({ message: 'amount.too_many_decimals' }).positive({ message: 'amount.not_positive' }),
  reason: z.string().trim().max(100, { message: 'validation.refund_reason' }).regex(REFUND_REASON_PATTERN, { message: 'validation.refund_reason' }).optional(),
}).strict();
export type RefundInput = z.infer<typeof RefundInputSchema>;

/** App-side expiry (the API documents none): an unpaid link older than the configured days. */
export function isExpired(record: Pick<LinkRecord, 'state' | 'status' | 'createdAt'>, expiryDays: number, now: Date): boolean {
  if (expiryDays <= 0 || record.state !== 'created') return false;
  if (record.status !== 'created' && record.status !== 'approved') return false;
  return now.getTime() - Date.parse(record.createdAt) > expiryDays * 86_400_000;
}
