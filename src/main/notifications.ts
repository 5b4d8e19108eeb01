import { formatAmount } from '../shared/money';
import type { LinkRecord } from '../shared/link';
import { translator, type UiLanguage } from '../shared/i18n';
import { statusLabel } from '../shared/i18n/labels';
import { isPaidStatus } from '../shared/status';
import type { LinkOutcome } from './links/link-service';

/** An OS notification; clicking it opens the link it is about. Electron's Notification in main, a recorder elsewhere. */
export interface Notifier {
  notify(notification: { title: string; body: string; merchantRef: string }): void;
}

/**
 * "Paid" / "Failed" (the status label the screens use) over "17,50 € · Order 4711 · Anna Muster",
 * in the merchant's language.
 */
export function outcomeNotification(record: LinkRecord, outcome: LinkOutcome, language: UiLanguage) {
  const t = translator(language);
  const status = statusLabel(t, outcome === 'failed' ? 'failed' : isPaidStatus(record.status) ? record.status : 'ok');
  const amount = formatAmount(record.amountCents, record.currency, language);
  const who = [record.customer?.forename, record.customer?.surname].filter(Boolean).join(' ') || record.customer?.companyname;
  const body = [amount, record.reference || null, who || null].filter(Boolean).join(' · ');
  const title = record.isDemo ? t('notification.title.demo', { status }) : t('notification.title', { status });
  return { title, body, merchantRef: record.merchantRef };
}
