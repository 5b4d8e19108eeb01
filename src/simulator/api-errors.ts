import { supportId } from './ids';

/**
 * A secuconnect error answer (API-NOTES §6): the HTTP reason phrase is the exception name and the
 * body is a ProductExceptionPayload.
 */
export class ApiError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly exception: string,
    readonly details: string,
    readonly code: number,
    readonly headers: Record<string, string> = {},
  ) {
    super(details);
    this.name = 'ApiError';
  }

  payload(): Record<string, unknown> {
    return {
      status: 'error',
      error: this.exception,
      error_details: this.details,
      error_user:
        this.httpStatus >= 500
          ? 'Es ist ein interner Fehler aufgetreten'
          : this.code === 0
            ? 'Es ist ein unbekannter Fehler aufgetreten'
            : `Es ist ein unbekannter Fehler aufgetreten (Code ${this.code})`,
      code: this.code,
      supportId: supportId(),
    };
  }
}

/**
 * Validation code 4001 is the notes' own proposal (§6.3): the real 4xxx table could not be read
 * (§11 q2), and so is 400 ProductFormatException for validation (L).
 */
export const VALIDATION_CODE = 4001;

export function invalidValue(path: string): ApiError {
  return new ApiError(400, 'ProductFormatException', `Invalid value for ${path}`, VALIDATION_CODE);
}

export function missingValue(path: string): ApiError {
  return new ApiError(400, 'ProductFormatException', `Missing value for ${path}`, VALIDATION_CODE);
}

/** A request the object's state does not allow (cancel a paid transaction, over-refund …). */
export function actionNotAllowed(details: string): ApiError {
  return new ApiError(400, 'ProductFormatException', details, VALIDATION_CODE);
}

/** Unknown ids: 404 ProductNotFoundException rests on an old SDK comment (L, API-NOTES §6.2, §11 q2). */
export function notFound(what: string, id: string): ApiError {
  return new ApiError(404, 'ProductNotFoundException', `${what} ${id} not found`, 0);
}

/** Documented for an expired token: 403 ProductNotAllowedException, code 2003 (H, DOC:Error_Handling). */
export function tokenRequired(status: 401 | 403): ApiError {
  return new ApiError(status, 'ProductNotAllowedException', 'Valid auth token required', 2003);
}

/** The error a `status` fault answers with, in the shape the real API uses for that class of error. */
export function errorForStatus(status: number): ApiError {
  if (status === 401 || status === 403) return tokenRequired(status);
  if (status === 404) return new ApiError(404, 'ProductNotFoundException', 'Not found (simulated fault)', 0);
  if (status === 429) return new ApiError(429, 'ProductNotAllowedException', 'Too many requests (simulated fault)', 0);
  if (status >= 500) return new ApiError(status, 'ProductInternalException', 'Proxy: Backend not available (simulated fault)', 0);
  return new ApiError(status, 'ProductFormatException', 'Invalid request (simulated fault)', VALIDATION_CODE);
}

/** OAuth errors use the OAuth shape, not the product payload (API-NOTES §2). */
export class OAuthError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly error: string,
    readonly description: string,
  ) {
    super(description);
    this.name = 'OAuthError';
  }
}

/** Recorded byte for byte from the testing host (H, VCR). */
export const INVALID_CLIENT_BODY = '{"error":"invalid_client","error_description":"The client credentials are invalid"}';
