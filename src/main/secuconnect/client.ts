import type { z } from 'zod';
import { AppFailure, isAppFailure, zodIssuesByField, describeZodIssues } from '../../shared/errors';
import {
  classifyNetworkError,
  failureForApiStatus,
  failureForTokenStatus,
  isTokenRejection,
  networkFailure,
  nonJsonResponse,
  parseApiErrorPayload,
  redactFailure,
  requestNeverSent,
  unexpectedResponse,
} from './failures';
import { lookupByMerchantRef } from './list-queries';
import { TokenCache, accountKeyFor, sharedTokenCache } from './token-cache';
import { apiConnectionFor, type ApiConnection } from './connection';
import type { IssuedToken } from './token-cache';
import {
  CaptureBodySchema,
  PaymentTransactionArraySchema,
  PaymentTransactionSchema,
  RefundBodySchema,
  ListSmartTransactionsQuerySchema,
  SmartTransactionListSchema,
  SmartTransactionSchema,
  TokenRequestBodySchema,
  TokenResponseSchema,
} from './wire';
import type {
  CreateSmartTransactionBody,
  PaymentTransaction,
  ShippingInformation,
  SmartTransaction,
  SmartTransactionList,
} from './wire';

export interface RetryPolicy {
  /** Extra tries after the first, for calls that are safe to repeat. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Upper bound for waiting on a `Retry-After` header. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 300, maxDelayMs: 5_000, maxRetryAfterMs: 30_000 };
export const DEFAULT_TIMEOUT_MS = 15_000;

/** One HTTP exchange, for the watcher's request budget and metrics. Never carries tokens or bodies. */
export interface RequestInfo {
  method: string;
  path: string;
  status?: number;
  durationMs: number;
}

export interface SecuconnectClientOptions {
  /** Host root, e.g. `https://connect-testing.secuconnect.com` (API under `/api/v2`). */
  baseUrl: string;
  clientId: string;
  /** Asked only when a token must be issued; the secret is not kept by the client. */
  getClientSecret: () => Promise<string>;
  fetch?: typeof fetch;
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  tokenCache?: TokenCache;
  onRequest?: (info: RequestInfo) => void;
  /**
   * The kept-alive connection to the host; by default the process-wide one for `baseUrl`. With
   * only `fetch` given (tests), requests go through that fetch and warm-up opens no connection.
   */
  connection?: ApiConnection;
}

/** A token must stay valid this long after a warm-up: the link is created within the next minute. */
export const WARM_TOKEN_MIN_VALIDITY_MS = 60_000;

export interface WarmUpResult {
  /** `cached`: valid long enough; `renewed`: a token request was made; `skipped`: not allowed now. */
  token: 'cached' | 'renewed' | 'skipped';
  connectionOpen: boolean;
}

/**
 * `GET /Smart/Transactions` parameters (API-NOTES §3.1). The query shapes Link Desk sends, with
 * their fallbacks, live in `list-queries.ts`; this only carries them.
 */
export interface ListSmartTransactionsQuery {
  /** Page size, 1…1000 (the API's limit is not documented). */
  count?: number;
  /** 0-based. */
  offset?: number;
  /** `field:asc,field2:desc`. */
  sort?: string;
  /** Lucene-like, e.g. `updated:[2026-01-01T00:00:00+00:00 TO *] AND status:ok`. */
  q?: string;
}

export interface RefundRequest {
  reduceAmountByCents: number;
  /** At most 100 of `A-Z a-z 0-9 space . , + - : ? ( ) / '` (API-NOTES §8). */
  reason?: string;
}

export interface SecuconnectClient {
  readonly accountKey: string;
  /**
   * Gets ready for the next request without creating anything: renews the token unless it stays
   * valid for the next minute (only when `mayRequestToken()` agrees: the request budget), and opens
   * the connection if none is open. Throws what a token request throws (no secret, wrong credentials).
   */
  warmUp(options?: { mayRequestToken?: () => boolean }): Promise<WarmUpResult>;
  /** Logs in afresh (not from the cache), proving the stored credentials work. */
  /** A valid access token (cached, renewed before expiry); tests use it to log in on purpose. */
  getToken(): Promise<string>;
  testConnection(): Promise<{ tokenExpiresInSeconds: number }>;
  createSmartTransaction(body: CreateSmartTransactionBody): Promise<SmartTransaction>;
  getSmartTransaction(id: string): Promise<SmartTransaction>;
  listSmartTransactions(query?: ListSmartTransactionsQuery): Promise<SmartTransactionList>;
  findByMerchantRef(merchantRef: string): Promise<SmartTransaction | null>;
  cancelSmartTransaction(id: string): Promise<SmartTransaction>;
  capturePaymentTransaction(paymentTransactionId: string, shippingInformation?: ShippingInformation): Promise<PaymentTransaction>;
  /** Returns the original transaction and the refund transactions it now has (API-NOTES §3.2). */
  refundPaymentTransaction(paymentTransactionId: string, refund: RefundRequest): Promise<PaymentTransaction[]>;
}

type HttpMethod = 'GET' | 'POST' | 'PUT';

interface HttpAnswer {
  status: number;
  retryAfter: string | null;
  /** The parsed body; `undefined` when it was empty or not JSON. */
  json: unknown;
  isJson: boolean;
}

/**
 * Which failures a call may be repeated after. Reading is always safe; creating, cancelling and
 * refunding are not (the API has no idempotency keys, API-NOTES §11 question 8), except when the
 * server says it did not act (429) or the request never left this machine.
 */
interface RepeatPolicy {
  idempotent: boolean;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function parseRetryAfterMs(header: string | null, now: number): number | undefined {
  if (header === null) return undefined;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function pathSegment(id: string, what: string): string {
  if (typeof id !== 'string' || id.trim() === '') {
    throw new AppFailure({ code: 'api.validation', message: `No ${what} id was given` });
  }
  return encodeURIComponent(id.trim());
}

function checkRequestBody<S extends z.ZodType>(schema: S, body: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new AppFailure({
      code: 'api.validation',
      message: `The ${what} was not sent because it is incomplete: ${describeZodIssues(parsed.error)}`,
      fields: zodIssuesByField(parsed.error),
    });
  }
  return parsed.data;
}

export function createSecuconnectClient(options: SecuconnectClientOptions): SecuconnectClient {
  const baseUrl = options.baseUrl.trim().replace(/\/+$/, '');
  const clientId = options.clientId.trim();
  const accountKey = accountKeyFor(baseUrl, clientId);
  const connection = options.connection ?? (options.fetch ? undefined : apiConnectionFor(baseUrl));
  const doFetch = options.fetch ?? connection?.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const retry: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const tokenCache = options.tokenCache ?? sharedTokenCache;
  const onRequest = options.onRequest;

  function backoffMs(retryIndex: number, retryAfterHeader: string | null): number {
    const retryAfter = parseRetryAfterMs(retryAfterHeader, now());
    if (retryAfter !== undefined) return Math.min(retryAfter, retry.maxRetryAfterMs);
    const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** retryIndex);
    // "Equal jitter": never less than half the step, so retries stay spaced, but spread out so
    // several desks behind one failing proxy do not retry in lockstep.
    return ceiling / 2 + random() * (ceiling / 2);
  }

