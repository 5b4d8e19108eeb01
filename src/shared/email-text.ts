import { formatAmount, type UiLocale } from './money';
import { translator } from './i18n';
import type { EmailTemplate } from './settings';
import type { LinkRecord } from './link';

/**
 * The e-mail a merchant sends with a payment link (phone orders) and the reminder for an unpaid
 * one. Written in the payment page's language, because the buyer reads both.
 */

export type EmailLink = Pick<LinkRecord, 'amountCents' | 'currency' | 'reference' | 'paymentUrl' | 'customer' | 'language'>;

export interface ComposeEmailOptions {
  record: EmailLink;
  template: EmailTemplate;
  merchantName: string;
  /** Language of greeting and amount; the link's payment page language when not given. */
  locale?: UiLocale;
}

export interface ComposedEmail {
  subject: string;
  body: string;
  /** RFC 6068 mailto: URL with the customer's e-mail (if any) as recipient. */
  mailto: string;
}

const PLACEHOLDER = /\{(greeting|amount|reference|link|merchant)\}/g;

/** Salutations as the API stores them (German) and as the forms may offer them. */
const FEMALE = new Set(['frau', 'ms', 'ms.', 'mrs', 'mrs.']);
const MALE = new Set(['herr', 'mr', 'mr.']);

/** "Guten Tag Frau Muster," / "Hallo Anna Muster," / "Guten Tag," and the English equivalents. */
export function greeting(customer: EmailLink['customer'], locale: UiLocale): string {
  const salutation = customer?.salutation?.trim().toLowerCase() ?? '';
  const forename = customer?.forename?.trim() ?? '';
  const surname = customer?.surname?.trim() ?? '';
  const t = translator(locale);
  const title = FEMALE.has(salutation) ? t('email.title.ms') : MALE.has(salutation) ? t('email.title.mr') : '';
  if (title && surname) return t('email.greeting.formal', { title, surname });
  const name = [forename, surname].filter(Boolean).join(' ');
  if (name) return t('email.greeting.name', { name });
  return t('email.greeting.anonymous');
}

/**
 * Fills the placeholders. A line whose placeholders all come out empty ("Reference: {reference}"
 * without a reference, "{merchant}" without a business name) is left out, and the blank lines
 * that leaves behind are collapsed.
 */
export function fillTemplate(text: string, values: Record<string, string>): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const kept: string[] = [];
  for (const line of lines) {
    const names = [...line.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '');
    if (names.length > 0 && names.every((name) => (values[name] ?? '').trim() === '')) continue;
    const filled = line.replace(PLACEHOLDER, (_m, name: string) => values[name] ?? '');
    if (filled.trim() === '' && kept.length > 0 && kept[kept.length - 1]?.trim() === '') continue;
    kept.push(filled);
  }
  while (kept.length > 0 && kept[kept.length - 1]?.trim() === '') kept.pop();
  while (kept.length > 0 && kept[0]?.trim() === '') kept.shift();
  return kept.join('\n');
}

/** RFC 6068: percent-encoded header values, spaces as %20, line breaks as CRLF (%0D%0A). */
export function mailtoUrl(to: string, subject: string, body: string): string {
  const encode = (value: string) => encodeURIComponent(value.replace(/\r\n?|\n/g, '\r\n'));
  const recipient = encodeURIComponent(to.trim()).replace(/%40/g, '@');
  return `mailto:${recipient}?subject=${encode(subject)}&body=${encode(body)}`;
}

function values(record: EmailLink, merchantName: string, locale: UiLocale): Record<string, string> {
  return {
    greeting: greeting(record.customer, locale),
    amount: formatAmount(record.amountCents, record.currency, locale),
    reference: record.reference.trim(),
    link: record.paymentUrl ?? '',
    merchant: merchantName.trim(),
  };
}

export function composeEmail(options: ComposeEmailOptions): ComposedEmail {
  const locale = options.locale ?? options.record.language;
  const filled = values(options.record, options.merchantName, locale);
  // A subject is one line: a template with line breaks would break the mail header.
  const subject = fillTemplate(options.template.subject, filled).replace(/\s*\n\s*/g, ' ');
  const body = fillTemplate(options.template.body, filled);
  return { subject, body, mailto: mailtoUrl(options.record.customer?.email ?? '', subject, body) };
}

/** Built-in reminder wording for a link that has not been paid yet (from the text catalog). */
export function reminderTemplate(locale: UiLocale): EmailTemplate {
  const t = translator(locale);
  return { subject: t('email.reminder.subject'), body: t('email.reminder.body') };
}

export function composeReminder(options: Omit<ComposeEmailOptions, 'template'>): ComposedEmail {
  const locale = options.locale ?? options.record.language;
  return composeEmail({ ...options, template: reminderTemplate(locale) });
}
