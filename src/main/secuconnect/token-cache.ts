/**
 * One OAuth token per account (base URL + client id), shared by every client instance in the
 * process: the watcher, the create flow and "Test connection" must not each log in.
 */

export interface IssuedToken {
  accessToken: string;
  expiresInSeconds: number;
}

interface CachedToken {
  accessToken: string;
  /** Epoch ms after which the token is no longer handed out. */
  reuseUntil: number;
  /** How long it was reusable when issued, so "valid long enough" can scale for very short lifetimes. */
  reusableMs: number;
}

/**
 * The official SDKs stop using a token 10 s before `expires_in` runs out so that a request in
 * flight does not arrive with a dead token (API-NOTES §2, `EXPECTED_LENGTH_OF_REQUEST = 10`).
 * Very short lifetimes (simulator, tests) keep half their life instead of none.
 */
export const TOKEN_EXPIRY_MARGIN_SECONDS = 10;

export function reusableSeconds(expiresInSeconds: number): number {
  return expiresInSeconds - Math.min(TOKEN_EXPIRY_MARGIN_SECONDS, expiresInSeconds / 2);
}

export function accountKeyFor(baseUrl: string, clientId: string): string {
  return `${baseUrl.replace(/\/+$/, '')}|${clientId}`;
}

export class TokenCache {
  private readonly tokens = new Map<string, CachedToken>();
  private readonly inFlight = new Map<string, Promise<IssuedToken>>();

  /** The account's token if one is cached and still reusable (the hot path: no promise, no login). */
  peek(key: string, at: number): string | undefined {
    const cached = this.tokens.get(key);
    return cached && at < cached.reuseUntil ? cached.accessToken : undefined;
  }

  /**
   * The account's token: the cached one while reusable, else the result of `request`.
   * Concurrent callers for one account share a single in-flight request. `fresh` skips the
   * cached token (used by "Test connection", which must prove the current credentials).
   */
  async acquire(key: string, now: () => number, request: () => Promise<IssuedToken>, fresh = false): Promise<IssuedToken> {
    if (!fresh) {
      const cached = this.tokens.get(key);
      const at = now();
      if (cached && at < cached.reuseUntil) {
        return { accessToken: cached.accessToken, expiresInSeconds: Math.max(0, Math.floor((cached.reuseUntil - at) / 1000)) };
      }
    }
    const pending = this.inFlight.get(key);
    if (pending) return pending;

    const requestedAt = now();
    const issue = (async () => {
      try {
        const issued = await request();
        const reusableMs = reusableSeconds(issued.expiresInSeconds) * 1000;
        this.tokens.set(key, { accessToken: issued.accessToken, reuseUntil: requestedAt + reusableMs, reusableMs });
        return issued;
      } finally {
        this.inFlight.delete(key);
      }
    })();
    this.inFlight.set(key, issue);
    return issue;
  }

  /**
   * Whether the account's token stays reusable for at least `minMs` more (capped at half its
   * reusable life, so a token that lives only seconds is not renewed on every check).
   */
  validFor(key: string, at: number, minMs: number): boolean {
    const cached = this.tokens.get(key);
    return cached !== undefined && cached.reuseUntil - at >= Math.min(minMs, cached.reusableMs / 2);
  }

  /** Drops the token the API rejected, unless another caller already replaced it. */
  invalidate(key: string, rejectedToken: string): void {
    if (this.tokens.get(key)?.accessToken === rejectedToken) this.tokens.delete(key);
  }

  /** Forget an account's token, e.g. after its credentials changed or were removed. */
  forget(key: string): void {
    this.tokens.delete(key);
  }

  clear(): void {
    this.tokens.clear();
  }
}

/** The process-wide cache used when a client is not given one. */
export const sharedTokenCache = new TokenCache();