  async function sendOnce(method: HttpMethod, path: string, query: string, headers: Record<string, string>, body: string | undefined): Promise<HttpAnswer> {
    const started = onRequest ? performance.now() : 0;
    let status: number | undefined;
    // Not AbortSignal.timeout(): its timer lives on for the full timeout after the answer came,
    // which under steady polling keeps thousands of timers and signals alive.
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(new DOMException('The request timed out', 'TimeoutError')), timeoutMs);
    try {
      const response = await doFetch(`${baseUrl}${path}${query}`, { method, headers, body, signal: abort.signal });
      status = response.status;
      const text = await response.text();
      let json: unknown;
      let isJson = false;
      if (text.length > 0) {
        try {
          json = JSON.parse(text);
          isJson = true;
        } catch {
          json = undefined;
        }
      }
      const mayRetryLater = status === 429 || status >= 500;
      return { status, retryAfter: mayRetryLater ? response.headers.get('retry-after') : null, json, isJson };
    } finally {
      clearTimeout(timer);
      if (onRequest) {
        try {
          onRequest({ method, path, ...(status !== undefined ? { status } : {}), durationMs: performance.now() - started });
        } catch {
          // Metrics must never break a payment.
        }
      }
    }
  }

  /** One logical request with its retries; returns the last answer, throws only network failures. */
  async function exchange(method: HttpMethod, path: string, query: string, headers: Record<string, string>, body: string | undefined, policy: RepeatPolicy): Promise<HttpAnswer> {
    for (let retryIndex = 0; ; retryIndex += 1) {
      const canRetry = retryIndex < retry.attempts;
      let answer: HttpAnswer;
      try {
        answer = await sendOnce(method, path, query, headers, body);
      } catch (error) {
        if (canRetry && (policy.idempotent || requestNeverSent(error))) {
          await sleep(backoffMs(retryIndex, null));
          continue;
        }
        throw networkFailure(classifyNetworkError(error), timeoutMs);
      }
      const refused = answer.status === 429;
      const serverTrouble = answer.status >= 500 && answer.status <= 599;
      if (canRetry && (refused || (serverTrouble && policy.idempotent))) {
        await sleep(backoffMs(retryIndex, answer.retryAfter));
        continue;
      }
      return answer;
    }
  }

