import type { z } from 'zod';
import { AppFailure, describeZodIssues } from '../../shared/errors';
import type { ErrorCode } from '../../shared/errors';
import { ApiErrorPayloadSchema, OAuthErrorSchema } from './wire';
import type { ApiErrorPayload } from './wire';

/**
 * Turns what went wrong on the wire into {@link AppFailure}s with stable codes. Messages are
 * English (the renderer translates by code); the API's German `error_user` travels as
 * `userMessage`, its `supportId` so the merchant can quote it to secupay support.
 */

/** 403 + code 2003 = "Valid auth token required" (API-NOTES §6.1, §2). */
export const TOKEN_REJECTED_CODE = 2003;

export function isTokenRejection(status: number, payload: ApiErrorPayload | null): boolean {
  if (status === 401) return true;
  return status === 403 && payload !== null && Number(payload.code) === TOKEN_REJECTED_CODE;
}

export function parseApiErrorPayload(body: unknown): ApiErrorPayload | null {
  const parsed = ApiErrorPayloadSchema.safeParse(body);
  return parsed.success ? parsed.data : null;
}

/** Wire paths (as `error_details` names them) → the create form's field names. */
const FIELD_PREFIXES: Array<[wirePrefix: string, formPrefix: string]> = [
  ['basket_info.sum', 'amountCents'],
  ['basket_info.currency', 'currency'],
  ['basket_info', 'amountCents'],
  ['transactionRef', 'reference'],
  ['contract', 'contractId'],
  ['application_context.return_urls.url_success', 'returnUrls.success'],
  ['application_context.return_urls.url_error', 'returnUrls.error'],
  ['application_context.return_urls.url_abort', 'returnUrls.abort'],
  ['application_context.language', 'language'],
  ['payment_context.payment_methods', 'paymentMethod'],
  ['customer.contact', 'customer'],
  ['customer', 'customer'],
];

export function formFieldForWirePath(wirePath: string): string | undefined {
  for (const [wirePrefix, formPrefix] of FIELD_PREFIXES) {
    if (wirePath === wirePrefix) return formPrefix;
    if (wirePath.startsWith(`${wirePrefix}.`)) {
      // `contract.id` is still the contract id; nested customer paths keep their tail.
      if (formPrefix === 'customer') return `${formPrefix}.${wirePath.slice(wirePrefix.length + 1)}`;
      return formPrefix;
    }
  }
  return undefined;
}

/**
 * `error_details` like "Invalid value for customer.contact.email" or "Missing value for contract"
 * (the simulator's wording; the real API's is not documented, API-NOTES §11 question 2).
 * Messages are i18n keys, like the form's own validation messages.
 */
export function fieldsFromErrorDetails(details: string | null | undefined): Record<string, string> | undefined {
  if (!details) return undefined;
  const fields: Record<string, string> = {};
  for (const match of details.matchAll(/\b(Invalid|Missing) value for ([A-Za-z_][\w.]*)/g)) {
    const field = formFieldForWirePath((match[2] ?? '').replace(/\.$/, ''));
    if (field !== undefined && !(field in fields)) {
      fields[field] = match[1] === 'Missing' ? 'validation.required' : 'validation.api_invalid';
    }
  }
  return Object.keys(fields).length > 0 ? fields : undefined;
}

function withPayloadDetails(message: string, payload: ApiErrorPayload | null): string {
  if (!payload) return message;
  const name = payload.error ? ` (${payload.error})` : '';
  const details = payload.error_details ? `: ${payload.error_details}` : '';
  return `${message}${name}${details}`;
}

function failureFromPayload(code: ErrorCode, message: string, payload: ApiErrorPayload | null, fields?: Record<string, string>): AppFailure {
  return new AppFailure({
    code,
    message: withPayloadDetails(message, payload),
    ...(payload?.supportId ? { supportId: payload.supportId } : {}),
    ...(payload?.error_user ? { userMessage: payload.error_user } : {}),
    ...(fields ? { fields } : {}),
  });
}

