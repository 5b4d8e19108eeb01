import { zodIssuesByField } from '../../shared/errors';
import { CreateLinkInputSchema, type CreateLinkInput, type LinkRecord, type PaymentMethodChoice } from '../../shared/link';
import { amountToInput, parseAmount, type Currency, type UiLocale } from '../../shared/money';
import type { Language, Settings } from '../../shared/settings';
import { BasketLineSchema, basketTotalCents, type BasketLine } from '../../shared/basket';

/** What the "New payment link" form holds: exactly what the person typed, as text. */
export interface LinkDraft {
  amountText: string;
  currency: Currency;
  reference: string;
  language: Language;
  paymentMethod: PaymentMethodChoice;
  customer: {
    salutation: string;
    companyname: string;
    forename: string;
    surname: string;
    email: string;
    phone: string;
    mobile: string;
    dob: string;
    address: { street: string; street_number: string; additional_address_data: string; postal_code: string; city: string; country: string };
  };
  returnUrls: { success: string; error: string; abort: string };
  /** Quick-pick items and free lines; when it has lines, the link's amount is their total. */
  basket: BasketLine[];
}

export function emptyDraft(settings: Pick<Settings, 'paymentLanguage' | 'returnUrls'> | undefined): LinkDraft {
  return {
    amountText: '',
    currency: 'EUR',
    reference: '',
    language: settings?.paymentLanguage ?? 'de',
    paymentMethod: 'any',
    customer: {
      salutation: '', companyname: '', forename: '', surname: '', email: '', phone: '', mobile: '', dob: '',
      address: { street: '', street_number: '', additional_address_data: '', postal_code: '', city: '', country: '' },
    },
    returnUrls: { ...(settings?.returnUrls ?? { success: '', error: '', abort: '' }) },
    basket: [],
  };
}

/** "Create again with the same data": the form as it was for a link that failed. */
export function draftFromRecord(record: LinkRecord, locale: UiLocale, settings: Pick<Settings, 'paymentLanguage' | 'returnUrls'> | undefined): LinkDraft {
  const draft = emptyDraft(settings);
  const c = record.customer;
  return {
    ...draft,
    amountText: amountToInput(record.amountCents, locale),
    currency: (['EUR', 'CHF', 'GBP', 'USD'] as const).find((x) => x === record.currency) ?? 'EUR',
    reference: record.reference,
    language: record.language,
    paymentMethod: record.paymentMethod,
    customer: {
      salutation: c?.salutation ?? '', companyname: c?.companyname ?? '', forename: c?.forename ?? '', surname: c?.surname ?? '',
      email: c?.email ?? '', phone: c?.phone ?? '', mobile: c?.mobile ?? '', dob: c?.dob ?? '',
      address: {
        street: c?.address?.street ?? '', street_number: c?.address?.street_number ?? '',
        additional_address_data: c?.address?.additional_address_data ?? '', postal_code: c?.address?.postal_code ?? '',
        city: c?.address?.city ?? '', country: c?.address?.country ?? '',
      },
    },
    returnUrls: record.returnUrls ? { ...record.returnUrls } : draft.returnUrls,
    basket: basketFromRecord(record),
  };
}

/** The record's basket if every line can be sent again as it is (a shop's basket may not); else none. */
function basketFromRecord(record: LinkRecord): BasketLine[] {
  const lines = (record.basket ?? []).map((line) => BasketLineSchema.safeParse(line));
  if (lines.length === 0 || !lines.every((line) => line.success)) return [];
  const basket = lines.flatMap((line) => (line.success ? [line.data] : []));
  return basketTotalCents(basket) === record.amountCents ? basket : [];
}

const isBlank = (values: Record<string, string>) => Object.values(values).every((v) => v.trim() === '');

export function hasCustomerData(draft: LinkDraft): boolean {
  const { address, ...contact } = draft.customer;
  return !isBlank(contact) || !isBlank(address);
}

export type DraftCheck = { ok: true; input: CreateLinkInput } | { ok: false; fields: Record<string, string> };

/**
 * The same rules main applies (the shared zod schema), run before anything is sent. Field paths
 * are the form's: `amountCents` for the amount, `customer.email`, `returnUrls.success`, …
 */
export function checkDraft(draft: LinkDraft, locale: UiLocale): DraftCheck {
  const withBasket = draft.basket.length > 0;
  const amount: ReturnType<typeof parseAmount> = withBasket ? { ok: true, cents: basketTotalCents(draft.basket) } : parseAmount(draft.amountText, locale);
  const { address, ...contact } = draft.customer;
  const customer = hasCustomerData(draft) ? { ...contact, ...(isBlank(address) ? {} : { address }) } : undefined;
  const candidate = {
    amountCents: amount.ok ? amount.cents : 1,
    currency: draft.currency,
    reference: draft.reference,
    language: draft.language,
    paymentMethod: draft.paymentMethod,
    ...(customer ? { customer } : {}),
    returnUrls: draft.returnUrls,
    ...(withBasket ? { basket: draft.basket } : {}),
  };
  const parsed = CreateLinkInputSchema.safeParse(candidate);
  const fields = parsed.success ? {} : zodIssuesByField(parsed.error);
  if (!amount.ok) fields['amountCents'] = amount.reason;
  if (!parsed.success || !amount.ok) return { ok: false, fields };
  return { ok: true, input: parsed.data };
}