  async function readClientSecret(): Promise<string> {
    let secret: string;
    try {
      secret = await options.getClientSecret();
    } catch (error) {
      if (isAppFailure(error)) throw error;
      throw new AppFailure({ code: 'keychain.unavailable', message: 'The client secret could not be read from the keychain' });
    }
    if (typeof secret !== 'string' || secret.trim() === '') {
      throw new AppFailure({ code: 'auth.missing_secret', message: 'No client secret is stored for this account. Please enter it in the settings.' });
    }
    return secret;
  }

  async function requestToken(): Promise<IssuedToken> {
    if (clientId === '') {
      throw new AppFailure({ code: 'auth.invalid_credentials', message: 'No client id is set. Please enter it in the settings.' });
    }
    const secret = await readClientSecret();
    try {
      const body = TokenRequestBodySchema.parse({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret });
      const answer = await exchange(
        'POST',
        '/oauth/token',
        '',
        { 'Content-Type': 'application/json', Accept: 'application/json' },
        JSON.stringify(body),
        { idempotent: true },
      );
      if (answer.status < 200 || answer.status > 299) throw failureForTokenStatus(answer.status, answer.json);
      if (!answer.isJson) throw nonJsonResponse('a login answer');
      const parsed = TokenResponseSchema.safeParse(answer.json);
      if (!parsed.success) throw unexpectedResponse('a login answer', parsed.error);
      return { accessToken: parsed.data.access_token, expiresInSeconds: parsed.data.expires_in };
    } catch (error) {
      throw isAppFailure(error) ? redactFailure(error, [secret]) : error;
    }
  }

  function acquireToken(fresh = false): Promise<IssuedToken> {
    return tokenCache.acquire(accountKey, now, requestToken, fresh);
  }

  async function callApi<S extends z.ZodType>(
    method: HttpMethod,
    apiPath: string,
    what: string,
    schema: S,
    request: { query?: Record<string, string | number | undefined>; body?: unknown; idempotent: boolean },
  ): Promise<z.infer<S>> {
    const path = `/api/v2${apiPath}`;
    let query = '';
    if (request.query) {
      const params = new URLSearchParams();
      for (const [name, value] of Object.entries(request.query)) if (value !== undefined) params.set(name, String(value));
      const text = params.toString();
      if (text !== '') query = `?${text}`;
    }
    const body = request.body === undefined ? undefined : JSON.stringify(request.body);

    let renewedToken = false;
    for (;;) {
      const accessToken = tokenCache.peek(accountKey, now()) ?? (await acquireToken()).accessToken;
      try {
        const headers: Record<string, string> = { Authorization: `Bearer ${accessToken}`, Accept: 'application/json' };
        if (body !== undefined) headers['Content-Type'] = 'application/json';
        const answer = await exchange(method, path, query, headers, body, { idempotent: request.idempotent });

        if (answer.status >= 200 && answer.status <= 299) {
          if (!answer.isJson) throw nonJsonResponse(what);
          const parsed = schema.safeParse(answer.json);
          if (!parsed.success) throw unexpectedResponse(what, parsed.error);
          return parsed.data;
        }
        const rejected = isTokenRejection(answer.status, parseApiErrorPayload(answer.json));
        if (rejected && !renewedToken) {
          // The API did not act on a request with a dead token, so repeating it is safe.
          tokenCache.invalidate(accountKey, accessToken);
          renewedToken = true;
          continue;
        }
        throw failureForApiStatus(answer.status, answer.json, rejected);
      } catch (error) {
        throw isAppFailure(error) ? redactFailure(error, [accessToken]) : error;
      }
    }
  }

