import { z } from 'zod';
import { LinkRecordSchema } from './link';
import type { LinkRecord } from './link';

/**
 * What the history screen asks for, and what it gets back. Shared so the renderer, the IPC
 * contract and the store in main agree on one shape. Messages are i18n keys.
 */

/**
 * Filter values besides the API's statuses: a link this desk is still creating (no answer yet),
 * one whose creation failed, and invoice payments that are paid but not yet marked as shipped
 * (they only become due once shipped, PRODUCT.md).
 */
export const HISTORY_PSEUDO_STATUSES = ['creating', 'create_failed', 'needs_shipping'] as const;

export const HISTORY_SORT_FIELDS = ['createdAt', 'updatedAt', 'amountCents', 'status', 'reference'] as const;
export type HistorySortField = (typeof HISTORY_SORT_FIELDS)[number];

export const HISTORY_MAX_PAGE = 500;

function isCalendarDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

/** A calendar day in the merchant's local time, `YYYY-MM-DD`. */
export const HistoryDaySchema = z.string().max(10, { message: 'validation.date' }).refine(isCalendarDay, { message: 'validation.date' });

export const HistoryQuerySchema = z
  .object({
    search: z.string().max(200, { message: 'validation.too_long' }).optional(),
    /** Any of these (API statuses or {@link HISTORY_PSEUDO_STATUSES}); absent or empty = all. */
    statuses: z.array(z.string().min(1).max(40)).max(32).optional(),
    /** First day included (by creation date). */
    from: HistoryDaySchema.optional(),
    /** Last day included (by creation date). */
    to: HistoryDaySchema.optional(),
    sort: z
      .object({ field: z.enum(HISTORY_SORT_FIELDS), direction: z.enum(['asc', 'desc']) })
      .strict()
      .default({ field: 'createdAt', direction: 'desc' }),
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(HISTORY_MAX_PAGE).default(50),
  })
  .strict()
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, {
    message: 'validation.date_range',
    path: ['to'],
  });
export type HistoryQuery = z.infer<typeof HistoryQuerySchema>;
/** What callers may pass: sort, offset and limit have defaults (newest first, 50). */
export type HistoryQueryInput = z.input<typeof HistoryQuerySchema>;

/** Sums over the whole filtered set (not just the page), one row per currency. */
export const HistoryCurrencyTotalSchema = z.object({
  currency: z.string(),
  count: z.number().int(),
  amountCents: z.number().int(),
  /** Amount of the links whose payment went through (ok and the order-flow statuses after it). */
  paidCents: z.number().int(),
  refundedCents: z.number().int(),
});
export type HistoryCurrencyTotal = z.infer<typeof HistoryCurrencyTotalSchema>;

export const HistoryPageSchema = z.object({
  items: z.array(LinkRecordSchema),
  /** Size of the filtered set, for the pager. */
  total: z.number().int(),
  totals: z.array(HistoryCurrencyTotalSchema).optional(),
});
export type HistoryPage = z.infer<typeof HistoryPageSchema>;

/**
 * The status a merchant filters and sorts by: the pseudo status while the link is being created
 * or when creating failed, else the API's status (a created link with no status read yet is
 * waiting for payment).
 */
export function historyStatus(record: Pick<LinkRecord, 'state' | 'status'>): string {
  if (record.state !== 'created') return record.state;
  return record.status ?? 'created';
}

/** An invoice payment that went through but still waits for "Mark as shipped". */
export function needsShipping(record: Pick<LinkRecord, 'state' | 'status' | 'paidWith' | 'paymentMethod' | 'shipped'>): boolean {
  return (
    record.state === 'created' &&
    record.status === 'ok' &&
    record.shipped === null &&
    (record.paidWith === 'invoice' || (record.paidWith === null && record.paymentMethod === 'invoice'))
  );
}
