import type { LinkRecord } from './link';
import type { UiLocale } from './money';
import { historyStatus } from './history-query';

/**
 * The history as a CSV file for the accountant: RFC 4180 (CRLF, quoted where needed), UTF-8 with
 * a byte order mark so Excel does not read umlauts as Windows-1252, amounts as plain numbers in
 * the locale's decimal format so the spreadsheet can add them up.
 */

export type CsvSeparator = ',' | ';';

export interface CsvOptions {
  separator: CsvSeparator;
  locale: UiLocale;
  /** IANA zone for the date columns; default: this computer's. */
  timeZone?: string;
}

const HEADERS: Record<UiLocale, readonly string[]> = {
  de: [
    'Erstellt',
    'Aktualisiert',
    'Status',
    'Betrag',
    'Währung',
    'Verwendungszweck',
    'Kunde',
    'E-Mail',
    'Zahlungsart',
    'Erstattet',
    'Transaktions-ID',
    'Zahlungs-ID',
    'Händlerreferenz',
    'Zahlungslink',
  ],
  en: [
    'Created',
    'Updated',
    'Status',
    'Amount',
    'Currency',
    'Reference',
    'Customer',
    'E-mail',
    'Payment method',
    'Refunded',
    'Transaction ID',
    'Payment ID',
    'Merchant reference',
    'Payment link',
  ],
};

/** Merchant wording as in PRODUCT.md's status table. */
const STATUS_LABELS: Record<string, Record<UiLocale, string>> = {
  creating: { de: 'Wird erstellt', en: 'Being created' },
  create_failed: { de: 'Erstellen fehlgeschlagen', en: 'Creation failed' },
  created: { de: 'Warten auf Zahlung', en: 'Waiting for payment' },
  pending: { de: 'Zahlung ausstehend', en: 'Payment pending' },
  approved: { de: 'Autorisiert', en: 'Authorised' },
  ok: { de: 'Bezahlt', en: 'Paid' },
  failed: { de: 'Fehlgeschlagen', en: 'Failed' },
  cancelled: { de: 'Storniert', en: 'Cancelled' },
  received: { de: 'Versandbereit', en: 'Ready to ship' },
  shipped: { de: 'Versendet', en: 'Shipped' },
  collection: { de: 'Abholbereit', en: 'Ready for collection' },
  collected: { de: 'Abgeholt', en: 'Collected' },
  processing: { de: 'In Bearbeitung', en: 'Processing' },
};

const METHOD_LABELS: Record<string, Record<UiLocale, string>> = {
  creditcard: { de: 'Kreditkarte', en: 'Credit card' },
  debit: { de: 'Lastschrift', en: 'Direct debit' },
  invoice: { de: 'Rechnung', en: 'Invoice' },
  paypal: { de: 'PayPal', en: 'PayPal' },
  prepaid: { de: 'Vorkasse', en: 'Prepayment' },
  sofort: { de: 'Sofort', en: 'Sofort' },
};

export function csvStatusLabel(record: Pick<LinkRecord, 'state' | 'status'>, locale: UiLocale): string {
  const status = historyStatus(record);
  return STATUS_LABELS[status]?.[locale] ?? status;
}

/** The method the payer used, else the one the link was limited to; empty for "any, not paid yet". */
function methodLabel(record: LinkRecord, locale: UiLocale): string {
  const method = record.paidWith ?? (record.paymentMethod === 'any' ? null : record.paymentMethod);
  if (method === null) return '';
  return METHOD_LABELS[method]?.[locale] ?? method;
}

/** "17,50" / "17.50", without thousands marks, so spreadsheets read it as a number. */
function plainAmount(cents: number, locale: UiLocale): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}${locale === 'de' ? ',' : '.'}${String(abs % 100).padStart(2, '0')}`;
}

const dateFormatters = new Map<string, Intl.DateTimeFormat>();

/** "31.12.2024 14:05:09" in German, "2024-12-31 14:05:09" in English: both are dates to Excel. */
function formatDate(iso: string, locale: UiLocale, timeZone: string | undefined): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const key = timeZone ?? '';
  let formatter = dateFormatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    dateFormatters.set(key, formatter);
  }
  const parts: Record<string, string> = {};
  for (const part of formatter.formatToParts(date)) parts[part.type] = part.value;
  const time = `${parts.hour}:${parts.minute}:${parts.second}`;
  return locale === 'de' ? `${parts.day}.${parts.month}.${parts.year} ${time}` : `${parts.year}-${parts.month}-${parts.day} ${time}`;
}

function customerName(record: LinkRecord): string {
  const customer = record.customer;
  if (!customer) return '';
  const person = [customer.forename, customer.surname].filter(Boolean).join(' ');
  return [person, customer.companyname].filter(Boolean).join(', ');
}

/**
 * A text cell Excel would run as a formula ("=HYPERLINK(...)" typed as a reference or a name)
 * gets a leading apostrophe, which Excel shows as plain text (OWASP CSV injection).
 */
function defuse(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function quote(cell: string, separator: CsvSeparator): string {
  if (cell.includes(separator) || cell.includes('"') || cell.includes('\r') || cell.includes('\n')) {
    return `"${cell.replace(/"/g, '""')}"`;
  }
  return cell;
}

export function toCsv(records: readonly LinkRecord[], options: CsvOptions): string {
  const { separator, locale, timeZone } = options;
  const row = (cells: readonly string[]): string => `${cells.map((c) => quote(c, separator)).join(separator)}\r\n`;
  let csv = `\uFEFF${row(HEADERS[locale])}`;
  for (const record of records) {
    csv += row([
      formatDate(record.createdAt, locale, timeZone),
      formatDate(record.updatedAt, locale, timeZone),
      defuse(csvStatusLabel(record, locale)),
      plainAmount(record.amountCents, locale),
      defuse(record.currency),
      defuse(record.reference),
      defuse(customerName(record)),
      defuse(record.customer?.email ?? ''),
      defuse(methodLabel(record, locale)),
      plainAmount(record.refundedCents, locale),
      defuse(record.id ?? ''),
      defuse(record.transactionId ?? ''),
      defuse(record.merchantRef),
      defuse(record.paymentUrl ?? ''),
    ]);
  }
  return csv;
}