  const smartTransactionPath = (id: string) => `/Smart/Transactions/${pathSegment(id, 'Smart Transaction')}`;
  const paymentTransactionPath = (id: string) => `/Payment/Transactions/${pathSegment(id, 'payment transaction')}`;

  async function listSmartTransactions(query: ListSmartTransactionsQuery = {}): Promise<SmartTransactionList> {
    // Checked here, not by the API: a wrong page size is this app's bug, and a 400 from the API
    // means "query form refused" to list-queries.ts, which would then fall back needlessly.
    const checked = ListSmartTransactionsQuerySchema.safeParse(query);
    if (!checked.success) throw new Error(`Invalid list query: ${describeZodIssues(checked.error)}`);
    const { count, offset, sort, q } = checked.data;
    const list = await callApi('GET', '/Smart/Transactions', 'a list of Smart Transactions', SmartTransactionListSchema, {
      query: { count, offset, sort, q },
      idempotent: true,
    });
    return { count: list.count, data: list.data };
  }

  return {
    accountKey,

    async getToken() {
      return (await acquireToken()).accessToken;
    },

    async warmUp(warm = {}) {
      let token: WarmUpResult['token'] = 'cached';
      if (!tokenCache.validFor(accountKey, now(), WARM_TOKEN_MIN_VALIDITY_MS)) {
        if (warm.mayRequestToken && !warm.mayRequestToken()) {
          token = 'skipped';
        } else {
          // The token request opens the connection on its way, so there is nothing to dial first.
          await acquireToken(true);
          token = 'renewed';
        }
      }
      const connectionOpen = connection ? await connection.preconnect() : false;
      return { token, connectionOpen };
    },

    async testConnection() {
      const issued = await acquireToken(true);
      return { tokenExpiresInSeconds: issued.expiresInSeconds };
    },

    async createSmartTransaction(body) {
      // Not re-checked here: the body is typed, and buildCreateSmartTransactionBody builds it from
      // a validated form; secuconnect validates it too, and its answer names the field.
      return callApi('POST', '/Smart/Transactions', 'a new Smart Transaction', SmartTransactionSchema, { body, idempotent: false });
    },

    async getSmartTransaction(id) {
      return callApi('GET', smartTransactionPath(id), 'a Smart Transaction', SmartTransactionSchema, { idempotent: true });
    },

    listSmartTransactions,

    async findByMerchantRef(merchantRef) {
      if (merchantRef.trim() === '') return null;
      return (await lookupByMerchantRef(listSmartTransactions, merchantRef)).found;
    },

    async cancelSmartTransaction(id) {
      return callApi('POST', `${smartTransactionPath(id)}/cancel`, 'a cancelled Smart Transaction', SmartTransactionSchema, { idempotent: false });
    },

    async capturePaymentTransaction(paymentTransactionId, shippingInformation) {
      const path = `${paymentTransactionPath(paymentTransactionId)}/capture`;
      const body = shippingInformation === undefined ? {} : { shipping_information: shippingInformation };
      const checked = checkRequestBody(CaptureBodySchema, body, 'shipping note');
      return callApi('POST', path, 'a payment transaction', PaymentTransactionSchema, { body: checked, idempotent: false });
    },

    async refundPaymentTransaction(paymentTransactionId, refund) {
      const path = `${paymentTransactionPath(paymentTransactionId)}/cancel`;
      const body = { reduce_amount_by: refund.reduceAmountByCents, ...(refund.reason ? { reason: refund.reason } : {}) };
      const checked = checkRequestBody(RefundBodySchema, body, 'refund');
      return callApi('POST', path, 'the refund result', PaymentTransactionArraySchema, { body: checked, idempotent: false });
    },
  };
}
