import type { DatabaseSync } from 'node:sqlite';
import { z } from 'zod';
import { LinkOriginSchema } from '../../shared/link';
import { vatSplit } from '../../shared/basket';
import {
  OVERVIEW_STATUS_FILTERS,
  OverviewQuerySchema,
  OverviewSchema,
  addDays,
  dayCount,
  type CountSum,
  type Overview,
  type OverviewCurrency,
  type OverviewQuery,
} from '../../shared/overview';

/**
 * The Overview's figures, added up in SQL (the renderer never sees rows): counts and sums by
 * status and the per-day bars from the `link_days` table the triggers keep; the method and desk
 * split and the median time to payment from the paid rows of the range (a creation-day range is
 * a row id range, so the primary key bounds it); for a single day, the payments per hour.
 */

/** Row ids start with the creation time in ms × 1024 (schema.ts). */
const IDS_PER_MS = 1024;
/** The bars cover at least this many days, so "today" still shows the month's rhythm. */
const MIN_BAR_DAYS = 30;

function localDayStartMs(day: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d).getTime();
}

const sqlList = (values: readonly string[]): string => values.map((value) => `'${value}'`).join(', ');
const PAID_SQL = sqlList(OVERVIEW_STATUS_FILTERS.paid);

const StatusRowSchema = z.object({ currency: z.string(), history_status: z.string(), links: z.number(), cents: z.number(), refunded: z.number() });
const PaidGroupRowSchema = z.object({
  currency: z.string(),
  paid_with: z.string().nullable(),
  origin: LinkOriginSchema,
  desk_name: z.string().nullable(),
  links: z.number(),
  cents: z.number(),
  timed: z.number(),
});
const DayRowSchema = z.object({ day: z.string(), currency: z.string(), links: z.number(), cents: z.number() });
const HourRowSchema = z.object({ hour: z.string(), currency: z.string(), links: z.number(), cents: z.number() });
const DurationRowSchema = z.object({ after: z.number() });
const VatRowSchema = z.object({ currency: z.string(), vat_rate: z.number(), cents: z.number() });
const ItemRowSchema = z.object({ currency: z.string(), name: z.string(), quantity: z.number(), cents: z.number() });
const TOP_ITEMS = 5;

const emptyCurrency = (currency: string): OverviewCurrency => ({
  currency,
  created: { count: 0, cents: 0 },
  paid: { count: 0, cents: 0 },
  waiting: { count: 0, cents: 0 },
  failed: { count: 0, cents: 0 },
  cancelled: { count: 0, cents: 0 },
  refundedCents: 0,
  sharePaid: null,
  medianPaidAfterMs: null,
  byMethod: [],
  byDesk: [],
  vat: [],
  withoutItemsCents: 0,
  topItems: [],
});

function add(target: CountSum, links: number, cents: number): void {
  target.count += links;
  target.cents += cents;
}

const WAITING: ReadonlySet<string> = new Set(OVERVIEW_STATUS_FILTERS.waiting);
const PAID: ReadonlySet<string> = new Set(OVERVIEW_STATUS_FILTERS.paid);

