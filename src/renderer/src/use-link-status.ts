import { useEffect, useState } from 'react';
import type { AppError } from '../../shared/errors';
import type { LinkRecord } from '../../shared/link';
import { isFinalStatus } from '../../shared/status';
import { call, subscribe } from './api';

/**
 * The buyer is paying right now: ask often. Asking is cheap: main coalesces (at most one API
 * request per link per `minRefreshIntervalMs`, whoever asks), so this only decides how soon after
 * main's interval has passed the next request goes out. A payment shows after at most
 * main's interval + this + one round trip.
 */
export const POLL_INTERVAL_MS = 250;
const HIDDEN_INTERVAL_MS = 10_000;
const FIRST_RETRY_MS = 2000;
const MAX_RETRY_MS = 30_000;

/** Errors that say "cannot reach secupay right now", not "this is wrong". */
export function isTransientFailure(code: string): boolean {
  return code.startsWith('network.') || code === 'api.server' || code === 'api.rate_limited';
}

export function retryDelay(failures: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, failures - 1), MAX_RETRY_MS);
}

export interface LinkStatus {
  record: LinkRecord | null;
  /** secupay cannot be reached; the shown status is the last one known, retrying with backoff. */
  offline: boolean;
  /** A non-transient problem (e.g. the link is unknown); the shown status stays as it was. */
  problem: AppError | null;
}

function newer(current: LinkRecord | null, next: LinkRecord): boolean {
  return current === null || next.updatedAt >= current.updatedAt;
}

/**
 * Keeps a link's status current while it is on screen: main's `link.updated` events update it
 * at once, and polling through `links.refresh` catches what no event reported. Stops once the
 * status is final. On errors the status shown is never changed, only "offline" is said.
 */
export function useLinkStatus(merchantRef: string, initial: LinkRecord | null): LinkStatus {
  const [state, setState] = useState<LinkStatus>({ record: initial, offline: false, problem: null });

  useEffect(() => {
    let alive = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let latest: LinkRecord | null = initial;
    let failures = 0;

    const accept = (record: LinkRecord) => {
      if (!newer(latest, record)) return;
      latest = record;
      setState({ record, offline: false, problem: null });
    };

    const unsubscribe = subscribe((event) => {
      if (event.type === 'link.updated' && event.record.merchantRef === merchantRef) accept(event.record);
    });

    const schedule = (delay: number) => {
      if (!alive || isFinalStatus(latest?.status)) return;
      const wait = typeof document !== 'undefined' && document.hidden ? Math.max(delay, HIDDEN_INTERVAL_MS) : delay;
      timer = setTimeout(() => void tick(), wait);
    };

    const tick = async () => {
      if (isFinalStatus(latest?.status)) return;
      const result = await call(latest === null ? 'links.get' : 'links.refresh', { merchantRef });
      if (!alive) return;
      if (result.ok) {
        failures = 0;
        // A refresh answer is the current truth even when an event came first with the same data.
        latest = newer(latest, result.value) ? result.value : latest;
        setState({ record: latest, offline: false, problem: null });
        schedule(POLL_INTERVAL_MS);
        return;
      }
      failures += 1;
      if (isTransientFailure(result.error.code)) {
        setState((s) => ({ ...s, offline: true }));
      } else {
        setState((s) => ({ ...s, offline: false, problem: result.error }));
        if (result.error.code === 'link.not_found' || result.error.code === 'api.not_found') return;
      }
      schedule(retryDelay(failures));
    };

    if (initial === null) void tick();
    else schedule(POLL_INTERVAL_MS);

    return () => {
      alive = false;
      if (timer !== undefined) clearTimeout(timer);
      unsubscribe();
    };
    // Restart only for another link; a new `initial` object for the same link changes nothing.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [merchantRef]);

  return state;
}
