import { formatAmount } from './money';
import { lineTotalCents, vatContained } from './basket';
import { formatCount, formatDateTime, translator, type UiLanguage } from './i18n';
import { methodLabel } from './i18n/labels';
import type { LinkRecord } from './link';

/**
 * The buyer's payment receipt ("Zahlungsbeleg"), in the language of the buyer's payment page:
 * the same lines on paper, in the PDF and in the e-mail text. A confirmation of payment, not an
 * invoice (the footer says so).
 */
export interface ReceiptLine {
  label: string;
  value: string;
}

export interface Receipt {
  language: UiLanguage;
  merchant: string;
  title: string;
  amount: string;
  /** What was sold, when the link had a basket: "2 × Coffee" and the line's total; else none. */
  items: ReceiptLine[];
  /** Names the item list for screen readers ("Items"). */
  itemsLabel: string;
  /** The VAT the amount contains, one line per rate that has any ("contains 19 % VAT", "1,20 €"). */
  vat: ReceiptLine[];
  lines: ReceiptLine[];
  footer: string;
}

type ReceiptRecord = Pick<
  LinkRecord,
  'amountCents' | 'currency' | 'reference' | 'paidWith' | 'transactionId' | 'id' | 'updatedAt' | 'language' | 'basket'
>;

/** `paidAt` when known; otherwise the record's last change, which for a paid link is when it was seen paid. */
export function buildReceipt(record: ReceiptRecord, merchantName: string, paidAt?: string): Receipt {
  const language = record.language;
  const t = translator(language);
  const amount = formatAmount(record.amountCents, record.currency, language);
  const lines: ReceiptLine[] = [
    { label: t('receipt.paidAt'), value: formatDateTime(paidAt ?? record.updatedAt, language) },
    { label: t('receipt.amount'), value: amount },
  ];
  if (record.reference) lines.push({ label: t('receipt.reference'), value: record.reference });
  if (record.paidWith) lines.push({ label: t('receipt.method'), value: methodLabel(t, record.paidWith) });
  if (record.transactionId) lines.push({ label: t('receipt.transaction'), value: record.transactionId });
  if (record.id) lines.push({ label: t('receipt.link'), value: record.id });
  const basket = record.basket ?? [];
  const money = (cents: number) => formatAmount(cents, record.currency, language);
  const items = basket.map((line) => ({ label: t('basket.line', { quantity: line.quantity, name: line.name }), value: money(lineTotalCents(line)) }));
  const vat = vatContained(basket)
    .map((share) => ({ label: t('receipt.vat', { rate: formatCount(share.rate, language) }), value: money(share.vatCents) }));
  return {
    language,
    merchant: merchantName.trim() || t('app.name'),
    title: t('receipt.title'),
    amount,
    items,
    itemsLabel: t('receipt.items'),
    vat,
    lines,
    footer: t('receipt.footer'),
  };
}

/** The receipt as an e-mail to paste: subject and plain-text body. */
export function receiptEmail(receipt: Receipt): { subject: string; body: string } {
  const t = translator(receipt.language);
  const width = Math.max(...receipt.lines.map((line) => line.label.length)) + 2;
  const itemWidth = Math.max(0, ...receipt.items.map((line) => line.label.length)) + 2;
  const basket = receipt.items.length === 0 ? [] : [
    ...receipt.items.map((line) => `${line.label.padEnd(itemWidth)}${line.value}`),
    ...receipt.vat.map((line) => `${line.label}: ${line.value}`),
    '',
  ];
  const body = [
    t('receipt.email.greeting'),
    '',
    `${receipt.title} – ${receipt.merchant}`,
    '',
    ...basket,
    ...receipt.lines.map((line) => `${`${line.label}:`.padEnd(width)}${line.value}`),
    '',
    receipt.footer,
    '',
    receipt.merchant,
  ].join('\n');
  return { subject: t('receipt.email.subject', { merchant: receipt.merchant }), body };
}