export function computeOverview(db: DatabaseSync, input: OverviewQuery): Overview {
  const query = OverviewQuerySchema.parse(input);
  const firstId = localDayStartMs(query.from) * IDS_PER_MS;
  const endId = localDayStartMs(addDays(query.to, 1)) * IDS_PER_MS;
  const range = 'id >= ? AND id < ? AND damaged = 0';

  // Counts and sums by status: from the per-day totals the triggers keep (a few rows per day).
  const statusRows = db
    .prepare(`
      SELECT currency, history_status, SUM(links) AS links, SUM(amount_cents) AS cents, SUM(refunded_cents) AS refunded
      FROM link_days WHERE day >= ? AND day <= ? GROUP BY currency, history_status HAVING SUM(links) > 0`)
    .all(query.from, query.to)
    .map((row) => StatusRowSchema.parse(row));
  const byCurrency = new Map<string, OverviewCurrency>();
  const notCreated = new Map<string, number>();
  const figuresOf = (currency: string): OverviewCurrency => {
    let figures = byCurrency.get(currency);
    if (!figures) byCurrency.set(currency, (figures = emptyCurrency(currency)));
    return figures;
  };
  for (const row of statusRows) {
    const figures = figuresOf(row.currency);
    add(figures.created, row.links, row.cents);
    figures.refundedCents += row.refunded;
    if (row.history_status === 'creating' || row.history_status === 'create_failed') {
      notCreated.set(row.currency, (notCreated.get(row.currency) ?? 0) + row.links);
    }
    if (PAID.has(row.history_status)) add(figures.paid, row.links, row.cents);
    else if (WAITING.has(row.history_status)) add(figures.waiting, row.links, row.cents);
    else if (row.history_status === 'failed') add(figures.failed, row.links, row.cents);
    else if (row.history_status === 'cancelled') add(figures.cancelled, row.links, row.cents);
  }

  // Method and desk split of the paid links: one pass over the range's rows (a row id range).
  const paidGroups = db
    .prepare(`
      SELECT currency, paid_with, origin, desk_name, COUNT(*) AS links, SUM(amount_cents) AS cents, COUNT(paid_at) AS timed
      FROM links WHERE ${range} AND is_paid = 1
      GROUP BY currency, paid_with, origin, desk_name`)
    .all(firstId, endId)
    .map((row) => PaidGroupRowSchema.parse(row));
  const timedPaid = new Map<string, number>();
  for (const row of paidGroups) {
    const figures = figuresOf(row.currency);
    timedPaid.set(row.currency, (timedPaid.get(row.currency) ?? 0) + row.timed);
    const method = row.paid_with ?? 'unknown';
    const methodEntry = figures.byMethod.find((entry) => entry.method === method);
    if (methodEntry) add(methodEntry, row.links, row.cents);
    else figures.byMethod.push({ method, count: row.links, cents: row.cents });
    const deskEntry = figures.byDesk.find((entry) => entry.origin === row.origin && entry.deskName === row.desk_name);
    if (deskEntry) add(deskEntry, row.links, row.cents);
    else figures.byDesk.push({ origin: row.origin, deskName: row.desk_name, count: row.links, cents: row.cents });
  }

  // The median time to payment: per currency the middle one (odd count) or the two in the middle,
  // found by SQLite's sort (a window function over the range measured slower).
  const middle = db.prepare(`
    SELECT paid_at - created_at AS after FROM links
    WHERE ${range} AND is_paid = 1 AND paid_at IS NOT NULL AND currency = ?
    ORDER BY after LIMIT ? OFFSET ?`);
  for (const figures of byCurrency.values()) {
    const real = figures.created.count - (notCreated.get(figures.currency) ?? 0);
    figures.sharePaid = real > 0 ? Math.min(1, figures.paid.count / real) : null;
    figures.byMethod.sort((a, b) => b.cents - a.cents || a.method.localeCompare(b.method));
    figures.byDesk.sort((a, b) => b.cents - a.cents);
    const timed = timedPaid.get(figures.currency) ?? 0;
    if (timed === 0) continue;
    const values = middle
      .all(firstId, endId, figures.currency, timed % 2 === 1 ? 1 : 2, Math.floor((timed - 1) / 2))
      .map((row) => Math.max(0, DurationRowSchema.parse(row).after));
    figures.medianPaidAfterMs = values.reduce((sum, value) => sum + value, 0) / values.length;
  }

  // What was sold, from the basket lines of the paid links in the range (link ids bound the range).
  const paidLines = 'FROM link_lines ll JOIN links l ON l.id = ll.link_id WHERE ll.link_id >= ? AND ll.link_id < ? AND l.damaged = 0 AND l.is_paid = 1';
  for (const row of db.prepare(`SELECT l.currency, ll.vat_rate, SUM(ll.quantity * ll.unit_cents) AS cents ${paidLines} GROUP BY l.currency, ll.vat_rate`)
    .all(firstId, endId).map((r) => VatRowSchema.parse(r))) {
    figuresOf(row.currency).vat.push(...vatSplit([{ quantity: 1, unitPriceCents: row.cents, vatRate: row.vat_rate }]));
  }
  for (const row of db.prepare(`SELECT l.currency, ll.name, SUM(ll.quantity) AS quantity, SUM(ll.quantity * ll.unit_cents) AS cents ${paidLines}
      GROUP BY l.currency, ll.name ORDER BY cents DESC, ll.name`).all(firstId, endId).map((r) => ItemRowSchema.parse(r))) {
    const figures = figuresOf(row.currency);
    if (figures.topItems.length < TOP_ITEMS) figures.topItems.push({ name: row.name, quantity: row.quantity, cents: row.cents });
  }
  for (const figures of byCurrency.values()) {
    figures.vat.sort((a, b) => b.rate - a.rate);
    figures.withoutItemsCents = Math.max(0, figures.paid.cents - figures.vat.reduce((sum, share) => sum + share.grossCents, 0));
  }

  const barsFrom = dayCount(query.from, query.to) >= MIN_BAR_DAYS ? query.from : addDays(query.to, 1 - MIN_BAR_DAYS);
  const days = db
    .prepare(`
      SELECT day, currency, SUM(links) AS links, SUM(amount_cents) AS cents FROM link_days
      WHERE day >= ? AND day <= ? AND history_status IN (${PAID_SQL})
      GROUP BY day, currency HAVING SUM(links) > 0 ORDER BY day, currency`)
    .all(barsFrom, query.to)
    .map((row) => DayRowSchema.parse(row))
    .map((row) => ({ day: row.day, currency: row.currency, count: row.links, cents: row.cents }));

  const hours =
    query.from !== query.to
      ? null
      : db
          .prepare(`
            SELECT strftime('%H', COALESCE(paid_at, created_at) / 1000, 'unixepoch', 'localtime') AS hour, currency,
              COUNT(*) AS links, SUM(amount_cents) AS cents
            FROM links WHERE ${range} AND is_paid = 1 GROUP BY hour, currency ORDER BY hour, currency`)
          .all(firstId, endId)
          .map((row) => HourRowSchema.parse(row))
          .map((row) => ({ hour: Number(row.hour), currency: row.currency, count: row.links, cents: row.cents }));

  const currencies = [...byCurrency.values()].sort((a, b) => b.created.count - a.created.count || a.currency.localeCompare(b.currency));
  return OverviewSchema.parse({ from: query.from, to: query.to, currencies, days: { from: barsFrom, to: query.to, items: days }, hours });
}
