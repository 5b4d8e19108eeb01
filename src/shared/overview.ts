import { z } from 'zod';
import { HistoryDaySchema } from './history-query';
import { LinkOriginSchema } from './link';

/**
 * The Overview screen's question and answer (issue 11). Ranges are by creation day, local time,
 * like the history's date filter, so a figure clicked here opens exactly those links there.
 */
export const OverviewQuerySchema = z
  .object({
    /** First day included. */
    from: HistoryDaySchema,
    /** Last day included. */
    to: HistoryDaySchema,
  })
  .strict()
  .refine((q) => q.from <= q.to, { message: 'validation.date_range', path: ['to'] });
export type OverviewQuery = z.infer<typeof OverviewQuerySchema>;

const CountSumSchema = z.object({ count: z.number().int(), cents: z.number().int() });
export type CountSum = z.infer<typeof CountSumSchema>;

export const OverviewCurrencySchema = z.object({
  currency: z.string(),
  /** Every link created in the range (also those still being created or whose creation failed). */
  created: CountSumSchema,
  paid: CountSumSchema,
  /** Created, waiting for the payer (created, approved, pending, processing). */
  waiting: CountSumSchema,
  failed: CountSumSchema,
  cancelled: CountSumSchema,
  refundedCents: z.number().int(),
  /** Paid links / links that became real links (creation failures not counted); null with none. */
  sharePaid: z.number().min(0).max(1).nullable(),
  /** Median time from creation to the moment this desk saw the payment; null without payments. */
  medianPaidAfterMs: z.number().nullable(),
  /** Paid links by the method the payer used (`unknown` when the API did not say). */
  byMethod: z.array(z.object({ method: z.string(), count: z.number().int(), cents: z.number().int() })),
  /** Paid links by where they were made and, for Link Desks, the desk's name. */
  byDesk: z.array(z.object({ origin: LinkOriginSchema, deskName: z.string().nullable(), count: z.number().int(), cents: z.number().int() })),
  /** VAT contained in the paid links that carry a basket, per rate (gross prices; before refunds). */
  vat: z.array(z.object({ rate: z.number(), grossCents: z.number().int(), netCents: z.number().int(), vatCents: z.number().int() })),
  /** Paid sum of links without a basket: their VAT is not known to Link Desk. */
  withoutItemsCents: z.number().int(),
  /** The best-selling basket items of the paid links, by sum, at most five. */
  topItems: z.array(z.object({ name: z.string(), quantity: z.number().int(), cents: z.number().int() })),
});
export type OverviewCurrency = z.infer<typeof OverviewCurrencySchema>;

export const OverviewSchema = z.object({
  from: z.string(),
  to: z.string(),
  currencies: z.array(OverviewCurrencySchema),
  /** Paid sum per creation day: the range, or the 30 days up to its end for a short range. */
  days: z.object({
    from: z.string(),
    to: z.string(),
    items: z.array(z.object({ day: z.string(), currency: z.string(), count: z.number().int(), cents: z.number().int() })),
  }),
  /** Payments per local hour (when seen paid), for a single day only. */
  hours: z.array(z.object({ hour: z.number().int().min(0).max(23), currency: z.string(), count: z.number().int(), cents: z.number().int() })).nullable(),
});
export type Overview = z.infer<typeof OverviewSchema>;

/** What each figure means as a history filter (statuses), so clicking one lists its links. */
export const OVERVIEW_STATUS_FILTERS = {
  paid: ['ok', 'received', 'shipped', 'collection', 'collected'],
  waiting: ['created', 'approved', 'pending', 'processing'],
  failed: ['failed'],
  cancelled: ['cancelled'],
} as const;
export type OverviewFigure = keyof typeof OVERVIEW_STATUS_FILTERS;

/** Adds days to a `YYYY-MM-DD` calendar day (local calendar, no time zone drift). */
export function addDays(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d + days));
  return date.toISOString().slice(0, 10);
}

/** Number of calendar days from `from` to `to`, both included. */
export function dayCount(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}
