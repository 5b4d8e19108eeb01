/**
 * Money as the merchant types it and as the API wants it (integers in minor units).
 * Every supported currency has two decimals, so one minor unit is 1/100.
 */

export const CURRENCIES = ['EUR', 'CHF', 'GBP', 'USD'] as const;
export type Currency = (typeof CURRENCIES)[number];

/** 100,000.00: a payment link far above what a counter or phone order takes is a typo. */
export const MAX_AMOUNT_CENTS = 10_000_000;

export type UiLocale = 'de' | 'en';

export type AmountParseFailure =
  | 'amount.empty'
  | 'amount.invalid'
  | 'amount.too_many_decimals'
  | 'amount.not_positive'
  | 'amount.too_large';

export type AmountParseResult = { ok: true; cents: number } | { ok: false; reason: AmountParseFailure };

const GROUPED_THOUSANDS = /^\d{1,3}(\d{3})*$/;

/**
 * Parses what a person types into an amount field.
 *
 * German people type "17,50" and "1.234,56" but also "17.50"; English people type "17.50" and
 * "1,234.56". So: the locale's decimal mark always means decimals; the other mark means decimals
 * when it is the only mark and is followed by one or two digits ("17.50" in German), and
 * thousands when every group after it has exactly three digits ("1.234" in German,
 * "1,234" in English).
 */
export function parseAmount(text: string, locale: UiLocale): AmountParseResult {
  const cleaned = text.replace(/[\s\u00a0\u202f€$£]|EUR|CHF|GBP|USD|Fr\./gi, '');
  if (cleaned === '') return { ok: false, reason: 'amount.empty' };
  if (cleaned.startsWith('-')) return { ok: false, reason: 'amount.not_positive' };
  if (!/^[0-9.,']+$/.test(cleaned)) return { ok: false, reason: 'amount.invalid' };

  const decimalMark = locale === 'de' ? ',' : '.';
  const groupMark = locale === 'de' ? '.' : ',';
  // Swiss style "1'234.50" uses an apostrophe for thousands.
  const text2 = cleaned.replace(/'/g, groupMark);

  let integerPart: string;
  let fractionPart = '';
  const lastDecimal = text2.lastIndexOf(decimalMark);
  if (lastDecimal >= 0) {
    if (text2.indexOf(decimalMark) !== lastDecimal) return { ok: false, reason: 'amount.invalid' };
    integerPart = text2.slice(0, lastDecimal);
    fractionPart = text2.slice(lastDecimal + 1);
    if (fractionPart.includes(groupMark)) return { ok: false, reason: 'amount.invalid' };
  } else {
    const groups = text2.split(groupMark);
    const last = groups[groups.length - 1] ?? '';
    if (groups.length === 2 && last.length > 0 && last.length <= 2) {
      // "17.50" in German or "17,50" in English: one mark, one or two digits after it.
      integerPart = groups[0] ?? '';
      fractionPart = last;
    } else {
      integerPart = text2;
    }
  }

  if (integerPart.includes(groupMark)) {
    const digits = integerPart.split(groupMark).join('');
    if (!GROUPED_THOUSANDS.test(digits) || integerPart.split(groupMark).slice(1).some((g) => g.length !== 3)) {
      return { ok: false, reason: 'amount.invalid' };
    }
    if ((integerPart.split(groupMark)[0] ?? '').length === 0) return { ok: false, reason: 'amount.invalid' };
    integerPart = digits;
  }
  if (integerPart === '') integerPart = '0';
  if (!/^\d+$/.test(integerPart) || !/^\d*$/.test(fractionPart)) return { ok: false, reason: 'amount.invalid' };
  if (fractionPart.length > 2) return { ok: false, reason: 'amount.too_many_decimals' };
  if (integerPart.length > 9) return { ok: false, reason: 'amount.too_large' };

  const cents = Number(integerPart) * 100 + Number(fractionPart.padEnd(2, '0'));
  if (cents <= 0) return { ok: false, reason: 'amount.not_positive' };
  if (cents > MAX_AMOUNT_CENTS) return { ok: false, reason: 'amount.too_large' };
  return { ok: true, cents };
}

const formatters = new Map<string, Intl.NumberFormat>();

/** "17,50 €" in German, "€17.50" in English. */
export function formatAmount(cents: number, currency: Currency | string, locale: UiLocale): string {
  const key = `${locale}|${currency}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale === 'de' ? 'de-DE' : 'en-GB', { style: 'currency', currency });
    formatters.set(key, formatter);
  }
  return formatter.format(cents / 100);
}

/** The amount as typed back into a field ("17,50" / "17.50"), e.g. for "create again". */
export function amountToInput(cents: number, locale: UiLocale): string {
  const whole = Math.floor(cents / 100);
  const fraction = String(cents % 100).padStart(2, '0');
  return `${whole}${locale === 'de' ? ',' : '.'}${fraction}`;
}
