import type { LinkRecord } from '../../../shared/link';
import type { I18n } from '../i18n';

/**
 * How a sentence or a button's accessible name refers to a link: its reference, or for one without
 * a reference its amount and day ("More actions for €17.50 from 12 Mar 2025", not "… for no reference").
 */
export function linkName(record: LinkRecord, i18n: Pick<I18n, 't' | 'money' | 'day'>): string {
  if (record.reference) return record.reference;
  return i18n.t('history.linkName', { amount: i18n.money(record.amountCents, record.currency), date: i18n.day(record.createdAt) });
}
