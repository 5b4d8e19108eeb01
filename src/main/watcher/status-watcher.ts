import { isFinalStatus } from '../../shared/status';
import type { LinkRecord } from '../../shared/link';
import type { LinkRepository } from '../history';
import type { LinkService } from '../links/link-service';

/**
 * Keeps every link that is not final up to date in the background — also when no window is
 * open — within the account's request budget: fresh links often (the buyer is probably paying
 * right now), older ones ever more rarely, prepayments (`pending`, can take days) rarely, final
 * links never. When the API fails, the watcher backs off for that account.
 */
export interface StatusWatcher {
  /** One scheduling round; returns how many status requests it made. */
  tick(): Promise<number>;
  start(periodMs?: number): void;
  stop(): void;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** How long to wait after the last check of a link before checking it again. */
export function checkInterval(record: Pick<LinkRecord, 'status' | 'createdAt'>, now: number): number {
  if (record.status === 'pending') return 15 * MINUTE;
  const age = now - Date.parse(record.createdAt);
  if (age < 10 * MINUTE) return 10 * SECOND;
  if (age < HOUR) return MINUTE;
  if (age < 24 * HOUR) return 5 * MINUTE;
  if (age < 7 * 24 * HOUR) return 30 * MINUTE;
  return 2 * HOUR;
}

export interface StatusWatcherDeps {
  history: LinkRepository;
  links: LinkService;
  /** Only links of the account Link Desk is connected to can be checked. */
  currentAccountKey: () => Promise<string | null>;
  now?: () => number;
  maxBackoffMs?: number;
  /** How many requests one round may make at most (the budget limits them further). */
  maxPerTick?: number;
}

export function createStatusWatcher(deps: StatusWatcherDeps): StatusWatcher {
  const now = deps.now ?? Date.now;
  const maxBackoff = deps.maxBackoffMs ?? 5 * MINUTE;
  const maxPerTick = deps.maxPerTick ?? 5;
  const lastAttempt = new Map<string, number>();
  let backoffMs = 0;
  let pausedUntil = 0;
  let timer: ReturnType<typeof setInterval> | null = null;
  let running = false;

  const lastCheck = (record: LinkRecord) =>
    Math.max(lastAttempt.get(record.merchantRef) ?? 0, record.lastCheckedAt ? Date.parse(record.lastCheckedAt) : 0);

  async function tick(): Promise<number> {
    const t = now();
    if (running || t < pausedUntil) return 0;
    running = true;
    try {
      const accountKey = await deps.currentAccountKey().catch(() => null);
      if (accountKey === null) return 0;
      const due: Array<{ record: LinkRecord; overdue: number }> = [];
      for (const record of deps.history.nonFinal()) {
        if (record.state !== 'created' || record.accountKey !== accountKey || isFinalStatus(record.status)) continue;
        const overdue = t - (lastCheck(record) + checkInterval(record, t));
        if (overdue >= 0) due.push({ record, overdue });
      }
      // Fresh links first (short interval), then the longest-waiting.
      due.sort((a, b) => checkInterval(a.record, t) - checkInterval(b.record, t) || b.overdue - a.overdue);
      let requested = 0;
      for (const { record } of due.slice(0, maxPerTick)) {
        try {
          const result = await deps.links.refreshWith(record.merchantRef, 'background');
          if (!result.requested) break; // budget spent: the rest waits for the next round
          lastAttempt.set(record.merchantRef, t);
          requested++;
          backoffMs = 0;
        } catch {
          lastAttempt.set(record.merchantRef, t);
          // Offline or API trouble: wait before the next round, longer each time.
          backoffMs = Math.min(maxBackoff, backoffMs === 0 ? 5 * SECOND : backoffMs * 2);
          pausedUntil = now() + backoffMs;
          break;
        }
      }
      return requested;
    } finally {
      running = false;
    }
  }

  return {
    tick,
    start(periodMs = SECOND) {
      if (timer) return;
      timer = setInterval(() => void tick(), periodMs);
      timer.unref?.();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}
