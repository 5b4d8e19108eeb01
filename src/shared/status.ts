import { z } from 'zod';

/**
 * Smart Transaction statuses (API-NOTES §5.1). The API sends a free string, so unknown values
 * are kept as they come and shown as "unknown" rather than rejected.
 */
export const KNOWN_STATUSES = [
  'created',
  'pending',
  'approved',
  'ok',
  'failed',
  'cancelled',
  'received',
  'shipped',
  'collection',
  'collected',
  'processing',
] as const;
export type KnownStatus = (typeof KNOWN_STATUSES)[number];

export const TransactionStatusSchema = z.string().min(1);
export type TransactionStatus = z.infer<typeof TransactionStatusSchema>;

/** A final link is never polled again. `ok` is final for intent `sale` (Payment Links). */
const FINAL_STATUSES: ReadonlySet<string> = new Set(['ok', 'failed', 'cancelled', 'shipped', 'collected']);

export function isFinalStatus(status: string | null | undefined): boolean {
  return status != null && FINAL_STATUSES.has(status);
}

/** Statuses in which a link can still be paid: cancelling, reminding and expiring make sense only then. */
const UNPAID_STATUSES: ReadonlySet<string> = new Set(['created', 'approved', 'pending']);

export function isUnpaidStatus(status: string | null | undefined): boolean {
  return UNPAID_STATUSES.has(status ?? 'created');
}

export function isPaidStatus(status: string | null | undefined): boolean {
  return status === 'ok' || status === 'received' || status === 'shipped' || status === 'collection' || status === 'collected';
}

/** What the merchant should feel about a status: drives colour and icons. */
export type StatusTone = 'waiting' | 'pending' | 'paid' | 'failed' | 'cancelled' | 'neutral';

export function statusTone(status: string | null | undefined): StatusTone {
  switch (status) {
    case 'created':
    case 'approved':
    case 'processing':
      return 'waiting';
    case 'pending':
      return 'pending';
    case 'ok':
    case 'received':
    case 'shipped':
    case 'collection':
    case 'collected':
      return 'paid';
    case 'failed':
      return 'failed';
    case 'cancelled':
      return 'cancelled';
    default:
      return 'neutral';
  }
}
