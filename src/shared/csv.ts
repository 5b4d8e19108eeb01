import type { LinkRecord } from './link';
import { formatAmount, type UiLocale } from './money';
import { vatSplit } from './basket';
import { historyStatus } from './history-query';
import { formatCount, translator, type Translate } from './i18n';
import { methodLabel, statusLabel } from './i18n/labels';

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

const COLUMNS = [
  'csv.col.created',
  'csv.col.updated',
  'csv.col.status',
  'csv.col.amount',
  'csv.col.currency',
  'csv.col.reference',
  'csv.col.customer',
  'csv.col.email',
  'csv.col.method',
  'csv.col.refunded',
  'csv.col.transactionId',
  'csv.col.paymentId',
  'csv.col.merchantRef',
  'csv.col.paymentUrl',
  'csv.col.items',
] as const;

/**
 * A VAT column for each German rate that has VAT, always, so an accountant's import keeps its
 * columns; a rate only a link made elsewhere carries gets a column after them.
 */
const STANDARD_VAT_COLUMNS: readonly number[] = [19, 7];

function vatColumnRates(records: readonly LinkRecord[]): number[] {
  const other = new Set<number>();
  for (const record of records) {
    for (const { vatRate } of record.basket ?? []) {
      if (vatRate !== 0 && !STANDARD_VAT_COLUMNS.includes(vatRate)) other.add(vatRate);
    }
  }
  return [...STANDARD_VAT_COLUMNS, ...[...other].sort((a, b) => b - a)];
}

/** "2 × Coffee à 3,50 €; 1 × Cake à 4,00 €"; empty for a link without a basket. */
function itemsCell(record: LinkRecord, locale: UiLocale, t: Translate): string {
  return (record.basket ?? [])
    .map((line) => t('csv.item', { quantity: line.quantity, name: line.name, price: formatAmount(line.unitPriceCents, record.currency, locale) }))
    .join('; ');
}

/** The same label as on screen and in notifications (shared/i18n/labels.ts). */
export function csvStatusLabel(record: Pick<LinkRecord, 'state' | 'status'>, locale: UiLocale): string {
  return statusLabel(translator(locale), historyStatus(record));
}

/** The method the payer used, else the one the link was limited to; empty for "any, not paid yet". */
function paymentMethodCell(record: LinkRecord, t: Translate): string {
  const method = record.paidWith ?? (record.paymentMethod === 'any' ? null : record.paymentMethod);
  return method === null ? '' : methodLabel(t, method);
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
  const t = translator(locale);
  const row = (cells: readonly string[]): string => `${cells.map((c) => quote(c, separator)).join(separator)}\r\n`;
  const vatRates = vatColumnRates(records);
  const header = [...COLUMNS.map((column) => t(column)), ...vatRates.map((rate) => t('csv.col.vat', { rate: formatCount(rate, locale) }))];
  let csv = `\uFEFF${row(header)}`;
  for (const record of records) {
    const vat = new Map(vatSplit(record.basket ?? []).map((share) => [share.rate, share.vatCents]));
    csv += row([
      formatDate(record.createdAt, locale, timeZone),
      formatDate(record.updatedAt, locale, timeZone),
      defuse(csvStatusLabel(record, locale)),
      plainAmount(record.amountCents, locale),
      defuse(record.currency),
      defuse(record.reference),
      defuse(customerName(record)),
      defuse(record.customer?.email ?? ''),
      defuse(paymentMethodCell(record, t)),
      plainAmount(record.refundedCents, locale),
      defuse(record.id ?? ''),
      defuse(record.transactionId ?? ''),
      defuse(record.merchantRef),
      defuse(record.paymentUrl ?? ''),
      defuse(itemsCell(record, locale, t)),
      ...vatRates.map((rate) => {
        const cents = vat.get(rate);
        return cents === undefined ? '' : plainAmount(cents, locale);
      }),
    ]);
  }
  return csv;
}
