import { needsShipping } from '../../../shared/history-query';
import type { LinkRecord } from '../../../shared/link';
import { composeReminder, type ComposedEmail } from '../../../shared/email-text';
import { isPaidStatus, isUnpaidStatus } from '../../../shared/status';

export function isUnpaid(record: LinkRecord): boolean {
  return record.state === 'created' && isUnpaidStatus(record.status);
}

export function canCancel(record: LinkRecord): boolean {
  return isUnpaid(record) && record.id !== null;
}

export function canRemind(record: LinkRecord): boolean {
  return isUnpaid(record) && Boolean(record.paymentUrl);
}

export function canShip(record: LinkRecord): boolean {
  return needsShipping(record);
}

/** What can still be refunded of a paid link. */
export function refundableCents(record: LinkRecord): number {
  return Math.max(0, record.amountCents - record.refundedCents);
}

/** Paid links (also after shipping) with something left to give back. */
export function canRefund(record: LinkRecord): boolean {
  return record.state === 'created' && isPaidStatus(record.status) && record.transactionId !== null && refundableCents(record) > 0;
}

/** The reminder e-mail in the payment page's language (the buyer reads it). */
export function reminderFor(record: LinkRecord, merchantName: string): ComposedEmail {
  return composeReminder({ record, merchantName });
}


/** "Anna Muster" / "Muster GmbH": the name a merchant recognises a customer by. */
export function customerName(record: LinkRecord): string {
  const person = [record.customer?.forename, record.customer?.surname].filter(Boolean).join(' ');
  const company = record.customer?.companyname ?? '';
  return [person, company].filter(Boolean).join(' · ');
}
