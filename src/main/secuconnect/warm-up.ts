import type { RequestBudget } from '../watcher/request-budget';
import type { SecuconnectClient } from './client';

/**
 * Counter speed: when a link is about to be made (the merchant focuses the amount or types, the
 * window is shown again, the app starts), the token and the connection are made ready in the
 * background, so Enter costs one round trip: the create itself.
 *
 * Signals come in bursts (every keystroke, focus and show at once): while a warm-up runs, more
 * signals join it, and right after one they are ignored, so typing never causes a token request
 * per key. A token request is background work and takes from the account's request budget with
 * the same reserve as the watcher, so the link on screen keeps priority.
 *
 * While the app is in use (a signal within `inUseForMs`), a gentle keep-alive checks every
 * `keepAliveEveryMs` that a connection is open and re-opens it when the server closed it: a
 * TCP/TLS handshake only, no API request, no token.
 */
export interface WarmUpTarget {
  key: string;
  client: Pick<SecuconnectClient, 'warmUp'>;
}

export interface WarmUpDeps {
  resolveAccount: () => Promise<WarmUpTarget>;
  budget?: RequestBudget;
  now?: () => number;
  /** After a warm-up, signals within this time are ignored (the state was checked just now). */
  quietAfterMs?: number;
  keepAliveEveryMs?: number;
  inUseForMs?: number;
}

export interface WarmUp {
  /** A link is probably coming. Never throws (no account set up yet, no secret: nothing to warm). */
  signal(): Promise<void>;
  /** Starts the keep-alive while in use; `stop` ends it. */
  start(): void;
  stop(): void;
}

export const WARM_UP_QUIET_MS = 2_000;
export const KEEP_ALIVE_EVERY_MS = 30_000;
/** A counter makes a link every 10–30 minutes: that long after the last sign of use, the app counts as in use. */
export const IN_USE_FOR_MS = 30 * 60_000;
/** Background requests leave this many for the screen (the watcher's reserve). */
const BACKGROUND_RESERVE = 1;

export function createWarmUp(deps: WarmUpDeps): WarmUp {
  const now = deps.now ?? Date.now;
  const quietAfterMs = deps.quietAfterMs ?? WARM_UP_QUIET_MS;
  const keepAliveEveryMs = deps.keepAliveEveryMs ?? KEEP_ALIVE_EVERY_MS;
  const inUseForMs = deps.inUseForMs ?? IN_USE_FOR_MS;
  let warming: Promise<void> | null = null;
  let keepingAlive: Promise<void> | null = null;
  let warmedAt = Number.NEGATIVE_INFINITY;
  let lastSignalAt = Number.NEGATIVE_INFINITY;
  let timer: ReturnType<typeof setInterval> | null = null;

  const warmAccount = async (withToken: boolean): Promise<void> => {
    try {
      const account = await deps.resolveAccount();
      const budget = deps.budget;
      const mayRequestToken = () => withToken && (!budget || budget.tryTake(account.key, BACKGROUND_RESERVE));
      await account.client.warmUp({ mayRequestToken });
    } catch {
      // Not set up, no secret, offline: the create will say so in words when it comes.
    }
  };

  return {
    signal() {
      lastSignalAt = now();
      if (warming) return warming;
      if (now() - warmedAt < quietAfterMs) return Promise.resolve();
      warming = warmAccount(true).finally(() => {
        warming = null;
        warmedAt = now();
      });
      return warming;
    },
    start() {
      if (timer) return;
      timer = setInterval(() => {
        if (warming || keepingAlive || now() - lastSignalAt > inUseForMs) return;
        keepingAlive = warmAccount(false).finally(() => (keepingAlive = null));
      }, keepAliveEveryMs);
      timer.unref?.();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}
