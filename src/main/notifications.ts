import { formatAmount } from '../shared/money';
import type { LinkRecord } from '../shared/link';
import type { LinkOutcome } from './links/link-service';

/** An OS notification; clicking it opens the link it is about. Electron's Notification in main, a recorder elsewhere. */
export interface Notifier {
  notify(notification: { title: string; body: string; merchantRef: string }): void;
}

const TEXTS = {
  de: { paid: 'Bezahlt', failed: 'Zahlung fehlgeschlagen', demo: ' (Demo)' },
  en: { paid: 'Paid', failed: 'Payment failed', demo: ' (demo)' },
} as const;

/** "Paid: 17,50 € – Order 4711" in the merchant's language. */
export function outcomeNotification(record: LinkRecord, outcome: LinkOutcome, language: 'de' | 'en') {
  const texts = TEXTS[language];
  const amount = formatAmount(record.amountCents, record.currency, language);
  const who = [record.customer?.forename, record.customer?.surname].filter(Boolean).join(' ') || record.customer?.companyname;
  const body = [amount, record.reference || null, who || null].filter(Boolean).join(' · ');
  return { title: `${texts[outcome]}${record.isDemo ? texts.demo : ''}`, body, merchantRef: record.merchantRef };
}
