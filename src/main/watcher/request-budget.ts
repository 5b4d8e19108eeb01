/**
 * One request budget per account (token bucket), shared by the background watcher and the
 * link on screen. The watcher leaves a reserve so the link the merchant is looking at always
 * gets its next request promptly.
 */
export interface RequestBudget {
  /** Takes one request if at least `1 + reserve` are available. */
  tryTake(accountKey: string, reserve?: number): boolean;
  available(accountKey: string): number;
}

export function createRequestBudget(options: { perSecond?: number; burst?: number; now?: () => number } = {}): RequestBudget {
  const perSecond = options.perSecond ?? 1;
  // Room for the watcher's reserve plus one: the watcher can use the whole rate while the screen still gets its turn.
  const burst = options.burst ?? 3;
  const now = options.now ?? Date.now;
  const buckets = new Map<string, { tokens: number; at: number }>();

  const refill = (key: string) => {
    const t = now();
    const bucket = buckets.get(key) ?? { tokens: burst, at: t };
    bucket.tokens = Math.min(burst, bucket.tokens + ((t - bucket.at) / 1000) * perSecond);
    bucket.at = t;
    buckets.set(key, bucket);
    return bucket;
  };

  return {
    tryTake(key, reserve = 0) {
      const bucket = refill(key);
      if (bucket.tokens < 1 + reserve) return false;
      bucket.tokens -= 1;
      return true;
    },
    available: (key) => refill(key).tokens,
  };
}
