import { addDays } from '../../../../shared/overview';

/** The Overview's ranges; weeks start on Monday (as in Germany and the UK). */
export const RANGE_KINDS = ['today', 'yesterday', 'week', 'month', 'custom'] as const;
export type RangeKind = (typeof RANGE_KINDS)[number];

export interface DayRange {
  from: string;
  to: string;
}

/** A local calendar day as `YYYY-MM-DD`. */
export function localDay(date: Date): string {
  const month = String(date.getMonth() + 1).padStart(2, '0');
  const day = String(date.getDate()).padStart(2, '0');
  return `${date.getFullYear()}-${month}-${day}`;
}

export function rangeFor(kind: Exclude<RangeKind, 'custom'>, now: Date): DayRange {
  const today = localDay(now);
  switch (kind) {
    case 'today':
      return { from: today, to: today };
    case 'yesterday': {
      const yesterday = addDays(today, -1);
      return { from: yesterday, to: yesterday };
    }
    case 'week':
      return { from: addDays(today, -((now.getDay() + 6) % 7)), to: today };
    case 'month':
      return { from: `${today.slice(0, 8)}01`, to: today };
  }
}

/** Every day from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) days.push(day);
  return days;
}

/** Noon of a local day, as ISO: formats as that day in every time zone the desk may be in. */
export const dayIso = (day: string): string => {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d, 12).toISOString();
};