/** An error answer from `/api/v2/...`, after retries and token renewal are exhausted. */
export function failureForApiStatus(status: number, body: unknown, tokenStillRejected: boolean): AppFailure {
  const payload = parseApiErrorPayload(body);
  if (tokenStillRejected) {
    return failureFromPayload('api.not_allowed', `secuconnect rejected a freshly issued access token (HTTP ${status})`, payload);
  }
  if (status === 400 || status === 422 || status === 409) {
    return failureFromPayload('api.validation', 'secuconnect did not accept the data', payload, fieldsFromErrorDetails(payload?.error_details));
  }
  if (status === 404) return failureFromPayload('api.not_found', 'secuconnect does not know this object', payload);
  if (status === 401 || status === 403) {
    return failureFromPayload('api.not_allowed', 'This account may not do this at secuconnect', payload);
  }
  if (status === 429) return failureFromPayload('api.rate_limited', 'secuconnect is receiving too many requests from this account; try again shortly', payload);
  if (status >= 500) {
    const kind = body === undefined ? ' with a non-JSON body' : '';
    return failureFromPayload('api.server', `secuconnect had a problem (HTTP ${status})${kind}`, payload);
  }
  return failureFromPayload('api.unexpected_response', `secuconnect answered with the unexpected HTTP status ${status}`, payload);
}

/** An error answer from `/oauth/token`. */
export function failureForTokenStatus(status: number, body: unknown): AppFailure {
  const oauth = OAuthErrorSchema.safeParse(body);
  const description = oauth.success && oauth.data.error_description ? ` (${oauth.data.error_description})` : '';
  if (status === 400 || status === 401) {
    // API-NOTES §2: wrong client id/secret is a recorded 400 `invalid_client`; 401 also occurs.
    return new AppFailure({
      code: 'auth.invalid_credentials',
      message: `secuconnect did not accept the client id and client secret. Please check both in the settings${description}.`,
    });
  }
  if (status === 404) {
    return new AppFailure({ code: 'api.not_found', message: 'No secuconnect login was found at this address. Please check the environment or base URL in the settings.' });
  }
  if (status === 429) return new AppFailure({ code: 'api.rate_limited', message: 'secuconnect is receiving too many login requests; try again shortly' });
  if (status >= 500) return new AppFailure({ code: 'api.server', message: `The secuconnect login had a problem (HTTP ${status})` });
  return failureForApiStatus(status, body, false);
}

export function unexpectedResponse(what: string, error: z.ZodError): AppFailure {
  return new AppFailure({ code: 'api.unexpected_response', message: `secuconnect sent ${what} this app does not understand: ${describeZodIssues(error)}` });
}

export function nonJsonResponse(what: string): AppFailure {
  return new AppFailure({ code: 'api.unexpected_response', message: `secuconnect sent ${what} that is not JSON` });
}

const OFFLINE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN', 'EADDRNOTAVAIL']);

function errorCodeOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function isTimeout(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth += 1) {
    const name = (current as { name?: unknown }).name;
    if (name === 'TimeoutError') return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

export type NetworkFailureKind = 'timeout' | 'offline' | 'connection_lost';

export function classifyNetworkError(error: unknown): NetworkFailureKind {
  if (isTimeout(error)) return 'timeout';
  const code = errorCodeOf(error);
  if (code !== undefined && OFFLINE_CODES.has(code)) return 'offline';
  return 'connection_lost';
}

/**
 * True when the request cannot have reached the server (nothing was sent), so even a
 * non-idempotent call may be repeated.
 */
export function requestNeverSent(error: unknown): boolean {
  return classifyNetworkError(error) === 'offline';
}

/** The underlying error text is not used: it can name hosts and internals, never useful to a merchant. */
export function networkFailure(kind: NetworkFailureKind, timeoutMs: number): AppFailure {
  switch (kind) {
    case 'timeout':
      return new AppFailure({ code: 'network.timeout', message: `secuconnect did not answer within ${Math.round(timeoutMs / 1000)} seconds` });
    case 'offline':
      return new AppFailure({ code: 'network.offline', message: 'secuconnect cannot be reached. Please check the internet connection.' });
    case 'connection_lost':
      return new AppFailure({ code: 'network.connection_lost', message: 'The connection to secuconnect was interrupted before its answer arrived' });
  }
}

/** Defence in depth: text from the server or a library never carries our credentials onward. */
export function redactFailure(failure: AppFailure, secrets: ReadonlyArray<string | undefined>): AppFailure {
  const present = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4);
  if (present.length === 0) return failure;
  const scrub = (text: string | undefined) => {
    if (text === undefined) return undefined;
    let result = text;
    for (const secret of present) result = result.split(secret).join('[redacted]');
    return result;
  };
  const value = failure.toValue();
  const message = scrub(value.message) ?? '';
  const userMessage = scrub(value.userMessage);
  if (message === value.message && userMessage === value.userMessage) return failure;
  return new AppFailure({ ...value, message, ...(userMessage !== undefined ? { userMessage } : {}) });
}
