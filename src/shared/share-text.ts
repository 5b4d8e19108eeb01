import { formatAmount } from './money';
import { translator } from './i18n';
import { fillTemplate, greeting, type EmailLink } from './email-text';

/**
 * The short message a merchant sends with a payment link by WhatsApp or SMS, and the URLs that
 * hand it to the messenger. Written in the payment page's language, like the e-mail.
 */

export interface ShareMessageOptions {
  record: EmailLink;
  merchantName: string;
}

/** E.164 allows at most 15 digits; the shortest real numbers have about 7. */
const E164_DIGITS = /^[1-9][0-9]{6,14}$/;

/**
 * A mobile number as E.164 digits without "+", or null when it cannot be told which country it is in.
 * "+49 171 …", "0049 171 …" and "+49 (0)171 …" are international; "0171 …" is taken as German,
 * the merchants' home market. Bare digits without 0 or + could be anywhere and are not guessed.
 */
export function normaliseMobile(raw: string | undefined): string | null {
  const compact = (raw ?? '').replace(/\(0\)/g, '').replace(/[\s()/.-]/g, '');
  let digits: string;
  if (compact.startsWith('+')) digits = compact.slice(1);
  else if (compact.startsWith('00')) digits = compact.slice(2);
  else if (compact.startsWith('0')) digits = `49${compact.slice(1)}`;
  else return null;
  return E164_DIGITS.test(digits) ? digits : null;
}

export function composeShareMessage({ record, merchantName }: ShareMessageOptions): string {
  const locale = record.language;
  const t = translator(locale);
  return fillTemplate(t('share.message'), {
    greeting: greeting(record.customer, locale),
    amount: formatAmount(record.amountCents, record.currency, locale),
    reference: record.reference.trim(),
    link: record.paymentUrl ?? '',
    merchant: merchantName.trim(),
  });
}

/** wa.me click-to-chat: the chat with that number, or WhatsApp's contact picker without one. */
export function whatsappUrl(text: string, mobile: string | undefined): string {
  return `https://wa.me/${normaliseMobile(mobile) ?? ''}?text=${encodeURIComponent(text)}`;
}

/** RFC 5724 sms: URI; the number in global form ("+49…") so it works abroad too. */
export function smsUrl(text: string, mobile: string | undefined): string {
  const number = normaliseMobile(mobile);
  return `sms:${number ? `+${number}` : ''}?body=${encodeURIComponent(text)}`;
}
